// How long the delivery log keeps its rows. A delivery row is a record of an attempt to tell a
// subscriber, not part of the engagement's history (the events are), so the nightly tidy may let old
// ones go: a month of them answers "did my endpoint get it?", and a cap per subscription keeps a
// chatty firm-wide subscription from growing the table without end.
import type { Orm } from '../db/orm.ts';

/** Rows older than this go, whatever their status: the last retry ends hours after the first attempt (deliver.ts). */
export const DELIVERY_LOG_DAYS = 30;
/** Past the newest this many of a subscription, finished rows go too; one still pending or retrying stays until it ends. */
export const DELIVERY_LOG_PER_SUBSCRIPTION = 1000;

const FINISHED = `('delivered', 'failed', 'refused')`;
const DAY = 24 * 3_600_000;

/** Deletes the old rows and returns how many went; run again at once, it finds none. */
export async function pruneDeliveryLog(orm: Orm, now: Date, keep = { days: DELIVERY_LOG_DAYS, perSubscription: DELIVERY_LOG_PER_SUBSCRIPTION }): Promise<number> {
  const conn = orm.em.getConnection();
  const count = async (sql: string, params: unknown[]) => Number(((await conn.execute(`with gone as (${sql} returning 1) select count(*)::int as n from gone`, params)) as { n: number }[])[0]?.n ?? 0);
  // A job still queued for a row deleted here finds no row and does nothing (attemptDelivery).
  const byAge = await count('delete from webhook_deliveries where created_at < ?::timestamptz', [new Date(now.getTime() - keep.days * DAY).toISOString()]);
  // The same order as the log page (subscriptions.service.ts): newest first, by event within the same moment.
  const byCount = await count(
    `delete from webhook_deliveries d using (
       select id from (select id, status, row_number() over (partition by subscription_id order by created_at desc, event_id desc) as n from webhook_deliveries) ranked
        where ranked.n > ? and ranked.status in ${FINISHED}) old
     where d.id = old.id`,
    [keep.perSubscription],
  );
  return byAge + byCount;
}
