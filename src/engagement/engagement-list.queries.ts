// The consultant's (or owner's) engagements a page at a time: filtered, searched, counted and paged in
// SQL, in the same few statements whatever the number of engagements.
import type { ServiceDeps } from './command.ts';
import { loadStageNames } from './stage-names.queries.ts';

type Language = 'en' | 'ru';

export const ENGAGEMENTS_PER_PAGE = 25;

/** States in which no deadline runs: nothing in them is overdue (a pause stops the clock). */
const CLOCK_STOPPED = ['paused', 'draft', 'completed', 'cancelled'];
export const LIFECYCLE_STATES = ['draft', 'paused', 'completed', 'cancelled'];

export interface EngagementListFilter {
  /** An engagement state: a stage id, or draft, paused, completed, cancelled. */
  stage?: string;
  isOverdue?: boolean;
  isWaitingForApproval?: boolean;
  /** Part of the client's name, any case; % and _ are letters here, not wildcards. */
  search?: string;
  /** 1-based. */
  page: number;
}

export interface EngagementListRow {
  id: string;
  clientName: string;
  state: string;
  /** The stage the engagement is in, or was paused in; null for draft, completed, cancelled. */
  stageTitle: string | null;
  progressPercent: number;
  nextDeadline: Date | null;
  overdueTasks: number;
  approvalsWaiting: number;
}

export interface EngagementListCounts {
  all: number;
  byState: Record<string, number>;
  overdue: number;
  waitingForApproval: number;
}

export interface EngagementListPage {
  rows: EngagementListRow[];
  /** The page shown: the last one when the page asked for is past the end. */
  page: number;
  pageCount: number;
  /** Engagements matching the filter, over all pages. */
  matching: number;
  counts: EngagementListCounts;
  perPage: number;
}

/** A search typed by a person, matched literally anywhere in the name: the LIKE wildcards and the escape lose their meaning. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

interface Clause {
  sql: string;
  params: unknown[];
}

// The earliest open deadline, read as one probe of tasks_open_deadline_index per engagement: as an
// EXISTS, PostgreSQL may turn it into a semi-join that walks the index by deadline for every row.
const overdueClause = (now: Date): Clause => ({
  sql: `(e.state not in (${CLOCK_STOPPED.map((s) => `'${s}'`).join(',')})
         and (select t.deadline from tasks t where t.engagement_id = e.id and t.status = 'open' and t.deadline is not null order by t.deadline limit 1) < ?)`,
  params: [now],
});

const waitingClause: Clause = { sql: `exists (select 1 from documents d where d.engagement_id = e.id and d.status = 'in_review')`, params: [] };

function matchingClause(filter: EngagementListFilter, now: Date): Clause {
  const parts: Clause[] = [{ sql: 'true', params: [] }];
  if (filter.stage) parts.push({ sql: 'e.state = ?', params: [filter.stage] });
  if (filter.isOverdue) parts.push(overdueClause(now));
  if (filter.isWaitingForApproval) parts.push(waitingClause);
  if (filter.search) parts.push({ sql: `e.client_name ilike ? escape '\\'`, params: [containsPattern(filter.search)] });
  return { sql: parts.map((p) => p.sql).join(' and '), params: parts.flatMap((p) => p.params) };
}

type Role = 'consultant' | 'owner';

/**
 * One page of the engagements a person takes part in with the given role, with the counts the
 * filters offer. Two statements (three when the page asked for is past the end), whatever the
 * number of engagements: the counts, then the page, whose per-engagement figures are computed for
 * its rows only.
 */
export async function listEngagementPage(deps: ServiceDeps, userId: string, role: Role, filter: EngagementListFilter, language: Language): Promise<EngagementListPage> {
  const em = deps.orm.em.fork();
  const connection = em.getConnection();
  const now = deps.clock();
  const matching = matchingClause(filter, now);
  const overdue = overdueClause(now);

  const countRows = (await connection.execute(
    `select e.state,
            count(*)::int as n,
            count(*) filter (where ${overdue.sql})::int as overdue,
            count(*) filter (where ${waitingClause.sql})::int as waiting,
            count(*) filter (where ${matching.sql})::int as matching
       from participants p join engagements e on e.id = p.engagement_id
      where p.user_id = ? and p.role = ?
      group by e.state`,
    [...overdue.params, ...matching.params, userId, role],
  )) as { state: string; n: number; overdue: number; waiting: number; matching: number }[];
  const sum = (pick: (r: (typeof countRows)[number]) => number) => countRows.reduce((total, r) => total + pick(r), 0);
  const counts: EngagementListCounts = {
    all: sum((r) => r.n),
    byState: Object.fromEntries(countRows.map((r) => [r.state, r.n])),
    overdue: sum((r) => r.overdue),
    waitingForApproval: sum((r) => r.waiting),
  };
  const total = sum((r) => r.matching);
  const pageCount = Math.max(1, Math.ceil(total / ENGAGEMENTS_PER_PAGE));
  const page = Math.min(filter.page, pageCount);
  const rows = total ? await readPage(deps, userId, role, matching, page, language) : [];
  return { rows, page, pageCount, matching: total, counts, perPage: ENGAGEMENTS_PER_PAGE };
}

async function readPage(deps: ServiceDeps, userId: string, role: Role, matching: Clause, page: number, language: Language): Promise<EngagementListRow[]> {
  const em = deps.orm.em.fork();
  const now = deps.clock();
  // The page is cut first (LIMIT inside the CTE), so the task and document figures are counted for its rows only.
  const rows = (await em.getConnection().execute(
    `with page as (
       select e.id, e.client_name, e.state, e.methodology_hash, p.added_at,
              case when e.state = 'paused' then e.snapshot->'context'->>'pausedStage' end as paused_stage
         from participants p join engagements e on e.id = p.engagement_id
        where p.user_id = ? and p.role = ? and ${matching.sql}
        order by p.added_at desc, e.id desc
        limit ? offset ?
     )
     select page.id, page.client_name, page.state, page.methodology_hash, page.paused_stage,
            coalesce(tc.required, 0) as required, coalesce(tc.done, 0) as done, coalesce(tc.overdue, 0) as overdue,
            tc.next_deadline, coalesce(dc.n, 0) as in_review
       from page
       left join lateral (
         select count(*) filter (where t.required)::int as required,
                count(*) filter (where t.required and t.status = 'done')::int as done,
                count(*) filter (where t.status = 'open' and t.deadline < ?)::int as overdue,
                min(t.deadline) filter (where t.status = 'open' and t.deadline >= ?) as next_deadline
           from tasks t where t.engagement_id = page.id and t.status <> 'archived'
       ) tc on true
       left join lateral (
         select count(*)::int as n from documents d where d.engagement_id = page.id and d.status = 'in_review'
       ) dc on true
      order by page.added_at desc, page.id desc`,
    [userId, role, ...matching.params, ENGAGEMENTS_PER_PAGE, (page - 1) * ENGAGEMENTS_PER_PAGE, now, now],
  )) as {
    id: string;
    client_name: string;
    state: string;
    methodology_hash: string;
    paused_stage: string | null;
    required: number;
    done: number;
    overdue: number;
    next_deadline: Date | string | null;
    in_review: number;
  }[];
  const names = await loadStageNames(em, deps.methodologies, rows.map((r) => r.methodology_hash), language);
  return rows.map((r) => {
    const stageId = r.state === 'paused' ? r.paused_stage : r.state;
    return {
      id: r.id,
      clientName: r.client_name,
      state: r.state,
      stageTitle: (stageId && names.get(r.methodology_hash)?.get(stageId)) ?? null,
      progressPercent: r.required ? Math.round((100 * r.done) / r.required) : 0,
      nextDeadline: r.next_deadline ? new Date(r.next_deadline) : null,
      overdueTasks: CLOCK_STOPPED.includes(r.state) ? 0 : r.overdue,
      approvalsWaiting: r.in_review,
    };
  });
}

/** Whether the person takes part in any engagement as staff: the home page then links to their tasks. */
export async function isStaffAnywhere(deps: ServiceDeps, userId: string): Promise<boolean> {
  const rows = (await deps.orm.em.fork().getConnection().execute(`select exists (select 1 from participants where user_id = ? and role = 'staff') as found`, [userId])) as { found: boolean }[];
  return !!rows[0]?.found;
}
