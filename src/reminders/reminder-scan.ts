// The reminder schedule's job: reads what waits in every running engagement, asks the pure rules
// who is to be reminded today, and writes those reminders as inbox entries, each with its key, in
// one transaction with the e-mail jobs of the "at once" ones. A key already written is skipped, so
// the schedule can run every quarter of an hour, twice, or on two workers, and still remind once.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { Orm } from '../db/orm.ts';
import type { MethodologyRegistry } from '../methodology/methodology.registry.ts';
import { DEFAULT_REMINDERS } from '../methodology/reminders.schema.ts';
import type { JobSender } from '../jobs/job-sender.ts';
import { modesFor } from '../notifications/preferences.ts';
import { remindersFor, type EngagementFacts, type Reminder } from './reminder-rules.ts';

export interface ReminderDeps {
  orm: Orm;
  methodologies: MethodologyRegistry;
  jobs: Pick<JobSender, 'sendInTransaction'>;
}

const NOT_RUNNING = ['draft', 'paused', 'completed', 'cancelled'];
const marks = (values: unknown[]) => values.map(() => '?').join(', ');
const sql = <T>(em: EntityManager, query: string, params: unknown[] = []) => em.getConnection().execute(query, params, 'all', em.getTransactionContext()) as Promise<T[]>;

async function readFacts(em: EntityManager, methodologies: MethodologyRegistry): Promise<EngagementFacts[]> {
  const engagements = await sql<{ id: string; time_zone: string; methodology_hash: string }>(em, `select id, time_zone, methodology_hash from engagements where state not in (${marks(NOT_RUNNING)})`, NOT_RUNNING);
  if (!engagements.length) return [];
  const ids = engagements.map((e) => e.id);
  const people = await sql<{ engagement_id: string; user_id: string; role: string; acts_as_owner: boolean; display_name: string }>(em, `select engagement_id, user_id, role, acts_as_owner, display_name from participants where engagement_id in (${marks(ids)})`, ids);
  // The submission the document waits on is its latest one: a document sent back and sent again starts a new wait.
  const approvals = await sql<{ engagement_id: string; id: string; type_id: string; submitted_at: Date }>(
    em,
    `select d.engagement_id, d.id, d.type_id, (select max(e.at) from engagement_events e where e.engagement_id = d.engagement_id and e.type = 'document.submit' and e.payload->>'documentId' = d.id::text) as submitted_at
     from documents d where d.status = 'in_review' and d.engagement_id in (${marks(ids)})`,
    ids,
  );
  const tasks = await sql<{ engagement_id: string; id: string; key: string | null; title: string | null; deadline: Date; assignee_id: string }>(
    em,
    `select engagement_id, id, key, title, deadline, assignee_id from tasks where status = 'open' and deadline is not null and assignee_id is not null and engagement_id in (${marks(ids)})`,
    ids,
  );
  const frozen = await methodologies.frozenMany(em, engagements.map((e) => e.methodology_hash));
  return engagements.map((g) => {
    const m = frozen.get(g.methodology_hash)!.definition;
    const here = people.filter((p) => p.engagement_id === g.id);
    const taskTitle = (key: string | null, own: string | null) => (own ? { en: own, ru: own } : m.stages.flatMap((s) => s.tasks).find((t) => t.id === key)?.title);
    return {
      id: g.id,
      timeZone: g.time_zone,
      thresholds: m.reminders ?? DEFAULT_REMINDERS,
      // The one who approves: the owner, or the delegate the owner named to act for them.
      ownerIds: here.some((p) => p.acts_as_owner) ? here.filter((p) => p.acts_as_owner).map((p) => p.user_id) : here.filter((p) => p.role === 'owner').map((p) => p.user_id),
      consultantIds: here.filter((p) => p.role === 'consultant').map((p) => p.user_id),
      approvals: approvals.filter((a) => a.engagement_id === g.id && a.submitted_at).map((a) => ({ documentId: a.id, title: m.documentTypes.find((d) => d.id === a.type_id)?.title, submittedAt: new Date(a.submitted_at) })),
      tasks: tasks.filter((t) => t.engagement_id === g.id).map((t) => ({ taskId: t.id, title: taskTitle(t.key, t.title), deadline: new Date(t.deadline), assigneeId: t.assignee_id, assigneeName: here.find((p) => p.user_id === t.assignee_id)?.display_name ?? '' })),
    };
  });
}

/** Writes today's reminders; returns how many new ones were written (0 when all were already). */
export async function sendDueReminders(deps: ReminderDeps, now: Date): Promise<number> {
  return deps.orm.em.fork().transactional(async (em) => {
    const facts = await readFacts(em, deps.methodologies);
    const wanted: (Reminder & { engagementId: string })[] = facts.flatMap((f) => remindersFor(f, now).map((r) => ({ ...r, engagementId: f.id })));
    if (!wanted.length) return 0;
    const mode = await modesFor(em, [...new Set(wanted.map((w) => w.userId))], [...new Set(wanted.map((w) => w.kind))]);
    const kept = wanted.filter((w) => mode(w.userId, w.kind) !== 'off');
    if (!kept.length) return 0;
    const stored = await sql<{ id: string; user_id: string; kind: string; engagement_id: string }>(
      em,
      `insert into notifications (id, user_id, engagement_id, event_id, kind, params, link, created_at, reminder_key) values ${kept.map(() => '(?, ?, ?, null, ?, ?::jsonb, ?, ?, ?)').join(', ')}
       on conflict (reminder_key) do nothing returning id, user_id, kind, engagement_id`,
      kept.flatMap((w) => [randomUUID(), w.userId, w.engagementId, w.kind, JSON.stringify(w.params), w.link, now.toISOString(), w.key]),
    );
    const mailNow = stored.filter((n) => mode(n.user_id, n.kind) === 'now');
    await deps.jobs.sendInTransaction(em, 'notificationMail', mailNow.map((n) => ({ data: { notificationId: n.id, engagementId: n.engagement_id }, singletonKey: n.id })));
    return stored.length;
  });
}
