import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadMethodologies, parseMethodologyText, MethodologyInvalidError } from '../../src/methodology/methodology.loader.ts';
import { METHODOLOGY_DIR, VARIANTS_DIR, BROKEN_DIR } from '../helpers/factories.ts';

const e1tText = readFileSync(join(METHODOLOGY_DIR, 'e1t-1', 'methodology.yaml'), 'utf8');

/** E1T v1 with one change applied, as text, the way a consultant would edit the file. */
function e1tWith(change: (m: any) => void): string {
  const data = parse(e1tText);
  change(data);
  return stringify(data);
}

function problemsOf(text: string) {
  const result = parseMethodologyText(text, 'm.yaml');
  return 'problems' in result ? result.problems : [];
}

describe('methodology loader', () => {
  it('loads E1T version 1 with its three stages, fee and mandatory networks', () => {
    const e1t = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition;
    expect(e1t.stages.map((s) => s.id)).to.deep.equal(['preparation', 'formatting', 'launch']);
    expect(e1t.stages.every((s) => s.durationDays === 30)).to.equal(true);
    expect(e1t.fee).to.deep.equal({ amount: 30000, currency: 'RUB' });
    expect(e1t.participants).to.deep.equal({ min: 2, max: 7 });
    expect(e1t.networks.filter((n) => n.mandatory).map((n) => n.id)).to.have.members(['facebook', 'vk']);
  });

  it('gives every E1T task both languages, a kind, a role and exactly one sign-off per stage', () => {
    const e1t = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition;
    for (const stage of e1t.stages) {
      expect(stage.tasks.filter((t) => t.kind === 'signoff'), stage.id).to.have.length(1);
      for (const task of stage.tasks) {
        expect(task.title.ru, task.id).to.match(/[а-яё]/i);
        expect(task.description.en, task.id).to.match(/[a-z]/i);
      }
    }
    const documentTasks = e1t.stages.flatMap((s) => s.tasks).filter((t) => t.kind === 'document');
    expect(documentTasks.map((t) => t.documentType)).to.include.members(['competitor-analysis', 'target-criteria', 'content-concept', 'final-evaluation']);
  });

  it('loads a variant with four stages and Telegram mandatory without any code change', () => {
    const variant = loadMethodologies(VARIANTS_DIR).get('e1t-telegram@1')!.definition;
    expect(variant.stages).to.have.length(4);
    expect(variant.networks.find((n) => n.id === 'telegram')?.mandatory).to.equal(true);
    expect(variant.networks.find((n) => n.id === 'facebook')?.mandatory).to.equal(false);
  });

  it('reports every problem of a broken file with the file and the path', () => {
    let error: unknown;
    try {
      loadMethodologies(BROKEN_DIR);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(MethodologyInvalidError);
    const problems = (error as MethodologyInvalidError).problems;
    expect(problems.every((p) => p.file.endsWith(join('e1t-broken', 'methodology.yaml')))).to.equal(true);
    expect(problems.map((p) => p.path)).to.include('stages[0].tasks[1].title.ru');
    expect((error as Error).message).to.contain('stages[0].tasks[1].title.ru');
  });

  it('names an unknown document type with the path of the task that uses it', () => {
    const problems = problemsOf(e1tWith((m) => (m.stages[0].tasks.find((t: any) => t.kind === 'document').documentType = 'no-such-type')));
    expect(problems).to.have.length(1);
    expect(problems[0]!.path).to.match(/^stages\[0\]\.tasks\[\d+\]\.documentType$/);
    expect(problems[0]!.message).to.contain('no-such-type');
  });

  it('refuses a duplicate task id and says where the first one is', () => {
    const problems = problemsOf(e1tWith((m) => (m.stages[1].tasks[0].id = m.stages[0].tasks[0].id)));
    expect(problems.map((p) => p.path)).to.deep.equal(['stages[1].tasks[0].id']);
    expect(problems[0]!.message).to.contain('stages[0].tasks[0]');
  });

  it('refuses a stage without a sign-off, a missing translation and a wrong kind in one report', () => {
    const problems = problemsOf(
      e1tWith((m) => {
        m.stages[2].tasks = m.stages[2].tasks.filter((t: any) => t.kind !== 'signoff');
        delete m.stages[0].title.ru;
        m.stages[1].tasks[0].kind = 'party';
      }),
    );
    const paths = problems.map((p) => p.path);
    expect(paths).to.include('stages[0].title.ru');
    expect(paths).to.include('stages[1].tasks[0].kind');
  });

  it('refuses a stage that takes the name of an engagement state', () => {
    const problems = problemsOf(e1tWith((m) => (m.stages[0].id = 'paused')));
    expect(problems.some((p) => p.path === 'stages[0].id' && p.message.includes('paused'))).to.equal(true);
  });

  it('reports broken YAML with its line', () => {
    const problems = problemsOf('id: e1t\nstages: [\n  - oops');
    expect(problems[0]!.message).to.match(/not valid YAML/);
    expect(problems[0]!.path).to.match(/^line \d+/);
  });

  it('refuses a folder without a methodology.yaml and a missing methodology folder', () => {
    expect(() => loadMethodologies(join(METHODOLOGY_DIR, 'no-such'))).to.throw(MethodologyInvalidError, /does not exist/);
  });
});
