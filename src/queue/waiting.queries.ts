// "Waiting for me": what each person should act on next, read across engagements, documents and training.
// Read in plain SQL: one statement finds every item (and the engagements whose gate may be open), so
// the list and the top bar's count read only the rows they show, however many engagements a person has.
import type { EntityManager } from '@mikro-orm/core';
import { findGateBlockers } from '../engagement/gate.ts';
import { loadGateInputs } from '../engagement/gate.queries.ts';
import type { Methodology, Stage } from '../methodology/methodology.schema.ts';
import { documentTitle } from '../engagement/overview.ts';
import { taskTitle } from '../engagement/timeline.ts';
import type { ServiceDeps } from '../engagement/command.ts';
import { studyTaskOf } from '../training/study.queries.ts';
import { dueBy, normFor } from '../desk/response-norms.ts';
import type { DeskKind } from '../methodology/review-desk.schema.ts';

type Language = 'en' | 'ru';

/** One thing to do; href leads straight to the page (or the anchor) where it is done. */
export type WaitingItem = { engagementId: string; clientName: string; href: string; at: Date | null } & (
  | { kind: 'changesRequested'; title: string; comment: string | null }
  | { kind: 'practicalSubmitted'; title: string; learner: string }
  | { kind: 'overdueTask'; title: string }
  | { kind: 'gateOpen'; stage: string }
  | { kind: 'approveDocument'; title: string; version: number }
  /** The content items of one engagement sent for the owner's approval, as one item: the owner decides them on the filtered list. */
  | { kind: 'approveContent'; count: number }
  /** The answers to customers sent for approval on one engagement's desk, as one item (the owner, delegate or consultant; never their own). */
  | { kind: 'approveAnswers'; count: number }
  /** Staff: a customer's review or message still to answer (or to send, once approved), due by its norm; overdue past it. */
  | { kind: 'answerCustomer'; excerpt: string; dueBy: Date; isOverdue: boolean }
  | { kind: 'signOff'; stage: string }
  | { kind: 'openTask'; title: string; isOverdue: boolean }
  | { kind: 'trainingModule'; title: string; isOverdue: boolean }
  | { kind: 'studySession'; title: string; people: string }
  /** The owner's: an approved document to review after the document it builds on was approved anew. */
  | { kind: 'reviewNeeded'; title: string; upstream: string }
  /** The consultant's: the owner asked for changes to such a document. */
  | { kind: 'reviewChanges'; title: string; upstream: string; comment: string | null }
);

/** A row of the statement below: one item, or one engagement whose gate is a candidate (gateOpen, signOff). */
interface WaitingRow {
  kind: 'changesRequested' | 'practicalSubmitted' | 'overdueTask' | 'studySession' | 'gateOpen' | 'approveDocument' | 'approveContent' | 'approveAnswers' | 'signOff' | 'staffTask' | 'answerCustomer' | 'reviewNeeded' | 'reviewChanges';
  engagement_id: string;
  client_name: string;
  state: string;
  time_zone: string;
  methodology_hash: string;
  ref_id: string | null;
  type_key: string | null;
  title: string | null;
  number: number | null;
  at: Date | null;
  comment: string | null;
  learner: string | null;
}

/**
 * The items in the order the page lists them: the consultant's, the owner's, then the staff member's;
 * within a kind the oldest (or the nearest deadline) first. Gate candidates come from the tasks, which
 * follow their documents, training and sign-off (syncDocumentTasks, closeStageTrainingTask): no required
 * methodology task open in the current stage means the stage's own checklist lets it close, and only the
 * sign-off open means it is the owner's turn. A stage's gate rules (the mandatory networks) are not in
 * the tasks: `confirmGates` checks those candidates against the gate itself. The staff member the owner
 * named to act for them (acts_as_owner) is waited for as the owner is, beside their own staff tasks.
 */
/** The statement for the (methodology hash, task key) pairs of the study tasks that close by one-to-one sessions. */
const waitingRows = (studyPairs: number) => `
with mine as (
  select p.role, p.user_id, p.acts_as_owner or p.role = 'owner' as as_owner, e.id, e.state, e.client_name, e.methodology_hash, e.time_zone
    from participants p join engagements e on e.id = p.engagement_id
   where p.user_id = ? and e.state not in ('completed', 'cancelled') and (?::uuid is null or e.id = ?::uuid)
), stage_open as (
  select m.id,
         count(t.id) filter (where t.required and t.status = 'open' and t.key is not null and t.key not like 'training:%') as open_required,
         count(t.id) filter (where t.required and t.status = 'open' and t.kind = 'signoff') as open_signoff,
         -- An unsettled review flag holds the gate (src/documents/review-flags.ts).
         (select count(*) from review_flags f where f.engagement_id = m.id and f.status in ('open', 'changesRequested')) as unsettled_flags
    from mine m left join tasks t on t.engagement_id = m.id and t.stage_id = m.state
   where (m.role = 'consultant' or m.as_owner) and m.state not in ('draft', 'paused')
   group by m.id
), flags as (
  select f.id, f.engagement_id, f.status, f.raised_at, f.comment, d.type_id, u.type_id as upstream_type_id
    from review_flags f join mine m on m.id = f.engagement_id join documents d on d.id = f.document_id join documents u on u.id = f.upstream_id
   where f.status in ('open', 'changesRequested') and m.state not in ('draft', 'paused')
)
select w.*, m.client_name, m.state, m.methodology_hash, m.time_zone from (
  select 1 as ord, 'changesRequested' as kind, d.engagement_id, d.id as ref_id, d.type_id as type_key, null::text as title, null::int as number, d.updated_at as at,
         (select a.comment from approvals a where a.document_id = d.id and a.decision = 'changes_requested' order by a.decided_at desc limit 1) as comment, null::text as learner
    from documents d join mine m on m.id = d.engagement_id and m.role = 'consultant' where d.status = 'changes_requested'
  union all
  select 1, 'reviewChanges', f.engagement_id, f.id, f.type_id, f.upstream_type_id, null, f.raised_at, f.comment, null
    from flags f join mine m on m.id = f.engagement_id and m.role = 'consultant' where f.status = 'changesRequested'
  union all
  select 2, 'practicalSubmitted', a.engagement_id, a.id, a.module_id, null, null, a.submitted_at, null, ps.display_name
    from training_assignments a join mine m on m.id = a.engagement_id and m.role = 'consultant'
    left join participants ps on ps.engagement_id = a.engagement_id and ps.user_id = a.user_id and ps.role = 'staff'
   where a.practical_status = 'submitted'
  union all
  select 3, 'overdueTask', t.engagement_id, t.id, t.key, t.title, null, t.deadline, null, null
    from tasks t join mine m on m.id = t.engagement_id and m.role = 'consultant'
   where t.status = 'open' and t.deadline < ? and m.state <> 'paused'
  union all${studyPairs ? `
  select 3, 'studySession', t.engagement_id, t.id, t.key, t.title, null, t.deadline, null, string_agg(p.display_name, ', ' order by p.added_at)
    from tasks t join mine m on m.id = t.engagement_id and m.role = 'consultant' and t.stage_id = m.state
    join participants p on p.engagement_id = t.engagement_id and p.role in ('owner', 'staff')
   where t.status = 'open' and (m.methodology_hash, t.key) in (${Array(studyPairs).fill('(?, ?)').join(', ')})
     and not exists (select 1 from study_sessions s where s.engagement_id = t.engagement_id and s.participant_id = p.user_id)
   group by t.engagement_id, t.id, t.key, t.title, t.deadline
  union all` : ''}
  select 4, 'gateOpen', s.id, null, null, null, null, null, null, null
    from stage_open s join mine m on m.id = s.id and m.role = 'consultant' where s.open_required = 0 and s.unsettled_flags = 0
  union all
  select 5, 'approveDocument', d.engagement_id, d.id, d.type_id, null, d.latest_version, d.updated_at, null, null
    from documents d join mine m on m.id = d.engagement_id and m.as_owner where d.status = 'in_review'
  union all
  select 5, 'approveContent', c.engagement_id, null, null, null, count(*)::int, min(c.updated_at), null, null
    from content_items c join mine m on m.id = c.engagement_id and m.as_owner where c.status = 'submitted' group by c.engagement_id
  union all
  -- The desk's answers sent for approval wait for the owner (or delegate) and the consultant alike, but
  -- never for the one who wrote them: an answer is approved by a second pair of eyes (src/desk).
  select 5, 'approveAnswers', d.engagement_id, null, null, null, count(*)::int, min(d.updated_at), null, null
    from desk_entries d join mine m on m.id = d.engagement_id and (m.as_owner or m.role = 'consultant') and m.state <> 'paused'
   where d.status = 'submitted' and d.answered_by_id is distinct from m.user_id group by d.engagement_id
  union all
  select 5, 'reviewNeeded', f.engagement_id, f.id, f.type_id, f.upstream_type_id, null, f.raised_at, null, null
    from flags f join mine m on m.id = f.engagement_id and m.as_owner where f.status = 'open'
  union all
  select 6, 'signOff', s.id, null, null, null, null, null, null, null
    from stage_open s join mine m on m.id = s.id and m.as_owner where s.open_required = 1 and s.open_signoff = 1 and s.unsettled_flags = 0
  union all
  select 7, 'staffTask', t.engagement_id, t.id, t.key, t.title, null, t.deadline, null, null
    from tasks t join mine m on m.id = t.engagement_id and (m.role = 'staff' or (m.role = 'owner' and t.key like 'training:%'))
   where t.status = 'open' and t.assignee_id = ?
  union all
  -- A customer's entry still to answer is every staff member's to take up, until it goes for approval;
  -- changes asked for wait for the one who wrote the answer. Its norm's deadline is worked out per row
  -- (toItem), in the engagement's time zone: SQL gives the moment it came.
  select 7, 'answerCustomer', d.engagement_id, d.id, d.kind, null, null, d.received_at, left(regexp_replace(d.customer_text, '[[:space:]]+', ' ', 'g'), 80), null
    from desk_entries d join mine m on m.id = d.engagement_id and m.role = 'staff' and m.state <> 'paused'
   where d.status in ('new', 'draft', 'changes_requested', 'approved') and (d.status <> 'changes_requested' or d.answered_by_id = m.user_id)
) w join mine m on m.id = w.engagement_id`;

const listSql = (studyPairs: number) => `${waitingRows(studyPairs)} order by w.ord, w.at asc nulls last`;
/** For the count: one row per kind with its number, except gate candidates, one row each (they are checked). */
const countSql = (studyPairs: number) => `
select kind, engagement_id, state, methodology_hash, count(*)::int as n from (
  select r.kind,
         case when r.kind in ('gateOpen', 'signOff') then r.engagement_id end as engagement_id,
         case when r.kind in ('gateOpen', 'signOff') then r.state end as state,
         case when r.kind in ('gateOpen', 'signOff') then r.methodology_hash end as methodology_hash
    from (${waitingRows(studyPairs)}) r
) x group by 1, 2, 3, 4`;

const parameters = (userId: string, now: Date, study: StudyPair[], only?: { engagementId: string }) => {
  const engagementId = only?.engagementId ?? null;
  return [userId, engagementId, engagementId, now, ...study.flatMap((p) => [p.hash, p.key]), userId];
};

interface StudyPair {
  hash: string;
  key: string;
}

/**
 * The methodologies on offer whose study task closes by the one-to-one sessions, as (hash, task key):
 * an engagement started from an older copy of the files keeps its task closed by hand, and waits for no session.
 */
function studyTasks(deps: ServiceDeps): StudyPair[] {
  return deps.methodologies.list().flatMap((m) => {
    const study = studyTaskOf(m.definition);
    return study ? [{ hash: m.hash, key: study.def.id }] : [];
  });
}

const base = (engagementId: string) => `/engagements/${engagementId}`;
type Definitions = Map<string, { definition: Methodology }>;

/**
 * Keeps the gate candidates whose gate really is open (consultant) or waits only for the sign-off
 * (owner). Only stages with gate rules need the gate's own check; for the others the tasks already said.
 */
async function confirmGates(em: EntityManager, defs: Definitions, rows: WaitingRow[], language: Language): Promise<WaitingRow[]> {
  const stageOf = (r: WaitingRow): Stage | undefined => defs.get(r.methodology_hash)!.definition.stages.find((s) => s.id === r.state);
  const candidates = rows.filter((r) => (r.kind === 'gateOpen' || r.kind === 'signOff') && stageOf(r));
  const withRules = candidates.filter((r) => stageOf(r)!.gate?.length);
  const blockers = new Map<WaitingRow, number | 'signoffOnly'>();
  if (withRules.length) {
    const stages = new Map(withRules.map((r) => [{ id: r.engagement_id }, { row: r, stage: stageOf(r)!, methodology: defs.get(r.methodology_hash)!.definition }]));
    const inputs = await loadGateInputs(em, stages, language);
    for (const [key, { row }] of stages) {
      const found = findGateBlockers(inputs.get(key)!);
      blockers.set(row, found.length === 1 && found[0]!.kind === 'signoff' ? 'signoffOnly' : found.length);
    }
  }
  const isConfirmed = (r: WaitingRow) => {
    if (!blockers.has(r)) return true;
    return r.kind === 'gateOpen' ? blockers.get(r) === 0 : blockers.get(r) === 'signoffOnly';
  };
  return rows.filter((r) => (r.kind !== 'gateOpen' && r.kind !== 'signOff') || (stageOf(r) && isConfirmed(r)));
}

/** What waits for a person, before any title is composed: the same in every language, so it can be kept. */
export interface WaitingRows {
  rows: WaitingRow[];
  defs: Definitions;
}

export async function readWaitingRows(deps: ServiceDeps, userId: string, only?: { engagementId: string }): Promise<WaitingRows> {
  const em = deps.orm.em.fork();
  const study = studyTasks(deps);
  const rows = (await em.getConnection().execute(listSql(study.length), parameters(userId, deps.clock(), study, only))) as WaitingRow[];
  const defs = await deps.methodologies.frozenMany(em, rows.map((r) => r.methodology_hash));
  // The language changes titles only, never which items wait.
  return { rows: await confirmGates(em, defs, rows, 'en'), defs };
}

function toItem(r: WaitingRow, methodology: Methodology, language: Language, now: Date): WaitingItem {
  const common = { engagementId: r.engagement_id, clientName: r.client_name, at: r.at ? new Date(r.at) : null };
  const e = base(r.engagement_id);
  const stageTitle = () => methodology.stages.find((s) => s.id === r.state)?.title[language] ?? r.state;
  const title = () => taskTitle(methodology, { key: r.type_key, title: r.title }, language);
  switch (r.kind) {
    case 'changesRequested':
      return { ...common, kind: 'changesRequested', title: documentTitle(methodology, r.type_key!, language), comment: r.comment, href: `${e}/documents/${r.ref_id}` };
    case 'practicalSubmitted': {
      const module = methodology.trainingModules.find((m) => m.id === r.type_key)?.title[language] ?? r.type_key!;
      return { ...common, kind: 'practicalSubmitted', title: module, learner: r.learner ?? '—', href: `${e}/training/${r.ref_id}#practical` };
    }
    case 'overdueTask':
      return { ...common, kind: 'overdueTask', title: title(), href: `${e}#task-${r.ref_id}` };
    case 'studySession':
      // One item per engagement, naming everyone still without a session: the page stays short however many there are.
      return { ...common, kind: 'studySession', title: title(), people: r.learner ?? '', href: `${e}/tasks/${r.ref_id}#study` };
    case 'gateOpen':
      return { ...common, kind: 'gateOpen', stage: stageTitle(), href: `${e}#gate` };
    case 'approveDocument':
      return { ...common, kind: 'approveDocument', title: documentTitle(methodology, r.type_key!, language), version: r.number!, href: `${e}/documents/${r.ref_id}` };
    case 'approveContent':
      return { ...common, kind: 'approveContent', count: r.number!, href: `${e}/content/items?status=submitted` };
    case 'approveAnswers':
      return { ...common, kind: 'approveAnswers', count: r.number!, href: `${e}/desk?status=submitted` };
    case 'answerCustomer': {
      // The deadline of the frozen methodology's norm; one frozen without a desk logs no entries.
      const desk = methodology.reviewDesk;
      const receivedAt = new Date(r.at!);
      const due = desk ? dueBy(normFor(desk, r.type_key as DeskKind), receivedAt, desk.workingDay, r.time_zone) : receivedAt;
      return { ...common, at: due, kind: 'answerCustomer', excerpt: r.comment ?? '', dueBy: due, isOverdue: due.getTime() < now.getTime(), href: `${e}/desk/entries/${r.ref_id}` };
    }
    case 'signOff':
      return { ...common, kind: 'signOff', stage: stageTitle(), href: `${e}#gate` };
    case 'reviewNeeded':
      return { ...common, kind: 'reviewNeeded', title: documentTitle(methodology, r.type_key!, language), upstream: documentTitle(methodology, r.title!, language), href: `${e}/reviews/${r.ref_id}` };
    case 'reviewChanges':
      return { ...common, kind: 'reviewChanges', title: documentTitle(methodology, r.type_key!, language), upstream: documentTitle(methodology, r.title!, language), comment: r.comment, href: `${e}/reviews/${r.ref_id}` };
    case 'staffTask': {
      const isOverdue = r.state !== 'paused' && !!common.at && common.at.getTime() < now.getTime();
      // A module's own task opens the module; any other task opens its row on the engagement page.
      return r.type_key?.startsWith('training:')
        ? { ...common, kind: 'trainingModule', title: title(), isOverdue, href: `${e}/tasks/${r.ref_id}/module` }
        : { ...common, kind: 'openTask', title: title(), isOverdue, href: `${e}#task-${r.ref_id}` };
    }
  }
}

/** Everything waiting for this person, by role: the consultant's, then the owner's, then the staff member's. */
export async function listWaitingForMe(deps: ServiceDeps, userId: string, language: Language, only?: { engagementId: string }): Promise<WaitingItem[]> {
  return waitingItems(await readWaitingRows(deps, userId, only), language, deps.clock());
}

/** The rows as the page lists them, titled in the reader's language. */
export function waitingItems({ rows, defs }: WaitingRows, language: Language, now: Date): WaitingItem[] {
  return rows.map((r) => toItem(r, defs.get(r.methodology_hash)!.definition, language, now));
}

/**
 * How many items wait, for the top bar: the same statement and the same gate check as the list, so
 * the two always agree. The rows are small (no titles are composed), and their number is what is shown.
 */
export async function countWaitingForMe(deps: ServiceDeps, userId: string): Promise<number> {
  const em = deps.orm.em.fork();
  const study = studyTasks(deps);
  const groups = (await em.getConnection().execute(countSql(study.length), parameters(userId, deps.clock(), study))) as (Pick<WaitingRow, 'kind' | 'engagement_id' | 'state' | 'methodology_hash'> & { n: number })[];
  const candidates = groups.filter((g) => g.engagement_id) as unknown as WaitingRow[];
  const defs = await deps.methodologies.frozenMany(em, candidates.map((r) => r.methodology_hash));
  // The language changes titles only, never which items wait.
  const confirmed = new Set(await confirmGates(em, defs, candidates, 'en'));
  return groups.reduce((sum, g) => sum + (g.engagement_id ? (confirmed.has(g as unknown as WaitingRow) ? 1 : 0) : g.n), 0);
}
