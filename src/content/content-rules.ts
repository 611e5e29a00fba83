// Pure rules of the content plan: calendar arithmetic, channels from the accounts register, the days a
// month fills, and whether a public address belongs to its channel.
import type { ContentPlanDefaults } from '../methodology/content-plan.schema.ts';
import type { Methodology } from '../methodology/methodology.schema.ts';
import type { WeekdayTheme } from './content.entity.ts';

export const CHAT_CHANNEL = 'chat';

export interface Channel {
  key: string;
  network: string;
  address: string | null;
}

/** The register's rows that name a network and an address, each once, then the client chat. */
export function channelsFrom(rows: Record<string, unknown>[], columns: { network: string; address: string }): Channel[] {
  const channels: Channel[] = [];
  for (const row of rows) {
    const network = typeof row[columns.network] === 'string' ? (row[columns.network] as string) : '';
    const address = typeof row[columns.address] === 'string' ? (row[columns.address] as string).trim() : '';
    if (!network || !address) continue;
    const key = `${network}:${address}`;
    if (!channels.some((c) => c.key === key)) channels.push({ key, network, address });
  }
  return [...channels, { key: CHAT_CHANNEL, network: CHAT_CHANNEL, address: null }];
}

/** Without a content plan in the methodology (one frozen before it), the register and domains E1T uses. */
export const FALLBACK_REGISTER = { documentType: 'accounts-register', table: 'accounts', network: 'network', address: 'address' };

/** The themes an engagement starts from: the methodology's, or blank days for a methodology without them. */
export function defaultThemes(plan: ContentPlanDefaults | undefined): WeekdayTheme[] {
  return [1, 2, 3, 4, 5, 6, 7].map((weekday) => {
    const found = plan?.weekdayThemes.find((t) => t.weekday === weekday);
    return { weekday, theme: found ? { ...found.theme } : { en: '', ru: '' }, brief: found ? { ...found.brief } : { en: '', ru: '' } };
  });
}

export function formatsOf(methodology: Methodology): { id: string; label: { en: string; ru: string } }[] {
  return methodology.contentPlan?.formats ?? [{ id: 'post', label: { en: 'Post', ru: 'Пост' } }];
}

/** ISO weekday of a day: Monday 1, Sunday 7. */
export function weekdayOf(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The days of a month such as 2026-05. */
export function daysOfMonth(month: string): string[] {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** The ISO week of a day, as 2026-W19: weeks start on Monday and belong to the year of their Thursday. */
export function isoWeekOf(day: string): string {
  const thursday = addDays(day, 4 - weekdayOf(day));
  const year = Number(thursday.slice(0, 4));
  const firstThursday = addDays(`${year}-01-04`, 4 - weekdayOf(`${year}-01-04`));
  const week = 1 + Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${firstThursday}T00:00:00Z`)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday and Sunday of an ISO week such as 2026-W19. */
export function weekDays(week: string): { first: string; last: string } {
  const [year, w] = [Number(week.slice(0, 4)), Number(week.slice(6))];
  const jan4 = `${year}-01-04`;
  const first = addDays(addDays(jan4, 1 - weekdayOf(jan4)), (w - 1) * 7);
  return { first, last: addDays(first, 6) };
}

export const isMonth = (value: string) => /^(20\d\d|2100)-(0[1-9]|1[0-2])$/.test(value);
export const isWeek = (value: string) => /^(20\d\d|2100)-W(0[1-9]|[1-4]\d|5[0-3])$/.test(value) && isoWeekOf(weekDays(value).first) === value;

/** The days of the month a fill creates items on: inside the plan window and on a chosen weekday. */
export function daysToFill(month: string, window: { first: string; last: string }, weekdays: number[]): string[] {
  return daysOfMonth(month).filter((day) => day >= window.first && day <= window.last && weekdays.includes(weekdayOf(day)));
}

/** The host names a published address of this channel may be on (or be a subdomain of). */
export function allowedHosts(channel: Channel, plan: ContentPlanDefaults | undefined): string[] {
  if (channel.network === CHAT_CHANNEL) return plan?.chat.domains ?? [];
  const own = hostOf(channel.address ?? '');
  return [...(plan?.networkDomains[channel.network] ?? []), ...(own ? [own] : [])];
}

export function hostOf(address: string): string | null {
  try {
    const url = new URL(address);
    return /^https?:$/.test(url.protocol) ? url.hostname.toLowerCase().replace(/^www\./, '') : null;
  } catch {
    return null;
  }
}

/** An http(s) address on one of the hosts, or on a subdomain of one (m.vk.com is vk.com). An empty list allows any http(s) address. */
export function isOnHosts(address: string, hosts: string[]): boolean {
  const host = hostOf(address);
  if (!host) return false;
  return hosts.length === 0 || hosts.some((h) => host === h || host.endsWith(`.${h}`));
}
