// The event log page of one engagement: newest first, a page at a time by event number (keyset),
// filtered by kind and by person, in the same few statements however long the log grows.
import { Engagement, Participant } from './engagement.entity.ts';
import { isUuid, type ServiceDeps } from './command.ts';
import { requireViewer } from './engagement-access.ts';
import { loadStageNames } from './stage-names.queries.ts';
import { NotFoundError } from '../errors.ts';

type Language = 'en' | 'ru';

export const EVENTS_PER_PAGE = 50;

export interface EventLogFilter {
  kind?: string;
  /** The user id of the person who acted. */
  personId?: string;
  /** Events numbered below this one (the next, older page). */
  before?: number;
  /** Events numbered above this one (the previous, newer page). */
  after?: number;
}

export interface EventLogRow {
  seq: number;
  at: Date;
  actor: string | null;
  /** The actor acted as the owner's delegate. */
  asOwnerDelegate: boolean;
  type: string;
  fromState: string;
  toState: string;
  /** For a methodology upgrade: the tasks it archived, by the titles they had. */
  archivedTasks: string[];
}

export interface EventLogPage {
  engagementId: string;
  clientName: string;
  rows: EventLogRow[];
  /** Events matching the filter, over all pages. */
  matching: number;
  olderThan: number | null;
  newerThan: number | null;
  kinds: string[];
  people: { userId: string; name: string }[];
  /** Stage id -> title in this engagement's methodology, to name the states. */
  stageTitles: Record<string, string>;
  /** The person filter named nobody of this engagement. */
  isUnknownPerson: boolean;
  /** A firm administrator who takes no part (engagement-access.ts). */
  readOnly: boolean;
}

/** Consultant and owner read the log, as on the engagement page; an outsider is told it does not exist. */
export async function getEventLogPage(deps: ServiceDeps, actorId: string, engagementId: string, filter: EventLogFilter, language: Language): Promise<EventLogPage> {
  const em = deps.orm.em.fork();
  // Only the columns the page shows: the snapshot and the frozen methodology stay in the database.
  const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId, { fields: ['clientName', 'methodology'] }) : null;
  if (!engagement) throw new NotFoundError('Engagement');
  const { readOnly } = await requireViewer(em, engagement.id, actorId, ['consultant', 'owner']);
  const [participants, kindRows, stageNames] = await Promise.all([
    em.find(Participant, { engagement: engagement.id }, { fields: ['displayName', 'user'], orderBy: { addedAt: 'asc' } }),
    em.getConnection().execute(`select distinct type from engagement_events where engagement_id = ? order by type`, [engagement.id]) as Promise<{ type: string }[]>,
    loadStageNames(em, deps.methodologies, [engagement.methodology.hash], language),
  ]);
  const people = participants.map((p) => ({ userId: p.user.id, name: p.displayName }));
  const base = {
    engagementId: engagement.id,
    clientName: engagement.clientName,
    readOnly,
    kinds: kindRows.map((r) => r.type),
    people,
    stageTitles: Object.fromEntries(stageNames.get(engagement.methodology.hash) ?? []),
  };
  if (filter.personId && !people.some((p) => p.userId === filter.personId)) {
    return { ...base, rows: [], matching: 0, olderThan: null, newerThan: null, isUnknownPerson: true };
  }

  const where = ['engagement_id = ?'];
  const params: unknown[] = [engagement.id];
  if (filter.kind) {
    where.push('type = ?');
    params.push(filter.kind);
  }
  if (filter.personId) {
    where.push('actor_id = ?');
    params.push(filter.personId);
  }
  const matching = where.join(' and ');
  // Newer pages are read upwards from their edge and turned round, so both directions use the index the same way.
  const isNewer = filter.after !== undefined && filter.before === undefined;
  const edge = isNewer ? filter.after : filter.before;
  const rows = (await em.getConnection().execute(
    `select seq, at, actor_id, type, from_state, to_state, (payload ->> 'asOwnerDelegate') = 'true' as as_owner_delegate,
            case when type = 'methodology.upgrade' then payload -> 'archivedTitles' end as archived_titles from engagement_events
      where ${matching}${edge === undefined ? '' : isNewer ? ' and seq > ?' : ' and seq < ?'}
      order by seq ${isNewer ? 'asc' : 'desc'} limit ?`,
    [...params, ...(edge === undefined ? [] : [edge]), EVENTS_PER_PAGE],
  )) as { seq: number; at: Date | string; actor_id: string | null; as_owner_delegate: boolean | null; archived_titles: Record<string, { en: string; ru: string }> | null; type: string; from_state: string; to_state: string }[];
  if (isNewer) rows.reverse();
  const newest = rows[0]?.seq ?? edge ?? 0;
  const oldest = rows.at(-1)?.seq ?? edge ?? 0;
  const [stats] = (await em.getConnection().execute(
    `select count(*)::int as matching, count(*) filter (where seq < ?)::int as older, count(*) filter (where seq > ?)::int as newer
       from engagement_events where ${matching}`,
    [oldest, newest, ...params],
  )) as { matching: number; older: number; newer: number }[];
  const names = new Map(people.map((p) => [p.userId, p.name]));
  return {
    ...base,
    rows: rows.map((r) => ({ seq: r.seq, at: new Date(r.at), actor: r.actor_id ? (names.get(r.actor_id) ?? null) : null, asOwnerDelegate: r.as_owner_delegate === true, type: r.type, fromState: r.from_state, toState: r.to_state, archivedTasks: Object.values(r.archived_titles ?? {}).map((title) => title[language]) })),
    matching: stats?.matching ?? 0,
    olderThan: rows.length && stats?.older ? oldest : null,
    newerThan: stats?.newer ? newest : null,
    isUnknownPerson: false,
  };
}
