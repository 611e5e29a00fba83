import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { completeCurrentStage, makeEngagement, useStartedEngagement, type EngagementSuite } from '../helpers/factories.ts';
import { advanceStage, signStageOff } from '../../src/engagement/engagement.service.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { ProjectDocument } from '../../src/documents/document.entity.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { User } from '../../src/users/user.entity.ts';
import { BlockedError, InvalidInputError } from '../../src/errors.ts';
import type { Blocker } from '../../src/engagement/gate.ts';

type Row = Record<string, unknown>;

/** An account row the way a consultant fills it once the account is live and checked. */
export const accountRow = (network: string, over: Row = {}): Row => ({
  network,
  address: `https://example.com/${network}`,
  opened: '2026-04-03',
  firstContent: true,
  linksTested: true,
  responsible: 'Sales',
  ...over,
});

/** The consultant submits the register and the owner approves it. */
async function approveRegister(s: EngagementSuite, rows: Row[], engagementId = s.engagementId, cast = s.cast): Promise<void> {
  const version = await submitDocumentVersion(s.deps, cast.consultant.id, engagementId, 'accounts-register', { accounts: rows });
  await approveDocument(s.deps, cast.owner.id, engagementId, version.document.id, version.contentHash);
}

async function intoFormatting(s: EngagementSuite, engagementId = s.engagementId, cast = s.cast): Promise<void> {
  await completeCurrentStage(s.deps, engagementId, cast);
  await advanceStage(s.deps, cast.consultant.id, engagementId);
  await completeCurrentStage(s.deps, engagementId, cast, { signOff: false });
}

const networkBlockers = (error: Error) => (error as BlockedError).blockers.filter((b): b is Extract<Blocker, { kind: 'network' }> => b.kind === 'network');

describe('mandatory networks in E1T (Facebook and VK)', function () {
  this.timeout(60_000);
  const s = useStartedEngagement();

  it('keeps the Formatting stage closed while Facebook lacks its links test, names what is missing, and opens once it is filled', async () => {
    await intoFormatting(s);
    await approveRegister(s, [accountRow('facebook', { address: undefined, linksTested: false }), accountRow('vk'), accountRow('instagram')]);

    const error = await refusalOf(signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'formatting'));
    expect(error).to.be.instanceOf(BlockedError);
    expect(networkBlockers(error)).to.deep.equal([
      { kind: 'network', id: 'facebook', title: 'Facebook', documentType: 'accounts-register', documentTitle: 'Social accounts register', missing: ['Address', 'Links tested'] },
    ]);
    expect((error as BlockedError).reasons.join('\n')).to.contain('mandatory network Facebook is not ready').and.contain('Address; Links tested');

    await approveRegister(s, [accountRow('facebook'), accountRow('vk'), accountRow('instagram')]);
    await signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'formatting');
    expect((await advanceStage(s.deps, s.cast.consultant.id, s.engagementId)).to).to.equal('launch');
  });

  it('names every mandatory network while no register is approved, in the owner\'s Russian', async () => {
    await completeCurrentStage(s.deps, s.engagementId, s.cast);
    await advanceStage(s.deps, s.cast.consultant.id, s.engagementId);
    const em = s.db.orm.em.fork();
    await em.nativeUpdate(User, { id: s.cast.owner.id }, { locale: 'ru' });
    const error = await refusalOf(signStageOff(s.deps, s.cast.owner.id, s.engagementId, 'formatting'));
    expect(networkBlockers(error).map((b) => [b.title, b.missing])).to.deep.equal([
      ['Facebook', null],
      ['ВКонтакте', null],
    ]);
  });

  it('refuses a register that leaves out a mandatory network, and keeps the approved version', async () => {
    await intoFormatting(s);
    const before = await s.db.orm.em.fork().findOneOrFail(ProjectDocument, { engagement: s.engagementId, typeId: 'accounts-register' });
    const error = await refusalOf(submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'accounts-register', { accounts: [accountRow('vk')] }));
    expect(error).to.be.instanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems).to.deep.equal([{ field: 'accounts', message: 'the network "Facebook" is mandatory in this methodology: its row cannot be removed' }]);
    const after = await s.db.orm.em.fork().findOneOrFail(ProjectDocument, { engagement: s.engagementId, typeId: 'accounts-register' });
    expect([after.latestVersion, after.status]).to.deep.equal([before.latestVersion, 'approved']);
  });
});

describe('mandatory networks without Facebook (VK and Telegram)', function () {
  this.timeout(60_000);
  const s = useStartedEngagement();

  it('starts from the second methodology and its Formatting gate asks for Telegram, never for Facebook', async () => {
    const { engagementId, cast } = await makeEngagement(s.deps, { methodology: 'e1t-vk-telegram@1' });
    const engagement = await s.db.orm.em.fork().findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] });
    expect(engagement.methodology.key).to.equal('e1t-vk-telegram@1');
    await intoFormatting(s, engagementId, cast);

    await approveRegister(s, [accountRow('vk'), accountRow('telegram', { firstContent: false })], engagementId, cast);
    const error = await refusalOf(signStageOff(s.deps, cast.owner.id, engagementId, 'formatting'));
    expect(networkBlockers(error).map((b) => [b.id, b.missing])).to.deep.equal([['telegram', ['Initial information posted']]]);

    const refused = await refusalOf(submitDocumentVersion(s.deps, cast.consultant.id, engagementId, 'accounts-register', { accounts: [accountRow('vk'), accountRow('facebook')] }));
    expect((refused as InvalidInputError).problems.map((p) => p.message)).to.deep.equal(['the network "Telegram" is mandatory in this methodology: its row cannot be removed']);

    await approveRegister(s, [accountRow('vk'), accountRow('telegram')], engagementId, cast);
    await signStageOff(s.deps, cast.owner.id, engagementId, 'formatting');
    expect((await advanceStage(s.deps, cast.consultant.id, engagementId)).to).to.equal('launch');
  });

  it('keeps an engagement on the exact methodology it was started from', async () => {
    const first = await makeEngagement(s.deps, { methodology: 'e1t-vk-telegram@1' });
    const em = s.db.orm.em.fork();
    const frozen = (await em.findOneOrFail(Engagement, first.engagementId, { populate: ['methodology.definition'] })).methodology;
    expect(frozen.hash).to.equal(s.deps.methodologies.list().find((m) => m.key === 'e1t-vk-telegram@1')!.hash);
    expect(frozen.definition.networks.filter((n) => n.mandatory).map((n) => n.id)).to.deep.equal(['vk', 'telegram']);
    expect(frozen.hash, 'the two methodologies are stored apart').to.not.equal(s.deps.methodologies.list().find((m) => m.key === 'e1t@1')!.hash);
  });
});
