// The firm's engagements side by side: a consultant's own, or every one for a firm administrator, with
// each engagement's stage, time in it against plan, health, approvals waiting, overdue tasks and
// training. Counted, filtered, sorted and paged in one SQL statement whatever the number of engagements.
import type { ServiceDeps } from '../engagement/command.ts';
import { loadStageNames } from '../engagement/stage-names.queries.ts';
import { containsPattern, LIFECYCLE_STATES } from '../engagement/engagement-list.queries.ts';
import { healthRankSql, healthSql, type Health } from './health.ts';

type Language = 'en' | 'ru';

export const PORTFOLIO_PER_PAGE = 25;
export const PORTFOLIO_SORTS = ['health', 'client', 'stage', 'days', 'approvals', 'waited', 'overdue', 'training'] as const;
export type PortfolioSort = (typeof PORTFOLIO_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** Who looks: a firm administrator sees every engagement, a consultant those they consult on. */
export interface PortfolioViewer {
  id: string;
  isAdmin: boolean;
}

export interface PortfolioFilter {
  /** An engagement state: a stage id, or draft, paused, completed, cancelled. */
  stage?: string;
  health?: Health;
  /** Part of the client's name, any case, taken literally. */
  search?: string;
  sort: PortfolioSort;
  direction: SortDirection;
  /** 1-based. */
  page: number;
}

export interface PortfolioRow {
  id: string;
  clientName: string;
  consultants: string;
  state: string;
  /** The stage it is in or was paused in; null for draft, completed, cancelled. */
  stageTitle: string | null;
  /** Calendar days since the stage began, pauses included; null outside a stage. */
  daysInStage: number | null;
  plannedDays: number | null;
  /** The stage's planned end, moved later by pauses. */
  stageDeadline: Date | null;
  health: Health | null;
  approvalsWaiting: number;
  /** When the document that has waited longest for approval was sent. */
  oldestApprovalSince: Date | null;
  overdueTasks: number;
  trainingAssigned: number;
  trainingCompleted: number;
  /** Whether the viewer takes part in it (an administrator may see engagements they cannot open). */
  isMember: boolean;
}

export interface PortfolioCounts {
  all: number;
  byState: Record<string, number>;
  byHealth: Partial<Record<Health, number>>;
}

export interface PortfolioPage {
  rows: PortfolioRow[];
  page: number;
  pageCount: number;
  matching: number;
  counts: PortfolioCounts;
  perPage: number;
}

const CLOCK_STOPPED = ['paused', ...LIFECYCLE_STATES].map((s) => `'${s}'`).join(',');

interface Clause {
  sql: string;
  params: unknown[];
}

/** Each engagement in the viewer's scope with its figures, as the CTEs `clock` and `figures`. */
function figuresSql(viewer: PortfolioViewer, now: Date): Clause {
  const scope: Clause = viewer.isAdmin
    ? { sql: 'true', params: [] }
    : { sql: `exists (select 1 from participants p where p.engagement_id = e.id and p.user_id = ? and p.role = 'consultant')`, params: [viewer.id] };
  const health = healthSql({ deadline: 'b.running_deadline', overdueTasks: 'b.overdue_tasks', oldestSubmittedAt: 'b.oldest_submitted_at', requiredOpenInStage: 'b.required_open' }, 'c.now');
  return {
    sql: `clock as (select ?::timestamptz as now),
     scope as (
       select e.id, e.client_name, e.state, e.methodology_hash,
              case when e.state = 'paused' then e.snapshot->'context'->>'pausedStage' else e.state end as stage_id,
              (e.snapshot->'context'->>'pausedAt')::timestamptz as paused_at,
              e.snapshot->'context'->'stages' as stages
         from engagements e
        where ${scope.sql}
     ),
     open_tasks as (
       select t.engagement_id,
              count(*) filter (where t.deadline < c.now)::int as overdue,
              count(*) filter (where t.required and t.stage_id = s.stage_id)::int as required_open
         from tasks t join scope s on s.id = t.engagement_id cross join clock c
        where t.status = 'open'
        group by t.engagement_id
     ),
     reviews as (
       select d.engagement_id, count(*)::int as waiting, min(sent.at) as oldest_submitted_at
         from documents d join scope s on s.id = d.engagement_id
         left join lateral (
           select ev.at from engagement_events ev
            where ev.engagement_id = d.engagement_id and ev.type = 'document.submit' and ev.payload->>'documentId' = d.id::text
            order by ev.seq desc limit 1
         ) sent on true
        where d.status = 'in_review'
        group by d.engagement_id
     ),
     training as (
       select a.engagement_id, count(*)::int as assigned, count(a.completed_at)::int as completed
         from training_assignments a join scope s on s.id = a.engagement_id
        group by a.engagement_id
     ),
     base as (
       select s.id, s.client_name, s.state, s.methodology_hash, s.stage_id, st.position,
              st.duration_days,
              case when s.state in ('draft', 'completed', 'cancelled') or st.started_at is null then null
                   else floor(extract(epoch from coalesce(s.paused_at, c.now) - st.started_at) / 86400)::int end as days_in_stage,
              st.deadline as stage_deadline,
              case when s.state not in (${CLOCK_STOPPED}) then st.deadline end as running_deadline,
              case when s.state not in (${CLOCK_STOPPED}) then coalesce(ot.overdue, 0) else 0 end as overdue_tasks,
              coalesce(ot.required_open, 0) as required_open,
              coalesce(r.waiting, 0) as approvals_waiting, r.oldest_submitted_at,
              coalesce(tr.assigned, 0) as training_assigned, coalesce(tr.completed, 0) as training_completed
         from scope s cross join clock c
         left join lateral (
           select x.ord as position, (x.stage->>'durationDays')::int as duration_days,
                  (x.stage->>'startedAt')::timestamptz as started_at, (x.stage->>'deadline')::timestamptz as deadline
             from jsonb_array_elements(s.stages) with ordinality as x(stage, ord)
            where x.stage->>'id' = s.stage_id
         ) st on true
         left join open_tasks ot on ot.engagement_id = s.id
         left join reviews r on r.engagement_id = s.id
         left join training tr on tr.engagement_id = s.id
     ),
     figures as (select b.*, ${health} as health from base b cross join clock c)`,
    params: [now, ...scope.params],
  };
}

function matchingSql(filter: Omit<PortfolioFilter, 'page'>): Clause {
  const parts: Clause[] = [{ sql: 'true', params: [] }];
  if (filter.stage) parts.push({ sql: 'f.state = ?', params: [filter.stage] });
  if (filter.health) parts.push({ sql: 'f.health = ?', params: [filter.health] });
  if (filter.search) parts.push({ sql: `f.client_name ilike ? escape '\\'`, params: [containsPattern(filter.search)] });
  return { sql: parts.map((p) => p.sql).join(' and '), params: parts.flatMap((p) => p.params) };
}

/** The order of a sort key, ascending; those without the figure (no stage, nothing assigned) go last either way. */
const SORT_SQL: Record<PortfolioSort, string> = {
  health: healthRankSql('m.health'),
  client: 'lower(m.client_name)',
  // Draft first, then the stages in their order (a paused one where it was paused), then the ended.
  stage: `case m.state when 'draft' then 0 when 'completed' then 1000 when 'cancelled' then 1001 else coalesce(m.position, 0) end`,
  days: 'm.days_in_stage',
  approvals: 'm.approvals_waiting',
  waited: '(select c.now from clock c) - m.oldest_submitted_at',
  overdue: 'm.overdue_tasks',
  training: 'm.training_completed::numeric / nullif(m.training_assigned, 0)',
};

const orderSql = (filter: Pick<PortfolioFilter, 'sort' | 'direction'>) =>
  `${SORT_SQL[filter.sort]} ${filter.direction} nulls last, lower(m.client_name), m.id`;

interface FigureRow {
  id: string;
  client_name: string;
  state: string;
  methodology_hash: string;
  stage_id: string | null;
  position: number | null;
  duration_days: number | null;
  days_in_stage: number | null;
  stage_deadline: Date | string | null;
  overdue_tasks: number;
  approvals_waiting: number;
  oldest_submitted_at: Date | string | null;
  training_assigned: number;
  training_completed: number;
  health: Health | null;
  consultants: string | null;
  is_member: boolean;
}

/** The page's own columns: the consultants' names and whether the viewer is in the engagement. */
const rowColumnsSql = `m.*,
       (select string_agg(u.name, ', ' order by u.name) from participants p join users u on u.id = p.user_id
         where p.engagement_id = m.id and p.role = 'consultant') as consultants,
       exists (select 1 from participants p where p.engagement_id = m.id and p.user_id = ?) as is_member`;

/**
 * One page of the viewer's portfolio with the counts its filters offer, in one statement whatever the
 * number of engagements: a page past the end is cut to the last one inside the statement.
 */
export async function listPortfolio(deps: ServiceDeps, viewer: PortfolioViewer, filter: PortfolioFilter, language: Language): Promise<PortfolioPage> {
  const em = deps.orm.em.fork();
  const figures = figuresSql(viewer, deps.clock());
  const matching = matchingSql(filter);
  const pageSql = `least(?::int, greatest(1, ceil((select n from counted) / ?::numeric)::int))`;
  const rows = (await em.getConnection().execute(
    `with ${figures.sql},
     matching as (select f.* from figures f where ${matching.sql}),
     counted as (select count(*)::int as n from matching)
     select json_build_object(
              'all', (select count(*) from figures),
              'byState', coalesce((select json_object_agg(state, n) from (select state, count(*)::int as n from figures group by state) x), '{}'::json),
              'byHealth', coalesce((select json_object_agg(health, n) from (select health, count(*)::int as n from figures where health is not null group by health) x), '{}'::json)
            ) as counts,
            (select n from counted) as matching_count,
            ${pageSql} as page_shown,
            pg.*
       from (select 1) one
       left join lateral (
         select ${rowColumnsSql}
           from matching m
          order by ${orderSql(filter)}
          limit ? offset (${pageSql} - 1) * ?
       ) pg on true`,
    [...figures.params, ...matching.params, filter.page, PORTFOLIO_PER_PAGE, viewer.id, PORTFOLIO_PER_PAGE, filter.page, PORTFOLIO_PER_PAGE, PORTFOLIO_PER_PAGE],
  )) as (FigureRow & { counts: PortfolioCounts; matching_count: number; page_shown: number })[];
  const first = rows[0]!;
  const present = rows.filter((r) => r.id);
  return {
    rows: await toRows(deps, present, language),
    page: first.page_shown,
    pageCount: Math.max(1, Math.ceil(first.matching_count / PORTFOLIO_PER_PAGE)),
    matching: first.matching_count,
    counts: first.counts,
    perPage: PORTFOLIO_PER_PAGE,
  };
}

/** Every engagement the filter matches, in the page's order, for the CSV export: one statement. */
export async function listPortfolioForExport(deps: ServiceDeps, viewer: PortfolioViewer, filter: Omit<PortfolioFilter, 'page'>, language: Language): Promise<PortfolioRow[]> {
  const em = deps.orm.em.fork();
  const figures = figuresSql(viewer, deps.clock());
  const matching = matchingSql(filter);
  const rows = (await em.getConnection().execute(
    `with ${figures.sql},
     matching as (select f.* from figures f where ${matching.sql})
     select ${rowColumnsSql} from matching m order by ${orderSql(filter)}`,
    [...figures.params, ...matching.params, viewer.id],
  )) as FigureRow[];
  return toRows(deps, rows, language);
}

async function toRows(deps: ServiceDeps, rows: FigureRow[], language: Language): Promise<PortfolioRow[]> {
  const names = await loadStageNames(deps.orm.em.fork(), deps.methodologies, rows.map((r) => r.methodology_hash), language);
  const date = (value: Date | string | null) => (value ? new Date(value) : null);
  return rows.map((r) => {
    const isInStage = r.position !== null;
    const stageId = isInStage ? r.stage_id : null;
    return {
      id: r.id,
      clientName: r.client_name,
      consultants: r.consultants ?? '',
      state: r.state,
      stageTitle: (stageId && names.get(r.methodology_hash)?.get(stageId)) ?? null,
      daysInStage: r.days_in_stage,
      plannedDays: isInStage ? r.duration_days : null,
      stageDeadline: isInStage ? date(r.stage_deadline) : null,
      health: r.health,
      approvalsWaiting: r.approvals_waiting,
      oldestApprovalSince: date(r.oldest_submitted_at),
      overdueTasks: r.overdue_tasks,
      trainingAssigned: r.training_assigned,
      trainingCompleted: r.training_completed,
      isMember: r.is_member,
    };
  });
}
