// The correction of the project documentation in a stage, pure: which documents it reviews and where each stands.
import type { DocumentationCorrectedRule, Methodology, Stage } from '../methodology/methodology.schema.ts';

/**
 * confirmed: the owner said its latest approved version needs no changes; approvedAnew: a new version
 * was approved in this stage; inProgress: a newer version is a draft, in review or sent back;
 * notReviewed: approved at its latest version, but nobody has looked at it in this stage yet.
 */
export const reviewStates = ['confirmed', 'approvedAnew', 'inProgress', 'notReviewed'] as const;
export type ReviewState = (typeof reviewStates)[number];

/** The owner's decisions on a document since the stage began, oldest first. */
export interface ReviewDecision {
  kind: 'confirm' | 'approve';
  contentHash: string;
}

export interface ReviewedDocument {
  documentId: string;
  typeId: string;
  status: string;
  latestVersion: number;
  latestHash: string | null;
  approvedHash: string | null;
  decisions: ReviewDecision[];
}

/** The stage's documentation rule, if it has one (an older frozen methodology has none). */
export function documentationRuleOf(stage: Stage | undefined): DocumentationCorrectedRule | undefined {
  return stage?.gate?.find((r): r is DocumentationCorrectedRule => r.rule === 'documentation-corrected');
}

/** The stage that corrects the documentation and its rule, wherever the engagement is now. */
export function correctionStageOf(methodology: Methodology): { stage: Stage; rule: DocumentationCorrectedRule } | undefined {
  for (const stage of methodology.stages) {
    const rule = documentationRuleOf(stage);
    if (rule) return { stage, rule };
  }
  return undefined;
}

/** The document types the stage reviews: those the earlier stages' tasks produce, in the methodology's order. */
export function reviewedTypeIds(methodology: Pick<Methodology, 'stages'>, stageId: string): string[] {
  const index = methodology.stages.findIndex((s) => s.id === stageId);
  const earlier = methodology.stages.slice(0, Math.max(index, 0));
  return [...new Set(earlier.flatMap((s) => s.tasks.flatMap((t) => (t.documentType ? [t.documentType] : []))))];
}

export const isApprovedAtLatest = (d: Pick<ReviewedDocument, 'status' | 'latestHash' | 'approvedHash'>) => d.status === 'approved' && d.latestHash !== null && d.approvedHash === d.latestHash;

export function reviewStateOf(doc: ReviewedDocument): ReviewState {
  if (!isApprovedAtLatest(doc)) return 'inProgress';
  // The last decision on the version that stands now says how it was settled.
  const last = doc.decisions.filter((d) => d.contentHash === doc.latestHash).at(-1);
  if (!last) return 'notReviewed';
  return last.kind === 'confirm' ? 'confirmed' : 'approvedAnew';
}

export const isSettled = (state: ReviewState) => state === 'confirmed' || state === 'approvedAnew';
