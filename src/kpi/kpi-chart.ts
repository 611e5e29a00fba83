// One KPI's chart as an SVG string, drawn on the server: the baseline, the line to the target, the weekly
// actuals and today. Pure; every text comes in already worded, and the chart names itself for screen readers.
import { weekEnd, type WeekValue } from './kpi-rules.ts';

export interface ChartInput {
  id: string;
  title: string;
  description: string;
  startsOn: string;
  targetDate: string;
  today: string;
  baseline: number;
  target: number;
  series: WeekValue[];
  words: { baseline: string; target: string; today: string; actual: string };
  figure: (value: number) => string;
  day: (day: string) => string;
}

const W = 560;
const H = 220;
const PAD = { left: 56, right: 16, top: 16, bottom: 36 };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const fixed = (n: number) => (Math.round(n * 10) / 10).toString();

export function renderKpiChart(input: ChartInput): string {
  const points = input.series.map((v) => ({ day: weekEnd(v.week), value: v.value }));
  const days = [input.startsOn, input.targetDate, input.today, ...points.map((p) => p.day)].map(dayNumber);
  const [x0, x1] = [Math.min(...days), Math.max(...days)];
  const values = [input.baseline, input.target, ...points.map((p) => p.value)];
  let [y0, y1] = [Math.min(...values), Math.max(...values)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const margin = (y1 - y0) * 0.08;
  [y0, y1] = [y0 - margin, y1 + margin];
  const x = (day: string) => PAD.left + ((dayNumber(day) - x0) / Math.max(1, x1 - x0)) * (W - PAD.left - PAD.right);
  const y = (value: number) => H - PAD.bottom - ((value - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const titleId = `kpi-chart-${input.id}-title`;
  const descId = `kpi-chart-${input.id}-desc`;
  const actualLine = points.map((p) => `${fixed(x(p.day))},${fixed(y(p.value))}`).join(' ');
  const parts = [
    `<svg class="kpi-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${titleId} ${descId}">`,
    `<title id="${titleId}">${escape(input.title)}</title>`,
    `<desc id="${descId}">${escape(input.description)}</desc>`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" class="kpi-plot" fill="none" stroke="#ccc"/>`,
    // The baseline, level across the chart, and the straight line from it to the target the status reads.
    `<line class="kpi-baseline" x1="${PAD.left}" x2="${W - PAD.right}" y1="${fixed(y(input.baseline))}" y2="${fixed(y(input.baseline))}" stroke="#888" stroke-dasharray="4 4"/>`,
    `<text x="${PAD.left - 4}" y="${fixed(y(input.baseline) + 4)}" text-anchor="end" font-size="11">${escape(input.figure(input.baseline))}</text>`,
    `<line class="kpi-target-line" x1="${fixed(x(input.startsOn))}" y1="${fixed(y(input.baseline))}" x2="${fixed(x(input.targetDate))}" y2="${fixed(y(input.target))}" stroke="#2a7" stroke-width="2"/>`,
    `<circle cx="${fixed(x(input.targetDate))}" cy="${fixed(y(input.target))}" r="4" fill="#2a7"/>`,
    `<text x="${PAD.left - 4}" y="${fixed(y(input.target) + 4)}" text-anchor="end" font-size="11">${escape(input.figure(input.target))}</text>`,
    `<line class="kpi-today" x1="${fixed(x(input.today))}" x2="${fixed(x(input.today))}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#c33" stroke-dasharray="2 3"/>`,
    `<text x="${fixed(x(input.today))}" y="${PAD.top - 4}" text-anchor="middle" font-size="11" fill="#c33">${escape(input.words.today)}</text>`,
    points.length > 1 ? `<polyline class="kpi-actuals" points="${actualLine}" fill="none" stroke="#236" stroke-width="2"/>` : '',
    ...points.map((p) => `<circle class="kpi-actual" cx="${fixed(x(p.day))}" cy="${fixed(y(p.value))}" r="3.5" fill="#236"><title>${escape(`${input.words.actual} ${input.day(p.day)}: ${input.figure(p.value)}`)}</title></circle>`),
    `<text x="${PAD.left}" y="${H - 12}" font-size="11">${escape(input.day(input.startsOn))}</text>`,
    `<text x="${W - PAD.right}" y="${H - 12}" font-size="11" text-anchor="end">${escape(input.day(input.targetDate))}</text>`,
    // A legend in words, so the lines are told apart without relying on colour alone.
    `<text x="${W / 2}" y="${H - 12}" font-size="11" text-anchor="middle">${escape(`– – ${input.words.baseline}   —— ${input.words.target}   ● ${input.words.actual}`)}</text>`,
    '</svg>',
  ];
  return parts.filter(Boolean).join('');
}
