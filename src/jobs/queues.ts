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
  /** A job running longer than this counts as lost (its process died) and is tried again. */
  expireInSeconds: number;
  /** Waits retryDelaySeconds, then about twice as long each time, up to retryDelayMaxSeconds. */
  retryBackoff?: boolean;
  retryDelayMaxSeconds?: number;
  /** How long a finished or failed job is kept, so the consultant can see what failed (src/reminders/failed-jobs.queries.ts). */
  keepSeconds?: number;
  /** The worker beats while it runs the job; a job whose beat stops (its process was killed) is retried this soon. */
  heartbeatSeconds?: number;
}

const DAYS = 24 * 3_600;

export const QUEUES = {
  /** Deletes what has served its purpose: old form keys, sign-in counters, spent links. */
  tidy: { name: 'tidy', cron: '17 3 * * *', retryLimit: 3, retryDelaySeconds: 600, expireInSeconds: 600 },
  /** The e-mail of one "at once" notification, queued in the transaction that wrote the entry. */
  notificationMail: { name: 'notification-mail', retryLimit: 10, retryDelaySeconds: 10, retryBackoff: true, retryDelayMaxSeconds: 3_600, expireInSeconds: 300, heartbeatSeconds: 10, keepSeconds: 30 * DAYS },
  /** Looks for approvals and tasks to remind of; the rules' keys make a second look change nothing. */
  reminders: { name: 'reminders', cron: '*/15 * * * *', retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 600, keepSeconds: 30 * DAYS },
  /** The daily digest; its hour is TROIKA_DIGEST_HOUR (the cron here is the default, 08:00). */
  digest: { name: 'digest', cron: '0 8 * * *', retryLimit: 5, retryDelaySeconds: 120, retryBackoff: true, expireInSeconds: 900, keepSeconds: 30 * DAYS },
  /** One webhook delivery per job; each job carries its own retry settings (src/webhooks/deliver.ts). */
  webhook: { name: 'webhook', retryLimit: 8, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 60 },
} as const satisfies Record<string, QueueSpec>;

export type QueueName = keyof typeof QUEUES;
