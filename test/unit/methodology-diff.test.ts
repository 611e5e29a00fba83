import { expect } from 'chai';
import { loadMethodologies } from '../../src/methodology/methodology.loader.ts';
import { diffMethodologies, isEmptyDiff, upgradeRefusals } from '../../src/methodology/methodology-diff.ts';
import { METHODOLOGY_DIR } from '../helpers/factories.ts';

const e1t1 = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition;
const e1t2 = loadMethodologies('test/fixtures/upgrade').get('e1t@2')!.definition;

describe('the difference between two versions of a methodology', () => {
  it('names what e1t@2 adds, removes and changes: stages, tasks, document fields, modules', () => {
    const diff = diffMethodologies(e1t1, e1t2);
    expect(diff.stages).to.deep.equal([{ kind: 'changed', id: 'formatting', what: ['durationDays'] }]);
    expect(diff.tasks).to.deep.equal([{ kind: 'added', id: 'fmt.stories' }, { kind: 'removed', id: 'launch.content' }]);
    expect(diff.documentTypes).to.deep.equal([]);
    expect(diff.fields).to.deep.equal([{ kind: 'added', id: 'storyFormats', within: 'content-concept' }]);
    expect(diff.trainingModules).to.deep.equal([{ kind: 'changed', id: 'chats', what: ['title'] }]);
    expect(diff.gateRules).to.deep.equal([]);
  });

  it('finds nothing between a version and itself, and a changed gate rule by what it checks', () => {
    expect(isEmptyDiff(diffMethodologies(e1t1, e1t1))).to.equal(true);
    // A frozen version comes back from jsonb with its keys in another order: that is no change.
    const reordered = JSON.parse(JSON.stringify(e1t1, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v)));
    expect(diffMethodologies(reordered, e1t1)).to.deep.equal(diffMethodologies(e1t1, e1t1));
    const noCorrection = { ...e1t1, stages: e1t1.stages.map((s) => ({ ...s, gate: s.gate?.filter((r) => r.rule !== 'documentation-corrected') })) };
    expect(diffMethodologies(e1t1, noCorrection).gateRules).to.deep.equal([{ kind: 'removed', id: 'documentation-corrected:launch.docs-correction', within: 'launch' }]);
  });

  it('refuses an upgrade that would leave the engagement in a stage that no longer exists, an older version and another methodology', () => {
    const withoutFormatting = { ...e1t2, stages: e1t2.stages.filter((s) => s.id !== 'formatting') };
    expect(upgradeRefusals('formatting', e1t1, e1t2)).to.deep.equal([]);
    expect(upgradeRefusals('formatting', e1t1, withoutFormatting)).to.deep.equal(['the stage the engagement is in, "formatting", no longer exists in version 2']);
    expect(upgradeRefusals('paused', e1t1, withoutFormatting, 'formatting'), 'a paused engagement resumes into its stage').to.have.length(1);
    expect(upgradeRefusals('preparation', e1t2, e1t1)).to.deep.equal(['version 1 is not newer than version 2']);
    expect(upgradeRefusals('draft', e1t1, { ...e1t2, id: 'other' })).to.deep.equal(['"other" is another methodology than "e1t"']);
  });

  it('refuses a version with a new stage before the one the engagement is in or paused in, not after it nor before a start', () => {
    const briefing = { ...e1t2.stages[0]!, id: 'briefing', tasks: [], gate: [] };
    const early = { ...e1t2, stages: [e1t2.stages[0]!, briefing, ...e1t2.stages.slice(1)] };
    const late = { ...e1t2, stages: [...e1t2.stages, briefing] };
    const reason = 'version 2 adds the stage "briefing" before "formatting", the stage the engagement is in: the engagement would skip work it never did';
    expect(upgradeRefusals('formatting', e1t1, early)).to.deep.equal([reason]);
    expect(upgradeRefusals('paused', e1t1, early, 'formatting'), 'a paused engagement resumes into its stage').to.deep.equal([reason]);
    expect(upgradeRefusals('preparation', e1t1, early), 'the new stage is still ahead').to.deep.equal([]);
    expect(upgradeRefusals('draft', e1t1, early), 'nothing started yet').to.deep.equal([]);
    expect(upgradeRefusals('formatting', e1t1, late)).to.deep.equal([]);
  });
});
