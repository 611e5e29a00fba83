import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { methodologySchema } from '../../src/methodology/methodology.schema.ts';
import { loadMethodologies } from '../../src/methodology/methodology.loader.ts';
import { METHODOLOGY_DIR } from '../helpers/factories.ts';
import { parseCsv } from '../../src/kpi/kpi-csv.ts';
import { lastCompletedWeeks, missingWeeks, nextQuarter, trendValueOn } from '../../src/kpi/kpi-rules.ts';
import { renderKpiChart } from '../../src/kpi/kpi-chart.ts';

const e1tModules = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition.trainingModules;
const raw = () => ({ ...parse(readFileSync('methodology/e1t-1/methodology.yaml', 'utf8')), trainingModules: e1tModules }) as Record<string, any>;
const problemsOf = (m: unknown) => {
  const parsed = methodologySchema.safeParse(m);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const launchGate = (m: Record<string, any>) => m.stages.find((s: { id: string }) => s.id === 'launch').gate;

describe('KPIs in the methodology data', () => {
  it('accepts E1T: the KPIs come from the target criteria, and Launch asks for two weeks of actuals', () => {
    const parsed = methodologySchema.parse(raw());
    expect(parsed.kpis!.targets).to.deep.equal({ documentType: 'target-criteria', table: 'kpis' });
    expect(launchGate(parsed)).to.deep.include({ rule: 'kpi-actuals', weeks: 2 });
  });

  it('refuses a broken KPI section or rule, naming the path of each mistake', () => {
    const m = raw();
    m.kpis.targets.table = 'indicators';
    m.kpis.measures.push({ id: 'reach', sum: 'week' });
    m.kpis.finalEvaluation.documentType = 'final-verdict';
    launchGate(m).find((r: { rule: string }) => r.rule === 'kpi-actuals').weeks = 0;
    const at = launchGate(m).findIndex((r: { rule: string }) => r.rule === 'kpi-actuals');
    expect(problemsOf(m)).to.have.members([
      'kpis.targets.table: "target-criteria" has no table "indicators"',
      'kpis.measures.6.id: measure "reach" is declared twice',
      'kpis.finalEvaluation.documentType: unknown document type "final-verdict"',
      `stages.2.gate.${at}.weeks: ask for at least one week`,
    ]);
    const noMeasure = raw();
    noMeasure.kpis.measures = noMeasure.kpis.measures.filter((x: { id: string }) => x.id !== 'leads');
    expect(problemsOf(noMeasure)).to.deep.equal(['kpis.measures: column "measuredBy" offers "leads", which is not declared under kpis.measures or kpis.deskShares']);
    const badSum = raw();
    badSum.kpis.measures[0].sum = 'monthly';
    expect(problemsOf(badSum).map((p) => p.split(':')[0])).to.deep.equal(['kpis.measures.0.sum']);
    const noSection = raw();
    delete noSection.kpis;
    expect(problemsOf(noSection)).to.deep.equal(['kpis: a "kpi-actuals" gate rule needs the kpis section that says where the KPIs come from']);
  });
});

describe('KPI arithmetic, CSV and chart (pure)', () => {
  it('counts the last completed ISO weeks, asking nothing before tracking began', () => {
    expect(lastCompletedWeeks('2026-03-23', 2)).to.deep.equal(['2026-W11', '2026-W12']);
    expect(lastCompletedWeeks('2027-01-06', 2)).to.deep.equal(['2026-W52', '2026-W53']);
    expect(missingWeeks('2026-03-20', new Set(), '2026-03-23', 2)).to.deep.equal(['2026-W12']);
    expect(missingWeeks('2026-03-02', new Set(['2026-W11']), '2026-03-23', 2)).to.deep.equal(['2026-W12']);
  });

  it('projects the trend and names the next quarter', () => {
    expect(trendValueOn([{ week: '2026-W10', value: 100 }, { week: '2026-W11', value: 107 }], '2026-03-29')).to.be.closeTo(121, 0.001);
    expect(trendValueOn([{ week: '2026-W10', value: 100 }], '2026-03-29')).to.equal(null);
    expect(nextQuarter('2026-05-30')).to.deep.equal({ label: '2026 Q3', first: '2026-07-01', last: '2026-09-30' });
    expect(nextQuarter('2026-11-02').label).to.equal('2027 Q1');
  });

  it('reads CSV with quotes and semicolons, naming each line', () => {
    expect(parseCsv('a;"b; c";"say ""hi"""\n\n1;2;3')).to.deep.equal([{ line: 1, cells: ['a', 'b; c', 'say "hi"'] }, { line: 3, cells: ['1', '2', '3'] }]);
  });

  it('draws an accessible chart whose texts cannot break out of the SVG', () => {
    const svg = renderKpiChart({
      id: 'k1', title: 'Followers <script>', description: 'from 100 to 500', startsOn: '2026-03-02', targetDate: '2026-05-31', today: '2026-03-23', baseline: 100, target: 500,
      series: [{ week: '2026-W10', value: 150 }, { week: '2026-W11', value: 180 }], words: { baseline: 'b', target: 't', today: 'today', actual: 'a' }, figure: String, day: (d) => d,
    });
    expect(svg).to.match(/^<svg [^>]*role="img" aria-labelledby="kpi-chart-k1-title kpi-chart-k1-desc"/);
    expect(svg).to.include('<title id="kpi-chart-k1-title">Followers &#60;script&#62;</title>').and.include('<desc id="kpi-chart-k1-desc">from 100 to 500</desc>');
    expect(svg.match(/class="kpi-actual"/g)).to.have.length(2);
    expect(svg).to.include('class="kpi-today"').and.include('class="kpi-target-line"').and.include('class="kpi-baseline"');
  });
});
