// The benchmarks page's model: each figure as a chart and as a table (the same numbers twice, so a
// reader without the picture loses nothing), with the engagement's own figure and where it stands.
import type { MethodologyRegistry } from '../../methodology/methodology.registry.ts';
import type { Locale, Translate } from '../i18n/i18n.ts';
import type { Benchmarks, SpreadRow } from '../../portfolio/benchmarks.ts';
import { positionIn } from '../../portfolio/statistics.ts';
import { renderScatterChart, renderSpreadChart } from './benchmark-charts.ts';

/** Every document type of the methodologies on disk, the default's first, each with its title. */
export function documentTypesOnDisk(methodologies: MethodologyRegistry, language: Locale): Map<string, string> {
  const first = methodologies.defaultKey();
  const ordered = methodologies.list().sort((a, b) => Number(b.key === first) - Number(a.key === first));
  const types = new Map<string, string>();
  for (const m of ordered) for (const d of m.definition.documentTypes) if (!types.has(d.id)) types.set(d.id, d.title[language]);
  return types;
}

export interface SpreadTableRow {
  label: string;
  count: number;
  min: string;
  q1: string;
  median: string;
  q3: string;
  max: string;
  own: string | null;
  position: string | null;
}

export interface SpreadSection {
  id: string;
  title: string;
  hint: string;
  svg: string | null;
  rows: SpreadTableRow[];
}

export interface BenchmarksPage {
  basis: string;
  isEmpty: boolean;
  sections: SpreadSection[];
  learning: { svg: string | null; correlation: string; ownStaff: { name: string; score: string; published: number }[] };
}

interface Names {
  stages: Map<string, string>;
  documentTypes: Map<string, string>;
}

export function presentBenchmarks(b: Benchmarks, t: Translate, names: Names, locale: Locale, withOwn: boolean): BenchmarksPage {
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const n = (v: number) => format.format(v);
  const section = (id: string, rows: SpreadRow[], label: (id: string) => string, unit: string): SpreadSection => {
    const tableRows = rows.filter((r) => r.firm || (withOwn && r.own !== null)).map((r) => {
      const own = withOwn && r.own !== null ? (r.isOwnFinished ? n(r.own) : t('portfolio.bench.soFar', { days: n(r.own) })) : null;
      return {
        label: label(r.id),
        count: r.firm?.count ?? 0,
        min: r.firm ? n(r.firm.min) : '—',
        q1: r.firm ? n(r.firm.q1) : '—',
        median: r.firm ? n(r.firm.median) : '—',
        q3: r.firm ? n(r.firm.q3) : '—',
        max: r.firm ? n(r.firm.max) : '—',
        own,
        position: withOwn && r.own !== null && r.firm && r.isOwnFinished ? t(`portfolio.bench.position.${positionIn(r.firm, r.own)}`) : null,
      };
    });
    const desc = tableRows.map((r) => {
      const firm = r.count ? t('portfolio.bench.rowDesc', { label: r.label, median: r.median, q1: r.q1, q3: r.q3, min: r.min, max: r.max, count: r.count }) : r.label;
      return r.own ? `${firm}; ${t('portfolio.bench.rowOwn', { own: r.own })}` : firm;
    }).join('. ');
    const title = t(`portfolio.bench.${id}`);
    const svg = renderSpreadChart(rows.map((r) => ({ label: label(r.id), firm: r.firm, own: withOwn ? r.own : null })), {
      id: `chart-${id}`,
      title,
      desc: desc || t('portfolio.bench.none'),
      unit,
      firmLegend: t('portfolio.bench.firmLegend'),
      ownLegend: withOwn ? t('portfolio.bench.ownLegend') : undefined,
    });
    return { id, title, hint: t(`portfolio.bench.${id}Hint`), svg, rows: tableRows };
  };
  const typeLabel = (id: string) => (id === 'all' ? t('portfolio.bench.allTypes') : names.documentTypes.get(id) ?? id);
  const sections = [
    section('stages', b.stages, (id) => names.stages.get(id) ?? id, t('portfolio.bench.unitDays')),
    section('rounds', b.rounds, typeLabel, t('portfolio.bench.unitRounds')),
    section('approvals', [b.approvalDaysAll, ...b.approvalDays], typeLabel, t('portfolio.bench.unitDays')),
  ];
  const points = b.learning.points;
  const r = b.learning.correlation;
  const rText = r === null ? t('portfolio.bench.none') : format.format(Math.round(r * 100) / 100);
  const svg = renderScatterChart(points.map((p) => ({ x: p.quizScore, y: p.published, isOwn: withOwn && p.isOwn })), {
    id: 'chart-learning',
    title: t('portfolio.bench.learning'),
    desc: t('portfolio.bench.learningDesc', { count: points.length, r: rText }),
    unit: t('portfolio.bench.unitPublished'),
    xUnit: t('portfolio.bench.unitScore'),
    firmLegend: t('portfolio.bench.firmPoints'),
    ownLegend: withOwn ? t('portfolio.bench.ownLegend') : undefined,
  });
  return {
    basis: t('portfolio.bench.basis', { count: b.engagementCount }),
    isEmpty: sections.every((s) => !s.rows.length) && !points.length,
    sections,
    learning: {
      svg,
      correlation: r === null ? t('portfolio.bench.noCorrelation') : t('portfolio.bench.correlation', { r: rText }),
      ownStaff: withOwn ? points.filter((p) => p.isOwn).map((p) => ({ name: p.name ?? '', score: n(p.quizScore), published: p.published })) : [],
    },
  };
}
