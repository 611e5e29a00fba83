// Runs the background work on the queue in PostgreSQL, in the process that owns the database.
// pg-boss takes each job with SKIP LOCKED, so a second Troika on the same database never runs the
// same job twice at once, and its cron schedule fires once per minute across all of them. A job
// whose process was killed expires and is tried again, so every handler may run twice: each is
// written so a second run changes nothing (tidy deletes what is already gone).
import { PgBoss } from 'pg-boss';
import type { Orm } from '../db/orm.ts';
import { JOB_SCHEMA, QUEUES, type QueueName } from './queues.ts';
import { tidy } from './tidy.ts';

export interface JobRunnerOptions {
  url: string;
  orm: Orm;
  log: (line: string) => void;
  clock?: () => Date;
  /** How often an idle worker looks for jobs (seconds); tests make it short. */
  pollingIntervalSeconds?: number;
}

export interface JobRunner {
  /** Puts one job on a queue now, as its schedule would. */
  enqueue(name: QueueName): Promise<string | null>;
  stop(): Promise<void>;
}

export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const { orm, log } = options;
  const clock = options.clock ?? (() => new Date());
  // The owner made and migrated the schema at start; this role may only use its rows.
  const boss = new PgBoss({ connectionString: options.url, schema: JOB_SCHEMA, migrate: false, createSchema: false, max: 3 });
  boss.on('error', (error) => log(`job queue: ${error instanceof Error ? error.message : String(error)}`));
  await boss.start();
  const handlers: Record<QueueName, () => Promise<string>> = {
    tidy: async () => {
      const n = await tidy(orm, clock());
      return `tidied ${n.formKeys} old form keys, ${n.signInCounters} sign-in counters, ${n.spentLinks} expired links`;
    },
  };
  for (const spec of Object.values(QUEUES)) {
    if (spec.cron) await boss.schedule(spec.name, spec.cron, null, { tz: 'UTC' });
    await boss.work(spec.name, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 30 }, async () => {
      log(`job ${spec.name}: ${await handlers[spec.name as QueueName]()}`);
    });
  }
  return {
    enqueue: (name) => boss.send(QUEUES[name].name, null),
    // Lets a job in progress finish (bounded), so a shutdown does not leave it to expire and rerun.
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}
