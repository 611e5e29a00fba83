// The KPIs as the Launch stage report prints them: a table of standings and a chart per KPI. Pure, with
// its own words in both languages (the PDF room has no interface catalog).
import type { Methodology } from '../methodology/methodology.schema.ts';
import type { KpiSummary } from './kpi.queries.ts';
import { renderKpiChart } from './kpi-chart.ts';
import { roundFigure } from './kpi-rules.ts';
import { percentAchieved } from '../documents/achievement.ts';
import { formatNumberWith } from '../intl-formats.ts';

type Locale = 'en' | 'ru';

const words = {
  en: {
    title: 'KPIs', columns: ['Indicator', 'Starting value', 'Target', 'By', 'Latest actual', 'Achieved', 'Status'],
    status: { noData: 'no actuals yet', onTrack: 'on track', behind: 'behind', met: 'met' } as Record<string, string>,
    chart: (kpi: string) => `${kpi}: actuals against the target`,
    desc: (b: string, t: string, d: string, n: number) => `Starting value ${b}, target ${t} by ${d}; ${n} weekly actuals.`,
    legend: { baseline: 'starting value', target: 'line to the target', today: 'today', actual: 'actual' },
  },
  ru: {
    title: 'KPI', columns: ['Показатель', 'Исходное значение', 'Цель', 'Срок', 'Последний факт', 'Выполнение', 'Состояние'],
    status: { noData: 'фактов пока нет', onTrack: 'по плану', behind: 'отстаёт', met: 'достигнут' } as Record<string, string>,
    chart: (kpi: string) => `${kpi}: факт в сравнении с целью`,
    desc: (b: string, t: string, d: string, n: number) => `Исходное значение ${b}, цель ${t} к ${d}; недельных значений: ${n}.`,
    legend: { baseline: 'исходное значение', target: 'линия к цели', today: 'сегодня', actual: 'факт' },
  },
};

export interface KpiReportPart {
  title: string;
  columns: string[];
  rows: string[][];
  chartsHtml: string;
}

export function kpiReportPart(kpis: KpiSummary[], methodology: Methodology, locale: Locale, today: string, day: (iso: string) => string): KpiReportPart {
  const w = words[locale];
  const figure = (n: number) => formatNumberWith(locale, roundFigure(n));
  const titleOf = (k: KpiSummary) => {
    const network = methodology.networks.find((n) => n.id === k.network);
    return k.network ? `${k.metric} (${network?.label?.[locale] ?? network?.name ?? k.network})` : k.metric;
  };
  const rows = kpis.map((k) => {
    const percent = percentAchieved(k.baseline, k.target, k.standing.latest?.value);
    return [titleOf(k), figure(k.baseline), figure(k.target), day(k.targetDate), k.standing.latest ? `${figure(k.standing.latest.value)} (${k.standing.latest.week})` : '—', percent === null ? '—' : `${percent}%`, w.status[k.standing.status]!];
  });
  const chartsHtml = kpis
    .map((k) => renderKpiChart({
      id: k.id, title: w.chart(titleOf(k)), description: w.desc(figure(k.baseline), figure(k.target), day(k.targetDate), k.series.length),
      startsOn: k.startsOn, targetDate: k.targetDate, today, baseline: k.baseline, target: k.target, series: k.series, words: w.legend, figure, day,
    }))
    .map((svg) => `<figure class="kpi-chart">${svg}</figure>`)
    .join('');
  return { title: w.title, columns: w.columns, rows, chartsHtml };
}
