// The engagement's months as a server-rendered SVG: a bar per stage, today's line, overdue tasks as dots.
import type { Timeline } from '../../engagement/timeline.ts';

export const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface TimelineLabels {
  today: string;
  overdue: (title: string) => string;
  /** The month as the reader names it at the axis ("Mar 2026", "март 2026"). */
  month: (date: Date) => string;
  /** What the picture shows, for a screen reader. */
  title: string;
}

const WIDTH = 600;
const LABEL = 130;
const ROW = 34;
/** Two axis rows above the bars: the months, then the days of the month. */
const MONTH_Y = 12;
const DAY_Y = 28;
const TOP = 36;
const DAY = 86_400_000;
/** The narrowest gap between two day numbers that still reads. */
const MIN_TICK_GAP = 24;

/** Returns markup with every text escaped; null when the engagement has not started (no dates yet). */
export function renderTimelineSvg(timeline: Timeline, now: Date, labels: TimelineLabels): string | null {
  const planned = timeline.stages.filter((s) => s.plannedStart && s.deadline);
  if (planned.length === 0) return null;
  const start = Math.min(...planned.map((s) => Date.parse(s.plannedStart!)));
  const end = Math.max(...planned.map((s) => Date.parse(s.deadline!)), now.getTime());
  const span = Math.max(end - start, 1);
  const x = (t: number) => LABEL + ((WIDTH - LABEL - 10) * (t - start)) / span;
  const height = TOP + planned.length * ROW + 20;
  const parts: string[] = renderAxis(start, end, x, height, labels);
  planned.forEach((stage, i) => {
    const y = TOP + i * ROW;
    const x0 = x(Date.parse(stage.plannedStart!));
    const x1 = x(Date.parse(stage.deadline!));
    const state = stage.completedAt ? 'done' : stage.isCurrent ? 'current' : 'future';
    parts.push(`<text x="4" y="${y + 19}" class="tl-label">${escapeXml(stage.title)}</text>`);
    parts.push(`<rect x="${x0.toFixed(1)}" y="${y + 4}" width="${Math.max(x1 - x0, 2).toFixed(1)}" height="22" rx="4" class="tl-bar tl-${state}"><title>${escapeXml(`${stage.title}: ${stage.plannedStart!.slice(0, 10)} – ${stage.deadline!.slice(0, 10)}`)}</title></rect>`);
    if (stage.progress.total) {
      const w = ((x1 - x0) * stage.progress.percent) / 100;
      parts.push(`<rect x="${x0.toFixed(1)}" y="${y + 22}" width="${w.toFixed(1)}" height="4" class="tl-progress"/>`);
    }
    timeline.overdueTasks
      .filter((t) => t.stageId === stage.id && t.deadline)
      .forEach((task, k) => {
        const cx = x(Date.parse(task.deadline!));
        parts.push(`<circle cx="${cx.toFixed(1)}" cy="${y + 15}" r="${5 + (k % 2)}" class="tl-overdue"><title>${escapeXml(labels.overdue(task.title))}</title></circle>`);
      });
  });
  const today = x(now.getTime());
  parts.push(`<line x1="${today.toFixed(1)}" x2="${today.toFixed(1)}" y1="${TOP - 2}" y2="${height - 16}" class="tl-today"/>`);
  parts.push(`<text x="${today.toFixed(1)}" y="${height - 4}" text-anchor="middle" class="tl-today-label">${escapeXml(labels.today)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" class="timeline" role="img" aria-labelledby="timeline-title"><title id="timeline-title">${escapeXml(labels.title)}</title>${parts.join('')}</svg>`;
}

const startOfDay = (t: number) => Math.floor(t / DAY) * DAY;

/**
 * The date axis: a line and a name at each month's first day (and the first, partial month), and the
 * day of the month at a step that keeps the numbers apart: every day, every other, weekly or fortnightly.
 */
function renderAxis(start: number, end: number, x: (t: number) => number, height: number, labels: TimelineLabels): string[] {
  const parts: string[] = [];
  const perDay = (x(start + DAY) - x(start)) || 1;
  const step = [1, 2, 7, 14].find((days) => days * perDay >= MIN_TICK_GAP);
  const first = new Date(startOfDay(start));
  const months: number[] = [Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1)];
  while (months.at(-1)! < end) {
    const last = new Date(months.at(-1)!);
    months.push(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 1));
  }
  months.forEach((month, i) => {
    const at = Math.max(month, startOfDay(start));
    if (at > end) return;
    const next = months[i + 1] ?? end;
    // A partial first month too short for its name gives its place to the next month's.
    if (x(next) - x(at) < 56 && i === 0 && month < startOfDay(start)) return;
    parts.push(`<line x1="${x(at).toFixed(1)}" x2="${x(at).toFixed(1)}" y1="2" y2="${height - 16}" class="tl-month-line"/>`);
    parts.push(`<text x="${(x(at) + 4).toFixed(1)}" y="${MONTH_Y}" class="tl-month">${escapeXml(labels.month(new Date(at)))}</text>`);
  });
  if (!step) return parts;
  for (let day = startOfDay(start); day <= end; day += DAY) {
    const date = new Date(day);
    const dayOfMonth = date.getUTCDate();
    if ((dayOfMonth - 1) % step !== 0) continue;
    const nextMonth = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    if (dayOfMonth > 1 && (nextMonth - day) / DAY < step * 0.6) continue; // too close to the next month's 1
    const at = x(day);
    parts.push(`<line x1="${at.toFixed(1)}" x2="${at.toFixed(1)}" y1="${DAY_Y + 3}" y2="${TOP - 2}" class="tl-tick"/>`);
    parts.push(`<text x="${at.toFixed(1)}" y="${DAY_Y}" text-anchor="middle" class="tl-day">${dayOfMonth}</text>`);
  }
  return parts;
}
