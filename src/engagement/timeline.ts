// Read side: the timeline (stages, deadlines, progress, overdue tasks) and the event log of one engagement.
import { participantNames, type NameOf } from './participant-names.ts';
import type { EntityManager } from '@mikro-orm/core';
import { Engagement, EngagementEvent, Participant } from './engagement.entity.ts';
import { Task } from './task.entity.ts';
import { isUuid, type ServiceDeps } from './command.ts';
import { requireViewer } from './engagement-access.ts';
import { plannedStart } from './engagement.service.ts';
import { findGateBlockers, type Blocker } from './gate.ts';
import { loadGateInput } from './gate.queries.ts';
import { NotFoundError } from '../errors.ts';
import type { Methodology } from '../methodology/methodology.schema.ts';

export interface StageTimeline {
  id: string;
  title: string;
  plannedStart: string | null;
  startedAt: string | null;
  deadline: string | null;
  completedAt: string | null;
  isCurrent: boolean;
  progress: { done: number; total: number; percent: number };
}

export interface TaskSummary {
  id: string;
  key: string | null;
  stageId: string;
  title: string;
  kind: string;
  required: boolean;
  status: string;
  deadline: string | null;
  assigneeId: string | null;
}

export interface Timeline {
  engagementId: string;
  clientName: string;
  state: string;
  pausedAt: string | null;
  stages: StageTimeline[];
  overdueTasks: TaskSummary[];
  /** What still holds the current stage's gate; empty when it may advance, null outside a stage. */
  gate: Blocker[] | null;
  progressPercent: number;
}

/** An archived task the methodology no longer has goes by the title it had when it was archived. */
export function taskTitle(methodology: Methodology, task: { key?: string | null; title?: string | null; archivedTitle?: { en: string; ru: string } | null }, language: 'en' | 'ru'): string {
  if (task.title) return task.title;
  if (task.key?.startsWith('training:')) {
    const module = methodology.trainingModules.find((m) => `training:${m.id}` === task.key);
    if (module) return `${language === 'ru' ? 'Учебный модуль' : 'Training module'}: ${module.title[language]}`;
  }
  const def = methodology.stages.flatMap((s) => s.tasks).find((t) => t.id === task.key);
  return def ? def.title[language] : (task.archivedTitle?.[language] ?? task.key ?? '');
}

async function loadReadable(deps: ServiceDeps, em: EntityManager, actorId: string, engagementId: string): Promise<Engagement> {
  const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId) : null;
  if (!engagement) throw new NotFoundError('Engagement');
  // Participants, and a firm administrator who takes no part (engagement-access.ts), read it.
  await requireViewer(em, engagement.id, actorId);
  return engagement;
}

export async function getTimeline(deps: ServiceDeps, actorId: string, engagementId: string, language: 'en' | 'ru' = 'en'): Promise<Timeline> {
  const em = deps.orm.em.fork();
  const engagement = await loadReadable(deps, em, actorId, engagementId);
  const { definition: methodology } = await deps.methodologies.frozen(em, engagement.methodology.hash);
  // Tasks a methodology upgrade archived are no part of the plan any more.
  const tasks = await em.find(Task, { engagement, status: { $ne: 'archived' } }, { orderBy: { stageId: 'asc', position: 'asc' } });
  const current = methodology.stages.find((s) => s.id === engagement.state);
  const gate = current ? findGateBlockers(await loadGateInput(em, engagement, current, language, methodology, deps.clock())) : null;
  return composeTimeline(engagement, methodology, tasks, gate, language, deps.clock());
}

/** Same order as the database gives with `order by stage_id, position` (stage ids are plain ASCII). */
export function inStageOrder<T extends Pick<Task, 'stageId' | 'position'>>(tasks: T[]): T[] {
  return [...tasks].sort((a, b) => (a.stageId < b.stageId ? -1 : a.stageId > b.stageId ? 1 : a.position - b.position));
}

/** The timeline from rows already read; `tasks` in stage, then position order; `gate` of the current stage. */
/** What the timeline reads of a task: an entity, or a page's plain row. */
export interface TimelineTask {
  id: string;
  key?: string | null;
  stageId: string;
  title?: string | null;
  kind: string;
  required: boolean;
  status: string;
  deadline?: Date | null;
  assignee?: { id: string } | null;
}

export function composeTimeline(
  engagement: Pick<Engagement, 'id' | 'clientName' | 'state' | 'snapshot'>,
  methodology: Methodology,
  tasks: TimelineTask[],
  gate: Blocker[] | null,
  language: 'en' | 'ru',
  at: Date,
): Timeline {
  const now = at.getTime();
  const clocks = engagement.snapshot.context.stages;
  const isRunning = engagement.state !== 'paused' && !['completed', 'cancelled', 'draft'].includes(engagement.state);
  const summarize = (t: TimelineTask): TaskSummary => ({
    id: t.id,
    key: t.key ?? null,
    stageId: t.stageId,
    title: taskTitle(methodology, t, language),
    kind: t.kind,
    required: t.required,
    status: t.status,
    deadline: t.deadline?.toISOString() ?? null,
    assigneeId: t.assignee?.id ?? null,
  });
  const stages = methodology.stages.map((stage, i): StageTimeline => {
    const clock = clocks[i]!;
    const own = tasks.filter((t) => t.stageId === stage.id && t.required);
    const done = own.filter((t) => t.status === 'done').length;
    return {
      id: stage.id,
      title: stage.title[language],
      plannedStart: clock.deadline ? plannedStart(clocks, i) : null,
      startedAt: clock.startedAt,
      deadline: clock.deadline,
      completedAt: clock.completedAt,
      isCurrent: engagement.state === stage.id || engagement.snapshot.context.pausedStage === stage.id,
      progress: { done, total: own.length, percent: own.length ? Math.round((100 * done) / own.length) : 100 },
    };
  });
  const required = tasks.filter((t) => t.required);
  return {
    engagementId: engagement.id,
    clientName: engagement.clientName,
    state: engagement.state,
    pausedAt: engagement.snapshot.context.pausedAt,
    stages,
    // A paused engagement's clock stands still, so nothing becomes overdue during the pause.
    overdueTasks: isRunning ? tasks.filter((t) => t.status === 'open' && t.deadline && t.deadline.getTime() < now).map(summarize) : [],
    gate,
    progressPercent: required.length ? Math.round((100 * required.filter((t) => t.status === 'done').length) / required.length) : 0,
  };
}

export async function getEventLog(deps: ServiceDeps, actorId: string, engagementId: string) {
  const em = deps.orm.em.fork();
  const engagement = await loadReadable(deps, em, actorId, engagementId);
  const [events, nameOf] = await Promise.all([em.find(EngagementEvent, { engagement }, { orderBy: { seq: 'asc' } }), participantNames(em, engagement.id)]);
  return presentEvents(events, nameOf);
}

export function presentEvents(events: (Pick<EngagementEvent, 'seq' | 'at' | 'type' | 'fromState' | 'toState' | 'payload'> & { actor?: { id: string } | null })[], nameOf: NameOf) {
  return events.map((e) => ({
    seq: e.seq,
    at: e.at.toISOString(),
    actor: nameOf(e.actor),
    // The owner's delegate acted with the owner's authority: the log says so beside their name.
    asOwnerDelegate: e.payload.asOwnerDelegate === true,
    type: e.type,
    fromState: e.fromState,
    toState: e.toState,
    payload: e.payload,
  }));
}


/** The engagements a person takes part in, with their role in each. */
export async function listEngagementsFor(deps: ServiceDeps, userId: string) {
  const em = deps.orm.em.fork();
  const memberships = await em.find(Participant, { user: userId }, { populate: ['engagement'], orderBy: { addedAt: 'desc' } });
  return memberships.map((m) => ({ id: m.engagement.id, clientName: m.engagement.clientName, state: m.engagement.state, role: m.role }));
}
