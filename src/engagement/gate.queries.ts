// Loads what the gate rules read for one stage: its tasks, its documents and its sign-off.
import type { EntityManager } from '@mikro-orm/core';
import type { Stage } from '../methodology/methodology.schema.ts';
import type { DocumentStatus } from '../documents/document.machine.ts';
import { ProjectDocument } from '../documents/document.entity.ts';
import { StageSignoff, type Engagement } from './engagement.entity.ts';
import { Task } from './task.entity.ts';
import type { GateInput } from './gate.ts';

export async function loadGateInput(em: EntityManager, engagement: Engagement, stage: Stage, language: 'en' | 'ru'): Promise<GateInput> {
  const typeIds = documentTypesOf(stage);
  const [tasks, documents, signoff] = await Promise.all([
    em.find(Task, { engagement, stageId: stage.id }),
    typeIds.length ? em.find(ProjectDocument, { engagement, typeId: { $in: typeIds } }) : Promise.resolve([]),
    em.findOne(StageSignoff, { engagement, stageId: stage.id }),
  ]);
  return gateInputFrom(stage, language, { tasks, documents, signoffs: signoff ? [signoff] : [] });
}

/** The engagement's rows already read (any stage's): the gate input of one stage, without asking again. */
export interface EngagementRows {
  tasks: Task[];
  documents: ProjectDocument[];
  signoffs: StageSignoff[];
}

/**
 * The gate input for each engagement in one set of queries whatever their number (lists such as
 * "waiting for me" would otherwise ask three times per engagement).
 */
export async function loadGateInputs(em: EntityManager, stages: Map<Engagement, Stage>, language: 'en' | 'ru'): Promise<Map<Engagement, GateInput>> {
  if (!stages.size) return new Map();
  // Only each engagement's current stage is read: grouped by stage, one condition per stage id.
  const byStage = new Map<string, { ids: string[]; typeIds: string[] }>();
  for (const [e, stage] of stages) {
    const group = byStage.get(stage.id) ?? { ids: [], typeIds: documentTypesOf(stage) };
    group.ids.push(e.id);
    byStage.set(stage.id, group);
  }
  const groups = [...byStage];
  const withDocuments = groups.filter(([, g]) => g.typeIds.length);
  const [tasks, documents, signoffs] = await Promise.all([
    em.find(Task, { $or: groups.map(([stageId, g]) => ({ engagement: { $in: g.ids }, stageId })) }),
    withDocuments.length ? em.find(ProjectDocument, { $or: withDocuments.map(([, g]) => ({ engagement: { $in: g.ids }, typeId: { $in: g.typeIds } })) }) : Promise.resolve([]),
    em.find(StageSignoff, { $or: groups.map(([stageId, g]) => ({ engagement: { $in: g.ids }, stageId })) }),
  ]);
  const of = <T extends { engagement: { id: string } }>(rows: T[], id: string) => rows.filter((r) => r.engagement.id === id);
  return new Map(
    [...stages].map(([e, stage]) => [e, gateInputFrom(stage, language, { tasks: of(tasks, e.id), documents: of(documents, e.id), signoffs: of(signoffs, e.id) })]),
  );
}

const documentTypesOf = (stage: Stage) => stage.tasks.flatMap((t) => (t.documentType ? [t.documentType] : []));

export function gateInputFrom(stage: Stage, language: 'en' | 'ru', rows: EngagementRows): GateInput {
  const typeIds = documentTypesOf(stage);
  const documents = rows.documents.filter((d) => typeIds.includes(d.typeId));
  return {
    stage,
    language,
    signedOff: rows.signoffs.some((s) => s.stageId === stage.id),
    tasks: rows.tasks.filter((t) => t.stageId === stage.id).flatMap((t) => (t.key ? [{ key: t.key, title: t.title ?? t.key, status: t.status as 'open' | 'done' }] : [])),
    documents: documents.map((d) => ({
      typeId: d.typeId,
      status: d.status as DocumentStatus,
      latestHash: d.latestHash ?? null,
      approvedHash: d.approvedHash ?? null,
    })),
  };
}
