// Read side of the content plan: the plan page, the filtered list, the month calendar and one item's page.
import type { EntityManager } from '@mikro-orm/core';
import { Engagement, Participant } from '../engagement/engagement.entity.ts';
import { isUuid, type ServiceDeps } from '../engagement/command.ts';
import { requireViewer } from '../engagement/engagement-access.ts';
import { planWindow } from '../engagement/engagement.machine.ts';
import type { Methodology, Role } from '../methodology/methodology.schema.ts';
import { NotFoundError } from '../errors.ts';
import { renderMarkdown } from '../documents/markdown.ts';
import { ContentItem, ContentPlan, type WeekdayTheme } from './content.entity.ts';
import { isUnpublished } from './content-item.machine.ts';
import { addDays, daysOfMonth, defaultThemes, formatsOf, isoWeekOf, weekDays, weekdayOf, type Channel } from './content-rules.ts';
import { channelLabel, readChannels } from './channels.queries.ts';

type Language = 'en' | 'ru';

export interface ContentContext {
  em: EntityManager;
  engagement: Engagement;
  methodology: Methodology;
  role: Role;
  /** The owner, or the staff member the owner named to act for them: they approve. */
  actsAsOwner: boolean;
  /** A firm administrator who takes no part (engagement-access.ts): the consultant's plan without its actions. */
  readOnly: boolean;
  actorId: string;
  today: string;
  /** The clock's moment, as a datetime-local field shows it (UTC). */
  nowLocal: string;
  language: Language;
  header: { id: string; clientName: string; role: Role; plan: { first: string; last: string } };
  staff: { id: string; name: string }[];
  names: Map<string, string>;
  channels: (Channel & { label: string })[];
  themes: { weekday: number; theme: string; brief: string }[];
  formats: { id: string; label: string }[];
}

/** Everyone in the engagement reads the plan; anyone else, and any other engagement's item, is "not found". */
export async function readContentContext(deps: ServiceDeps, actorId: string, engagementId: string, language: Language, chatLabel: string): Promise<ContentContext> {
  const em = deps.orm.em.fork();
  const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId) : null;
  if (!engagement) throw new NotFoundError('Engagement');
  // A firm administrator who takes no part reads the consultant's plan, offered no action (readOnly).
  const { role, actsAsOwner, readOnly } = await requireViewer(em, engagement.id, actorId);
  const { definition: methodology } = await deps.methodologies.frozen(em, engagement.methodology.hash);
  const [participants, plan, channels] = await Promise.all([
    em.find(Participant, { engagement }, { populate: ['user'], orderBy: { addedAt: 'asc' } }),
    em.findOne(ContentPlan, { engagement }),
    readChannels(em, engagement, methodology),
  ]);
  return {
    em, engagement, methodology, role, actsAsOwner, readOnly, actorId, language,
    today: deps.clock().toISOString().slice(0, 10),
    nowLocal: deps.clock().toISOString().slice(0, 16),
    header: { id: engagement.id, clientName: engagement.clientName, role, plan: planWindow(engagement.plannedStart, engagement.snapshot.context) },
    staff: participants.filter((p) => p.role === 'staff').map((p) => ({ id: p.user.id, name: p.displayName })),
    names: new Map(participants.map((p) => [p.user.id, p.displayName])),
    channels: channels.map((c) => ({ ...c, label: channelLabel(methodology, c, language, chatLabel) })),
    themes: localThemes(plan?.weekdayThemes ?? defaultThemes(methodology.contentPlan), language),
    formats: formatsOf(methodology).map((f) => ({ id: f.id, label: f.label[language] })),
  };
}

const localThemes = (themes: WeekdayTheme[], language: Language) => themes.map((t) => ({ weekday: t.weekday, theme: t.theme[language], brief: t.brief[language] }));

export interface ItemRow {
  id: string;
  title: string;
  status: string;
  format: string;
  channel: string;
  channelLabel: string;
  plannedOn: string;
  week: string;
  authorId: string | null;
  authorName: string | null;
  isOverdue: boolean;
  publishedUrl: string | null;
}

export function toRow(c: ContentContext, item: ContentItem): ItemRow {
  const label = c.channels.find((ch) => ch.key === item.channel)?.label ?? channelLabel(c.methodology, { network: item.network, address: item.accountAddress ?? null }, c.language, item.network);
  return {
    id: item.id, title: item.title, status: item.status, format: c.formats.find((f) => f.id === item.format)?.label ?? item.format,
    channel: item.channel, channelLabel: label, plannedOn: item.plannedOn, week: isoWeekOf(item.plannedOn),
    authorId: item.author?.id ?? null, authorName: item.author ? (c.names.get(item.author.id) ?? null) : null,
    isOverdue: item.plannedOn < c.today && isUnpublished(item.status), publishedUrl: item.publishedUrl ?? null,
  };
}

export interface ItemFilter {
  channel?: string;
  status?: string;
  author?: string;
  week?: string;
}

/** The items matching the filters, by planned day; the weeks that have items waiting for the owner. */
export async function listContentItems(c: ContentContext, filter: ItemFilter): Promise<{ rows: ItemRow[]; weeksWaiting: { week: string; count: number }[] }> {
  const where: Record<string, unknown> = { engagement: c.engagement };
  if (filter.channel) where.channel = filter.channel;
  if (filter.status) where.status = filter.status;
  if (filter.author) where.author = filter.author;
  if (filter.week) {
    const { first, last } = weekDays(filter.week);
    where.plannedOn = { $gte: first, $lte: last };
  }
  const [items, waiting] = await Promise.all([
    c.em.find(ContentItem, where, { orderBy: { plannedOn: 'asc', createdAt: 'asc' }, limit: 1000 }),
    c.em.find(ContentItem, { engagement: c.engagement, status: 'submitted' }, { fields: ['plannedOn'] }),
  ]);
  const weeks = new Map<string, number>();
  for (const item of waiting) weeks.set(isoWeekOf(item.plannedOn), (weeks.get(isoWeekOf(item.plannedOn)) ?? 0) + 1);
  return { rows: items.map((i) => toRow(c, i)), weeksWaiting: [...weeks].sort().map(([week, count]) => ({ week, count })) };
}

export interface CalendarDay {
  day: string;
  isInMonth: boolean;
  isToday: boolean;
  theme: string;
  items: ItemRow[];
  overdueCount: number;
}

/** The month as weeks of Monday to Sunday, with the days of the neighbouring months that fill them. */
export async function getContentCalendar(c: ContentContext, month: string): Promise<{ weeks: CalendarDay[][]; previous: string; next: string }> {
  const days = daysOfMonth(month);
  const first = addDays(days[0]!, 1 - weekdayOf(days[0]!));
  const last = addDays(days.at(-1)!, 7 - weekdayOf(days.at(-1)!));
  const items = await c.em.find(ContentItem, { engagement: c.engagement, plannedOn: { $gte: first, $lte: last } }, { orderBy: { plannedOn: 'asc', createdAt: 'asc' } });
  const rows = items.map((i) => toRow(c, i));
  const weeks: CalendarDay[][] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) {
    if (weekdayOf(day) === 1) weeks.push([]);
    const here = rows.filter((r) => r.plannedOn === day);
    weeks.at(-1)!.push({
      day, isInMonth: day.startsWith(month), isToday: day === c.today, theme: c.themes.find((t) => t.weekday === weekdayOf(day))?.theme ?? '',
      items: here, overdueCount: here.filter((r) => r.isOverdue).length,
    });
  }
  const shift = (by: number) => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const d = new Date(Date.UTC(y, m - 1 + by, 1));
    return d.toISOString().slice(0, 7);
  };
  return { weeks, previous: shift(-1), next: shift(1) };
}

export interface ItemPage {
  row: ItemRow;
  item: ContentItem;
  bodyHtml: string;
  canWrite: boolean;
  canDecide: boolean;
}

export async function getContentItem(c: ContentContext, itemId: string): Promise<ItemPage> {
  const item = isUuid(itemId) ? await c.em.findOne(ContentItem, { id: itemId, engagement: c.engagement }, { populate: ['author'] }) : null;
  if (!item) throw new NotFoundError('Content item');
  const isAuthor = item.author?.id === c.actorId;
  return {
    row: toRow(c, item), item, bodyHtml: renderMarkdown(item.body),
    canWrite: !c.readOnly && (c.role === 'consultant' || isAuthor || (c.role === 'staff' && !item.author)),
    canDecide: c.actsAsOwner && item.status === 'submitted',
  };
}

/** The months the engagement's plan touches, for the fill form and the calendar's first view. */
export function monthsOfPlan(plan: { first: string; last: string }): string[] {
  const months: string[] = [];
  for (let m = plan.first.slice(0, 7); m <= plan.last.slice(0, 7); ) {
    months.push(m);
    const [y, mo] = m.split('-').map(Number) as [number, number];
    m = new Date(Date.UTC(y, mo, 1)).toISOString().slice(0, 7);
  }
  return months;
}

/** The plan as CSV rows: day, weekday theme, channel, format, title, status, author, address. */
export async function contentPlanCsv(c: ContentContext, headings: string[], statusLabel: (s: string) => string): Promise<string> {
  const items = await c.em.find(ContentItem, { engagement: c.engagement }, { orderBy: { plannedOn: 'asc', createdAt: 'asc' }, populate: ['author'] });
  const cell = (value: string) => {
    // A cell starting with = + - @ would run as a formula in a spreadsheet: a leading quote keeps it text.
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [headings, ...items.map((i) => {
    const r = toRow(c, i);
    return [r.plannedOn, c.themes.find((t) => t.weekday === weekdayOf(r.plannedOn))?.theme ?? '', r.channelLabel, r.format, r.title, statusLabel(r.status), r.authorName ?? '', r.publishedUrl ?? ''];
  })];
  return `\uFEFF${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`;
}
