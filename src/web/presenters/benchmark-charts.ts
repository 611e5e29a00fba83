// The benchmarks as server-rendered SVG: box plots of a spread (with an engagement's own figure marked)
// and a scatter of quiz scores against published content. Each has a title and a description that say
// in words what the picture shows, for screen readers; every text is escaped.
import type { Spread } from '../../portfolio/statistics.ts';
import { escapeXml } from './timeline-svg.ts';

export interface SpreadChartRow {
  label: string;
  firm: Spread | null;
  own: number | null;
}

export interface ChartText {
  /** Unique on the page: the title and description are referred to by id. */
  id: string;
  title: string;
  /** The figures in words: what a reader who cannot see the picture needs. */
  desc: string;
  /** The axis's unit ("days", "rounds"). */
  unit: string;
  /** The legend's words for the firm's box and the engagement's own mark. */
  firmLegend: string;
  ownLegend?: string;
}

const WIDTH = 640;
const LABEL = 190;
const RIGHT = 20;
const ROW = 30;
const TOP = 10;
const AXIS = 34;

const number = (value: number) => String(Math.round(value * 10) / 10);

/** A round top for the axis: 1, 2 or 5 times a power of ten, at or above the largest value. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].map((m) => m * power).find((m) => m >= value) ?? 10 * power);
}

function open(text: ChartText, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${text.id}-title ${text.id}-desc">`
    + `<title id="${text.id}-title">${escapeXml(text.title)}</title><desc id="${text.id}-desc">${escapeXml(text.desc)}</desc>`;
}

/** Horizontal box plots, one row per stage or document type; null when nothing is there to draw. */
export function renderSpreadChart(rows: SpreadChartRow[], text: ChartText): string | null {
  const drawn = rows.filter((r) => r.firm || r.own !== null);
  if (drawn.length === 0) return null;
  const top = niceCeiling(Math.max(...drawn.flatMap((r) => [r.firm?.max ?? 0, r.own ?? 0])));
  const x = (v: number) => LABEL + ((WIDTH - LABEL - RIGHT) * v) / top;
  const height = TOP + drawn.length * ROW + AXIS + 20;
  const parts = [open(text, height)];
  drawn.forEach((row, i) => {
    const mid = TOP + i * ROW + ROW / 2;
    parts.push(`<text x="${LABEL - 8}" y="${mid + 4}" text-anchor="end" class="chart-label">${escapeXml(row.label)}</text>`);
    const f = row.firm;
    if (f) {
      parts.push(`<line x1="${x(f.min)}" x2="${x(f.max)}" y1="${mid}" y2="${mid}" class="chart-whisker"/>`);
      parts.push(`<rect x="${x(f.q1)}" y="${mid - 8}" width="${Math.max(x(f.q3) - x(f.q1), 1)}" height="16" class="chart-box"/>`);
      parts.push(`<line x1="${x(f.median)}" x2="${x(f.median)}" y1="${mid - 8}" y2="${mid + 8}" class="chart-median"/>`);
    }
    if (row.own !== null) {
      const cx = x(row.own);
      parts.push(`<path d="M${cx} ${mid - 7} L${cx + 7} ${mid} L${cx} ${mid + 7} L${cx - 7} ${mid} Z" class="chart-own"/>`);
    }
  });
  const axisY = TOP + drawn.length * ROW + 6;
  parts.push(`<line x1="${LABEL}" x2="${WIDTH - RIGHT}" y1="${axisY}" y2="${axisY}" class="chart-axis"/>`);
  for (let k = 0; k <= 4; k++) {
    const v = (top * k) / 4;
    parts.push(`<text x="${x(v)}" y="${axisY + 14}" text-anchor="middle" class="chart-tick">${number(v)}</text>`);
  }
  parts.push(`<text x="${WIDTH - RIGHT}" y="${axisY + 28}" text-anchor="end" class="chart-tick">${escapeXml(text.unit)}</text>`);
  parts.push(legend(text, height - 6));
  parts.push('</svg>');
  return parts.join('');
}

function legend(text: ChartText, y: number, left = LABEL): string {
  const firm = `<rect x="${left}" y="${y - 9}" width="14" height="10" class="chart-box"/><text x="${left + 20}" y="${y}" class="chart-tick">${escapeXml(text.firmLegend)}</text>`;
  if (!text.ownLegend) return firm;
  const ox = left + 260;
  return `${firm}<path d="M${ox} ${y - 9} L${ox + 5} ${y - 4} L${ox} ${y + 1} L${ox - 5} ${y - 4} Z" class="chart-own"/><text x="${ox + 12}" y="${y}" class="chart-tick">${escapeXml(text.ownLegend)}</text>`;
}

export interface ScatterPoint {
  x: number;
  y: number;
  isOwn: boolean;
}

export interface ScatterText extends ChartText {
  xUnit: string;
}

/** Quiz score (0-100) across, published items up; the engagement's own staff drawn apart. */
export function renderScatterChart(points: ScatterPoint[], text: ScatterText): string | null {
  if (points.length === 0) return null;
  const height = 300;
  const left = 60;
  const bottom = height - 60;
  const yTop = niceCeiling(Math.max(...points.map((p) => p.y), 1));
  const x = (v: number) => left + ((WIDTH - left - RIGHT) * v) / 100;
  const y = (v: number) => bottom - ((bottom - TOP) * v) / yTop;
  const parts = [open(text, height)];
  parts.push(`<line x1="${left}" x2="${WIDTH - RIGHT}" y1="${bottom}" y2="${bottom}" class="chart-axis"/><line x1="${left}" x2="${left}" y1="${TOP}" y2="${bottom}" class="chart-axis"/>`);
  for (let k = 0; k <= 4; k++) {
    parts.push(`<text x="${x(25 * k)}" y="${bottom + 14}" text-anchor="middle" class="chart-tick">${25 * k}</text>`);
    parts.push(`<text x="${left - 6}" y="${y((yTop * k) / 4) + 4}" text-anchor="end" class="chart-tick">${number((yTop * k) / 4)}</text>`);
  }
  parts.push(`<text x="${WIDTH - RIGHT}" y="${bottom + 30}" text-anchor="end" class="chart-tick">${escapeXml(text.xUnit)}</text>`);
  parts.push(`<text x="${left}" y="${TOP - 2 + 10}" dx="6" class="chart-tick">${escapeXml(text.unit)}</text>`);
  // The firm's points first, so the engagement's own are drawn on top.
  for (const p of [...points.filter((q) => !q.isOwn), ...points.filter((q) => q.isOwn)]) {
    parts.push(p.isOwn
      ? `<path d="M${x(p.x)} ${y(p.y) - 6} L${x(p.x) + 6} ${y(p.y)} L${x(p.x)} ${y(p.y) + 6} L${x(p.x) - 6} ${y(p.y)} Z" class="chart-own"/>`
      : `<circle cx="${x(p.x)}" cy="${y(p.y)}" r="4" class="chart-point"/>`);
  }
  parts.push(legend(text, height - 8, left));
  parts.push('</svg>');
  return parts.join('');
}
