// The benchmarks' arithmetic, without a database: quartiles, correlation, and the engagement's own figures beside the firm's.
import { expect } from 'chai';
import { correlation, positionIn, quantile, spreadOf } from '../../src/portfolio/statistics.ts';
import { buildBenchmarks } from '../../src/portfolio/benchmarks.ts';
import type { FirmObservations } from '../../src/portfolio/benchmarks.queries.ts';
import { renderScatterChart, renderSpreadChart, niceCeiling } from '../../src/web/presenters/benchmark-charts.ts';

describe('benchmark statistics', () => {
  it('takes quartiles by linear interpolation between ranks, as a spreadsheet’s QUARTILE.INC does', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).to.equal(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).to.equal(1.75);
    expect(quantile([1, 2, 3, 4], 0.75)).to.equal(3.25);
    expect(quantile([7], 0.25), 'one value is every quantile').to.equal(7);
  });

  it('describes values in any order by their five numbers and count, and nothing at all as null', () => {
    expect(spreadOf([30, 10, 20, 40, 50])).to.deep.equal({ count: 5, min: 10, q1: 20, median: 30, q3: 40, max: 50 });
    expect(spreadOf([])).to.equal(null);
    expect(spreadOf([Number.NaN, 3])?.count, 'a value that is not a number is left out').to.equal(1);
  });

  it('refuses a quantile of nothing or outside 0..1 rather than inventing one', () => {
    expect(() => quantile([], 0.5)).to.throw(RangeError);
    expect(() => quantile([1], 1.5)).to.throw(RangeError);
  });

  it('correlates paired values from -1 to 1, and gives none for too few pairs or a constant side', () => {
    expect(correlation([{ x: 1, y: 2 }, { x: 2, y: 4 }, { x: 3, y: 6 }])).to.be.closeTo(1, 1e-12);
    expect(correlation([{ x: 1, y: 3 }, { x: 2, y: 2 }, { x: 3, y: 1 }])).to.be.closeTo(-1, 1e-12);
    expect(correlation([{ x: 1, y: 1 }, { x: 2, y: 1 }, { x: 3, y: 1 }]), 'y does not vary').to.equal(null);
    expect(correlation([{ x: 1, y: 1 }, { x: 2, y: 2 }]), 'two pairs').to.equal(null);
  });

  it('places a value below, within or above the middle half', () => {
    const spread = spreadOf([10, 20, 30, 40, 50])!;
    expect([5, 20, 35, 40, 41].map((v) => positionIn(spread, v))).to.deep.equal(['below', 'within', 'within', 'within', 'above']);
  });

  it('makes the firm’s figures from finished stages only and shows an engagement’s own, running stage beside them', () => {
    const observations: FirmObservations = {
      stages: [
        { engagementId: 'a', stageId: 'preparation', days: 28, isFinished: true },
        { engagementId: 'b', stageId: 'preparation', days: 34, isFinished: true },
        { engagementId: 'c', stageId: 'preparation', days: 40, isFinished: true },
        { engagementId: 'a', stageId: 'formatting', days: 12, isFinished: false },
      ],
      documents: [
        { engagementId: 'a', typeId: 'segments', rounds: 0 },
        { engagementId: 'b', typeId: 'segments', rounds: 2 },
        { engagementId: 'c', typeId: 'segments', rounds: 4 },
      ],
      approvals: [
        { engagementId: 'a', typeId: 'segments', days: 1 },
        { engagementId: 'a', typeId: 'segments', days: 3 },
        { engagementId: 'b', typeId: 'segments', days: 5 },
      ],
      staff: [
        { engagementId: 'a', name: 'Anna', quizScore: 90, published: 6 },
        { engagementId: 'b', name: 'Boris', quizScore: 60, published: 2 },
        { engagementId: 'c', name: 'Clara', quizScore: 75, published: 4 },
      ],
    };
    const b = buildBenchmarks(observations, { stages: ['preparation', 'formatting', 'launch'], documentTypes: ['segments'] }, 'a');
    expect(b.engagementCount).to.equal(3);
    expect(b.stages.map((s) => s.id), 'stages in the methodology’s order, only those seen').to.deep.equal(['preparation', 'formatting']);
    expect(b.stages[0]).to.deep.include({ own: 28, isOwnFinished: true });
    expect(b.stages[0]!.firm).to.deep.include({ count: 3, median: 34, q1: 31, q3: 37 });
    expect(b.stages[1], 'a stage nobody finished has no firm figure, only the running one').to.deep.include({ firm: null, own: 12, isOwnFinished: false });
    expect(b.rounds[0]).to.deep.include({ own: 0 });
    expect(b.rounds[0]!.firm!.median).to.equal(2);
    expect(b.approvalDaysAll.own, 'the median of the engagement’s own waits').to.equal(2);
    expect(b.learning.points.filter((p) => p.name).map((p) => p.name), 'only the engagement’s own staff are named').to.deep.equal(['Anna']);
    expect(b.learning.correlation).to.be.greaterThan(0.9);
  });
});

describe('benchmark charts', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.7, 3, 7, 12, 48, 51].map(niceCeiling)).to.deep.equal([1, 1, 5, 10, 20, 50, 100]);
  });

  it('draws a box plot with its title and description referred to by id, and escapes every text', () => {
    const svg = renderSpreadChart([{ label: 'Prep <&>', firm: spreadOf([1, 2, 3])!, own: 2 }], { id: 'c1', title: 'Days "per" stage', desc: 'Prep: median 2', unit: 'days', firmLegend: 'firm', ownLegend: 'own' })!;
    expect(svg).to.match(/^<svg [^>]*role="img" aria-labelledby="c1-title c1-desc">/);
    expect(svg).to.contain('<title id="c1-title">Days &quot;per&quot; stage</title><desc id="c1-desc">Prep: median 2</desc>');
    expect(svg).to.contain('Prep &lt;&amp;&gt;');
    expect(svg).to.contain('class="chart-own"');
    expect(renderSpreadChart([{ label: 'x', firm: null, own: null }], { id: 'c2', title: '', desc: '', unit: '', firmLegend: '' }), 'nothing to draw').to.equal(null);
  });

  it('draws the engagement’s own staff apart from the firm’s in the scatter', () => {
    const svg = renderScatterChart([{ x: 80, y: 3, isOwn: true }, { x: 40, y: 1, isOwn: false }], { id: 's', title: 't', desc: 'd', unit: 'items', xUnit: 'score', firmLegend: 'f', ownLegend: 'o' })!;
    expect(svg.match(/<circle /g)?.length).to.equal(1);
    expect(svg.match(/class="chart-own"/g)?.length, 'the point and its legend').to.equal(2);
  });
});
