// Turns committed events into webhook deliveries. Like the notifier, but with its own outbox (filled by
// its own trigger): a batch is taken with SKIP LOCKED, and in the same transaction the delivery rows are
// written and their jobs put on the queue (pg-boss writes through this transaction's connection), so an
// event gets exactly one delivery per matching subscription and a crash mid-batch leaves the batch whole.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Db as IDatabase } from 'pg-boss';
import { wantsEvent } from './event-kinds.ts';
import { startOutboxPoller, type OutboxPoller } from '../jobs/outbox-poller.ts';

export type EnqueueDelivery = (deliveryId: string, db: IDatabase) => Promise<unknown>;

export async function dispatchPendingEvents(pool: pg.Pool, enqueue: EnqueueDelivery, batch = 200): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const events = (await client.query<{ id: number; engagement_id: string; type: string; at: Date }>(
      `with taken as (delete from webhook_outbox where event_id in (select event_id from webhook_outbox order by event_id limit $1 for update skip locked) returning event_id)
       select e.id, e.engagement_id, e.type, e.at from engagement_events e join taken t on t.event_id = e.id order by e.id`,
      [batch],
    )).rows;
    if (events.length) {
      const engagementIds = [...new Set(events.map((e) => e.engagement_id))];
      const subscriptions = (await client.query<{ id: string; engagement_id: string | null; event_types: string[]; after_event_id: number }>(
        `select id, engagement_id, event_types, after_event_id from webhook_subscriptions where engagement_id is null or engagement_id = any($1::uuid[])`,
        [engagementIds],
      )).rows;
      const db: IDatabase = { executeSql: (text: string, values?: unknown[]) => client.query(text, values as unknown[]) };
      for (const e of events) {
        for (const s of subscriptions) {
          if ((s.engagement_id !== null && s.engagement_id !== e.engagement_id) || !wantsEvent(s.event_types, e.type)) continue;
          // An event from before the subscription, still waiting in the outbox, is not the subscriber's.
          if (e.id <= s.after_event_id) continue;
          const made = await client.query(
            `insert into webhook_deliveries (id, subscription_id, event_id, created_at) values ($1, $2, $3, now()) on conflict (subscription_id, event_id) do nothing returning id`,
            [randomUUID(), s.id, e.id],
          );
          if (made.rows[0]) await enqueue(made.rows[0].id as string, db);
        }
      }
    }
    await client.query('commit');
    return events.length;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export type Dispatcher = OutboxPoller;

export function startDispatcher(url: string, enqueue: EnqueueDelivery, log: (line: string) => void, everyMs = 2_000): Dispatcher {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', (e) => log(`webhooks: ${e.message}`));
  const poller = startOutboxPoller('webhooks', () => dispatchPendingEvents(pool, enqueue), log, everyMs);
  return {
    drain: poller.drain,
    async stop() {
      await poller.stop();
      await pool.end();
    },
  };
}
