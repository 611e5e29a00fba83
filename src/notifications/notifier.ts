// Turns committed events into notifications. The outbox rows come from a trigger in each event's
// own transaction; a batch is taken with SKIP LOCKED and deleted in the same transaction that
// writes its notifications, so each event is told exactly once, even with several processes,
// and a crash mid-batch leaves the batch to the next run.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { ServiceDeps } from '../engagement/command.ts';
import { notificationsFor, type EventFacts } from './notification-rules.ts';
import { modesFor } from './preferences.ts';
import type { JobSender } from '../jobs/job-sender.ts';
import { startOutboxPoller, type OutboxPoller } from '../jobs/outbox-poller.ts';

/** What the notifier needs: the services' storage, and (optionally) the queue for the e-mails. */
export type NotifierDeps = Pick<ServiceDeps, 'orm' | 'methodologies'> & { jobs?: Pick<JobSender, 'sendInTransaction'> };

const marks = (values: unknown[]) => values.map(() => '?').join(', ');
const sql = <T>(em: EntityManager, query: string, params: unknown[] = []) => em.getConnection().execute(query, params, 'all', em.getTransactionContext()) as Promise<T[]>;

interface EventRow {
  id: number;
  engagement_id: string;
  actor_id: string | null;
  type: string;
  payload: Record<string, unknown>;
  at: Date;
  methodology_hash: string;
}

/** Notifies one batch of committed events; returns how many events it took (0: none waiting). */
export async function notifyPendingEvents(deps: NotifierDeps, batch = 200): Promise<number> {
  return deps.orm.em.fork().transactional(async (em) => {
    const events = await sql<EventRow>(
      em,
      `with taken as (delete from event_outbox where event_id in (select event_id from event_outbox order by event_id limit ? for update skip locked) returning event_id)
       select e.id, e.engagement_id, e.actor_id, e.type, e.payload, e.at, g.methodology_hash
       from engagement_events e join taken t on t.event_id = e.id join engagements g on g.id = e.engagement_id order by e.id`,
      [batch],
    );
    if (!events.length) return 0;
    const engagementIds = [...new Set(events.map((e) => e.engagement_id))];
    const participants = await sql<{ engagement_id: string; user_id: string; role: string }>(em, `select engagement_id, user_id, role from participants where engagement_id in (${marks(engagementIds)})`, engagementIds);
    const assignmentIds = events.map((e) => e.payload.assignmentId).filter((a): a is string => typeof a === 'string');
    const owners = assignmentIds.length ? await sql<{ id: string; user_id: string }>(em, `select id, user_id from training_assignments where id in (${marks(assignmentIds)})`, assignmentIds) : [];
    const itemIds = events.filter((e) => e.type.startsWith('content.')).map((e) => e.payload.itemId).filter((a): a is string => typeof a === 'string');
    const items = itemIds.length ? await sql<{ id: string; title: string; author_id: string | null }>(em, `select id, title, author_id from content_items where id in (${marks(itemIds)})`, itemIds) : [];
    const methodologies = await deps.methodologies.frozenMany(em, events.map((e) => e.methodology_hash));
    const rows: unknown[][] = [];
    for (const e of events) {
      const facts: EventFacts = { id: e.id, engagementId: e.engagement_id, actorId: e.actor_id, type: e.type, payload: e.payload };
      const wanted = notificationsFor(facts, {
        methodology: methodologies.get(e.methodology_hash)!.definition,
        participants: participants.filter((p) => p.engagement_id === e.engagement_id).map((p) => ({ userId: p.user_id, role: p.role })),
        assignmentOwner: owners.find((o) => o.id === e.payload.assignmentId)?.user_id ?? null,
        contentItem: ((i) => (i ? { title: i.title, authorId: i.author_id } : null))(items.find((i) => i.id === e.payload.itemId)),
      });
      for (const w of wanted) rows.push([randomUUID(), w.userId, e.engagement_id, e.id, w.kind, JSON.stringify(w.params), w.link, e.at]);
    }
    await storeAndQueueMail(em, deps, rows);
    return events.length;
  });
}

/**
 * Writes the entries a person has not turned off and, in the same transaction, queues the e-mail
 * of each "at once" one: the e-mail job exists exactly when its entry does.
 */
async function storeAndQueueMail(em: EntityManager, deps: NotifierDeps, rows: unknown[][]): Promise<void> {
  if (!rows.length) return;
  const mode = await modesFor(em, [...new Set(rows.map((r) => r[1] as string))], [...new Set(rows.map((r) => r[4] as string))]);
  const kept = rows.filter((r) => mode(r[1] as string, r[4] as string) !== 'off');
  if (!kept.length) return;
  const stored = await sql<{ id: string; user_id: string; kind: string; engagement_id: string }>(
    em,
    `insert into notifications (id, user_id, engagement_id, event_id, kind, params, link, created_at) values ${kept.map(() => '(?, ?, ?, ?, ?, ?::jsonb, ?, ?)').join(', ')}
     on conflict (event_id, user_id, kind) do nothing returning id, user_id, kind, engagement_id`,
    kept.flat(),
  );
  const mailNow = stored.filter((n) => mode(n.user_id, n.kind) === 'now');
  await deps.jobs?.sendInTransaction(em, 'notificationMail', mailNow.map((n) => ({ data: { notificationId: n.id, engagementId: n.engagement_id }, singletonKey: n.id })));
}

export type Notifier = OutboxPoller;

/** Looks for new events every few seconds in the process that owns the database. */
export function startNotifier(deps: NotifierDeps, log: (line: string) => void, everyMs = 2_000): Notifier {
  return startOutboxPoller('notifications', () => notifyPendingEvents(deps), log, everyMs);
}
