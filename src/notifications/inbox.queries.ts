// A person's inbox: newest first, in pages, with its unread count. Plain SQL on
// the partial index of unread entries: the count is read on every page's top bar.
import type { Orm } from '../db/orm.ts';
import type { NotificationKind, Wanted } from './notification-rules.ts';

export const INBOX_PAGE = 25;

export interface InboxEntry {
  id: string;
  kind: NotificationKind;
  params: Wanted['params'];
  link: string;
  clientName: string;
  createdAt: Date;
  isRead: boolean;
}

export interface InboxPage {
  entries: InboxEntry[];
  unread: number;
  page: number;
  hasOlder: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function countUnread(orm: Orm, userId: string): Promise<number> {
  const rows = (await orm.em.fork().getConnection().execute('select count(*)::int as n from notifications where user_id = ? and read_at is null', [userId])) as { n: number }[];
  return rows[0]?.n ?? 0;
}

export async function readInbox(orm: Orm, userId: string, page: number): Promise<InboxPage> {
  const conn = orm.em.fork().getConnection();
  const rows = (await conn.execute(
    `select n.id, n.kind, n.params, n.link, n.created_at, n.read_at, g.client_name
     from notifications n join engagements g on g.id = n.engagement_id
     where n.user_id = ? order by n.created_at desc, n.event_id desc, n.kind limit ? offset ?`,
    [userId, INBOX_PAGE + 1, (page - 1) * INBOX_PAGE],
  )) as { id: string; kind: NotificationKind; params: Wanted['params']; link: string; created_at: Date; read_at: Date | null; client_name: string }[];
  const entries = rows.slice(0, INBOX_PAGE).map((r) => ({ id: r.id, kind: r.kind, params: r.params, link: r.link, clientName: r.client_name, createdAt: new Date(r.created_at), isRead: r.read_at !== null }));
  return { entries, unread: await countUnread(orm, userId), page, hasOlder: rows.length > INBOX_PAGE };
}

/** Marks one of the person's own entries read and gives its link; null for anyone else's or none. */
export async function openEntry(orm: Orm, userId: string, id: string, now: Date): Promise<string | null> {
  if (!UUID.test(id)) return null;
  const rows = (await orm.em.fork().getConnection().execute('update notifications set read_at = coalesce(read_at, ?) where id = ? and user_id = ? returning link', [now.toISOString(), id, userId])) as { link: string }[];
  return rows[0]?.link ?? null;
}

export async function markAllRead(orm: Orm, userId: string, now: Date): Promise<number> {
  const rows = (await orm.em.fork().getConnection().execute('with done as (update notifications set read_at = ? where user_id = ? and read_at is null returning 1) select count(*)::int as n from done', [now.toISOString(), userId])) as { n: number }[];
  return rows[0]?.n ?? 0;
}
