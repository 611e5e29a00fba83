import { expect } from 'chai';
import { findGateBlockers, describeBlockers, type GateInput } from '../../src/engagement/gate.ts';
import type { Stage } from '../../src/methodology/methodology.schema.ts';

const text = (s: string) => ({ en: s, ru: s });
const stage: Stage = {
  id: 'preparation',
  title: text('Preparation'),
  goal: text('Goal'),
  durationDays: 30,
  tasks: [
    { id: 'p.study', title: text('Study the kit'), description: text('d'), kind: 'training', role: 'staff', required: true },
    { id: 'p.extra', title: text('Optional extra'), description: text('d'), kind: 'work', role: 'consultant', required: false },
    { id: 'p.kpi', title: text('Target criteria'), description: text('d'), kind: 'document', role: 'consultant', required: true, documentType: 'kpi' },
    { id: 'p.signoff', title: text('Sign-off'), description: text('d'), kind: 'signoff', role: 'owner', required: true },
  ],
};

function input(over: Partial<GateInput> = {}): GateInput {
  return {
    stage,
    language: 'en',
    signedOff: true,
    tasks: [
      { key: 'p.study', title: 'Study the kit', status: 'done' },
      { key: 'p.extra', title: 'Optional extra', status: 'open' },
    ],
    documents: [{ typeId: 'kpi', status: 'approved', latestHash: 'h2', approvedHash: 'h2' }],
    ...over,
  };
}

describe('stage gate rules', () => {
  it('opens when required tasks are done, documents approved at their latest version and the stage signed off', () => {
    expect(findGateBlockers(input())).to.deep.equal([]);
  });

  it('ignores optional tasks', () => {
    expect(findGateBlockers(input()).some((b) => b.id === 'p.extra')).to.equal(false);
  });

  it('holds on an open required task', () => {
    const blockers = findGateBlockers(input({ tasks: [{ key: 'p.study', title: 'Study the kit', status: 'open' }] }));
    expect(blockers).to.deep.equal([{ kind: 'task', id: 'p.study', title: 'Study the kit' }]);
  });

  it('holds on a required document that does not exist yet', () => {
    expect(findGateBlockers(input({ documents: [] }))).to.deep.include({ kind: 'document', id: 'kpi', title: 'Target criteria', status: 'missing' });
  });

  for (const status of ['draft', 'in_review', 'changes_requested'] as const) {
    it(`holds on a required document that is ${status.replace('_', ' ')}`, () => {
      const blockers = findGateBlockers(input({ documents: [{ typeId: 'kpi', status, latestHash: 'h3', approvedHash: 'h2' }] }));
      expect(blockers.map((b) => b.kind)).to.deep.equal(['document']);
    });
  }

  it('holds when the approval names an older version than the latest', () => {
    const blockers = findGateBlockers(input({ documents: [{ typeId: 'kpi', status: 'approved', latestHash: 'h3', approvedHash: 'h2' }] }));
    expect(blockers.map((b) => b.id)).to.deep.equal(['kpi']);
  });

  it('holds without the owner sign-off, unless asked to ignore it', () => {
    expect(findGateBlockers(input({ signedOff: false })).map((b) => b.kind)).to.deep.equal(['signoff']);
    expect(findGateBlockers(input({ signedOff: false }), { ignoreSignoff: true })).to.deep.equal([]);
  });

  it('says what holds the gate in plain words', () => {
    const lines = describeBlockers(findGateBlockers(input({ signedOff: false, documents: [], tasks: [] })));
    expect(lines).to.deep.equal([
      '1 task still open: Study the kit',
      '1 document not approved at the latest version: Target criteria (missing)',
      'the owner has not signed the stage off',
    ]);
  });
});
