// A KPI as a page shows it: its name, status and rule in the reader's words, and its chart.
import type { Methodology } from '../../methodology/methodology.schema.ts';
import type { KpiSummary } from '../../kpi/kpi.queries.ts';
import { elapsedShare, roundFigure } from '../../kpi/kpi-rules.ts';
import { renderKpiChart } from '../../kpi/kpi-chart.ts';
import { formatNumberWith } from '../../intl-formats.ts';
import { translate, type Locale } from '../i18n/i18n.ts';
import { deskShareOf, isMeasure } from '../../methodology/kpi.schema.ts';

export interface KpiView {
  id: string;
  title: string;
  unit: string | null;
  status: string;
  statusLabel: string;
  baseline: string;
  target: string;
  targetDate: string;
  latest: string;
  expected: string;
  rule: string;
  measuredFrom: string | null;
  /** Each week's figure; `from` names where a week not entered by hand came from. */
  weeks: { week: string; value: string; isEntered: boolean; from: string }[];
  chartSvg: string;
}

export function kpiTitle(methodology: Methodology, kpi: Pick<KpiSummary, 'metric' | 'network'>, locale: Locale): string {
  if (!kpi.network) return kpi.metric;
  const network = methodology.networks.find((n) => n.id === kpi.network);
  return `${kpi.metric} (${network?.label?.[locale] ?? network?.name ?? kpi.network})`;
}

export function presentKpis(kpis: KpiSummary[], methodology: Methodology, locale: Locale, today: string, formatDate: (d: string) => string): KpiView[] {
  const t = (key: string, params = {}) => translate(locale, key, params);
  const figure = (n: number) => formatNumberWith(locale, roundFigure(n));
  return kpis.map((k) => {
    const title = kpiTitle(methodology, k, locale);
    const status = t(`kpi.status.${k.standing.status}`);
    const latest = k.standing.latest ? figure(k.standing.latest.value) : '—';
    const sum = methodology.kpis?.measures.find((m) => m.id === k.measure)?.sum;
    const share = deskShareOf(methodology.kpis, k.measure);
    const norm = share ? methodology.reviewDesk?.responseNorms.find((n) => n.kind === share.kind) : undefined;
    const measuredFrom = isMeasure(k.measure) && sum
      ? t('kpi.measuredFrom', { measure: `${t(`content.metric.${k.measure}`)} (${t(sum === 'running' ? 'kpi.measuredRunning' : 'kpi.measuredWeekly')})` })
      : share && norm
        ? t('desk.kpiShare', { kind: t(`desk.kpiKinds.${share.kind}`), within: share.within === 'ideal' && norm.ideal ? t('desk.kpiWithinIdeal', { minutes: norm.ideal.minutes }) : t('desk.kpiWithinNorm', { norm: norm.text[locale] }) })
        : null;
    const from = t(share ? 'desk.fromDesk' : 'kpi.measured');
    return {
      id: k.id, title, unit: k.unit, status: k.standing.status, statusLabel: status,
      baseline: figure(k.baseline), target: figure(k.target), targetDate: formatDate(k.targetDate), latest, expected: figure(k.standing.expected),
      rule: t('kpi.rule', { start: formatDate(k.startsOn), date: formatDate(k.targetDate), share: Math.round(elapsedShare(k.startsOn, k.targetDate, today) * 100), expected: figure(k.standing.expected) }),
      measuredFrom,
      weeks: k.series.map((v) => ({ week: v.week, value: figure(v.value), isEntered: k.enteredWeeks.includes(v.week), from })),
      chartSvg: renderKpiChart({
        id: k.id, title: t('kpi.chartTitle', { kpi: title }),
        description: k.series.length
          ? t('kpi.chartDesc', { baseline: figure(k.baseline), target: figure(k.target), date: formatDate(k.targetDate), count: k.series.length, latest, status })
          : t('kpi.chartDescEmpty', { baseline: figure(k.baseline), target: figure(k.target), date: formatDate(k.targetDate) }),
        startsOn: k.startsOn, targetDate: k.targetDate, today, baseline: k.baseline, target: k.target, series: k.series,
        words: { baseline: t('kpi.legendBaseline'), target: t('kpi.legendTarget'), today: t('kpi.today'), actual: t('kpi.legendActual') },
        figure, day: formatDate,
      }),
    };
  });
}
