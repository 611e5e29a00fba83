// The engagement lifecycle as a pure XState machine built from a methodology's stages: no I/O here.
import { setup, assign, transition, initialTransition, type SnapshotFrom } from 'xstate';

export interface StageClock {
  id: string;
  durationDays: number;
  startedAt: string | null;
  /** Planned end of the stage; moves later by every pause. */
  deadline: string | null;
  completedAt: string | null;
}

export interface EngagementContext {
  stages: StageClock[];
  startedAt: string | null;
  pausedAt: string | null;
  pausedStage: string | null;
  endedAt: string | null;
}

/** Time always comes in the event, so the machine stays pure and tests can set the clock. */
export type EngagementEvent =
  | { type: 'engagement.start'; at: string }
  | { type: 'stage.advance'; at: string; blockers: string[] }
  | { type: 'engagement.pause'; at: string }
  | { type: 'engagement.resume'; at: string }
  | { type: 'engagement.cancel'; at: string };

export type EngagementEventType = EngagementEvent['type'];

export interface StagePlan {
  id: string;
  durationDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString();
}

function shift(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

export function initialContext(stages: StagePlan[]): EngagementContext {
  return {
    stages: stages.map((s) => ({ id: s.id, durationDays: s.durationDays, startedAt: null, deadline: null, completedAt: null })),
    startedAt: null,
    pausedAt: null,
    pausedStage: null,
    endedAt: null,
  };
}

/** Each stage's deadline follows the previous one by its duration, counted from the start. */
function planDeadlines(stages: StageClock[], at: string): StageClock[] {
  let end = at;
  return stages.map((stage, i) => {
    end = addDays(end, stage.durationDays);
    return { ...stage, startedAt: i === 0 ? at : null, deadline: end };
  });
}

export function buildEngagementMachine(stages: StagePlan[]) {
  if (stages.length === 0) throw new Error('an engagement needs at least one stage');
  const ids = stages.map((s) => s.id);

  const stageStates = Object.fromEntries(
    ids.map((id, index) => [
      id,
      {
        on: {
          'stage.advance': {
            guard: 'gateIsOpen' as const,
            target: ids[index + 1] ?? 'completed',
            actions: { type: 'completeStage' as const, params: { index } },
          },
          'engagement.pause': { target: 'paused', actions: { type: 'markPaused' as const, params: { stage: id } } },
          'engagement.cancel': { target: 'cancelled', actions: 'markEnded' as const },
        },
      },
    ]),
  );

  return setup({
    types: {} as { context: EngagementContext; events: EngagementEvent; input: { stages: StagePlan[] } },
    guards: {
      gateIsOpen: ({ event }) => event.type === 'stage.advance' && event.blockers.length === 0,
      wasPausedIn: ({ context }, params: { stage: string }) => context.pausedStage === params.stage,
    },
    actions: {
      // Ending also forgets a pause: a cancelled engagement is not waiting to resume.
      markEnded: assign({ endedAt: ({ event }) => event.at, pausedAt: null, pausedStage: null }),
      markPaused: assign(({ event }, params: { stage: string }) => ({ pausedAt: event.at, pausedStage: params.stage })),
      completeStage: assign(({ context, event }, params: { index: number }) => {
        const isLast = params.index === context.stages.length - 1;
        return {
          stages: context.stages.map((s, k) =>
            k === params.index ? { ...s, completedAt: event.at } : k === params.index + 1 ? { ...s, startedAt: event.at } : s,
          ),
          endedAt: isLast ? event.at : context.endedAt,
        };
      }),
      // Every deadline still ahead moves later by the length of the pause.
      shiftDeadlines: assign(({ context, event }) => {
        const pausedMs = Date.parse(event.at) - Date.parse(context.pausedAt ?? event.at);
        return {
          stages: context.stages.map((s) => (s.completedAt || !s.deadline ? s : { ...s, deadline: shift(s.deadline, pausedMs) })),
          pausedAt: null,
          pausedStage: null,
        };
      }),
    },
  }).createMachine({
    id: 'engagement',
    initial: 'draft',
    context: ({ input }) => initialContext(input.stages),
    states: {
      draft: {
        on: {
          'engagement.start': {
            target: ids[0],
            actions: assign(({ context, event }) => ({ startedAt: event.at, stages: planDeadlines(context.stages, event.at) })),
          },
          'engagement.cancel': { target: 'cancelled', actions: 'markEnded' },
        },
      },
      ...stageStates,
      paused: {
        on: {
          // Resume returns to the stage that was paused, not to the first one.
          'engagement.resume': ids.map((id) => ({
            target: id,
            guard: { type: 'wasPausedIn' as const, params: { stage: id } },
            actions: 'shiftDeadlines' as const,
          })),
          'engagement.cancel': { target: 'cancelled', actions: 'markEnded' },
        },
      },
      completed: { type: 'final' },
      cancelled: { type: 'final' },
    },
  });
}

export type EngagementMachine = ReturnType<typeof buildEngagementMachine>;
export type EngagementSnapshot = SnapshotFrom<EngagementMachine>;

/** What is stored: the state and the JSON context, enough to resolve the snapshot again. */
export interface PersistedEngagement {
  value: string;
  context: EngagementContext;
}

export function startSnapshot(machine: EngagementMachine, stages: StagePlan[]): PersistedEngagement {
  const [snapshot] = initialTransition(machine, { stages });
  return persist(snapshot);
}

export function persist(snapshot: EngagementSnapshot): PersistedEngagement {
  return { value: String(snapshot.value), context: structuredClone(snapshot.context) };
}

export function restore(machine: EngagementMachine, persisted: PersistedEngagement): EngagementSnapshot {
  return machine.resolveState({ value: persisted.value, context: persisted.context } as never);
}

/** Applies one event; `changed` is false when the machine refused it in this state. */
export function applyEvent(
  machine: EngagementMachine,
  persisted: PersistedEngagement,
  event: EngagementEvent,
): { next: PersistedEngagement; changed: boolean } {
  const before = restore(machine, persisted);
  if (!before.can(event)) return { next: persisted, changed: false };
  const [after] = transition(machine, before, event);
  return { next: persist(after), changed: true };
}

/**
 * The days a task deadline may fall on: from the planned start (or the real one, if earlier) to the
 * end of the last stage, which pauses move later; before the start the plan counts from the planned day.
 */
export function planWindow(plannedStart: string, context: EngagementContext): { first: string; last: string } {
  const started = context.startedAt?.slice(0, 10);
  const first = started && started < plannedStart ? started : plannedStart;
  const lastDeadline = context.stages.at(-1)?.deadline;
  const total = context.stages.reduce((days, s) => days + s.durationDays, 0);
  const last = (lastDeadline ?? addDays(`${plannedStart}T00:00:00.000Z`, total)).slice(0, 10);
  return { first, last };
}

export function isStageState(persisted: PersistedEngagement): boolean {
  return persisted.context.stages.some((s) => s.id === persisted.value);
}

