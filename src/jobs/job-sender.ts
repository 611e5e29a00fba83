// Puts jobs on the queue inside the caller's own database transaction, through pg-boss's `db`
// option: the job rows commit or roll back with the rows that caused them, so a command that
// fails, or a notifier batch that crashes, leaves no job behind, and a committed one always has its job.
import type { EntityManager } from '@mikro-orm/core';
import { CompiledQuery } from 'kysely';
import { PgBoss, type Db as IDatabase, type JobInsert } from 'pg-boss';
import { JOB_SCHEMA, QUEUES, type QueueName } from './queues.ts';

export interface JobSender {
  /** Adds the jobs in the transaction `em` is in (em must be inside `transactional`). */
  sendInTransaction(em: EntityManager, queue: QueueName, jobs: JobInsert[]): Promise<void>;
  stop(): Promise<void>;
}

/** pg-boss writes numbered parameters ($1); MikroORM's execute() inlines "?" ones, so the statement goes to the driver as is. */
function transactionDb(em: EntityManager): IDatabase {
  const ctx = em.getTransactionContext() as { executeQuery(q: CompiledQuery): Promise<{ rows: unknown[] }> } | undefined;
  if (!ctx) throw new Error('jobs must be sent inside a transaction');
  return { executeSql: async (text, values) => ({ rows: (await ctx.executeQuery(CompiledQuery.raw(text, values ?? []))).rows }) };
}

export async function startJobSender(url: string, log: (line: string) => void): Promise<JobSender> {
  // A producer only: it neither supervises nor schedules; the runner (this process or `npm run worker`) does.
  const boss = new PgBoss({ connectionString: url, schema: JOB_SCHEMA, migrate: false, createSchema: false, supervise: false, schedule: false, max: 2 });
  boss.on('error', (error) => log(`job queue: ${error instanceof Error ? error.message : String(error)}`));
  await boss.start();
  return {
    async sendInTransaction(em, queue, jobs) {
      if (jobs.length) await boss.insert(QUEUES[queue].name, jobs, { db: transactionDb(em) });
    },
    stop: () => boss.stop({ graceful: false, close: true }),
  };
}
