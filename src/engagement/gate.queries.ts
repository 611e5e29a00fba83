// Loads what the gate rules read for one stage: its tasks, its documents and its sign-off.
import type { EntityManager } from '@mikro-orm/core';
import type { Methodology, Stage } from '../methodology/methodology.schema.ts';
import type { DocumentStatus } from '../documents/document.machine.ts';
import { ProjectDocument, DocumentVersion } from '../documents/document.entity.ts';
import { StageSignoff, type Engagement } from './engagement.entity.ts';
import { Task } from './task.entity.ts';
import type { GateInput, GateRuleFacts } from './gate.ts';
import { loadReviewedDocuments } from './documentation-review.queries.ts';
import { documentationRuleOf, reviewedTypeIds } from './documentation-review.ts';
import { isContentGateRule } from '../methodology/content-gate-rules.ts';
import { loadContentGateFacts } from '../content/content-gate.queries.ts';
import { loadUnsettledFlags } from '../documents/review-flags.queries.ts';
import { flagsHolding, type UnsettledFlag } from '../documents/review-flags.ts';
import type { GateReview } from './gate.ts';
import { loadKpiActualFacts } from '../kpi/kpi-gate.queries.ts';

export async function loadGateInput(em: EntityManager, engagement: Engagement, stage: Stage, language: 'en' | 'ru', methodology: Methodology, now?: Date): Promise<GateInput> {
  const typeIds = documentTypesRead(stage, methodology);
  const [tasks, documents, signoff] = await Promise.all([
    em.find(Task, { engagement, stageId: stage.id }),
    typeIds.length ? em.find(ProjectDocument, { engagement, typeId: { $in: typeIds } }) : Promise.resolve([]),
    em.findOne(StageSignoff, { engagement, stageId: stage.id }),
  ]);
  const [rules, reviews] = await Promise.all([
    loadRuleFacts(em, [{ engagement, stage, methodology, documents, ...(now ? { today: now.toISOString().slice(0, 10) } : {}) }]),
    loadGateReviews(em, [{ engagementId: engagement.id, stage, methodology }], language),
  ]);
  return withReviews(gateInputFrom(stage, language, { tasks, documents, signoffs: signoff ? [signoff] : [] }, rules.get(engagement)), reviews.get(engagement.id));
}

/** The unsettled review flags holding each engagement's stage, titled in the reader's language. */
export async function loadGateReviews(em: EntityManager, wanted: { engagementId: string; stage: Stage; methodology: Methodology }[], language: 'en' | 'ru'): Promise<Map<string, GateReview[]>> {
  const flags = await loadUnsettledFlags(em, wanted.map((w) => w.engagementId));
  return new Map(wanted.map((w) => [w.engagementId, gateReviewsFrom(w.methodology, w.stage, flags.get(w.engagementId) ?? [], language)]));
}

/** The flags already read that hold the stage, titled in the reader's language. */
export function gateReviewsFrom(methodology: Methodology, stage: Stage, flags: UnsettledFlag[], language: 'en' | 'ru'): GateReview[] {
  const titleOf = (typeId: string) => methodology.documentTypes.find((d) => d.id === typeId)?.title[language] ?? typeId;
  return flagsHolding(methodology, stage.id, flags).map((f) => ({ flagId: f.flagId, documentId: f.documentId, title: titleOf(f.typeId), upstreamTitle: titleOf(f.upstreamTypeId), status: f.status }));
}

export function withReviews(input: GateInput, reviews: GateReview[] | undefined): GateInput {
  return reviews?.length ? { ...input, reviews } : input;
}

interface RuleFactsWanted<E extends { id: string }> {
  engagement: E;
  stage: Stage;
  methodology: Methodology;
  /** The engagement's documents already read; those the rules name must be among them. */
  documents: RuleDocument[];
  /** The day the KPI rule counts completed weeks back from (the caller's clock); today's date otherwise. */
  today?: string;
}

/** What the rules read of a document: rows from the ORM or from a page's plain read model. */
export type RuleDocument = Pick<ProjectDocument, 'id' | 'typeId' | 'approvedHash' | 'status' | 'latestVersion' | 'latestHash'>;

/**
 * The approved content of each document a stage's gate rules read (the accounts register for the
 * mandatory networks), for any number of engagements in one query: only stages with rules ask.
 */
export async function loadRuleFacts<E extends { id: string }>(em: EntityManager, wanted: RuleFactsWanted<E>[]): Promise<Map<E, GateRuleFacts>> {
  const withRules = wanted.filter((w) => w.stage.gate?.length);
  const approved = withRules.flatMap((w) => {
    const ruleTypes = new Set(networkRuleTypes(w.stage));
    return w.documents.filter((d) => ruleTypes.has(d.typeId) && d.approvedHash);
  });
  // An approval names a hash; a content that came back after a change has more than one version with it: the newest is read.
  const readsContent = withRules.filter((w) => w.stage.gate!.some(isContentGateRule)).map((w) => w.engagement.id);
  const [versions, reviewed, content, kpiFacts] = await Promise.all([
    approved.length
      ? em.find(DocumentVersion, { $or: approved.map((d) => ({ document: d.id, contentHash: d.approvedHash! })) }, { orderBy: { number: 'desc' } })
      : Promise.resolve([]),
    loadReviewedDocuments(em, withRules),
    loadContentGateFacts(em, readsContent),
    loadKpiActualFacts(em, withRules),
  ]);
  const contentOf = (d: RuleDocument) => versions.find((v) => v.document.id === d.id)?.content ?? null;
  return new Map(withRules.map((w) => {
    const typeIds = [...new Set(networkRuleTypes(w.stage))];
    const approvedContent: GateRuleFacts['approvedContent'] = Object.fromEntries(typeIds.map((id) => {
      const document = w.documents.find((d) => d.typeId === id && d.approvedHash);
      return [id, document ? contentOf(document) : null];
    }));
    const contentHere = content.get(w.engagement.id);
    const facts: GateRuleFacts = { networks: w.methodology.networks, documentTypes: w.methodology.documentTypes, approvedContent, ...(contentHere ? { content: contentHere } : {}) };
    const reviewedHere = reviewed.get(w.engagement.id);
    const kpisHere = kpiFacts.get(w.engagement.id);
    return [w.engagement, { ...facts, ...(reviewedHere ? { reviewed: reviewedHere } : {}), ...(kpisHere ? { kpiActuals: kpisHere } : {}) }];
  }));
}

/** The engagement's rows already read (any stage's): the gate input of one stage, without asking again. */
export interface EngagementRows {
  tasks: Pick<Task, 'key' | 'title' | 'status' | 'stageId'>[];
  documents: Pick<ProjectDocument, 'typeId' | 'status' | 'latestHash' | 'approvedHash'>[];
  signoffs: Pick<StageSignoff, 'stageId'>[];
}

/**
 * The gate input for each engagement in one set of queries whatever their number (lists such as
 * "waiting for me" would otherwise ask three times per engagement).
 */
export async function loadGateInputs<E extends { id: string }>(em: EntityManager, stages: Map<E, { stage: Stage; methodology: Methodology }>, language: 'en' | 'ru'): Promise<Map<E, GateInput>> {
  if (!stages.size) return new Map();
  // Only each engagement's current stage is read: grouped by stage, one condition per stage id.
  const byStage = new Map<string, { ids: string[]; typeIds: string[] }>();
  for (const [e, { stage, methodology }] of stages) {
    // Engagements on different frozen methodologies may share a stage id: the group reads every type any of them needs.
    const group = byStage.get(stage.id) ?? { ids: [], typeIds: [] };
    group.typeIds = [...new Set([...group.typeIds, ...documentTypesRead(stage, methodology)])];
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
  const [rules, reviews] = await Promise.all([
    loadRuleFacts(em, [...stages].map(([engagement, { stage, methodology }]) => ({ engagement, stage, methodology, documents: of(documents, engagement.id) }))),
    loadGateReviews(em, [...stages].map(([e, { stage, methodology }]) => ({ engagementId: e.id, stage, methodology })), language),
  ]);
  return new Map(
    [...stages].map(([e, { stage }]) => [e, withReviews(gateInputFrom(stage, language, { tasks: of(tasks, e.id), documents: of(documents, e.id), signoffs: of(signoffs, e.id) }, rules.get(e)), reviews.get(e.id))]),
  );
}

const documentTypesOf = (stage: Stage) => stage.tasks.flatMap((t) => (t.documentType ? [t.documentType] : []));
const networkRuleTypes = (stage: Stage) => (stage.gate ?? []).flatMap((r) => (r.rule === 'mandatory-networks' ? [r.documentType] : []));
/** The stage's own documents and those its gate rules read (a documentation review reads the earlier stages'). */
const documentTypesRead = (stage: Stage, methodology: Pick<Methodology, 'stages'>) => [
  ...new Set([...documentTypesOf(stage), ...networkRuleTypes(stage), ...(documentationRuleOf(stage) ? reviewedTypeIds(methodology, stage.id) : [])]),
];

export function gateInputFrom(stage: Stage, language: 'en' | 'ru', rows: EngagementRows, rules?: GateRuleFacts): GateInput {
  const typeIds = documentTypesOf(stage);
  const documents = rows.documents.filter((d) => typeIds.includes(d.typeId));
  return {
    ...(rules ? { rules } : {}),
    stage,
    language,
    signedOff: rows.signoffs.some((s) => s.stageId === stage.id),
    tasks: rows.tasks.filter((t) => t.stageId === stage.id && t.status !== 'archived').flatMap((t) => (t.key ? [{ key: t.key, title: t.title ?? t.key, status: t.status as 'open' | 'done' }] : [])),
    documents: documents.map((d) => ({
      typeId: d.typeId,
      status: d.status as DocumentStatus,
      latestHash: d.latestHash ?? null,
      approvedHash: d.approvedHash ?? null,
    })),
  };
}
