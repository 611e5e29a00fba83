// "Waiting for me": what each person should act on next, read across engagements, documents and training.
import type { EntityManager } from '@mikro-orm/core';
import { Engagement, Participant } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';
import { ProjectDocument, Approval } from '../documents/document.entity.ts';
import { TrainingAssignment } from '../training/training.entity.ts';
import { findGateBlockers } from '../engagement/gate.ts';
import { loadGateInputs } from '../engagement/gate.queries.ts';
import type { Methodology } from '../methodology/methodology.schema.ts';
import { documentTitle } from '../engagement/overview.ts';
import { taskTitle } from '../engagement/timeline.ts';
import type { ServiceDeps } from '../engagement/command.ts';
import { studyTaskOf } from '../training/study.queries.ts';

type Language = 'en' | 'ru';

/** One thing to do; href leads straight to the page (or the anchor) where it is done. */
export type WaitingItem = { engagementId: string; clientName: string; href: string; at: Date | null } & (
  | { kind: 'changesRequested'; title: string; comment: string | null }
  | { kind: 'practicalSubmitted'; title: string; learner: string }
  | { kind: 'overdueTask'; title: string }
  | { kind: 'gateOpen'; stage: string }
  | { kind: 'approveDocument'; title: string; version: number }
  | { kind: 'signOff'; stage: string }
  | { kind: 'openTask'; title: string; isOverdue: boolean }
  | { kind: 'trainingModule'; title: string; isOverdue: boolean }
  | { kind: 'studySession'; title: string; people: string }
);

const ENDED = ['completed', 'cancelled'];
const base = (e: Engagement) => `/engagements/${e.id}`;
/** Each engagement's frozen methodology, read from the registry's cache rather than from its row. */
type Definitions = Map<string, { definition: Methodology }>;

/** Everything waiting for this person, by role: the consultant's, then the owner's, then the staff member's. */
export async function listWaitingForMe(deps: ServiceDeps, userId: string, language: Language, only?: { engagementId: string }): Promise<WaitingItem[]> {
  const em = deps.orm.em.fork();
  // One engagement's page asks only about it, so its cost does not grow with the person's other engagements.
  const memberships = await em.find(Participant, only ? { user: userId, engagement: only.engagementId } : { user: userId }, { populate: ['engagement'] });
  const as = (role: string) => memberships.filter((m) => m.role === role && !ENDED.includes(m.engagement.state)).map((m) => m.engagement);
  const defs = await deps.methodologies.frozenMany(em, memberships.map((m) => m.engagement.methodology.hash));
  const now = deps.clock();
  return [
    ...(await forConsultant(em, defs, as('consultant'), language, now)),
    ...(await forOwner(em, defs, userId, as('owner'), language, now)),
    ...(await forStaff(em, defs, userId, as('staff'), language, now)),
  ];
}

const methodologyOf = (defs: Definitions, e: Engagement) => defs.get(e.methodology.hash)!.definition;

/** The engagements in a stage, with the gate blockers of that stage, read for all of them at once. */
async function gatesInStage(em: EntityManager, defs: Definitions, engagements: Engagement[], language: Language) {
  const stages = new Map(engagements.flatMap((e) => {
    const methodology = methodologyOf(defs, e);
    const stage = methodology.stages.find((s) => s.id === e.state);
    return stage ? [[e, { stage, methodology }] as const] : [];
  }));
  const inputs = await loadGateInputs(em, stages, language);
  return [...stages].map(([e, { stage }]) => ({ e, stage, blockers: findGateBlockers(inputs.get(e)!) }));
}

async function forConsultant(em: EntityManager, defs: Definitions, engagements: Engagement[], language: Language, now: Date): Promise<WaitingItem[]> {
  if (!engagements.length) return [];
  const byId = new Map(engagements.map((e) => [e.id, e]));
  const ids = [...byId.keys()];
  const [returned, submitted, overdue] = await Promise.all([
    em.find(ProjectDocument, { engagement: { $in: ids }, status: 'changes_requested' }, { orderBy: { updatedAt: 'asc' } }),
    em.find(TrainingAssignment, { engagement: { $in: ids }, practicalStatus: 'submitted' }, { populate: ['user'], orderBy: { submittedAt: 'asc' } }),
    em.find(Task, { engagement: { $in: ids }, status: 'open', deadline: { $lt: now } }, { orderBy: { deadline: 'asc' } }),
  ]);
  const comments = await latestChangeRequests(em, returned.map((d) => d.id));
  const items: WaitingItem[] = [];
  for (const d of returned) {
    const e = byId.get(d.engagement.id)!;
    const title = documentTitle(methodologyOf(defs, e), d.typeId, language);
    items.push({ kind: 'changesRequested', engagementId: e.id, clientName: e.clientName, title, comment: comments.get(d.id) ?? null, href: `${base(e)}/documents/${d.id}`, at: d.updatedAt });
  }
  // People go by the name their inviter gave them in that engagement (see participant-names.ts).
  const staffNames = new Map(
    (await em.find(Participant, { engagement: { $in: ids }, role: 'staff' }, { fields: ['displayName', 'user', 'engagement'] })).map((p) => [`${p.engagement.id}/${p.user.id}`, p.displayName]),
  );
  for (const a of submitted) {
    const e = byId.get(a.engagement.id)!;
    const title = methodologyOf(defs, e).trainingModules.find((m) => m.id === a.moduleId)?.title[language] ?? a.moduleId;
    items.push({ kind: 'practicalSubmitted', engagementId: e.id, clientName: e.clientName, title, learner: staffNames.get(`${e.id}/${a.user.id}`) ?? '—', href: `${base(e)}/training/${a.id}#practical`, at: a.submittedAt ?? null });
  }
  // A paused engagement's clock stands still, so nothing in it is overdue.
  for (const t of overdue.filter((x) => byId.get(x.engagement.id)!.state !== 'paused')) {
    const e = byId.get(t.engagement.id)!;
    items.push({ kind: 'overdueTask', engagementId: e.id, clientName: e.clientName, title: taskTitle(methodologyOf(defs, e), t, language), href: `${base(e)}#task-${t.id}`, at: t.deadline ?? null });
  }
  items.push(...(await sessionsToRecord(em, defs, engagements, language)));
  for (const { e, stage, blockers } of await gatesInStage(em, defs, engagements, language)) {
    if (!blockers.length) items.push({ kind: 'gateOpen', engagementId: e.id, clientName: e.clientName, stage: stage.title[language], href: `${base(e)}#gate`, at: null });
  }
  return items;
}

/** Each participant still without a one-to-one session, while the study task of the methods kit is open in its stage. */
async function sessionsToRecord(em: EntityManager, defs: Definitions, engagements: Engagement[], language: Language): Promise<WaitingItem[]> {
  const studying = engagements.flatMap((e) => {
    const study = studyTaskOf(methodologyOf(defs, e));
    return study && e.state === study.stage.id ? [{ e, study }] : [];
  });
  if (!studying.length) return [];
  // One statement: the open study task of each engagement, with each owner or staff member it still waits on.
  const rows = (await em.getConnection().execute(
    `select t.engagement_id, t.id as task_id, t.deadline, p.display_name
       from tasks t join participants p on p.engagement_id = t.engagement_id and p.role in ('owner', 'staff')
      where t.status = 'open' and (t.engagement_id, t.key) in (${studying.map(() => '(?, ?)').join(', ')})
        and not exists (select 1 from study_sessions s where s.engagement_id = t.engagement_id and s.participant_id = p.user_id)
      order by p.added_at`,
    studying.flatMap(({ e, study }) => [e.id, study.def.id]),
  )) as { engagement_id: string; task_id: string; deadline: Date | string | null; display_name: string }[];
  // One item per engagement, naming everyone it still waits on: the page stays short however many there are.
  return studying.flatMap(({ e, study }): WaitingItem[] => {
    const mine = rows.filter((r) => r.engagement_id === e.id);
    if (!mine.length) return [];
    return [{
      kind: 'studySession', engagementId: e.id, clientName: e.clientName, title: study.def.title[language], people: mine.map((r) => r.display_name).join(', '),
      href: `${base(e)}/tasks/${mine[0]!.task_id}#study`, at: mine[0]!.deadline ? new Date(mine[0]!.deadline) : null,
    }];
  });
}

/** The comment of each document's latest "changes requested" decision. */
export async function latestChangeRequests(em: EntityManager, documentIds: string[]): Promise<Map<string, string | null>> {
  if (!documentIds.length) return new Map();
  const decisions = await em.find(Approval, { document: { $in: documentIds }, decision: 'changes_requested' }, { orderBy: { decidedAt: 'asc' } });
  return new Map(decisions.map((a) => [a.document.id, a.comment ?? null]));
}

async function forOwner(em: EntityManager, defs: Definitions, userId: string, engagements: Engagement[], language: Language, now: Date): Promise<WaitingItem[]> {
  if (!engagements.length) return [];
  const byId = new Map(engagements.map((e) => [e.id, e]));
  const docs = await em.find(ProjectDocument, { engagement: { $in: [...byId.keys()] }, status: 'in_review' }, { orderBy: { updatedAt: 'asc' } });
  const items: WaitingItem[] = docs.map((d) => {
    const e = byId.get(d.engagement.id)!;
    const title = documentTitle(methodologyOf(defs, e), d.typeId, language);
    return { kind: 'approveDocument', engagementId: e.id, clientName: e.clientName, title, version: d.latestVersion, href: `${base(e)}/documents/${d.id}`, at: d.updatedAt };
  });
  items.push(...(await forStaff(em, defs, userId, engagements, language, now, { modulesOnly: true })));
  for (const { e, stage, blockers } of await gatesInStage(em, defs, engagements, language)) {
    if (blockers.length === 1 && blockers[0]!.kind === 'signoff') {
      items.push({ kind: 'signOff', engagementId: e.id, clientName: e.clientName, stage: stage.title[language], href: `${base(e)}#gate`, at: null });
    }
  }
  return items;
}

/** A staff member's open tasks; for the owner (modulesOnly), the modules given to everyone, which they study too. */
async function forStaff(em: EntityManager, defs: Definitions, userId: string, engagements: Engagement[], language: Language, now: Date, options: { modulesOnly?: boolean } = {}): Promise<WaitingItem[]> {
  if (!engagements.length) return [];
  const byId = new Map(engagements.map((e) => [e.id, e]));
  const tasks = await em.find(
    Task,
    { engagement: { $in: [...byId.keys()] }, assignee: userId, status: 'open', ...(options.modulesOnly ? { key: { $like: 'training:%' } } : {}) },
    { orderBy: { deadline: 'asc' } },
  );
  return tasks.map((t): WaitingItem => {
    const e = byId.get(t.engagement.id)!;
    const common = { engagementId: e.id, clientName: e.clientName, title: taskTitle(methodologyOf(defs, e), t, language), at: t.deadline ?? null };
    const isOverdue = e.state !== 'paused' && !!t.deadline && t.deadline.getTime() < now.getTime();
    // A module's own task opens the module; any other task opens its row on the engagement page.
    return t.key?.startsWith('training:')
      ? { ...common, kind: 'trainingModule', isOverdue, href: `${base(e)}/tasks/${t.id}/module` }
      : { ...common, kind: 'openTask', isOverdue, href: `${base(e)}#task-${t.id}` };
  });
}

/**
 * The methodologies on offer whose study task closes by the one-to-one sessions, as (hash, task id):
 * an engagement started from an older copy of the files keeps its task closed by hand, and waits for no session.
 */
function studyTasks(deps: ServiceDeps): { hash: string; key: string }[] {
  return deps.methodologies.list().flatMap((m) => {
    const study = studyTaskOf(m.definition);
    return study ? [{ hash: m.hash, key: study.def.id }] : [];
  });
}

/**
 * How many items wait, in one query for the top bar. Tasks follow their documents, training and sign-off
 * (see syncDocumentTasks and closeStageTrainingTask), so "no required task open in the current stage" is
 * the gate's own answer, and "only the sign-off open" is the owner's turn.
 */
export async function countWaitingForMe(deps: ServiceDeps, userId: string): Promise<number> {
  const now = deps.clock();
  // The consultant's one-to-one sessions still to record: one item per open study task still waiting on someone.
  const study = studyTasks(deps);
  const sessionsTerm = study.length
    ? `+ (select count(distinct t.id) from participants p join mine m on m.id = p.engagement_id and m.role = 'consultant'
          join tasks t on t.engagement_id = m.id and t.stage_id = m.state and t.status = 'open'
         where p.role in ('owner', 'staff') and (m.methodology_hash, t.key) in (${study.map(() => '(?, ?)').join(', ')})
           and not exists (select 1 from study_sessions s where s.engagement_id = m.id and s.participant_id = p.user_id))`
    : '';
  const [row] = (await deps.orm.em.getConnection().execute(
    `with mine as (
       select p.role, e.id, e.state, e.methodology_hash from participants p join engagements e on e.id = p.engagement_id
        where p.user_id = ? and e.state not in ('completed', 'cancelled')
     ), stage_open as (
       select m.id, m.role,
              count(t.id) filter (where t.required and t.status = 'open')::int as open_required,
              count(t.id) filter (where t.required and t.status = 'open' and t.kind = 'signoff')::int as open_signoff
         from mine m join tasks t on t.engagement_id = m.id and t.stage_id = m.state
        group by m.id, m.role
     )
     select
       (select count(*) from documents d join mine m on m.id = d.engagement_id and m.role = 'consultant' where d.status = 'changes_requested')
     + (select count(*) from training_assignments a join mine m on m.id = a.engagement_id and m.role = 'consultant' where a.practical_status = 'submitted')
     + (select count(*) from tasks t join mine m on m.id = t.engagement_id and m.role = 'consultant' where t.status = 'open' and t.deadline < ? and m.state <> 'paused')
     + (select count(*) from stage_open s where s.role = 'consultant' and s.open_required = 0)
     + (select count(*) from documents d join mine m on m.id = d.engagement_id and m.role = 'owner' where d.status = 'in_review')
     + (select count(*) from stage_open s where s.role = 'owner' and s.open_required = 1 and s.open_signoff = 1)
     + (select count(*) from tasks t join mine m on m.id = t.engagement_id and m.role = 'staff' where t.status = 'open' and t.assignee_id = ?)
     + (select count(*) from tasks t join mine m on m.id = t.engagement_id and m.role = 'owner' where t.status = 'open' and t.assignee_id = ? and t.key like 'training:%')
     ${sessionsTerm}
       as n`,
    [userId, now, userId, userId, ...study.flatMap((x) => [x.hash, x.key])],
  )) as { n: string | number }[];
  return Number(row?.n ?? 0);
}
