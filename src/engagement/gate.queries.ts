// Loads what the gate rules read for one stage: its tasks, its documents and its sign-off.
import type { EntityManager } from '@mikro-orm/core';
import type { Methodology, Stage } from '../methodology/methodology.schema.ts';
import type { DocumentStatus } from '../documents/document.machine.ts';
import { ProjectDocument, DocumentVersion } from '../documents/document.entity.ts';
import { StageSignoff, type Engagement } from './engagement.entity.ts';
import { Task } from './task.entity.ts';
import type { GateInput, GateRuleFacts } from './gate.ts';

export async function loadGateInput(em: EntityManager, engagement: Engagement, stage: Stage, language: 'en' | 'ru'): Promise<GateInput> {
  const [input, rules] = await Promise.all([loadStageFacts(em, engagement, stage, language), loadRuleFacts(em, engagement, stage)]);
  return rules ? { ...input, rules } : input;
}

/** The approved content of each document a gate rule of the stage reads; the frozen methodology says which. */
async function loadRuleFacts(em: EntityManager, engagement: Engagement, stage: Stage): Promise<GateRuleFacts | null> {
  if (!stage.gate?.length) return null;
  const methodology: Methodology = (await em.populate(engagement, ['methodology'])).methodology.definition;
  const typeIds = [...new Set(stage.gate.map((r) => r.documentType))];
  const documents = await em.find(ProjectDocument, { engagement, typeId: { $in: typeIds } });
  const approvedContent: GateRuleFacts['approvedContent'] = Object.fromEntries(typeIds.map((id) => [id, null]));
  for (const d of documents) {
    if (!d.approvedHash) continue;
    // An approval names a hash; a content that came back after a change has more than one version with it.
    const version = await em.findOne(DocumentVersion, { document: d, contentHash: d.approvedHash }, { orderBy: { number: 'desc' } });
    approvedContent[d.typeId] = version?.content ?? null;
  }
  return { networks: methodology.networks, documentTypes: methodology.documentTypes, approvedContent };
}

async function loadStageFacts(em: EntityManager, engagement: Engagement, stage: Stage, language: 'en' | 'ru'): Promise<GateInput> {
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
