// Reads where each reviewed document stands in the stage that corrects the documentation, for any number of engagements.
import type { EntityManager } from '@mikro-orm/core';
import type { Methodology, Stage } from '../methodology/methodology.schema.ts';
import { ProjectDocument } from '../documents/document.entity.ts';
import { EngagementEvent, type Engagement } from './engagement.entity.ts';
import { documentationRuleOf, reviewedTypeIds, type ReviewDecision, type ReviewedDocument } from './documentation-review.ts';

export interface ReviewWanted {
  engagement: { id: string };
  stage: Stage;
  methodology: Pick<Methodology, 'stages'>;
  /** The engagement's documents when already read; those the review names must be among them. */
  documents?: Pick<ProjectDocument, 'id' | 'typeId' | 'approvedHash' | 'status' | 'latestVersion' | 'latestHash'>[];
}

/** The event types that enter a stage or settle a document in it. */
const REVIEW_EVENTS = ['stage.advance', 'document.approve', 'document.confirm'];

/**
 * For each engagement whose stage has the documentation rule: its reviewed documents that have an
 * approved version, with the owner's decisions since the stage began. The decisions are read from
 * the event log, which records each approval and confirmation with its hash in the same transaction
 * as the change: it is the one record that knows in which stage a decision was made.
 */
export async function loadReviewedDocuments(em: EntityManager, wanted: ReviewWanted[]): Promise<Map<string, ReviewedDocument[]>> {
  const withRule = wanted.filter((w) => documentationRuleOf(w.stage));
  if (!withRule.length) return new Map();
  const typesOf = new Map(withRule.map((w) => [w.engagement.id, reviewedTypeIds(w.methodology, w.stage.id)]));
  const unread = withRule.filter((w) => !w.documents);
  const [read, events] = await Promise.all([
    unread.length ? em.find(ProjectDocument, { engagement: { $in: unread.map((w) => w.engagement.id) }, approvedHash: { $ne: null } }) : Promise.resolve([]),
    em.find(EngagementEvent, { engagement: { $in: withRule.map((w) => w.engagement.id) }, type: { $in: REVIEW_EVENTS } }, { orderBy: { seq: 'asc' } }),
  ]);
  return new Map(
    withRule.map((w) => {
      const id = w.engagement.id;
      const types = typesOf.get(id)!;
      const documents = (w.documents ?? read.filter((d) => d.engagement.id === id)).filter((d) => d.approvedHash && types.includes(d.typeId));
      const mine = events.filter((e) => e.engagement.id === id);
      const entry = mine.filter((e) => e.type === 'stage.advance' && e.toState === w.stage.id).at(-1);
      const since = entry ? mine.filter((e) => e.seq > entry.seq && e.type !== 'stage.advance') : [];
      const decisionsOf = (documentId: string): ReviewDecision[] =>
        since.filter((e) => e.payload.documentId === documentId).map((e) => ({ kind: e.type === 'document.confirm' ? 'confirm' : 'approve', contentHash: String(e.payload.contentHash) }));
      const rows = documents
        .sort((a, b) => types.indexOf(a.typeId) - types.indexOf(b.typeId))
        .map((d): ReviewedDocument => ({
          documentId: d.id,
          typeId: d.typeId,
          status: d.status,
          latestVersion: d.latestVersion,
          latestHash: d.latestHash ?? null,
          approvedHash: d.approvedHash ?? null,
          decisions: entry ? decisionsOf(d.id) : [],
        }));
      return [id, rows];
    }),
  );
}

/** Whether the engagement has entered the stage (its review can only begin then). */
export async function hasEnteredStage(em: EntityManager, engagement: Engagement, stageId: string): Promise<boolean> {
  return (await em.count(EngagementEvent, { engagement, type: 'stage.advance', toState: stageId })) > 0;
}
