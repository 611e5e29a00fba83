// The engagement's months as a server-rendered SVG: a bar per stage, today's line, overdue tasks as dots.
import type { Timeline } from '../../engagement/timeline.ts';

export const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface TimelineLabels {
  today: string;
  overdue: (title: string) => string;
}

const WIDTH = 720;
const LABEL = 150;
const ROW = 34;
const TOP = 26;

/** Returns markup with every text escaped; null when the engagement has not started (no dates yet). */
export function renderTimelineSvg(timeline: Timeline, now: Date, labels: TimelineLabels): string | null {
  const planned = timeline.stages.filter((s) => s.plannedStart && s.deadline);
  if (planned.length === 0) return null;
  const start = Math.min(...planned.map((s) => Date.parse(s.plannedStart!)));
  const end = Math.max(...planned.map((s) => Date.parse(s.deadline!)), now.getTime());
  const span = Math.max(end - start, 1);
  const x = (t: number) => LABEL + ((WIDTH - LABEL - 10) * (t - start)) / span;
  const height = TOP + planned.length * ROW + 20;
  const parts: string[] = [];
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
  parts.push(`<line x1="${today.toFixed(1)}" x2="${today.toFixed(1)}" y1="14" y2="${height - 8}" class="tl-today"/>`);
  parts.push(`<text x="${today.toFixed(1)}" y="11" text-anchor="middle" class="tl-today-label">${escapeXml(labels.today)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" class="timeline" role="img">${parts.join('')}</svg>`;
}
