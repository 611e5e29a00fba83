import { expect } from 'chai';
import { makeEngagement, useStartedEngagement } from '../helpers/factories.ts';
import { approveAnswer, logEntry, markSent, requestAnswerChanges, saveAnswer, setApprovalRequired, submitAnswer } from '../../src/desk/desk.service.ts';
import { countWaitingForMe, listWaitingForMe, type WaitingItem } from '../../src/queue/waiting.queries.ts';
import { nameOwnerDelegate } from '../../src/engagement/owner-delegate.service.ts';
import { setEngagementTimeZone } from '../../src/reminders/time-zone.service.ts';
import { VK, registerAccounts } from '../content/content-helpers.ts';

// The suite's clock starts at 2026-03-02T09:00Z, a Monday.
const REVIEW = { kind: 'review', channel: VK, link: 'https://vk.com/kolosok?w=wall-1_9', receivedAt: '2026-03-02T08:30', customerText: 'The rye   was stale\nand nobody said sorry.', sentiment: 'negative' };
const ANSWER = { answer: 'You are right, the rye was yesterday’s: our mistake. Fresh loaves are out from 8 a.m.' };
const DESK_KINDS = ['approveAnswers', 'answerCustomer'];

describe('desk entries in "waiting for me"', () => {
  const s = useStartedEngagement();
  const desk = async (userId: string, language: 'en' | 'ru' = 'en') => (await listWaitingForMe(s.deps, userId, language)).filter((i) => DESK_KINDS.includes(i.kind));
  const kinds = async (userId: string) => (await desk(userId)).map((i) => i.kind);
  const staff = () => s.cast.staff[0]!;
  const other = () => s.cast.staff[1]!;

  beforeEach(() => registerAccounts(s.deps, s.cast, s.engagementId));

  it('shows an entry to answer to staff, the answer to approve to the owner and the consultant, and drops each once acted on', async () => {
    const entry = await logEntry(s.deps, staff().id, s.engagementId, REVIEW);
    const [item] = await desk(staff().id);
    expect(item).to.deep.include({ kind: 'answerCustomer', excerpt: 'The rye was stale and nobody said sorry.', isOverdue: false, href: `/engagements/${s.engagementId}/desk/entries/${entry.id}` });
    expect((item as Extract<WaitingItem, { kind: 'answerCustomer' }>).dueBy.toISOString(), 'a review is due the same day').to.equal('2026-03-02T23:59:59.999Z');
    expect(await kinds(other().id), 'every staff member may take it up').to.deep.equal(['answerCustomer']);
    expect(await kinds(s.cast.owner.id)).to.deep.equal([]);
    expect(await kinds(s.cast.consultant.id)).to.deep.equal([]);
    expect(await kinds(s.cast.outsider.id)).to.deep.equal([]);

    await saveAnswer(s.deps, staff().id, s.engagementId, entry.id, ANSWER);
    expect(await kinds(staff().id), 'a draft is still to send for approval').to.deep.equal(['answerCustomer']);
    await submitAnswer(s.deps, staff().id, s.engagementId, entry.id);
    expect(await kinds(staff().id)).to.deep.equal([]);
    for (const approver of [s.cast.owner, s.cast.consultant]) {
      const waiting = await desk(approver.id);
      expect(waiting).to.have.length(1);
      expect(waiting[0]).to.deep.include({ kind: 'approveAnswers', count: 1, href: `/engagements/${s.engagementId}/desk?status=submitted` });
      expect(await countWaitingForMe(s.deps, approver.id), 'the top bar counts what the list shows').to.equal((await listWaitingForMe(s.deps, approver.id, 'en')).length);
    }

    await requestAnswerChanges(s.deps, s.cast.owner.id, s.engagementId, entry.id, 'Say when the fresh bread is ready.');
    expect(await kinds(s.cast.owner.id)).to.deep.equal([]);
    expect(await kinds(staff().id), 'changes wait for the writer').to.deep.equal(['answerCustomer']);
    expect(await kinds(other().id), 'and for the writer only').to.deep.equal([]);

    await saveAnswer(s.deps, staff().id, s.engagementId, entry.id, { answer: `${ANSWER.answer} Fresh rye at 8.` });
    await submitAnswer(s.deps, staff().id, s.engagementId, entry.id);
    await approveAnswer(s.deps, s.cast.consultant.id, s.engagementId, entry.id);
    expect(await kinds(s.cast.owner.id), 'approved by the consultant: the owner has nothing left to decide').to.deep.equal([]);
    expect(await kinds(staff().id), 'an approved answer is still to send').to.deep.equal(['answerCustomer']);
    await markSent(s.deps, staff().id, s.engagementId, entry.id, { sentAt: '2026-03-02T09:00' });
    for (const person of [staff(), other(), s.cast.owner, s.cast.consultant]) expect(await kinds(person.id)).to.deep.equal([]);
    expect(await countWaitingForMe(s.deps, staff().id)).to.equal((await listWaitingForMe(s.deps, staff().id, 'en')).length);
  });

  it('never asks the owner’s delegate to approve their own answer, and leaves another engagement’s desk out', async () => {
    await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: staff().id });
    const entry = await logEntry(s.deps, staff().id, s.engagementId, REVIEW);
    await saveAnswer(s.deps, staff().id, s.engagementId, entry.id, ANSWER);
    await submitAnswer(s.deps, staff().id, s.engagementId, entry.id);
    expect(await kinds(staff().id)).to.deep.equal([]);
    await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: other().id });
    expect(await kinds(other().id)).to.deep.equal(['approveAnswers']);
    const elsewhere = await makeEngagement(s.deps);
    expect(await kinds(elsewhere.cast.owner.id)).to.deep.equal([]);
    expect(await kinds(elsewhere.cast.staff[0]!.id)).to.deep.equal([]);
  });

  it('marks an entry overdue once its norm ran out in the engagement’s time zone, in the reader’s language', async () => {
    await setEngagementTimeZone(s.deps, s.cast.consultant.id, s.engagementId, 'Asia/Vladivostok');
    await setApprovalRequired(s.deps, s.cast.owner.id, s.engagementId, { approvalRequired: false });
    // 08:30 UTC is 18:30 in Vladivostok: the review is due by local midnight, 14:00 UTC.
    await logEntry(s.deps, staff().id, s.engagementId, { ...REVIEW, receivedAt: '2026-03-02T08:30Z' });
    await logEntry(s.deps, staff().id, s.engagementId, { ...REVIEW, kind: 'messenger', channel: 'chat', link: '', receivedAt: '2026-03-02T08:50Z', customerText: 'Do you have rye today?' });
    const [review, message] = (await desk(staff().id)) as Extract<WaitingItem, { kind: 'answerCustomer' }>[];
    expect(review!.dueBy.toISOString()).to.equal('2026-03-02T13:59:59.999Z');
    expect(message!.dueBy.toISOString(), 'a message within two hours').to.equal('2026-03-02T10:50:00.000Z');
    expect([review!.isOverdue, message!.isOverdue]).to.deep.equal([false, false]);
    s.deps.time.now = new Date('2026-03-02T11:00:00Z');
    expect((await desk(staff().id)).map((i) => (i as { isOverdue: boolean }).isOverdue)).to.deep.equal([false, true]);
    s.deps.time.now = new Date('2026-03-02T14:00:00Z');
    expect((await desk(staff().id)).map((i) => (i as { isOverdue: boolean }).isOverdue)).to.deep.equal([true, true]);
    const [ru] = await desk(staff().id, 'ru');
    expect(ru).to.deep.include({ kind: 'answerCustomer', excerpt: 'The rye was stale and nobody said sorry.' });
  });
});
