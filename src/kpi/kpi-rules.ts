// Pure rules of the KPIs: rows of the target criteria as KPIs, ISO weeks, the weekly series (entered or
// summed from measured content), the status by its stated arithmetic, and a trend for the next quarter.
import type { KpiSettings, Measure } from '../methodology/kpi.schema.ts';
import { addDays, isoWeekOf, weekDays } from '../content/content-rules.ts';

export type Better = 'higher' | 'lower';
export type KpiStatus = 'noData' | 'onTrack' | 'behind' | 'met';

/** A KPI as the target criteria's row defines it. */
export interface KpiDefinition {
  key: string;
  metric: string;
  unit: string | null;
  network: string | null;
  better: Better;
  baseline: number;
  target: number;
  targetDate: string;
  /** A measured result of the content items (Measure), or the id of a desk share (kpis.deskShares). */
  measure: string | null;
  responsible: string | null;
  source: string | null;
}

/** What the arithmetic reads of a stored KPI. */
export interface KpiFacts {
  baseline: number;
  target: number;
  better: string;
  startsOn: string;
  targetDate: string;
}

export interface WeekValue {
  week: string;
  value: number;
}

/** One metric per network: "Followers" and " followers " are the same KPI, on VK and on Facebook two. */
export const kpiKey = (metric: string, network: string | null) => `${metric.trim().replace(/\s+/g, ' ').toLowerCase()}|${network ?? ''}`;

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);
const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * Each row with a metric, a target and a date becomes a KPI (the document's own rules make those
 * required). Without a baseline it starts from zero; without "better when", the target says which way.
 * A metric repeated on the same network is tracked once, as its first row says.
 */
export function kpisFromContent(content: Record<string, unknown>, settings: KpiSettings): KpiDefinition[] {
  const rows = content[settings.targets.table];
  const measures = new Set<string>([...settings.measures.map((m) => m.id), ...(settings.deskShares ?? []).map((d) => d.id)]);
  const found: KpiDefinition[] = [];
  for (const row of Array.isArray(rows) ? (rows as Record<string, unknown>[]) : []) {
    const metric = text(row.metric);
    const target = number(row.target);
    const targetDate = text(row.date);
    if (!metric || target === null || !targetDate) continue;
    const baseline = number(row.baseline) ?? 0;
    const network = text(row.network);
    const key = kpiKey(metric, network);
    if (found.some((k) => k.key === key)) continue;
    const better = row.better === 'lower' || row.better === 'higher' ? row.better : target >= baseline ? 'higher' : 'lower';
    const measure = text(row.measuredBy);
    found.push({
      key, metric: metric.slice(0, 300), unit: text(row.unit)?.slice(0, 100) ?? null, network, better, baseline, target, targetDate,
      measure: measure && measures.has(measure) ? measure : null, responsible: text(row.responsible)?.slice(0, 300) ?? null, source: text(row.source)?.slice(0, 300) ?? null,
    });
  }
  return found;
}

/** The last day of an ISO week: its actual stands for the KPI on that Sunday. */
export const weekEnd = (week: string) => weekDays(week).last;

/** The last `count` weeks that have ended before the week of `today`, oldest first. */
export function lastCompletedWeeks(today: string, count: number): string[] {
  const monday = weekDays(isoWeekOf(today)).first;
  return Array.from({ length: count }, (_, i) => isoWeekOf(addDays(monday, -7 * (count - i)))).filter((w, i, all) => all.indexOf(w) === i);
}

/** The weeks from the one holding `first` to the one holding `last`, oldest first. */
export function weeksBetween(first: string, last: string): string[] {
  const weeks: string[] = [];
  for (let day = weekDays(isoWeekOf(first)).first; day <= last; day = addDays(day, 7)) weeks.push(isoWeekOf(day));
  return weeks;
}

/**
 * Of the last `count` completed weeks, those without an actual; a week that ended before the KPI began
 * to be tracked asks for nothing.
 */
export function missingWeeks(startsOn: string, weeksWithActuals: Set<string>, today: string, count: number): string[] {
  return lastCompletedWeeks(today, count).filter((w) => weekEnd(w) >= startsOn && !weeksWithActuals.has(w));
}

const DAY = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY;

/** How much of the way from the start of tracking to the target date has passed on `day`: 0 to 1. */
export function elapsedShare(startsOn: string, targetDate: string, day: string): number {
  const total = dayNumber(targetDate) - dayNumber(startsOn);
  if (total <= 0) return 1;
  return Math.min(1, Math.max(0, (dayNumber(day) - dayNumber(startsOn)) / total));
}

/** expected = baseline + (target − baseline) × elapsed share. */
export function expectedOn(kpi: KpiFacts, day: string): number {
  return kpi.baseline + (kpi.target - kpi.baseline) * elapsedShare(kpi.startsOn, kpi.targetDate, day);
}

/** "At least" for a KPI that should rise, "at most" for one that should fall. */
const reaches = (kpi: KpiFacts, value: number, mark: number) => (kpi.better === 'lower' ? value <= mark : value >= mark);

export interface KpiStanding {
  status: KpiStatus;
  latest: WeekValue | null;
  expected: number;
}

/**
 * Met when the latest actual has reached the target; on track when it has reached what the straight
 * line from the baseline to the target expects today; behind otherwise; no data without an actual.
 */
export function standingOf(kpi: KpiFacts, series: WeekValue[], today: string): KpiStanding {
  const expected = expectedOn(kpi, today);
  const latest = series.at(-1) ?? null;
  if (!latest) return { status: 'noData', latest, expected };
  const status = reaches(kpi, latest.value, kpi.target) ? 'met' : reaches(kpi, latest.value, expected) ? 'onTrack' : 'behind';
  return { status, latest, expected };
}

/** A measured item: the week it was published in, its network, and its results. */
export interface MeasuredItem {
  week: string;
  network: string;
  metrics: Record<string, number>;
}

/**
 * The weekly series of a KPI summed from measured items of its network (any network when it has none):
 * "week" sums that week's items; "running" adds every week so far to the baseline. Only weeks with
 * measured items have a value.
 */
export function measuredSeries(kpi: { network: string | null; baseline: number }, measure: Measure, sum: 'week' | 'running', items: MeasuredItem[]): WeekValue[] {
  const byWeek = new Map<string, number>();
  for (const item of items) {
    if (kpi.network && item.network !== kpi.network) continue;
    byWeek.set(item.week, (byWeek.get(item.week) ?? 0) + (item.metrics[measure] ?? 0));
  }
  let running = kpi.baseline;
  return [...byWeek.keys()].sort().map((week) => {
    running += byWeek.get(week)!;
    return { week, value: sum === 'running' ? running : byWeek.get(week)! };
  });
}

/** Entered actuals win over measured ones for the same week: a person corrected the figure. */
export function mergeSeries(measured: WeekValue[], entered: WeekValue[]): WeekValue[] {
  const byWeek = new Map(measured.map((v) => [v.week, v.value]));
  for (const v of entered) byWeek.set(v.week, v.value);
  return [...byWeek].sort(([a], [b]) => (a < b ? -1 : 1)).map(([week, value]) => ({ week, value }));
}

/**
 * The value the trend reaches by `day`: a straight line fitted through the weekly actuals (least
 * squares), carried on to that day. With fewer than two actuals there is no trend: null.
 */
export function trendValueOn(series: WeekValue[], day: string): number | null {
  if (series.length < 2) return null;
  const points = series.map((v) => ({ x: dayNumber(weekEnd(v.week)), y: v.value }));
  const meanX = points.reduce((s, p) => s + p.x, 0) / points.length;
  const meanY = points.reduce((s, p) => s + p.y, 0) / points.length;
  const spread = points.reduce((s, p) => s + (p.x - meanX) ** 2, 0);
  const slope = spread ? points.reduce((s, p) => s + (p.x - meanX) * (p.y - meanY), 0) / spread : 0;
  return meanY + slope * (dayNumber(day) - meanX);
}

/** The quarter after the one holding `day`: its label (2027 Q1) and its first and last days. */
export function nextQuarter(day: string): { label: string; first: string; last: string } {
  const [year, month] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  const quarter = Math.floor((month - 1) / 3) + 1;
  const [y, q] = quarter === 4 ? [year + 1, 1] : [year, quarter + 1];
  const first = `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
  const next = q === 4 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 1).padStart(2, '0')}-01`;
  return { label: `${y} Q${q}`, first, last: addDays(next, -1) };
}

/** A figure rounded for people: whole numbers stay whole, others keep two decimals. */
export const roundFigure = (value: number) => Math.round(value * 100) / 100;
