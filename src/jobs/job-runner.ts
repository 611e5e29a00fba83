// Runs the background work on the queue in PostgreSQL, in the process that owns the database.
// pg-boss takes each job with SKIP LOCKED, so a second Troika on the same database never runs the
// same job twice at once, and its cron schedule fires once per minute across all of them. A job
// whose process was killed expires and is tried again, so every handler may run twice: each is
// written so a second run changes nothing (tidy deletes what is already gone).
import { PgBoss } from 'pg-boss';
import type { Orm } from '../db/orm.ts';
import { JOB_SCHEMA, QUEUES, type QueueName } from './queues.ts';
import { tidy } from './tidy.ts';
import { attemptDelivery, type DeliverySettings } from '../webhooks/deliver.ts';
import { startDispatcher, type Dispatcher } from '../webhooks/dispatcher.ts';

export interface JobRunnerOptions {
  url: string;
  orm: Orm;
  log: (line: string) => void;
  clock?: () => Date;
  /** How often an idle worker looks for jobs (seconds); tests make it short. */
  pollingIntervalSeconds?: number;
  /** Webhook deliveries (src/webhooks); without it no webhook is sent by this runner. */
  webhooks?: DeliverySettings & { dispatchEveryMs?: number };
}

export interface JobRunner {
  /** Puts one job on a queue now, as its schedule would. */
  enqueue(name: QueueName): Promise<string | null>;
  /** Turns every event waiting in the webhook outbox into deliveries on the queue now. */
  dispatchWebhooks(): Promise<void>;
  stop(): Promise<void>;
}

export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const { orm, log } = options;
  const clock = options.clock ?? (() => new Date());
  // The owner made and migrated the schema at start; this role may only use its rows.
  const boss = new PgBoss({ connectionString: options.url, schema: JOB_SCHEMA, migrate: false, createSchema: false, max: 3 });
  boss.on('error', (error) => log(`job queue: ${error instanceof Error ? error.message : String(error)}`));
  await boss.start();
  const webhooks = options.webhooks;
  const handlers: Record<QueueName, (data: unknown) => Promise<string>> = {
    tidy: async () => {
      const n = await tidy(orm, clock());
      return `tidied ${n.formKeys} old form keys, ${n.signInCounters} sign-in counters, ${n.spentLinks} expired links`;
    },
    webhook: async (data) => {
      if (!webhooks) throw new Error('webhooks are not configured in this process');
      return attemptDelivery(orm, webhooks, (data as { deliveryId: string }).deliveryId, clock);
    },
  };
  const polling = options.pollingIntervalSeconds ?? 30;
  await boss.schedule(QUEUES.tidy.name, QUEUES.tidy.cron, null, { tz: 'UTC' });
  await boss.work(QUEUES.tidy.name, { pollingIntervalSeconds: polling }, async () => {
    log(`job tidy: ${await handlers.tidy(null)}`);
  });
  if (webhooks) {
    // Deliveries are taken ten at a time and sent side by side, each job failing (and so retried) alone:
    // one slow receiver holds up neither the others nor the queue.
    await boss.work(QUEUES.webhook.name, { pollingIntervalSeconds: Math.min(polling, 2), batchSize: 10, burstWhenBatchFull: true, perJobResults: true }, async (jobs) =>
      Promise.all(jobs.map(async (job) => {
        try {
          log(`job webhook: ${await handlers.webhook(job.data)}`);
          return { id: job.id, status: 'completed' as const };
        } catch (error) {
          log(`job webhook: ${error instanceof Error ? error.message : String(error)}`);
          return { id: job.id, status: 'failed' as const, output: { message: error instanceof Error ? error.message : String(error) } };
        }
      })));
  }
  let dispatcher: Dispatcher | undefined;
  if (webhooks) {
    // Each job carries the retry settings, so they follow the configuration rather than the queue's defaults.
    const retry = { retryLimit: webhooks.retryLimit, retryDelay: webhooks.retryDelaySeconds, retryBackoff: true, retryDelayMax: 3_600 };
    dispatcher = startDispatcher(options.url, (deliveryId, db) => boss.send(QUEUES.webhook.name, { deliveryId }, { ...retry, db }), log, webhooks.dispatchEveryMs);
  }
  return {
    enqueue: (name) => boss.send(QUEUES[name].name, null),
    dispatchWebhooks: async () => dispatcher?.drain(),
    // Lets a job in progress finish (bounded), so a shutdown does not leave it to expire and rerun.
    stop: async () => {
      await dispatcher?.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
