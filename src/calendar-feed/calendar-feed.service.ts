// Each person's calendar feed: a secret address made, replaced or turned off by its owner, and the feed it
// serves (their open tasks with deadlines and the content items they write, in every engagement they are in).
import { createHash, randomBytes } from 'node:crypto';
import type { Orm } from '../db/orm.ts';
import type { MethodologyRegistry } from '../methodology/methodology.registry.ts';
import { CalendarFeed } from './calendar-feed.entity.ts';
import { renderCalendar, type CalendarEvent } from './ics.ts';
import { Engagement, Participant } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';
import { taskTitle } from '../engagement/timeline.ts';
import { ContentItem } from '../content/content.entity.ts';
import { User } from '../users/user.entity.ts';

export interface FeedDeps {
  orm: Orm;
  methodologies: MethodologyRegistry;
  clock: () => Date;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export async function hasCalendarFeed(deps: FeedDeps, userId: string): Promise<Date | null> {
  return (await deps.orm.em.fork().findOne(CalendarFeed, { user: userId }))?.createdAt ?? null;
}

/** A new secret for the person: the old address, if any, stops working at once. Returns the secret, shown once. */
export async function renewCalendarFeed(deps: FeedDeps, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await deps.orm.em.fork().transactional(async (em) => {
    await em.nativeDelete(CalendarFeed, { user: userId });
    em.create(CalendarFeed, { user: userId, tokenHash: hashOf(token), createdAt: deps.clock() });
  });
  return token;
}

export async function revokeCalendarFeed(deps: FeedDeps, userId: string): Promise<void> {
  await deps.orm.em.fork().nativeDelete(CalendarFeed, { user: userId });
}

const ENDED = ['cancelled', 'completed'];

/** The feed behind a secret, or null for an unknown or revoked one. Only engagements the person is still in are read. */
export async function calendarFeedFor(deps: FeedDeps, token: string, baseUrl: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const em = deps.orm.em.fork();
  const feed = await em.findOne(CalendarFeed, { tokenHash: hashOf(token) }, { populate: ['user'] });
  if (!feed) return null;
  const user = feed.user as User;
  const language = user.locale === 'ru' ? 'ru' : 'en';
  const memberships = await em.find(Participant, { user }, { populate: ['engagement'] });
  const engagements = memberships.map((m) => m.engagement as Engagement).filter((e) => !ENDED.includes(e.state));
  const ids = engagements.map((e) => e.id);
  const [tasks, items, methodologies] = await Promise.all([
    ids.length ? em.find(Task, { engagement: { $in: ids }, assignee: user, status: 'open', deadline: { $ne: null } }, { orderBy: { deadline: 'asc' } }) : [],
    ids.length ? em.find(ContentItem, { engagement: { $in: ids }, author: user }, { orderBy: { plannedOn: 'asc' } }) : [],
    deps.methodologies.frozenMany(em, engagements.map((e) => e.methodology.hash)),
  ]);
  const byId = new Map(engagements.map((e) => [e.id, e]));
  const events: CalendarEvent[] = [
    ...tasks.map((task) => {
      const engagement = byId.get(task.engagement.id)!;
      const methodology = methodologies.get(engagement.methodology.hash)!.definition;
      return { uid: `task-${task.id}@troika`, summary: `${taskTitle(methodology, task, language)} · ${engagement.clientName}`, day: task.deadline!.toISOString().slice(0, 10), url: `${baseUrl}/engagements/${engagement.id}/tasks/${task.id}` };
    }),
    ...items.map((item) => {
      const engagement = byId.get(item.engagement.id)!;
      const url = `${baseUrl}/engagements/${engagement.id}/content/items/${item.id}`;
      const when = item.scheduledAt && ['scheduled', 'published', 'measured'].includes(item.status) ? { start: item.scheduledAt, minutes: 30 } : { day: item.plannedOn };
      return { uid: `content-${item.id}@troika`, summary: `${item.title} · ${engagement.clientName}`, description: item.status, url, ...when };
    }),
  ];
  return renderCalendar(`Troika · ${user.name}`, events, deps.clock());
}
