// Loads what the gate rules read for one stage: its tasks, its documents and its sign-off.
import type { EntityManager } from '@mikro-orm/core';
import type { Stage } from '../methodology/methodology.schema.ts';
import type { DocumentStatus } from '../documents/document.machine.ts';
import { ProjectDocument } from '../documents/document.entity.ts';
import { StageSignoff, type Engagement } from './engagement.entity.ts';
import { Task } from './task.entity.ts';
import type { GateInput } from './gate.ts';

export async function loadGateInput(em: EntityManager, engagement: Engagement, stage: Stage, language: 'en' | 'ru'): Promise<GateInput> {
  const typeIds = stage.tasks.flatMap((t) => (t.documentType ? [t.documentType] : []));
  const [tasks, documents, signoff] = await Promise.all([
    em.find(Task, { engagement, stageId: stage.id }),
    typeIds.length ? em.find(ProjectDocument, { engagement, typeId: { $in: typeIds } }) : Promise.resolve([]),
    em.findOne(StageSignoff, { engagement, stageId: stage.id }),
  ]);
  return {
    stage,
    language,
    signedOff: signoff !== null,
    tasks: tasks.flatMap((t) => (t.key ? [{ key: t.key, title: t.title ?? t.key, status: t.status as 'open' | 'done' }] : [])),
    documents: documents.map((d) => ({
      typeId: d.typeId,
      status: d.status as DocumentStatus,
      latestHash: d.latestHash ?? null,
      approvedHash: d.approvedHash ?? null,
    })),
  };
}
