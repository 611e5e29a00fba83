// What the database stops needing. Each rule states why the rows are safe to delete: nothing that
// a person made or that the method's history holds (events, documents, tasks) is ever touched.
import type { Orm } from '../db/orm.ts';
import { pruneDeliveryLog } from '../webhooks/delivery-log.ts';

const DAY = 24 * 3_600_000;

export interface TidyCounts {
  formKeys: number;
  signInCounters: number;
  spentLinks: number;
  webhookDeliveries: number;
}

export async function tidy(orm: Orm, now: Date): Promise<TidyCounts> {
  const conn = orm.em.getConnection();
  const before = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
  const deleted = async (sql: string, param: string) => Number(((await conn.execute(`with gone as (${sql} returning 1) select count(*)::int as n from gone`, [param])) as { n: number }[])[0]?.n ?? 0);
  return {
    // A form key stops a double post; a page left open for a month and sent again is a new request.
    formKeys: await deleted('delete from form_submissions where created_at < ?::timestamptz', before(30)),
    // The longest sign-in or reset window is an hour; a counter a day old counts nothing.
    signInCounters: await deleted('delete from auth_attempts where window_started_at < ?::timestamptz', before(1)),
    // An invitation or reset link that expired a week ago can only ever answer "expired".
    spentLinks: await deleted('delete from user_tokens where expires_at < ?::timestamptz', before(7)),
    // The webhook delivery log keeps a month, and at most so many rows a subscription (its rules: src/webhooks/delivery-log.ts).
    webhookDeliveries: await pruneDeliveryLog(orm, now),
  };
}
