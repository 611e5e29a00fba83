// One attempt at one delivery, run by the job queue. The body and signature are built from the stored
// event each time (the same bytes for every attempt). A refused target is a final failure; a network
// error, timeout or non-2xx answer (a redirect included: redirects are not followed) is tried again by
// the queue with exponential backoff until the retry limit, then marked failed.
import type { EntityManager } from '@mikro-orm/core';
import type { Orm } from '../db/orm.ts';
import { checkTarget, TargetRefused, type TargetRules } from './address-guard.ts';
import { postWebhook, type PostResult } from './post-webhook.ts';
import { signatureOf } from './signature.ts';

export interface DeliverySettings extends TargetRules {
  timeoutMs: number;
  /** Attempts after the first; the queue waits retryDelaySeconds, then twice as long each time. */
  retryLimit: number;
  retryDelaySeconds: number;
}

export const DEFAULT_DELIVERY: Omit<DeliverySettings, 'allowPrivate'> = { timeoutMs: 10_000, retryLimit: 8, retryDelaySeconds: 30 };

/** Thrown so the queue tries the job again later. */
export class RetryLater extends Error {}

const sql = <T>(em: EntityManager, query: string, params: unknown[] = []) => em.getConnection().execute(query, params, 'all') as Promise<T[]>;

interface Row {
  id: string;
  status: string;
  attempts: number;
  target_url: string;
  secret: string;
  event_id: number;
  type: string;
  engagement_id: string;
  seq: number;
  at: Date;
  payload: unknown;
}

export function webhookBody(row: Pick<Row, 'id' | 'type' | 'engagement_id' | 'seq' | 'at' | 'payload'>): string {
  return JSON.stringify({ id: row.id, type: row.type, engagementId: row.engagement_id, seq: row.seq, at: new Date(row.at).toISOString(), payload: row.payload });
}

export async function attemptDelivery(orm: Orm, settings: DeliverySettings, deliveryId: string, clock: () => Date = () => new Date()): Promise<string> {
  const em = orm.em.fork();
  const [row] = await sql<Row>(
    em,
    `select d.id, d.status, d.attempts, s.target_url, s.secret, e.id as event_id, e.type, e.engagement_id, e.seq, e.at, e.payload
     from webhook_deliveries d join webhook_subscriptions s on s.id = d.subscription_id join engagement_events e on e.id = d.event_id where d.id = ?`,
    [deliveryId],
  );
  // Its subscription was removed meanwhile, or a rerun after the delivery already ended: nothing to do.
  if (!row || row.status === 'delivered' || row.status === 'failed') return `delivery ${deliveryId}: nothing to do`;
  const attempts = row.attempts + 1;
  const finish = async (status: string, result: Partial<PostResult>) => {
    await sql(em, `update webhook_deliveries set status = ?, attempts = ?, response_code = ?, response_ms = ?, error = ?, last_attempt_at = ? where id = ?`, [
      status, attempts, result.status ?? null, result.ms ?? null, result.error?.slice(0, 500) ?? null, clock(), deliveryId,
    ]);
    return `delivery ${deliveryId} (${row.type}) attempt ${attempts}: ${status}${result.status ? ` ${result.status}` : ''}${result.error ? ` (${result.error})` : ''}`;
  };
  let target;
  try {
    target = await checkTarget(row.target_url, settings);
  } catch (error) {
    if (!(error instanceof TargetRefused)) throw error;
    return finish('refused', { error: error.message });
  }
  const body = webhookBody({ ...row, id: deliveryId });
  const timestamp = Math.floor(clock().getTime() / 1000);
  const result = await postWebhook(target, {
    'X-Troika-Event': row.type,
    'X-Troika-Delivery': deliveryId,
    'X-Troika-Timestamp': String(timestamp),
    'X-Troika-Signature': signatureOf(row.secret, timestamp, body),
  }, body, settings.timeoutMs);
  if (result.status !== null && result.status >= 200 && result.status < 300) return finish('delivered', result);
  const failure = { ...result, error: result.error ?? (result.status !== null && result.status >= 300 && result.status < 400 ? 'redirect not followed' : null) };
  if (attempts > settings.retryLimit) return finish('failed', failure);
  throw new RetryLater(await finish('retrying', failure));
}
