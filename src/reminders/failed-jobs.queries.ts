// The engagement's background jobs that failed for good (every retry spent), for its consultant:
// pg-boss keeps them for 30 days (queues.ts keepSeconds), with the last error as their output.
import type { Orm } from '../db/orm.ts';
import { JOB_SCHEMA } from '../jobs/queues.ts';

export interface FailedJob {
  id: string;
  queue: string;
  attempts: number;
  failedAt: Date | null;
  error: string;
  kind: string | null;
  recipient: string | null;
}

export async function readFailedJobs(orm: Orm, engagementId: string): Promise<FailedJob[]> {
  const rows = (await orm.em.fork().getConnection().execute(
    `select j.id, j.name, j.retry_count, j.completed_on, j.output, n.kind, u.name as recipient
     from ${JOB_SCHEMA}.job j left join notifications n on n.id::text = j.data->>'notificationId' left join users u on u.id = n.user_id
     where j.state = 'failed' and j.data->>'engagementId' = ? order by j.completed_on desc nulls last limit 100`,
    [engagementId],
  )) as { id: string; name: string; retry_count: number; completed_on: Date | null; output: { message?: string } | null; kind: string | null; recipient: string | null }[];
  return rows.map((r) => ({
    id: r.id,
    queue: r.name,
    attempts: r.retry_count + 1,
    failedAt: r.completed_on ? new Date(r.completed_on) : null,
    error: String(r.output?.message ?? '').split('\n')[0]!.slice(0, 300),
    kind: r.kind,
    recipient: r.recipient,
  }));
}
