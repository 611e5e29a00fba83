import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { makeEngagement, useStartedEngagement } from '../helpers/factories.ts';
import { approveAnswer, logEntry, markSent, requestAnswerChanges, saveAnswer, setApprovalRequired, submitAnswer } from '../../src/desk/desk.service.ts';
import { deskResponseShares } from '../../src/desk/desk.queries.ts';
import { DeskEntry } from '../../src/desk/desk.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { nameOwnerDelegate } from '../../src/engagement/owner-delegate.service.ts';
import { BlockedError, ForbiddenError, InvalidInputError, NotFoundError } from '../../src/errors.ts';
import { VK, registerAccounts } from '../content/content-helpers.ts';

const fieldsOf = (error: Error) => (error as InvalidInputError).problems.map((p) => p.field).sort();
// The suite's clock starts at 2026-03-02T09:00Z, a Monday.
const REVIEW = { kind: 'review', channel: VK, link: 'https://vk.com/kolosok?w=wall-1_9', receivedAt: '2026-03-02T08:30', customerText: 'The rye was stale and nobody said sorry.', sentiment: 'negative' };
const ANSWER = { answer: 'You are right, the rye was yesterday’s: our mistake. Fresh loaves are on the shelf from 8 a.m., and the next one is on us.', checkedRules: ['no-template', 'honesty'] };

describe('the review and message desk through its service', () => {
  const s = useStartedEngagement();
  const reload = (id: string) => s.db.orm.em.fork().findOneOrFail(DeskEntry, id, { populate: ['answeredBy', 'sentBy', 'decidedBy'] });
  const events = () => s.db.orm.em.fork().find(EngagementEvent, { engagement: s.engagementId, type: { $like: 'desk.%' } }, { orderBy: { seq: 'asc' } });
  const staff = () => s.cast.staff[0]!;

  beforeEach(() => registerAccounts(s.deps, s.cast, s.engagementId));

  it('takes a review from logged to sent through approval, each step an event', async () => {
    const entry = await logEntry(s.deps, staff().id, s.engagementId, REVIEW);
    expect(entry).to.include({ status: 'new', kind: 'review', network: 'vk', sentiment: 'negative' });
    await saveAnswer(s.deps, staff().id, s.engagementId, entry.id, ANSWER);
    expect(await refusalOf(markSent(s.deps, staff().id, s.engagementId, entry.id, { sentAt: '2026-03-02T08:50' }))).to.be.instanceOf(BlockedError);
    await submitAnswer(s.deps, staff().id, s.engagementId, entry.id);
    await requestAnswerChanges(s.deps, s.cast.owner.id, s.engagementId, entry.id, 'Say when the fresh bread is ready.');
    expect(await reload(entry.id)).to.include({ status: 'changes_requested', decisionComment: 'Say when the fresh bread is ready.' });
    await saveAnswer(s.deps, staff().id, s.engagementId, entry.id, { ...ANSWER, answer: `${ANSWER.answer} Fresh rye at 8.` });
    await submitAnswer(s.deps, staff().id, s.engagementId, entry.id);
    await approveAnswer(s.deps, s.cast.consultant.id, s.engagementId, entry.id);
    await markSent(s.deps, staff().id, s.engagementId, entry.id, { sentAt: '2026-03-02T09:00' });
    const done = await reload(entry.id);
    expect(done.status).to.equal('sent');
    expect(done.sentAt!.toISOString()).to.equal('2026-03-02T09:00:00.000Z');
    expect(done.sentBy!.id).to.equal(staff().id);
    expect(done.checkedRules).to.deep.equal(['no-template', 'honesty']);
    const log = await events();
    expect(log.map((e) => e.type)).to.deep.equal(['desk.log', 'desk.draft', 'desk.submit', 'desk.requestChanges', 'desk.draft', 'desk.submit', 'desk.approve', 'desk.send']);
    expect(log.at(-1)!.payload).to.include({ verdict: 'ideal', minutes: 30 });
  });

  it('sends a draft straight out where the engagement asks for no approval, and only then', async () => {
    expect(await refusalOf(setApprovalRequired(s.deps, staff().id, s.engagementId, { approvalRequired: false }))).to.be.instanceOf(ForbiddenError);
    await setApprovalRequired(s.deps, s.cast.owner.id, s.engagementId, { approvalRequired: false });
    const entry = await logEntry(s.deps, staff().id, s.engagementId, { ...REVIEW, kind: 'messenger', channel: 'chat', link: '', sentiment: 'positive' });
    await saveAnswer(s.deps, staff().id, s.engagementId, entry.id, { answer: 'Thank you! See you on Saturday.' });
    await markSent(s.deps, staff().id, s.engagementId, entry.id, { sentAt: '2026-03-02T09:00' });
    expect((await reload(entry.id)).status).to.equal('sent');
    expect((await events()).map((e) => e.type)).to.deep.equal(['desk.settings', 'desk.log', 'desk.draft', 'desk.send']);
    await setApprovalRequired(s.deps, s.cast.consultant.id, s.engagementId, { approvalRequired: true });
    const next = await logEntry(s.deps, staff().id, s.engagementId, REVIEW);
    await saveAnswer(s.deps, staff().id, s.engagementId, next.id, ANSWER);
    expect(await refusalOf(markSent(s.deps, staff().id, s.engagementId, next.id, { sentAt: '2026-03-02T09:00' }))).to.be.instanceOf(BlockedError);
  });

  it('keeps each role to its part: staff log and draft, the owner, the delegate or the consultant approve', async () => {
    const entry = await logEntry(s.deps, staff().id, s.engagementId, REVIEW);
    expect(await refusalOf(logEntry(s.deps, s.cast.owner.id, s.engagementId, REVIEW))).to.be.instanceOf(ForbiddenError);
    expect(await refusalOf(logEntry(s.deps, s.cast.consultant.id, s.engagementId, REVIEW))).to.be.instanceOf(ForbiddenError);
    expect(await refusalOf(saveAnswer(s.deps, s.cast.owner.id, s.engagementId, entry.id, ANSWER))).to.be.instanceOf(ForbiddenError);
    await saveAnswer(s.deps, staff().id, s.engagementId, entry.id, ANSWER);
    await submitAnswer(s.deps, staff().id, s.engagementId, entry.id);
    expect(await refusalOf(approveAnswer(s.deps, s.cast.staff[1]!.id, s.engagementId, entry.id))).to.be.instanceOf(ForbiddenError);
    await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: staff().id });
    expect(await refusalOf(approveAnswer(s.deps, staff().id, s.engagementId, entry.id)), 'the writer does not approve their own answer').to.be.instanceOf(ForbiddenError);
    await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: s.cast.staff[1]!.id });
    await approveAnswer(s.deps, s.cast.staff[1]!.id, s.engagementId, entry.id, 'Good.');
    const approval = (await events()).at(-1)!;
    expect(approval.type).to.equal('desk.approve');
    expect(approval.payload).to.include({ asOwnerDelegate: true });
    expect(await refusalOf(markSent(s.deps, s.cast.owner.id, s.engagementId, entry.id, { sentAt: '2026-03-02T09:00' }))).to.be.instanceOf(ForbiddenError);
  });

  it('answers "not found" for another engagement’s entry and to an outsider', async () => {
    const entry = await logEntry(s.deps, staff().id, s.engagementId, REVIEW);
    const other = await makeEngagement(s.deps);
    expect(await refusalOf(saveAnswer(s.deps, other.cast.staff[0]!.id, other.engagementId, entry.id, ANSWER))).to.be.instanceOf(NotFoundError);
    expect(await refusalOf(approveAnswer(s.deps, other.cast.owner.id, other.engagementId, entry.id))).to.be.instanceOf(NotFoundError);
    expect(await refusalOf(saveAnswer(s.deps, s.cast.outsider.id, s.engagementId, entry.id, ANSWER))).to.be.instanceOf(NotFoundError);
    expect(await refusalOf(saveAnswer(s.deps, staff().id, s.engagementId, 'not-an-id', ANSWER))).to.be.instanceOf(NotFoundError);
    expect((await reload(entry.id)).status).to.equal('new');
  });

  it('refuses bad input per field and changes nothing', async () => {
    const bad = await refusalOf(logEntry(s.deps, staff().id, s.engagementId, { kind: 'fax', channel: VK, link: 'javascript:alert(1)', receivedAt: '2026-02-30T10:00', customerText: ' ', sentiment: 'meh' }));
    expect(fieldsOf(bad)).to.deep.equal(['customerText', 'kind', 'link', 'receivedAt', 'sentiment']);
    const wrongPlace = await refusalOf(logEntry(s.deps, staff().id, s.engagementId, { ...REVIEW, channel: 'myspace:x', link: '', receivedAt: '2026-03-05T10:00' }));
    expect(fieldsOf(wrongPlace)).to.deep.equal(['channel', 'link', 'receivedAt']);
    expect(await s.db.orm.em.fork().count(DeskEntry, {})).to.equal(0);
    const entry = await logEntry(s.deps, staff().id, s.engagementId, REVIEW);
    expect(fieldsOf(await refusalOf(saveAnswer(s.deps, staff().id, s.engagementId, entry.id, { answer: '', checkedRules: [] })))).to.deep.equal(['answer']);
    expect(fieldsOf(await refusalOf(saveAnswer(s.deps, staff().id, s.engagementId, entry.id, { ...ANSWER, checkedRules: ['be-nice'] })))).to.deep.equal(['checkedRules']);
    await setApprovalRequired(s.deps, s.cast.owner.id, s.engagementId, { approvalRequired: false });
    await saveAnswer(s.deps, staff().id, s.engagementId, entry.id, ANSWER);
    expect(fieldsOf(await refusalOf(markSent(s.deps, staff().id, s.engagementId, entry.id, { sentAt: '2026-03-02T08:00' })))).to.deep.equal(['sentAt']);
    expect(fieldsOf(await refusalOf(markSent(s.deps, staff().id, s.engagementId, entry.id, { sentAt: '2026-03-03T08:00' })))).to.deep.equal(['sentAt']);
    expect(fieldsOf(await refusalOf(requestAnswerChanges(s.deps, s.cast.owner.id, s.engagementId, entry.id, ' ')))).to.deep.equal(['comment']);
    expect((await reload(entry.id)).status).to.equal('draft');
    expect((await events()).map((e) => e.type)).to.deep.equal(['desk.log', 'desk.settings', 'desk.draft']);
  });

  it('records the warnings an answer earned with its draft event', async () => {
    const entry = await logEntry(s.deps, staff().id, s.engagementId, { ...REVIEW, sentiment: 'positive' });
    await saveAnswer(s.deps, staff().id, s.engagementId, entry.id, { answer: 'Your opinion is important to us. Please call the hotline.' });
    expect((await events()).at(-1)!.payload).to.deep.include({ warnings: ['stockPhrase', 'otherChannel', 'noThanks'] });
  });

  it('gives a KPI the share of entries answered within the norm over a period', async () => {
    await setApprovalRequired(s.deps, s.cast.owner.id, s.engagementId, { approvalRequired: false });
    const answer = async (raw: Record<string, string>, sentAt: string | null) => {
      const entry = await logEntry(s.deps, staff().id, s.engagementId, { ...REVIEW, ...raw });
      if (!sentAt) return;
      await saveAnswer(s.deps, staff().id, s.engagementId, entry.id, ANSWER);
      await markSent(s.deps, staff().id, s.engagementId, entry.id, { sentAt });
    };
    s.deps.time.advanceDays(3); // Thursday 2026-03-05, 09:00
    await answer({ receivedAt: '2026-03-02T10:00' }, '2026-03-02T10:40');
    await answer({ receivedAt: '2026-03-03T10:00' }, '2026-03-03T21:00');
    await answer({ receivedAt: '2026-03-03T23:00' }, '2026-03-04T08:00');
    await answer({ receivedAt: '2026-03-05T08:00' }, null);
    await answer({ kind: 'email', channel: 'chat', link: '', receivedAt: '2026-03-04T20:00' }, null);
    const shares = await deskResponseShares(s.db.orm.em.fork(), s.engagementId, '2026-03-02', '2026-03-05', s.deps.clock());
    expect(shares.find((x) => x.kind === 'review')).to.include({ received: 4, withinNorm: 2, ideal: 1, missed: 1, waiting: 1, share: 67 });
    expect(shares.find((x) => x.kind === 'email')).to.include({ received: 1, waiting: 1, share: null });
    const firstDays = await deskResponseShares(s.db.orm.em.fork(), s.engagementId, '2026-03-02', '2026-03-02', s.deps.clock());
    expect(firstDays.find((x) => x.kind === 'review')).to.include({ received: 1, share: 100 });
  });

  it('has no desk on a methodology frozen without one, and says why', async () => {
    const { engagementId, cast } = await makeEngagement(s.deps, { methodology: 'e1t-telegram@1' });
    const refused = await refusalOf(logEntry(s.deps, cast.staff[0]!.id, engagementId, { ...REVIEW, channel: 'chat' }));
    expect(refused).to.be.instanceOf(BlockedError);
    expect((refused as BlockedError).reasons).to.deep.equal(['the methodology this engagement was started from has no review desk']);
    expect(await deskResponseShares(s.db.orm.em.fork(), engagementId, '2026-03-01', '2026-03-31')).to.deep.equal([]);
  });
});
