// Pure: the quarterly plan's and the final evaluation's fields as the Launch month's work fills them.
import type { KpiSummary } from './kpi.queries.ts';
import { nextQuarter, roundFigure, trendValueOn } from './kpi-rules.ts';
import { addDays, weekdayOf } from '../content/content-rules.ts';
import { percentAchieved } from '../documents/achievement.ts';

type Language = 'en' | 'ru';
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** What the fills read of a content item. */
export interface WorkItem {
  channelLabel: string;
  /** A methodology network, or null for the client chat. */
  network: string | null;
  format: string;
  plannedOn: string;
  status: string;
  publishedOn: string | null;
  author: string | null;
}

const isPublished = (item: WorkItem) => item.status === 'published' || item.status === 'measured';
const unique = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => !!v))];
const joined = (values: (string | null)[]) => unique(values).join(', ') || undefined;
const clean = <T extends Record<string, unknown>>(row: T) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;

/**
 * The target proposed for the end of next quarter: the weekly actuals' trend carried on to its last day,
 * never less ambitious than the current target; without a trend (fewer than two actuals), the target itself.
 */
export function proposedTarget(kpi: Pick<KpiSummary, 'series' | 'target' | 'better'>, quarterLast: string): number {
  const trend = trendValueOn(kpi.series, quarterLast);
  if (trend === null) return kpi.target;
  return roundFigure(kpi.better === 'lower' ? Math.min(trend, kpi.target) : Math.max(trend, kpi.target));
}

export interface QuarterlyInput {
  today: string;
  /** The last day of the engagement's plan: the next quarter is the one after it. */
  planEnd: string;
  kpis: KpiSummary[];
  items: WorkItem[];
  themes: { weekday: number; theme: string }[];
  regulations: string[];
  formatLabel: (id: string) => string;
}

export function quarterlyPlanFields(input: QuarterlyInput, current: Record<string, unknown>): Record<string, unknown> {
  const quarter = nextQuarter(input.planEnd);
  const themeOf = (weekday: number) => input.themes.find((t) => t.weekday === weekday)?.theme || DAYS[weekday - 1]!;
  const groups = new Map<string, WorkItem[]>();
  for (const item of input.items) {
    const key = `${weekdayOf(item.plannedOn)}|${item.network ?? ''}|${item.channelLabel}`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const rhythm = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, items]) => {
    const weekday = Number(key.split('|')[0]);
    const first = items[0]!;
    return { weekday, row: clean({ day: DAYS[weekday - 1], activity: `${themeOf(weekday)} — ${first.channelLabel}`.slice(0, 500), network: first.network ?? undefined, responsible: joined(items.map((i) => i.author)) }) };
  });
  const byChannel = new Map<string, WorkItem[]>();
  for (const item of input.items) byChannel.set(item.channelLabel, [...(byChannel.get(item.channelLabel) ?? []), item]);
  const cadence = [...byChannel].map(([channel, items]) => {
    const days = items.map((i) => i.plannedOn).sort();
    const weeks = Math.max(1, Math.ceil((Date.parse(days.at(-1)!) - Date.parse(days[0]!)) / (7 * 86_400_000) + 1 / 7));
    return clean({ channel, network: items[0]!.network ?? undefined, postsPerWeek: roundFigure(items.length / weeks), formats: joined(items.map((i) => input.formatLabel(i.format))), responsible: joined(items.map((i) => i.author)) });
  });
  // The first week of the quarter as the rhythm repeats it; without any item, a row for each weekday's theme.
  const monday = addDays(quarter.first, (8 - weekdayOf(quarter.first)) % 7);
  const plan = rhythm.length
    ? rhythm.map(({ weekday, row }) => clean({ date: addDays(monday, weekday - 1), channel: row.network, theme: themeOf(weekday), responsible: row.responsible }))
    : [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ date: addDays(monday, weekday - 1), theme: themeOf(weekday) }));
  const regulations = Array.isArray(current.regulations) && current.regulations.length ? current.regulations : input.regulations;
  return {
    ...current,
    quarter: quarter.label,
    kpiTargets: input.kpis.map((k) => clean({ metric: k.metric, unit: k.unit ?? undefined, network: k.network ?? undefined, target: proposedTarget(k, quarter.last), responsible: k.responsible ?? undefined })),
    weeklyRhythm: rhythm.map((r) => r.row),
    cadence,
    plan,
    ...(regulations.length ? { regulations } : {}),
  };
}

export interface EvaluationInput {
  today: string;
  kpis: KpiSummary[];
  items: WorkItem[];
  training: { participant: string; assigned: number; completed: number }[];
  language: Language;
}

const conclusionWords = {
  en: (met: number, all: number, share: number | null) => `${met} of ${all} KPIs reached their target.${share === null ? '' : ` ${share}% of the published items went out on time.`}`,
  ru: (met: number, all: number, share: number | null) => `Целевого значения достигли KPI: ${met} из ${all}.${share === null ? '' : ` В срок вышло ${share}% опубликованных материалов.`}`,
};

export function finalEvaluationFields(input: EvaluationInput, current: Record<string, unknown>): Record<string, unknown> {
  const published = input.items.filter(isPublished);
  const onTime = published.filter((i) => i.publishedOn !== null && i.publishedOn <= i.plannedOn);
  const share = published.length ? Math.round((onTime.length / published.length) * 100) : null;
  const channels = unique(input.items.map((i) => i.channelLabel));
  const met = input.kpis.filter((k) => k.standing.status === 'met').length;
  const conclusions = typeof current.conclusions === 'string' && current.conclusions.trim() ? current.conclusions : conclusionWords[input.language](met, input.kpis.length, share);
  return {
    ...current,
    evaluatedOn: input.today,
    results: input.kpis.map((k) => clean({ metric: k.metric, unit: k.unit ?? undefined, source: k.source ?? undefined, baseline: k.baseline, target: k.target, actual: k.standing.latest?.value })),
    publishedByChannel: channels.map((channel) => {
      const here = input.items.filter((i) => i.channelLabel === channel);
      return { channel, planned: here.length, published: here.filter(isPublished).length, onTime: onTime.filter((i) => i.channelLabel === channel).length };
    }),
    ...(share === null ? {} : { onTimeShare: share }),
    trainingCompletion: input.training,
    conclusions,
  };
}

/** Per cent achieved of a KPI, as the final evaluation computes it. */
export const achievedOf = (k: KpiSummary) => percentAchieved(k.baseline, k.target, k.standing.latest?.value);
