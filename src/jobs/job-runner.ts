// Runs the background work on the queue in PostgreSQL: inside the process that owns the database
// (npm start), or alone (npm run worker). pg-boss takes each job with SKIP LOCKED, so a second
// Troika on the same database never runs the same job twice at once, and its cron schedule fires
// once per minute across all of them. A job whose process was killed expires and is tried again,
// so every handler may run twice: each is written so a second run changes nothing (tidy deletes
// what is already gone, reminders and e-mails are keyed in the database).
import { PgBoss, type Job } from 'pg-boss';
import type { Orm } from '../db/orm.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { MethodologyRegistry } from '../methodology/methodology.registry.ts';
import { mailNotification, sendDigests } from '../notifications/mail-jobs.ts';
import { sendDueReminders } from '../reminders/reminder-scan.ts';
import { startJobSender, type JobSender } from './job-sender.ts';
import { JOB_SCHEMA, QUEUES, type QueueName, type QueueSpec } from './queues.ts';
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
  /** How often pg-boss looks for jobs whose worker died (seconds); 15 unless a test makes it shorter. */
  superviseIntervalSeconds?: number;
  /** For the reminder and e-mail jobs; without them only tidy runs (as before they existed). */
  methodologies?: MethodologyRegistry;
  mailer?: Mailer;
  baseUrl?: string;
  /** The daily digest's hour and zone (TROIKA_DIGEST_HOUR, TROIKA_DIGEST_TIME_ZONE). */
  digest?: { hour: number; timeZone: string };
  /** Webhook deliveries (src/webhooks); without it no webhook is sent by this runner. */
  webhooks?: DeliverySettings & { dispatchEveryMs?: number };
}

export interface JobRunner {
  /** Puts one job on a queue now, as its schedule would. */
  enqueue(name: QueueName, data?: object): Promise<string | null>;
  /** Turns every event waiting in the webhook outbox into deliveries on the queue now. */
  dispatchWebhooks(): Promise<void>;
  stop(): Promise<void>;
}

type Handler = (data: Record<string, unknown>) => Promise<string>;

function handlersFor(options: JobRunnerOptions, sender: JobSender | null): Record<QueueName, Handler | null> {
  const { orm } = options;
  const clock = options.clock ?? (() => new Date());
  const mail = options.mailer && options.baseUrl ? { orm, mailer: options.mailer, baseUrl: options.baseUrl, clock } : null;
  return {
    tidy: async () => {
      const n = await tidy(orm, clock());
      return `tidied ${n.formKeys} old form keys, ${n.signInCounters} sign-in counters, ${n.spentLinks} expired links, ${n.webhookDeliveries} old webhook deliveries`;
    },
    notificationMail: mail && (async (data) => mailNotification(mail, String(data.notificationId))),
    reminders: options.methodologies && sender ? async () => `${await sendDueReminders({ orm, methodologies: options.methodologies!, jobs: sender }, clock())} new reminders` : null,
    digest: mail && (async () => sendDigests(mail)),
    // Webhooks are worked below, ten at a time, not by the one-at-a-time loop.
    webhook: null,
  };
}

export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const { log } = options;
  // The owner made and migrated the schema at start; this role may only use its rows.
  const boss = new PgBoss({ connectionString: options.url, schema: JOB_SCHEMA, migrate: false, createSchema: false, max: 3, superviseIntervalSeconds: options.superviseIntervalSeconds ?? 15 });
  boss.on('error', (error) => log(`job queue: ${error instanceof Error ? error.message : String(error)}`));
  await boss.start();
  const sender = options.methodologies ? await startJobSender(options.url, log) : null;
  const handlers = handlersFor(options, sender);
  for (const spec of Object.values(QUEUES) as QueueSpec[]) {
    const name = spec.name as string;
    const handler = handlers[(Object.keys(QUEUES) as QueueName[]).find((k) => QUEUES[k].name === name)!];
    if (!handler) continue;
    const cron = name === QUEUES.digest.name && options.digest ? `0 ${options.digest.hour} * * *` : spec.cron;
    const tz = name === QUEUES.digest.name && options.digest ? options.digest.timeZone : 'UTC';
    if (cron) await boss.schedule(name, cron, null, { tz });
    // One job at a time per worker (batchSize 1), so a failure fails only its own job and is retried alone.
    await boss.work(name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30, batchSize: 1 }, async ([job]: Job<Record<string, unknown>>[]) => {
      try {
        log(`job ${name}: ${await handler((job?.data ?? {}) as Record<string, unknown>)}`);
      } catch (error) {
        log(`job ${name} failed (${error instanceof Error ? error.message : String(error)}); pg-boss retries it with a growing pause`);
        throw error;
      }
    });
  }
  const dispatcher = options.webhooks ? await workWebhooks(boss, options, options.webhooks) : undefined;
  return {
    enqueue: (name, data) => boss.send(QUEUES[name].name, data ?? null),
    dispatchWebhooks: async () => dispatcher?.drain(),
    // Lets a job in progress finish (bounded), so a shutdown does not leave it to expire and rerun.
    stop: async () => {
      await dispatcher?.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
      await sender?.stop();
    },
  };
}

/**
 * Deliveries are taken ten at a time and sent side by side, each job failing (and so retried) alone:
 * one slow receiver holds up neither the others nor the queue. The dispatcher turns the webhook
 * outbox into delivery jobs; each job carries the retry settings, so they follow the configuration.
 */
async function workWebhooks(boss: PgBoss, options: JobRunnerOptions, webhooks: NonNullable<JobRunnerOptions['webhooks']>): Promise<Dispatcher> {
  const { orm, log } = options;
  const clock = options.clock ?? (() => new Date());
  const polling = options.pollingIntervalSeconds ?? 30;
  await boss.work(QUEUES.webhook.name, { pollingIntervalSeconds: Math.min(polling, 2), batchSize: 10, burstWhenBatchFull: true, perJobResults: true }, async (jobs) =>
    Promise.all(jobs.map(async (job) => {
      try {
        log(`job webhook: ${await attemptDelivery(orm, webhooks, (job.data as { deliveryId: string }).deliveryId, clock)}`);
        return { id: job.id, status: 'completed' as const };
      } catch (error) {
        log(`job webhook: ${error instanceof Error ? error.message : String(error)}`);
        return { id: job.id, status: 'failed' as const, output: { message: error instanceof Error ? error.message : String(error) } };
      }
    })));
  const retry = { retryLimit: webhooks.retryLimit, retryDelay: webhooks.retryDelaySeconds, retryBackoff: true, retryDelayMax: 3_600 };
  return startDispatcher(options.url, (deliveryId, db) => boss.send(QUEUES.webhook.name, { deliveryId }, { ...retry, db }), log, webhooks.dispatchEveryMs);
}
