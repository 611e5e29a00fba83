// What changes between two versions of one methodology, and whether a running engagement can move to the newer one. Pure.
import type { Methodology } from './methodology.schema.ts';
import { addDays, type EngagementContext, type StageClock, type StagePlan } from '../engagement/engagement.machine.ts';

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One item that differs; `within` names its stage or document type, `what` the properties that changed. */
export interface Change {
  kind: ChangeKind;
  id: string;
  within?: string;
  what?: string[];
}

export interface MethodologyDiff {
  stages: Change[];
  tasks: Change[];
  documentTypes: Change[];
  fields: Change[];
  trainingModules: Change[];
  gateRules: Change[];
}

/** JSON with every object's keys in one order: a frozen version read back from jsonb has its keys reordered, and that is no change. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** Items matched by id: those only in `after` are added, only in `before` removed, and those in both compared property by property. */
function compare<T extends Record<string, unknown>>(before: T[], after: T[], idOf: (item: T) => string, within?: string, ignore: string[] = []): Change[] {
  const changes: Change[] = [];
  const old = new Map(before.map((item) => [idOf(item), item]));
  const now = new Map(after.map((item) => [idOf(item), item]));
  const at = within ? { within } : {};
  for (const [id, item] of now) {
    const was = old.get(id);
    if (!was) {
      changes.push({ kind: 'added', id, ...at });
      continue;
    }
    const keys = [...new Set([...Object.keys(was), ...Object.keys(item)])].filter((k) => !ignore.includes(k));
    const what = keys.filter((k) => !same(was[k], item[k])).sort();
    if (what.length) changes.push({ kind: 'changed', id, ...at, what });
  }
  for (const id of old.keys()) if (!now.has(id)) changes.push({ kind: 'removed', id, ...at });
  return changes;
}

/** A gate rule is named by what it checks: the rule and the document or task it reads. */
const ruleId = (rule: Record<string, unknown>) => `${String(rule.rule)}:${String(rule.documentType ?? rule.task ?? '')}`;

export function diffMethodologies(before: Methodology, after: Methodology): MethodologyDiff {
  const asRecords = <T>(items: T[]) => items as unknown as Record<string, unknown>[];
  const stagesBefore = new Map(before.stages.map((s) => [s.id, s]));
  const tasksOf = (m: Methodology) => m.stages.flatMap((s) => s.tasks.map((t) => ({ ...t, stage: s.id })));
  const fieldChanges = after.documentTypes.flatMap((type) => {
    const was = before.documentTypes.find((d) => d.id === type.id);
    return was ? compare(asRecords(was.fields), asRecords(type.fields), (f) => String(f.id), type.id) : [];
  });
  const gateChanges = after.stages.flatMap((stage) => {
    const was = stagesBefore.get(stage.id);
    return was ? compare(asRecords(was.gate ?? []), asRecords(stage.gate ?? []), ruleId, stage.id) : [];
  });
  return {
    stages: compare(asRecords(before.stages), asRecords(after.stages), (s) => String(s.id), undefined, ['tasks', 'gate']),
    tasks: compare(asRecords(tasksOf(before)), asRecords(tasksOf(after)), (t) => String(t.id)),
    documentTypes: compare(asRecords(before.documentTypes), asRecords(after.documentTypes), (d) => String(d.id), undefined, ['fields']),
    fields: fieldChanges,
    trainingModules: compare(asRecords(before.trainingModules), asRecords(after.trainingModules), (m) => String(m.id)),
    gateRules: gateChanges,
  };
}

export const isEmptyDiff = (diff: MethodologyDiff) => Object.values(diff).every((list) => list.length === 0);

/**
 * Why an engagement in `state` on `from` cannot move to `to`, or nothing when it can: the same
 * methodology, a newer version, the stage it is in still there, and no new stage before it (a
 * lifecycle state such as a draft or a pause keeps its meaning in any version).
 */
export function upgradeRefusals(state: string, from: Pick<Methodology, 'id' | 'version' | 'stages'>, to: Pick<Methodology, 'id' | 'version' | 'stages'>, resumeState?: string): string[] {
  const reasons: string[] = [];
  if (to.id !== from.id) reasons.push(`"${to.id}" is another methodology than "${from.id}"`);
  else if (to.version <= from.version) reasons.push(`version ${to.version} is not newer than version ${from.version}`);
  if (state === 'completed' || state === 'cancelled') reasons.push(`the engagement is ${state}`);
  const stage = from.stages.some((s) => s.id === state) ? state : resumeState;
  if (stage && from.stages.some((s) => s.id === stage) && !to.stages.some((s) => s.id === stage)) {
    reasons.push(`the stage the engagement is in, "${stage}", no longer exists in version ${to.version}`);
  }
  // A stage new in `to` that comes before the current one would be passed over: its work never done, its gate never checked.
  const at = stage ? to.stages.findIndex((s) => s.id === stage) : -1;
  if (stage && from.stages.some((s) => s.id === stage)) {
    for (const added of to.stages.slice(0, Math.max(at, 0)).filter((s) => !from.stages.some((f) => f.id === s.id))) {
      reasons.push(`version ${to.version} adds the stage "${added.id}" before "${stage}", the stage the engagement is in: the engagement would skip work it never did`);
    }
  }
  return reasons;
}

/**
 * The stored machine context moved onto the newer stages: each stage still there keeps when it started
 * and ended; the stage the engagement is in and those after it are planned again with the new durations.
 * The first stage not yet done starts where its old plan had it start, so the days earlier pauses added
 * are kept (a pause moves only the stages not yet done, never the deadline of the one before); each later
 * stage follows on from the deadline before it. A pause still running is counted when the engagement resumes.
 */
export function migrateContext(context: EngagementContext, stages: StagePlan[]): EngagementContext {
  const old = new Map(context.stages.map((c) => [c.id, c]));
  let previousDeadline: string | null = null;
  let isFirstToDo = true;
  const clocks: StageClock[] = stages.map((stage) => {
    const was = old.get(stage.id);
    const clock: StageClock = { id: stage.id, durationDays: stage.durationDays, startedAt: was?.startedAt ?? null, deadline: was?.deadline ?? null, completedAt: was?.completedAt ?? null };
    if (context.startedAt && !clock.completedAt) {
      const oldStart = isFirstToDo && was?.deadline ? addDays(was.deadline, -was.durationDays) : null;
      const from = oldStart ?? previousDeadline ?? clock.startedAt ?? context.startedAt;
      clock.deadline = addDays(from, stage.durationDays);
      isFirstToDo = false;
    }
    previousDeadline = clock.deadline;
    return clock;
  });
  return { ...context, stages: clocks };
}

/** When a stage is planned to start: a stage not yet done where its deadline less its length puts it, pauses included. */
export function plannedStageStart(clocks: StageClock[], index: number): string | null {
  const clock = clocks[index];
  if (clock?.deadline && !clock.completedAt) return addDays(clock.deadline, -clock.durationDays);
  return clocks[index - 1]?.deadline ?? clock?.startedAt ?? clocks[0]?.startedAt ?? null;
}
