import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadMethodologies, parseMethodologyText } from '../../src/methodology/methodology.loader.ts';
import { percentAchieved, formatPercent } from '../../src/documents/achievement.ts';
import { contentSchemaFor, withBaselineRow } from '../../src/documents/document-fields.ts';
import { documentSections } from '../../src/documents/document-view.ts';
import { METHODOLOGY_DIR } from '../helpers/factories.ts';
import type { DocumentType } from '../../src/methodology/methodology.schema.ts';

const e1t = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition;
const typeOf = (id: string): DocumentType => e1t.documentTypes.find((t) => t.id === id)!;
const e1tText = readFileSync(join(METHODOLOGY_DIR, 'e1t-1', 'methodology.yaml'), 'utf8');

function problemsAfter(change: (m: any) => void) {
  const data = parse(e1tText);
  change(data);
  const result = parseMethodologyText(stringify(data), 'm.yaml', e1t.trainingModules);
  return 'problems' in result ? result.problems : [];
}

const columnsOf = (typeId: string, fieldId: string) => typeOf(typeId).fields.find((f) => f.id === fieldId)!.columns!.map((c) => c.id);

describe('per cent achieved, computed from baseline, target and actual', () => {
  it('measures the way travelled from the baseline to the target', () => {
    expect(percentAchieved(100, 200, 150)).to.equal(50);
    expect(percentAchieved(100, 200, 260)).to.equal(160);
    expect(percentAchieved(100, 200, 80), 'moved away from the target').to.equal(-20);
  });

  it('counts a fall as progress when the target lies below the baseline (lower is better)', () => {
    expect(percentAchieved(24, 4, 9)).to.equal(75);
    expect(percentAchieved(24, 4, 2)).to.equal(110);
  });

  it('counts from zero without a baseline and rounds to a whole per cent', () => {
    expect(percentAchieved(undefined, 10, 7)).to.equal(70);
    expect(percentAchieved(undefined, 3, 1)).to.equal(33);
    expect(percentAchieved(10, 20, 10), 'no movement is 0, never -0').to.equal(0);
  });

  it('gives nothing without a target or an actual value, or when the target is the baseline', () => {
    expect(percentAchieved(0, undefined, 5)).to.equal(null);
    expect(percentAchieved(0, 5, undefined)).to.equal(null);
    expect(percentAchieved(5, 5, 5)).to.equal(null);
    expect(formatPercent(null, 'en')).to.equal('—');
  });

  it('prints the figure in the reader’s language', () => {
    expect(formatPercent(75, 'en')).to.equal('75%');
    expect(formatPercent(75, 'ru').replace(/\s/g, ' ')).to.equal('75 %');
  });
});

describe('E1T document fields a consultant needs, as the loader builds them', () => {
  it('has the target criteria with unit, network, direction, source, frequency and who is responsible', () => {
    expect(columnsOf('target-criteria', 'kpis')).to.include.members(['unit', 'network', 'better', 'source', 'frequency', 'responsible', 'baseline', 'target', 'date']);
    const network = typeOf('target-criteria').fields[0]!.columns!.find((c) => c.id === 'network')!;
    expect(network.options!.map((o) => o.value), 'the methodology’s networks').to.deep.equal(e1t.networks.map((n) => n.id));
    expect(typeOf('target-criteria').fields[0]!.help!.en).to.contain('active group members per 100 customers').and.to.contain('about 10');
    expect(typeOf('target-criteria').fields[0]!.help!.ru).to.contain('на 100 клиентов').and.to.contain('около 10');
  });

  it('marks the business’s own rows in the competitor analysis and measures engagement, last post and review replies', () => {
    const table = typeOf('competitor-analysis').fields.find((f) => f.id === 'competitors')!;
    expect(table.baselineRow).to.equal('isClient');
    expect(columnsOf('competitor-analysis', 'competitors')).to.include.members(['isClient', 'engagementPerPost', 'lastPostOn', 'reviewReplyHours']);
  });

  it('offers the methodology’s directions, not a copy, in the content concept and the training programme', () => {
    const direction = typeOf('content-concept').fields.find((f) => f.id === 'weekdayThemes')!.columns!.find((c) => c.id === 'direction')!;
    expect(direction.type).to.equal('select');
    expect(direction.options!.map((o) => [o.value, o.label.ru])).to.deep.equal(Object.entries(e1t.directions).map(([id, label]) => [id, label.ru]));
    expect(columnsOf('content-concept', 'weekdayThemes')).to.include.members(['format', 'network', 'direction']);
    expect(typeOf('content-concept').fields.map((f) => f.id)).to.include.members(['targetSegments', 'moderationRules', 'responseRules']);
    const programme = typeOf('training-programme').fields[0]!.columns!.find((c) => c.id === 'direction')!;
    expect(programme.options!.map((o) => o.value)).to.deep.equal(Object.keys(e1t.directions));
  });

  it('has scores per platform and criterion, documentation formats as a table, and the quarter’s norms', () => {
    expect(columnsOf('cluster-assessment', 'scores')).to.deep.equal(['platform', 'criterion', 'score', 'comment']);
    expect(columnsOf('cluster-assessment', 'platforms')).to.include('responsible');
    expect(columnsOf('documentation-formats', 'documents')).to.deep.equal(['document', 'form', 'sections', 'approver']);
    expect(typeOf('quarterly-plan').fields.map((f) => f.id)).to.include.members(['kpiTargets', 'weeklyRhythm', 'timeBudgets', 'responseTimes', 'escalation']);
    const channel = typeOf('quarterly-plan').fields.find((f) => f.id === 'plan')!.columns!.find((c) => c.id === 'channel')!;
    expect(channel.options!.map((o) => o.value)).to.deep.equal(e1t.networks.map((n) => n.id));
  });

  it('computes the final evaluation’s achievement and keeps a deliverables checklist and the owner’s assessment', () => {
    const results = typeOf('final-evaluation').fields.find((f) => f.id === 'results')!;
    expect(results.columns!.map((c) => c.id)).to.deep.equal(['metric', 'unit', 'source', 'baseline', 'target', 'actual', 'achievement']);
    expect(results.columns!.at(-1)).to.include({ type: 'achievement' });
    expect(typeOf('final-evaluation').fields.map((f) => f.id)).to.include.members(['deliverables', 'ownerAssessment', 'ownerVerdict']);
  });

  it('has platform regulations produced by the cluster task of the Formatting stage', () => {
    const task = e1t.stages[1]!.tasks.find((t) => t.id === 'fmt.cluster')!;
    expect(task).to.include({ kind: 'document', documentType: 'platform-regulations' });
    expect(typeOf('platform-regulations').fields.map((f) => f.id)).to.deep.equal(['validFrom', 'platforms', 'moderation', 'responseTimes', 'escalation', 'notes']);
    expect(columnsOf('platform-regulations', 'platforms')).to.include.members(['author', 'postsPerWeek', 'network']);
  });
});

describe('the loader refuses new field kinds used wrongly', () => {
  const results = (m: any) => m.documentTypes.find((d: any) => d.id === 'final-evaluation').fields.find((f: any) => f.id === 'results');
  const competitors = (m: any) => m.documentTypes.find((d: any) => d.id === 'competitor-analysis').fields.find((f: any) => f.id === 'competitors');

  it('refuses an achievement column computed from a text column or a column the table lacks', () => {
    const problems = problemsAfter((m) => {
      results(m).columns.at(-1).from = { baseline: 'unit', target: 'target', actual: 'fact' };
    });
    const at = `documentTypes[${e1t.documentTypes.findIndex((d) => d.id === 'final-evaluation')}].fields[2].columns[6].from`;
    expect(problems.map((p) => [p.path, p.message])).to.deep.equal([
      [`${at}.baseline`, 'column "unit" is not a number column (it is "text")'],
      [`${at}.actual`, 'the table has no column "fact"'],
    ]);
  });

  it('refuses an achievement column without its sources, a required one, and sources on another column', () => {
    const problems = problemsAfter((m) => {
      const columns = results(m).columns;
      delete columns.at(-1).from;
      columns.at(-1).required = true;
      columns[0].from = { baseline: 'baseline', target: 'target', actual: 'actual' };
    });
    expect(problems.map((p) => p.message)).to.have.members([
      'an achievement column names the columns it is computed from: from: { baseline, target, actual }',
      'an achievement column is computed, so nobody can be required to fill it in',
      'only an achievement column is computed from other columns (this one is "text")',
    ]);
  });

  it('refuses a baseline row over a column that is not yes/no, and a direction field with its own options', () => {
    const problems = problemsAfter((m) => {
      competitors(m).baselineRow = 'name';
      const direction = m.documentTypes.find((d: any) => d.id === 'content-concept').fields.find((f: any) => f.id === 'weekdayThemes').columns.find((c: any) => c.id === 'direction');
      direction.options = [{ value: 'sales', label: { en: 'Sales', ru: 'Продажи' } }];
    });
    expect(problems.map((p) => p.message)).to.have.members(['column "name" is not a yes/no column (it is "text")', 'only a select field has options (this one is "direction")']);
  });
});

describe('content checks of the new fields, through the validator the service uses', () => {
  it('refuses a typed value for a computed column and a competitor table without the business’s own row', () => {
    const final = contentSchemaFor(typeOf('final-evaluation')).safeParse({ conclusions: 'x', results: [{ metric: 'Followers', target: 10, actual: 5, achievement: 100 }] });
    expect(final.success).to.equal(false);
    expect(final.error!.issues.map((i) => [i.path.join('.'), i.message])).to.deep.equal([['results.0.achievement', 'is computed from the other columns of its row and cannot be entered']]);
    const competitors = contentSchemaFor(typeOf('competitor-analysis')).safeParse({ competitors: [{ name: 'Хлебный дом', isClient: false }] });
    expect(competitors.error!.issues.map((i) => [i.path.join('.'), i.message])).to.deep.equal([['competitors.isClient', 'must be ticked in at least one row: the business itself is the baseline of the comparison']]);
  });

  it('starts an empty competitor table with a row for the business itself, ticked, and leaves a filled one alone', () => {
    const type = typeOf('competitor-analysis');
    expect(withBaselineRow(type, {}).competitors).to.deep.equal([{ isClient: true }]);
    const filled = { competitors: [{ name: 'Хлебный дом' }] };
    expect(withBaselineRow(type, filled)).to.deep.equal(filled);
  });

  it('shows the computed achievement and its rule in both languages', () => {
    const content = { results: [{ metric: 'Подписчики', baseline: 100, target: 300, actual: 250 }, { metric: 'Часы до ответа', baseline: 24, target: 4 }] };
    for (const locale of ['en', 'ru'] as const) {
      const section = documentSections(typeOf('final-evaluation'), content, locale).find((s) => s.id === 'results')!;
      if (section.kind !== 'table') throw new Error('results is a table');
      expect(section.rows.map((r) => r.at(-1)!.replace(/\s/g, ' '))).to.deep.equal([locale === 'en' ? '75%' : '75 %', '—']);
      expect(section.notes![0]).to.contain(locale === 'en' ? '(actual − baseline) ÷ (target − baseline) × 100' : '(факт − исходное) ÷ (цель − исходное) × 100');
    }
  });
});
