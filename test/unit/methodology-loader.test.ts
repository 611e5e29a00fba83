import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadMethodologies, parseMethodologyText, MethodologyInvalidError } from '../../src/methodology/methodology.loader.ts';
import { METHODOLOGY_DIR, VARIANTS_DIR, BROKEN_DIR } from '../helpers/factories.ts';

const EXTENDS_DIR = join('test', 'fixtures', 'extends');

/** The problems the broken fixtures report against one of their folders. */
function brokenProblemsOf(folder: string) {
  try {
    loadMethodologies(BROKEN_DIR);
  } catch (e) {
    if (e instanceof MethodologyInvalidError) return e.problems.filter((p) => p.file === join('test', 'fixtures', 'broken', folder, 'methodology.yaml'));
    throw e;
  }
  throw new Error('the broken fixtures loaded');
}

const e1tText = readFileSync(join(METHODOLOGY_DIR, 'e1t-1', 'methodology.yaml'), 'utf8');

/** E1T v1 with one change applied, as text, the way a consultant would edit the file. */
function e1tWith(change: (m: any) => void): string {
  const data = parse(e1tText);
  change(data);
  return stringify(data);
}

/** E1T's own training modules: the text is read with them, as the loader reads a folder. */
const e1tModules = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition.trainingModules;

function problemsOf(text: string) {
  const result = parseMethodologyText(text, 'm.yaml', e1tModules);
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
    const problems = (error as MethodologyInvalidError).problems.filter((p) => p.file.endsWith(join('e1t-broken', 'methodology.yaml')));
    expect(problems.length).to.be.greaterThan(0);
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

describe('methodology loader: networks', () => {
  const all = loadMethodologies(METHODOLOGY_DIR);
  const e1t = all.get('e1t@1')!.definition;
  const noFacebook = all.get('e1t-vk-telegram@1')!.definition;
  const accountsTable = (m: typeof e1t) => m.documentTypes.find((d) => d.id === 'accounts-register')!.fields.find((f) => f.id === 'accounts')!;

  it('offers the declared networks in every network column, in their order and with their Russian names', () => {
    const declared = e1t.networks.map((n) => n.id);
    for (const type of e1t.documentTypes) {
      for (const column of type.fields.flatMap((f) => f.columns ?? [])) {
        if (column.id !== 'network') continue;
        expect(column.type, `${type.id}.${column.id}`).to.equal('select');
        expect(column.options!.map((o) => o.value), `${type.id}.${column.id}`).to.deep.equal(declared);
      }
    }
    const vk = accountsTable(e1t).columns!.find((c) => c.id === 'network')!.options!.find((o) => o.value === 'vk')!;
    expect(vk.label).to.deep.equal({ en: 'VK', ru: 'ВКонтакте' });
  });

  it('marks the mandatory networks of the accounts register itself: Facebook and VK in E1T, VK and Telegram without Facebook', () => {
    expect(accountsTable(e1t).mandatoryNetworkIds).to.deep.equal(['facebook', 'vk']);
    expect(accountsTable(noFacebook).mandatoryNetworkIds).to.deep.equal(['vk', 'telegram']);
    expect(noFacebook.networks.filter((n) => n.mandatory).map((n) => n.id)).to.deep.equal(['vk', 'telegram']);
    expect(noFacebook.networks.some((n) => n.id === 'facebook'), 'Facebook is still on offer').to.equal(true);
  });

  it('builds the methodology without Facebook from E1T v1, sharing its stages, documents and training texts', () => {
    expect(noFacebook.id).to.equal('e1t-vk-telegram');
    expect(noFacebook.stages).to.deep.equal(e1t.stages);
    expect(noFacebook.trainingModules).to.deep.equal(e1t.trainingModules);
    expect(noFacebook.trainingModules.length).to.be.greaterThan(5);
    expect(noFacebook.name.ru).to.contain('ВКонтакте');
  });

  it('refuses documents and a mandatory list that name undeclared networks, with the file and the path', () => {
    const problems = brokenProblemsOf('undeclared-networks');
    expect(problems.map((p) => p.path)).to.have.members(['mandatoryNetworks[1]', 'documentTypes[0].fields[0].columns[0].networks[1]']);
    expect(problems.find((p) => p.path === 'mandatoryNetworks[1]')!.message).to.contain('"facebook" is not declared');
    expect(problems.find((p) => p.path.endsWith('networks[1]') && p.path.startsWith('documentTypes'))!.message).to.contain('"myspace"');
  });

  it('refuses a network field that copies a list of options instead of taking the networks', () => {
    const problems = problemsOf(
      e1tWith((m) => {
        const column = m.documentTypes.find((d: any) => d.id === 'competitor-analysis').fields[1].columns.find((c: any) => c.id === 'network');
        column.options = [{ value: 'facebook', label: { en: 'Facebook', ru: 'Facebook' } }];
      }),
    );
    expect(problems.map((p) => p.path)).to.deep.equal(['documentTypes[0].fields[1].columns[1].options']);
  });

  it('refuses saying twice which networks are mandatory, and a methodology with none', () => {
    const twice = problemsOf(e1tWith((m) => (m.networks[2].mandatory = true)));
    expect(twice.map((p) => p.path)).to.deep.equal(['networks[2].mandatory']);
    const none = problemsOf(e1tWith((m) => delete m.mandatoryNetworks));
    expect(none.map((p) => p.message)).to.deep.equal(['at least one network must be mandatory']);
  });

  it('refuses a gate rule over a table without mandatory rows or over a column the table lacks', () => {
    const problems = problemsOf(
      e1tWith((m) => {
        const rule = m.stages[1].gate[0];
        rule.complete = ['address', 'postedOn'];
        m.stages[1].gate.push({ ...rule, complete: ['address'], documentType: 'site-changes', table: 'changes' });
      }),
    );
    expect(problems.map((p) => p.path)).to.have.members(['stages[1].gate[0].complete[1]', 'stages[1].gate[1].table']);
  });

  it('declares the correction of the documentation in Launch: an owner\'s required task closed by a documentation-corrected rule', () => {
    const launch = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition.stages[2]!;
    expect(launch.gate).to.deep.include({ rule: 'documentation-corrected', task: 'launch.docs-correction' });
    expect(launch.gate).to.deep.equal([
      { rule: 'documentation-corrected', task: 'launch.docs-correction' },
      { rule: 'published-per-network', atLeast: 4 },
      { rule: 'no-content-awaiting-approval' },
      { rule: 'kpi-actuals', weeks: 2 },
    ]);
    const task = launch.tasks.find((t) => t.id === 'launch.docs-correction')!;
    expect([task.role, task.required, task.kind]).to.deep.equal(['owner', true, 'work']);
  });

  it('refuses a documentation-corrected rule in the first stage, over a missing task, or over a task that is not the owner\'s work', () => {
    const problems = problemsOf(
      e1tWith((m) => {
        m.stages[0].gate = [{ rule: 'documentation-corrected', task: 'prep.kickoff-missing' }];
        m.stages[2].gate.splice(1, 0, { rule: 'documentation-corrected', task: 'launch.final-evaluation' });
        m.stages[2].tasks.find((t: { id: string }) => t.id === 'launch.docs-correction').role = 'consultant';
      }),
    );
    expect(problems.map((p) => `${p.path}: ${p.message}`)).to.have.members([
      'stages[0].gate[0].rule: the documentation is corrected after the stages that produce it: this rule cannot be in the first stage',
      'stages[0].gate[0].task: stage "preparation" has no task "prep.kickoff-missing"',
      'stages[2].gate[0].task: task "launch.docs-correction" must be the owner\'s: the owner confirms or approves the documents (it is the consultant\'s)',
      'stages[2].gate[1].task: task "launch.final-evaluation" closes when the documents are settled, so it must be a work task (it is "document")',
      'stages[2].gate[1].task: task "launch.final-evaluation" must be the owner\'s: the owner confirms or approves the documents (it is the consultant\'s)',
    ]);
  });

  it('names every gate rule when a stage asks for one it does not know', () => {
    const problems = problemsOf(e1tWith((m) => m.stages[2].gate.push({ rule: 'documents-polished', task: 'launch.docs-correction' })));
    expect(problems.map((p) => p.message).join('\n')).to.contain('"mandatory-networks", "documentation-corrected", "published-per-network", "no-content-awaiting-approval" and "kpi-actuals"');
  });

  it('gives a methodology with one changed training text a new content hash, so new engagements freeze a new version', () => {
    const modules = all.get('e1t@1')!.definition.trainingModules;
    const before = parseMethodologyText(e1tText, 'm.yaml', modules);
    const changed = structuredClone(modules);
    changed[0]!.reading.ru += ' Ещё одна фраза.';
    const after = parseMethodologyText(e1tText, 'm.yaml', changed);
    expect('hash' in before && 'hash' in after).to.equal(true);
    expect((after as { hash: string }).hash).to.not.equal((before as { hash: string }).hash);
    expect((before as { hash: string }).hash).to.equal(all.get('e1t@1')!.hash);
  });
});

describe('methodology loader: extends', () => {
  it('takes a base folder and replaces only the keys the variant sets, sharing the base training', () => {
    const loaded = loadMethodologies(EXTENDS_DIR);
    const base = loaded.get('extends-base@1')!.definition;
    const child = loaded.get('extends-child@1')!;
    expect(child.definition.name.en).to.equal('Child');
    expect(child.definition.stages).to.deep.equal(base.stages);
    expect(child.definition.trainingModules.map((m) => m.id)).to.deep.equal(['chats']);
    expect(child.definition.networks.filter((n) => n.mandatory).map((n) => n.id)).to.deep.equal(['telegram']);
    expect(child.file).to.equal(join(EXTENDS_DIR, 'child', 'methodology.yaml'));
  });

  it('refuses a base that does not exist and a circle of bases, naming the file', () => {
    expect(brokenProblemsOf('extends-missing').map((p) => [p.path, p.message])).to.deep.equal([['extends', 'no methodology folder "no-such-folder" beside this one']]);
    const loop = brokenProblemsOf('extends-loop-a');
    expect(loop.map((p) => p.path)).to.deep.equal(['extends']);
    expect(loop[0]!.message).to.contain('extends-loop-a → extends-loop-b → extends-loop-a');
  });

  it('refuses extends in a lone text, which has no folder to look in', () => {
    expect(problemsOf('extends: e1t-1\nid: x\n').map((p) => p.path)).to.deep.equal(['extends']);
  });
});

describe('methodology loader: reminder thresholds', () => {
  it('loads the thresholds of reminders and escalation from E1T', () => {
    const e1t = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition;
    expect(e1t.reminders).to.deep.equal({ approval: { remindOwnerAfter: 1, tellConsultantAfter: 3 }, overdueTask: { tellConsultantAfter: 2 } });
  });

  it('refuses thresholds that are not whole working days, an unknown key, and a consultant told before the owner', () => {
    const shapes = problemsOf(e1tWith((m) => (m.reminders = { approval: { remindOwnerAfter: 1, tellConsultantAfter: 3 }, overdueTask: { tellConsultantAfter: 1.5 }, weekends: true })));
    expect(shapes.map((p) => p.path)).to.include.members(['reminders.overdueTask.tellConsultantAfter', 'reminders']);
    const order = problemsOf(e1tWith((m) => (m.reminders.approval = { remindOwnerAfter: 2, tellConsultantAfter: 1 })));
    expect(order.map((p) => p.path)).to.deep.equal(['reminders.approval.tellConsultantAfter']);
  });
});
