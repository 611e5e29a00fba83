// The background work Troika does, as data: each queue's name, how it retries and when it runs
// by itself. Queues are made once, by the schema's owner, at start (see job-schema.ts): the app's
// own role only adds, takes and finishes jobs, it never changes the job tables.
export const JOB_SCHEMA = 'troika_jobs';

export interface QueueSpec {
  name: string;
  /** Five-field cron, in UTC, for work that runs by itself. */
  cron?: string;
  retryLimit: number;
  retryDelaySeconds: number;
  /** Doubles the delay after each failed try. */
  retryBackoff?: boolean;
  /** A job running longer than this counts as lost (its process died) and is tried again. */
  expireInSeconds: number;
}

export const QUEUES = {
  /** Deletes what has served its purpose: old form keys, sign-in counters, spent links. */
  tidy: { name: 'tidy', cron: '17 3 * * *', retryLimit: 3, retryDelaySeconds: 600, expireInSeconds: 600 },
  /** One webhook delivery per job; each job carries its own retry settings (src/webhooks/deliver.ts). */
  webhook: { name: 'webhook', retryLimit: 8, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 60 },
} as const satisfies Record<string, QueueSpec>;

export type QueueName = keyof typeof QUEUES;
