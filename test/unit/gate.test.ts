import { expect } from 'chai';
import { findGateBlockers, describeBlockers, type GateInput } from '../../src/engagement/gate.ts';
import type { DocumentType, Stage } from '../../src/methodology/methodology.schema.ts';

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

describe('stage gate rule: mandatory networks', () => {
  const register: DocumentType = {
    id: 'register',
    title: text('Accounts register'),
    fields: [
      {
        id: 'accounts',
        label: text('Accounts'),
        type: 'table',
        required: true,
        mandatoryNetworkRows: 'network',
        mandatoryNetworkIds: ['fb', 'vk'],
        columns: [
          { id: 'network', label: text('Network'), type: 'select', required: true, options: [] },
          { id: 'address', label: text('Address'), type: 'url', required: false },
          { id: 'linksTested', label: { en: 'Links tested', ru: 'Связи проверены' }, type: 'boolean', required: false },
        ],
      },
    ],
  };
  const networkStage: Stage = { ...stage, gate: [{ rule: 'mandatory-networks', documentType: 'register', table: 'accounts', complete: ['address', 'linksTested'] }] };
  const networks = [
    { id: 'fb', name: 'Facebook', mandatory: true },
    { id: 'vk', name: 'VK', label: { en: 'VK', ru: 'ВКонтакте' }, mandatory: true },
    { id: 'ok', name: 'OK', mandatory: false },
  ];
  const withRows = (rows: Record<string, unknown>[] | null, language: 'en' | 'ru' = 'en') =>
    findGateBlockers(input({ stage: networkStage, language, rules: { networks, documentTypes: [register], approvedContent: { register: rows ? { accounts: rows } : null } } }));

  it('opens when each mandatory network has an address and tested links, whatever the optional ones lack', () => {
    expect(withRows([{ network: 'fb', address: 'https://f', linksTested: true }, { network: 'vk', address: 'https://v', linksTested: true }, { network: 'ok' }])).to.deep.equal([]);
  });

  it('names the network and the columns it still lacks, and a network without a row', () => {
    const blockers = withRows([{ network: 'fb', address: '', linksTested: false }], 'ru');
    expect(blockers.map((b) => (b.kind === 'network' ? [b.title, b.missing] : b.kind))).to.deep.equal([
      ['Facebook', ['Address', 'Связи проверены']],
      ['ВКонтакте', null],
    ]);
  });

  it('holds every mandatory network while no version is approved, and says so in plain words', () => {
    const lines = describeBlockers(withRows(null));
    expect(lines).to.deep.equal(['mandatory network Facebook has no account in the approved Accounts register', 'mandatory network VK has no account in the approved Accounts register']);
  });
});

describe('gate rule: the documentation is corrected', () => {
  const launch: Stage = {
    id: 'launch',
    title: text('Launch'),
    goal: text('Goal'),
    durationDays: 30,
    gate: [{ rule: 'documentation-corrected', task: 'l.correct' }],
    tasks: [
      { id: 'l.correct', title: text('Correct the documentation'), description: text('d'), kind: 'work', role: 'owner', required: true },
      { id: 'l.signoff', title: text('Sign-off'), description: text('d'), kind: 'signoff', role: 'owner', required: true },
    ],
  };
  const kpi = { documentId: 'd1', typeId: 'kpi', status: 'approved', latestVersion: 2, latestHash: 'h2', approvedHash: 'h2' };
  const reviewed = (...docs: (typeof kpi & { decisions: { kind: 'confirm' | 'approve'; contentHash: string }[] })[]): GateInput => ({
    stage: launch,
    language: 'en',
    signedOff: true,
    tasks: [{ key: 'l.correct', title: 'Correct the documentation', status: 'open' }],
    documents: [],
    rules: { networks: [], documentTypes: [{ id: 'kpi', title: { en: 'Target criteria', ru: 'Целевые критерии' }, fields: [] }], approvedContent: {}, reviewed: docs },
  });

  it('holds the stage for a document nobody has reviewed, naming it instead of the task', () => {
    const blockers = findGateBlockers(reviewed({ ...kpi, decisions: [] }));
    expect(blockers).to.deep.equal([{ kind: 'correction', id: 'kpi', title: 'Target criteria', documentId: 'd1', state: 'notReviewed', status: 'approved' }]);
    expect(describeBlockers(blockers)).to.deep.equal(['“Target criteria” is not reviewed yet: the owner confirms it needs no changes or approves a new version']);
  });

  it('counts a confirmation or an approval only of the version that stands now', () => {
    expect(findGateBlockers(reviewed({ ...kpi, decisions: [{ kind: 'confirm', contentHash: 'h2' }] })).map((b) => b.kind)).to.deep.equal(['task']);
    expect(findGateBlockers(reviewed({ ...kpi, decisions: [{ kind: 'approve', contentHash: 'h2' }] })).map((b) => b.kind)).to.deep.equal(['task']);
    expect(findGateBlockers(reviewed({ ...kpi, decisions: [{ kind: 'confirm', contentHash: 'h1' }] })).map((b) => b.kind)).to.deep.equal(['correction']);
  });

  it('holds the stage for a newer version pending even when an older one was confirmed', () => {
    const blockers = findGateBlockers(reviewed({ ...kpi, status: 'in_review', latestVersion: 3, latestHash: 'h3', decisions: [{ kind: 'confirm', contentHash: 'h2' }] }));
    expect(blockers.map((b) => b.kind === 'correction' && [b.state, b.status])).to.deep.equal([['inProgress', 'in_review']]);
    expect(describeBlockers(blockers)).to.deep.equal(['A new version of “Target criteria” is not approved yet (in review)']);
  });

  it('reads nothing on a stage without the rule, as on an older frozen methodology', () => {
    const { gate: _none, ...withoutRule } = launch;
    expect(findGateBlockers({ ...reviewed({ ...kpi, decisions: [] }), stage: withoutRule }).map((b) => b.kind)).to.deep.equal(['task']);
  });
});
