// The firm's benchmarks made from its observations, and one engagement's own figures beside them: pure.
import type { FirmObservations } from './benchmarks.queries.ts';
import { correlation, spreadOf, type Spread } from './statistics.ts';

export interface SpreadRow {
  /** A stage id or a document type id. */
  id: string;
  firm: Spread | null;
  /** The engagement's own figure: its stage's days, its document's rounds, its median wait. */
  own: number | null;
  /** False when the own figure is a stage still running (days so far). */
  isOwnFinished: boolean;
}

export interface LearningPoint {
  quizScore: number;
  published: number;
  isOwn: boolean;
  /** Shown only for the engagement's own staff: other clients' people stay anonymous. */
  name: string | null;
}

export interface Benchmarks {
  engagementCount: number;
  stages: SpreadRow[];
  rounds: SpreadRow[];
  approvalDays: SpreadRow[];
  /** Every approval of every document type together. */
  approvalDaysAll: SpreadRow;
  learning: { points: LearningPoint[]; correlation: number | null };
}

/** Ids in the methodology's order first (the order given), then any others the data holds. */
function orderedIds(known: string[], seen: Iterable<string>): string[] {
  const present = new Set(seen);
  return [...known.filter((id) => present.has(id)), ...[...present].filter((id) => !known.includes(id)).sort()];
}

const median = (values: number[]) => spreadOf(values)?.median ?? null;

/**
 * Median and quartiles per stage (finished stages only), per document type (rounds of changes and days
 * from submission to approval), and the staff's quiz scores against their published content; with
 * `engagementId`, that engagement's own figures beside each.
 */
export function buildBenchmarks(observations: FirmObservations, order: { stages: string[]; documentTypes: string[] }, engagementId?: string): Benchmarks {
  const isOwn = (o: { engagementId: string }) => o.engagementId === engagementId;
  const stages = orderedIds(order.stages, observations.stages.map((o) => o.stageId)).map((id) => {
    const ofStage = observations.stages.filter((o) => o.stageId === id);
    const own = ofStage.find(isOwn);
    return { id, firm: spreadOf(ofStage.filter((o) => o.isFinished).map((o) => o.days)), own: own?.days ?? null, isOwnFinished: own?.isFinished ?? true };
  });
  const rounds = orderedIds(order.documentTypes, observations.documents.map((o) => o.typeId)).map((id) => {
    const ofType = observations.documents.filter((o) => o.typeId === id);
    return { id, firm: spreadOf(ofType.map((o) => o.rounds)), own: ofType.find(isOwn)?.rounds ?? null, isOwnFinished: true };
  });
  const approvalDays = orderedIds(order.documentTypes, observations.approvals.map((o) => o.typeId)).map((id) => {
    const ofType = observations.approvals.filter((o) => o.typeId === id);
    return { id, firm: spreadOf(ofType.map((o) => o.days)), own: median(ofType.filter(isOwn).map((o) => o.days)), isOwnFinished: true };
  });
  const approvalDaysAll = {
    id: 'all',
    firm: spreadOf(observations.approvals.map((o) => o.days)),
    own: median(observations.approvals.filter(isOwn).map((o) => o.days)),
    isOwnFinished: true,
  };
  const points = observations.staff.map((s) => ({ quizScore: s.quizScore, published: s.published, isOwn: isOwn(s), name: isOwn(s) ? s.name : null }));
  const engagements = new Set([...observations.stages, ...observations.documents, ...observations.approvals, ...observations.staff].map((o) => o.engagementId));
  return {
    engagementCount: engagements.size,
    stages,
    rounds,
    approvalDays,
    approvalDaysAll,
    learning: { points, correlation: correlation(points.map((p) => ({ x: p.quizScore, y: p.published }))) },
  };
}
