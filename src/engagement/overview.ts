// Read side for pages: one engagement as its members see it, and the lists on each person's home page.
import type { EntityManager } from '@mikro-orm/core';
import { Participant, StageSignoff } from './engagement.entity.ts';
import { Task } from './task.entity.ts';
import { isUuid, type ServiceDeps } from './command.ts';
import { readEngagementPageRows, type TaskFacts } from './engagement-page.queries.ts';
import type { GateRuleFacts } from './gate.ts';
import { composeTimeline, getEventLog, inStageOrder, presentEvents, taskTitle, type Timeline } from './timeline.ts';
import { findGateBlockers } from './gate.ts';
import { gateInputFrom, loadRuleFacts, gateReviewsFrom, withReviews } from './gate.queries.ts';
import { namesOf } from './participant-names.ts';
import { planWindow } from './engagement.machine.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { formatNumberWith } from '../intl-formats.ts';
import type { Methodology, Role } from '../methodology/methodology.schema.ts';

type Language = 'en' | 'ru';

export interface TaskRow {
  id: string;
  key: string | null;
  stageId: string;
  title: string;
  description: string | null;
  kind: string;
  role: string;
  required: boolean;
  status: string;
  deadline: Date | null;
  isOverdue: boolean;
  assigneeId: string | null;
  assigneeName: string | null;
  note: string | null;
  documentType: string | null;
  /** The study of the methods kit: it closes by itself, never by hand. */
  closesByStudy: boolean;
}

export interface DocumentRow {
  id: string;
  typeId: string;
  title: string;
  stageId: string;
  status: string;
  latestVersion: number;
  /** The unsettled "review needed" flag on it (an upstream document changed), if any: the oldest. */
  reviewFlagId: string | null;
}

export interface EngagementOverview {
  id: string;
  version: number;
  clientName: string;
  site: string | null;
  industry: string | null;
  fee: string;
  /** The days a task deadline may fall on. */
  plan: { first: string; last: string };
  methodologyName: string;
  methodologyKey: string;
  /** The frozen methodology's content hash, to read it from the registry's cache. */
  methodologyHash: string;
  role: Role;
  /** The owner, or the staff member the owner named to act for them. */
  actsAsOwner: boolean;
  /** A firm administrator who takes no part reads the consultant's view and is offered no action (engagement-access.ts). */
  readOnly: boolean;
  /** Who acts for the owner here, if anyone. */
  delegate: { userId: string; name: string } | null;
  timeline: Timeline;
  stages: { id: string; title: string; goal: string; tasks: TaskRow[]; isSignedOff: boolean }[];
  /** Tasks methodology upgrades archived, by the title they had: kept for the record, no longer work to do. */
  archivedTasks: TaskRow[];
  participants: { userId: string; name: string; email: string; role: string; direction: string | null; hasPassword: boolean; actsAsOwner: boolean }[];
  documents: DocumentRow[];
  documentTypes: { id: string; title: string }[];
  events: Awaited<ReturnType<typeof getEventLog>>;
}

/** What a task row is made from: an entity or a page's plain row. */
export type TaskRowFacts = Pick<TaskFacts, 'id' | 'stageId' | 'kind' | 'role' | 'required' | 'status'> & {
  key?: string | null;
  title?: string | null;
  archivedTitle?: { en: string; ru: string } | null;
  deadline?: Date | null;
  note?: string | null;
  assignee?: { id: string; name?: string } | null;
};

export function toTaskRow(methodology: Methodology, task: TaskRowFacts, language: Language, now: Date): TaskRow {
  const def = methodology.stages.flatMap((s) => s.tasks).find((t) => t.id === task.key);
  return {
    id: task.id,
    key: task.key ?? null,
    stageId: task.stageId,
    title: taskTitle(methodology, task, language),
    description: def ? def.description[language] : null,
    kind: task.kind,
    role: task.role,
    required: task.required,
    status: task.status,
    deadline: task.deadline ?? null,
    isOverdue: task.status === 'open' && !!task.deadline && task.deadline.getTime() < now.getTime(),
    assigneeId: task.assignee?.id ?? null,
    assigneeName: task.assignee?.name ?? null,
    note: task.note ?? null,
    documentType: def?.documentType ?? null,
    closesByStudy: def?.completion === 'study-sessions',
  };
}

/** Money as the reader writes it: "150 000 ₽" in Russian, "RUB 150,000" in English. */
export function formatFee(amount: number, currency: string, language: Language): string {
  try {
    return formatNumberWith(language, amount, { style: 'currency', currency, maximumFractionDigits: 0 });
  } catch {
    return `${formatNumberWith(language, amount)} ${currency}`; // a code Intl does not know
  }
}

export function documentTitle(methodology: Methodology, typeId: string, language: Language): string {
  return methodology.documentTypes.find((d) => d.id === typeId)?.title[language] ?? typeId;
}

/**
 * Everything the engagement page shows; staff see only their own tasks and no event log.
 * Each table is read once (the timeline and the gate are composed from the same rows), so a page
 * costs the same few queries however many tasks, events or engagements there are.
 */
/** How many of the latest events the engagement page shows. */
export const LATEST_EVENTS = 10;
const READERS: Role[] = ['consultant', 'owner', 'staff'];

export async function getEngagementOverview(deps: ServiceDeps, actorId: string, engagementId: string, language: Language): Promise<EngagementOverview> {
  const em = deps.orm.em.fork();
  // Another engagement's page answers "not found", as authorize() does for commands; a firm administrator
  // may open any (the rule is in engagement-access.ts, applied by the page's one statement).
  const read = isUuid(engagementId) && isUuid(actorId) ? await readEngagementPageRows(em, engagementId, actorId, LATEST_EVENTS) : null;
  if (!read) throw new NotFoundError('Engagement');
  if (!READERS.includes(read.role as Role)) throw new ForbiddenError(`Only ${READERS.join(' or ')} may do this`);
  const { engagement, tasks: readTasks, participants, documents, signoffs, events } = read;
  // Tasks a methodology upgrade archived stay in the database, out of the page (src/engagement/methodology-upgrade.service.ts).
  const allTasks = readTasks.filter((t) => t.status !== 'archived');
  const role = read.role as Role;
  const actsAsOwner = read.actsAsOwner;
  // Staff see their own tasks; a staff member acting for the owner sees what the owner sees.
  const seesOnlyOwn = role === 'staff' && !actsAsOwner;
  const now = deps.clock();
  const frozen = await deps.methodologies.frozen(em, engagement.methodologyHash);
  const methodology = frozen.definition;
  const current = methodology.stages.find((s) => s.id === engagement.state);
  const rules = current ? await loadRuleFacts(em, [{ engagement, stage: current, methodology, documents, today: now.toISOString().slice(0, 10) }]) : new Map<unknown, GateRuleFacts>();
  const gate = current ? findGateBlockers(withReviews(gateInputFrom(current, language, { tasks: allTasks, documents, signoffs }, rules.get(engagement)), gateReviewsFrom(methodology, current, read.reviewFlags, language))) : null;
  const timeline = composeTimeline(engagement, methodology, inStageOrder(allTasks), gate, language, now);
  const tasks = seesOnlyOwn ? allTasks.filter((t) => t.assignee?.id === actorId) : allTasks;
  // Inside an engagement people go by the name their inviter gave them (see Participant.displayName).
  const nameOf = namesOf(participants);
  const rows = tasks.map((t) => ({ ...toTaskRow(methodology, t, language, now), assigneeName: nameOf(t.assignee) }));
  const archivedTasks = readTasks.filter((t) => t.status === 'archived' && (!seesOnlyOwn || t.assignee?.id === actorId)).map((t) => ({ ...toTaskRow(methodology, t, language, now), assigneeName: nameOf(t.assignee) }));
  return {
    id: engagement.id,
    version: engagement.version,
    clientName: engagement.clientName,
    site: engagement.site ?? null,
    industry: engagement.industry ?? null,
    fee: formatFee(engagement.feeAmount, engagement.feeCurrency, language),
    plan: planWindow(engagement.plannedStart, engagement.snapshot.context),
    methodologyName: methodology.name[language],
    methodologyKey: frozen.key,
    methodologyHash: engagement.methodologyHash,
    role,
    actsAsOwner,
    readOnly: read.readOnly,
    delegate: participants.filter((p) => p.actsAsOwner && p.role !== 'owner').map((p) => ({ userId: p.user.id, name: p.displayName }))[0] ?? null,
    timeline: seesOnlyOwn ? { ...timeline, overdueTasks: timeline.overdueTasks.filter((t) => t.assigneeId === actorId) } : timeline,
    stages: methodology.stages.map((s) => ({
      id: s.id,
      title: s.title[language],
      goal: s.goal[language],
      tasks: rows.filter((r) => r.stageId === s.id),
      isSignedOff: signoffs.some((x) => x.stageId === s.id),
    })),
    archivedTasks,
    participants: participants.map((p) => ({
      userId: p.user.id,
      name: p.displayName,
      email: p.user.email,
      role: p.role,
      direction: p.direction ?? null,
      hasPassword: p.user.hasPassword,
      actsAsOwner: p.actsAsOwner,
    })),
    documents: documents.map((d) => ({ id: d.id, typeId: d.typeId, title: documentTitle(methodology, d.typeId, language), stageId: d.stageId, status: d.status, latestVersion: d.latestVersion, reviewFlagId: read.reviewFlags.find((f) => f.documentId === d.id)?.flagId ?? null })),
    documentTypes: methodology.documentTypes.map((d) => ({ id: d.id, title: d.title[language] })),
    events: presentEvents(events, nameOf),
  };
}

export interface EngagementSummary {
  id: string;
  clientName: string;
  state: string;
  stageTitle: string;
  role: string;
  progressPercent: number;
  nextDeadline: Date | null;
  overdueTasks: number;
  approvalsWaiting: number;
  signoffWaiting: boolean;
}

/** One row per engagement the person takes part in, counted in a few queries whatever their number. */
export async function listEngagementSummaries(deps: ServiceDeps, userId: string, language: Language): Promise<EngagementSummary[]> {
  const em = deps.orm.em.fork();
  const memberships = await em.find(Participant, { user: userId }, { populate: ['engagement'], orderBy: { addedAt: 'desc' } });
  if (!memberships.length) return [];
  const frozen = await deps.methodologies.frozenMany(em, memberships.map((m) => m.engagement.methodology.hash));
  const ids = memberships.map((m) => m.engagement.id);
  const counts = await taskCounts(em, ids, deps.clock());
  const waiting = (await em.getConnection().execute(
    `select engagement_id, count(*)::int as n from documents where status = 'in_review' and engagement_id in (${ids.map(() => '?').join(',')}) group by engagement_id`,
    ids,
  )) as { engagement_id: string; n: number }[];
  const signoffs = await em.find(StageSignoff, { engagement: { $in: ids } });
  return memberships.map((m) => {
    const e = m.engagement;
    const def = frozen.get(e.methodology.hash)!.definition;
    const stage = def.stages.find((s) => s.id === e.state || s.id === e.snapshot.context.pausedStage);
    const c = counts.get(e.id);
    const isSigned = signoffs.some((s) => s.engagement.id === e.id && s.stageId === e.state);
    return {
      id: e.id,
      clientName: e.clientName,
      state: e.state,
      stageTitle: stage ? stage.title[language] : e.state,
      role: m.role,
      progressPercent: c && c.required ? Math.round((100 * c.done) / c.required) : 0,
      nextDeadline: c?.nextDeadline ?? null,
      overdueTasks: c?.overdue ?? 0,
      approvalsWaiting: waiting.find((w) => w.engagement_id === e.id)?.n ?? 0,
      // The owner may sign when only the sign-off is left; the exact check runs when they try.
      signoffWaiting: !!stage && e.state === stage.id && !isSigned && !!c && c.openRequiredInStage === 1,
    };
  });
}

async function taskCounts(em: EntityManager, ids: string[], now: Date) {
  const rows = (await em.getConnection().execute(
    `select t.engagement_id,
            count(*) filter (where t.required)::int as required,
            count(*) filter (where t.required and t.status = 'done')::int as done,
            count(*) filter (where t.status = 'open' and t.deadline < ? and e.state not in ('paused','draft','completed','cancelled'))::int as overdue,
            min(t.deadline) filter (where t.status = 'open' and t.deadline >= ?) as next_deadline,
            count(*) filter (where t.required and t.status = 'open' and t.stage_id = e.state)::int as open_required_in_stage
       from tasks t join engagements e on e.id = t.engagement_id
      where t.engagement_id in (${ids.map(() => '?').join(',')}) and t.status <> 'archived'
      group by t.engagement_id`,
    [now, now, ...ids],
  )) as { engagement_id: string; required: number; done: number; overdue: number; next_deadline: Date | null; open_required_in_stage: number }[];
  return new Map(
    rows.map((r) => [r.engagement_id, { required: r.required, done: r.done, overdue: r.overdue, nextDeadline: r.next_deadline ? new Date(r.next_deadline) : null, openRequiredInStage: r.open_required_in_stage }]),
  );
}

/** The tasks assigned to one person across their engagements, soonest deadline first: one plain statement. */
export async function listMyTasks(deps: ServiceDeps, userId: string, language: Language) {
  if (!isUuid(userId)) return [];
  const em = deps.orm.em.fork();
  const rows = (await em.getConnection().execute(
    `select t.id, t.key, t.stage_id, t.kind, t.role, t.required, t.status, t.deadline, t.note, t.title,
            u.id as assignee_id, u.name as assignee_name, e.id as engagement_id, e.client_name, e.methodology_hash
       from tasks t join engagements e on e.id = t.engagement_id join users u on u.id = t.assignee_id
      where t.assignee_id = ? and t.status <> 'archived' order by t.deadline asc`,
    [userId],
  )) as {
    id: string; key: string | null; stage_id: string; kind: string; role: string; required: boolean; status: string; deadline: Date | null; note: string | null; title: string | null;
    assignee_id: string; assignee_name: string; engagement_id: string; client_name: string; methodology_hash: string;
  }[];
  const frozen = await deps.methodologies.frozenMany(em, rows.map((r) => r.methodology_hash));
  const now = deps.clock();
  return rows.map((r) => {
    const task = { ...r, stageId: r.stage_id, deadline: r.deadline ? new Date(r.deadline) : null, assignee: { id: r.assignee_id, name: r.assignee_name } };
    return { ...toTaskRow(frozen.get(r.methodology_hash)!.definition, task, language, now), engagementId: r.engagement_id, clientName: r.client_name };
  });
}
