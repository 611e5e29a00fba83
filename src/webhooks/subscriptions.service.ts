// Webhook subscriptions: an engagement's, managed by its consultant (a command with an event, like every
// change to an engagement), or firm-wide, managed by firm administrators. The secret is returned once, at
// creation: it is kept (deliveries are signed with it) but never shown again.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { isUuid, runCommand, type ServiceDeps } from '../engagement/command.ts';
import { requireViewer } from '../engagement/engagement-access.ts';
import { Engagement } from '../engagement/engagement.entity.ts';
import { User } from '../users/user.entity.ts';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import { checkTarget, TargetRefused, type TargetRules } from './address-guard.ts';
import { newWebhookSecret } from './signature.ts';
import { claimFormKey } from '../forms/form-submission.ts';
import { WEBHOOK_EVENT_KINDS } from './event-kinds.ts';

export interface WebhookDeps extends ServiceDeps {
  webhooks?: TargetRules;
}

export interface SubscriptionInput {
  targetUrl: string;
  /** Empty: every kind. */
  eventTypes: string[];
}

export interface SubscriptionView {
  id: string;
  engagementId: string | null;
  targetUrl: string;
  eventTypes: string[];
  createdAt: Date;
}

export interface DeliveryView {
  id: string;
  eventId: number;
  eventType: string;
  status: string;
  attempts: number;
  responseCode: number | null;
  responseMs: number | null;
  error: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
}

const sql = <T>(em: EntityManager, query: string, params: unknown[] = []) => em.getConnection().execute(query, params, 'all', em.getTransactionContext()) as Promise<T[]>;

const rulesOf = (deps: WebhookDeps): TargetRules => deps.webhooks ?? { allowPrivate: false };

async function validated(deps: WebhookDeps, input: SubscriptionInput): Promise<SubscriptionInput> {
  const problems: { field: string; message: string }[] = [];
  const eventTypes = [...new Set(input.eventTypes)];
  if (eventTypes.some((t) => !(WEBHOOK_EVENT_KINDS as readonly string[]).includes(t))) problems.push({ field: 'eventTypes', message: 'choose event kinds from the list' });
  let targetUrl = input.targetUrl.trim();
  if (targetUrl.length > 2000) problems.push({ field: 'targetUrl', message: 'the address must be at most 2000 characters' });
  else {
    try {
      targetUrl = (await checkTarget(targetUrl, rulesOf(deps))).url.toString();
    } catch (error) {
      if (!(error instanceof TargetRefused)) throw error;
      problems.push({ field: 'targetUrl', message: error.message });
    }
  }
  if (problems.length) throw new InvalidInputError(problems);
  return { targetUrl, eventTypes };
}

async function insertSubscription(em: EntityManager, engagementId: string | null, actorId: string, input: SubscriptionInput, now: Date): Promise<{ id: string; secret: string }> {
  const [id, secret] = [randomUUID(), newWebhookSecret()];
  await sql(em, `insert into webhook_subscriptions (id, engagement_id, created_by, target_url, event_types, secret, created_at, after_event_id)
     values (?, ?, ?, ?, ?::jsonb, ?, ?, (select coalesce(max(id), 0) from engagement_events))`, [
    id, engagementId, actorId, input.targetUrl, JSON.stringify(input.eventTypes), secret, now,
  ]);
  return { id, secret };
}

/** The engagement's consultant subscribes; everyone else outside it learns nothing (404). */
export async function subscribeEngagement(deps: WebhookDeps, actorId: string, engagementId: string, raw: SubscriptionInput): Promise<{ id: string; secret: string }> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, async (ctx) => {
    // Checked after authorization, so an outsider cannot use the form to probe addresses.
    const input = await validated(deps, raw);
    const made = await insertSubscription(ctx.em, engagementId, actorId, input, ctx.now);
    ctx.record('webhook.subscribe', { subscriptionId: made.id, targetUrl: input.targetUrl, eventTypes: input.eventTypes });
    return made;
  });
}

export async function unsubscribeEngagement(deps: WebhookDeps, actorId: string, engagementId: string, subscriptionId: string): Promise<void> {
  await runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, async (ctx) => {
    if (!isUuid(subscriptionId)) throw new NotFoundError('Subscription');
    const gone = await sql<{ id: string }>(ctx.em, `delete from webhook_subscriptions where id = ? and engagement_id = ? returning id`, [subscriptionId, engagementId]);
    if (!gone.length) throw new NotFoundError('Subscription');
    ctx.record('webhook.unsubscribe', { subscriptionId });
  });
}

async function requireFirmAdmin(em: EntityManager, actorId: string): Promise<void> {
  const actor = isUuid(actorId) ? await em.findOne(User, actorId) : null;
  if (actor?.firmRole !== 'admin') throw new ForbiddenError('Only a firm administrator manages firm-wide webhooks');
}

export async function subscribeFirm(deps: WebhookDeps, actorId: string, raw: SubscriptionInput): Promise<{ id: string; secret: string }> {
  return deps.orm.em.fork().transactional(async (em) => {
    await requireFirmAdmin(em, actorId);
    await claimFormKey(em, deps.formKey, actorId, null);
    return insertSubscription(em, null, actorId, await validated(deps, raw), deps.clock());
  });
}

export async function unsubscribeFirm(deps: WebhookDeps, actorId: string, subscriptionId: string): Promise<void> {
  await deps.orm.em.fork().transactional(async (em) => {
    await requireFirmAdmin(em, actorId);
    const gone = isUuid(subscriptionId) ? await sql(em, `delete from webhook_subscriptions where id = ? and engagement_id is null returning id`, [subscriptionId]) : [];
    if (!gone.length) throw new NotFoundError('Subscription');
  });
}

/** Subscriptions with their latest deliveries: the engagement's (for its consultant) or the firm's (engagementId null, for administrators). */
export async function listSubscriptions(deps: WebhookDeps, actorId: string, engagementId: string | null, logSize = 20): Promise<{ subscription: SubscriptionView; deliveries: DeliveryView[] }[]> {
  const em = deps.orm.em.fork();
  if (engagementId === null) await requireFirmAdmin(em, actorId);
  else {
    const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId) : null;
    if (!engagement) throw new NotFoundError('Engagement');
    // The consultant's; a firm administrator who takes no part reads them too (engagement-access.ts), and changes nothing.
    await requireViewer(em, engagement.id, actorId, ['consultant']);
  }
  const subs = await sql<{ id: string; engagement_id: string | null; target_url: string; event_types: string[]; created_at: Date }>(
    em,
    `select id, engagement_id, target_url, event_types, created_at from webhook_subscriptions where ${engagementId === null ? 'engagement_id is null' : 'engagement_id = ?'} order by created_at`,
    engagementId === null ? [] : [engagementId],
  );
  const out = [];
  for (const s of subs) {
    const rows = await sql<{ id: string; event_id: number; type: string; status: string; attempts: number; response_code: number | null; response_ms: number | null; error: string | null; created_at: Date; last_attempt_at: Date | null }>(
      em,
      `select d.id, d.event_id, e.type, d.status, d.attempts, d.response_code, d.response_ms, d.error, d.created_at, d.last_attempt_at
       from webhook_deliveries d join engagement_events e on e.id = d.event_id where d.subscription_id = ? order by d.created_at desc, d.event_id desc limit ?`,
      [s.id, logSize],
    );
    out.push({
      subscription: { id: s.id, engagementId: s.engagement_id, targetUrl: s.target_url, eventTypes: s.event_types, createdAt: s.created_at },
      deliveries: rows.map((r) => ({ id: r.id, eventId: r.event_id, eventType: r.type, status: r.status, attempts: r.attempts, responseCode: r.response_code, responseMs: r.response_ms, error: r.error, createdAt: r.created_at, lastAttemptAt: r.last_attempt_at })),
    });
  }
  return out;
}
