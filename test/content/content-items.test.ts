import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { makeEngagement, useStartedEngagement } from '../helpers/factories.ts';
import {
  approveItem, approveWeek, createItem, editItem, measureItem, moveItem, publishItem, requestItemChanges, scheduleItem, submitItem,
} from '../../src/content/content-items.service.ts';
import { fillMonth } from '../../src/content/content-plan.service.ts';
import { ContentItem } from '../../src/content/content.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { BlockedError, ForbiddenError, InvalidInputError, NotFoundError } from '../../src/errors.ts';
import { VK, registerAccounts, submittedItem } from './content-helpers.ts';

const fieldsOf = (error: Error) => (error as InvalidInputError).problems.map((p) => p.field).sort();
const METRICS = { reach: '1 200'.replace(' ', ''), reactions: '35', comments: '4', shares: '2', newFollowers: '7', leads: '1' };

describe('content items through their lifecycle', () => {
  const s = useStartedEngagement();
  const reload = (id: string) => s.db.orm.em.fork().findOneOrFail(ContentItem, id, { populate: ['author'] });
  const events = () => s.db.orm.em.fork().find(EngagementEvent, { engagement: s.engagementId, type: { $like: 'content.%' } }, { orderBy: { seq: 'asc' } });

  beforeEach(() => registerAccounts(s.deps, s.cast, s.engagementId));

  it('goes from idea to measured, each step an event: staff writes, the owner approves, staff publishes and measures', async () => {
    const [staff, owner, consultant] = [s.cast.staff[0]!, s.cast.owner, s.cast.consultant];
    const [idea] = await fillMonth(s.deps, consultant.id, s.engagementId, { month: '2026-03', channels: [VK], weekdays: [2] });
    await editItem(s.deps, staff.id, s.engagementId, idea!.id, { title: 'Rye Tuesday', format: 'video', body: 'Watch us bake.', mediaLinks: 'https://example.com/rye.mp4' });
    expect(await reload(idea!.id)).to.include({ status: 'draft', format: 'video' });
    expect((await reload(idea!.id)).author!.id).to.equal(staff.id);
    await submitItem(s.deps, staff.id, s.engagementId, idea!.id);
    await requestItemChanges(s.deps, owner.id, s.engagementId, idea!.id, 'Show the oven too.');
    expect(await reload(idea!.id)).to.include({ status: 'changes_requested', decisionComment: 'Show the oven too.' });
    await editItem(s.deps, staff.id, s.engagementId, idea!.id, { title: 'Rye Tuesday', format: 'video', body: 'Watch us bake, oven and all.' });
    await submitItem(s.deps, staff.id, s.engagementId, idea!.id);
    await approveItem(s.deps, owner.id, s.engagementId, idea!.id);
    await scheduleItem(s.deps, staff.id, s.engagementId, idea!.id, { scheduledAt: '2026-03-03T08:00' });
    expect((await reload(idea!.id)).scheduledAt!.toISOString()).to.equal('2026-03-03T08:00:00.000Z');
    s.deps.time.advanceDays(1);
    await publishItem(s.deps, staff.id, s.engagementId, idea!.id, { publishedUrl: 'https://m.vk.com/kolosok?w=wall-1_42', publishedAt: '2026-03-03T08:05' });
    await measureItem(s.deps, staff.id, s.engagementId, idea!.id, METRICS);
    const done = await reload(idea!.id);
    expect(done.status).to.equal('measured');
    expect(done.metrics).to.deep.equal({ reach: 1200, reactions: 35, comments: 4, shares: 2, newFollowers: 7, leads: 1 });
    expect((await events()).map((e) => e.type)).to.deep.equal([
      'content.fillMonth', 'content.draft', 'content.submit', 'content.requestChanges', 'content.draft', 'content.submit', 'content.approve', 'content.schedule', 'content.publish', 'content.measure',
    ]);
  });

  it('lets the owner approve every waiting item of a week at once, and only that week', async () => {
    const a = await submittedItem(s.deps, s.cast, s.engagementId, '2026-03-09');
    const b = await submittedItem(s.deps, s.cast, s.engagementId, '2026-03-15', 'chat');
    const later = await submittedItem(s.deps, s.cast, s.engagementId, '2026-03-16');
    const approved = await approveWeek(s.deps, s.cast.owner.id, s.engagementId, '2026-W11');
    expect(approved.map((i) => i.id).sort()).to.deep.equal([a.id, b.id].sort());
    expect((await reload(later.id)).status).to.equal('submitted');
    expect(await refusalOf(approveWeek(s.deps, s.cast.owner.id, s.engagementId, '2026-W11'))).to.be.instanceOf(BlockedError);
    expect(fieldsOf(await refusalOf(approveWeek(s.deps, s.cast.owner.id, s.engagementId, '2026-W60')))).to.deep.equal(['week']);
    expect(await refusalOf(approveWeek(s.deps, s.cast.consultant.id, s.engagementId, '2026-W12'))).to.be.instanceOf(ForbiddenError);
  });

  it('keeps each role to its part: staff their own items, the owner decides, the consultant everything but deciding', async () => {
    const item = await submittedItem(s.deps, s.cast, s.engagementId);
    const other = s.cast.staff[1]!;
    expect(await refusalOf(editItem(s.deps, other.id, s.engagementId, item.id, { title: 'Mine now', format: 'post' }))).to.be.instanceOf(ForbiddenError);
    expect(await refusalOf(approveItem(s.deps, s.cast.consultant.id, s.engagementId, item.id))).to.be.instanceOf(ForbiddenError);
    expect(await refusalOf(approveItem(s.deps, s.cast.staff[0]!.id, s.engagementId, item.id))).to.be.instanceOf(ForbiddenError);
    expect(await refusalOf(createItem(s.deps, s.cast.owner.id, s.engagementId, { channel: 'chat', format: 'post', title: 'x', plannedOn: '2026-03-10' }))).to.be.instanceOf(ForbiddenError);
    await approveItem(s.deps, s.cast.owner.id, s.engagementId, item.id);
    // The consultant may schedule, publish and measure anybody's item.
    await scheduleItem(s.deps, s.cast.consultant.id, s.engagementId, item.id, { scheduledAt: '2026-03-02T12:00' });
    expect(await refusalOf(moveItem(s.deps, other.id, s.engagementId, item.id, { plannedOn: '2026-03-11' }))).to.be.instanceOf(ForbiddenError);
    await moveItem(s.deps, s.cast.consultant.id, s.engagementId, item.id, { plannedOn: '2026-03-11' });
    expect((await reload(item.id)).plannedOn).to.equal('2026-03-11');
  });

  it('makes a consultant name a staff author when drafting, never the owner', async () => {
    const idea = await createItem(s.deps, s.cast.consultant.id, s.engagementId, { channel: 'chat', format: 'poll', title: 'Which bread next?', plannedOn: '2026-03-12' });
    expect(idea.status).to.equal('idea');
    expect(fieldsOf(await refusalOf(editItem(s.deps, s.cast.consultant.id, s.engagementId, idea.id, { title: 'Poll', format: 'poll' })))).to.deep.equal(['authorId']);
    expect(fieldsOf(await refusalOf(editItem(s.deps, s.cast.consultant.id, s.engagementId, idea.id, { title: 'Poll', format: 'poll', authorId: s.cast.owner.id })))).to.deep.equal(['authorId']);
    await editItem(s.deps, s.cast.consultant.id, s.engagementId, idea.id, { title: 'Poll', format: 'poll', authorId: s.cast.staff[1]!.id });
    expect((await reload(idea.id)).author!.id).to.equal(s.cast.staff[1]!.id);
  });

  it("answers 'not found' for another engagement's item, and to people outside the engagement", async () => {
    const other = await makeEngagement(s.deps);
    const foreign = await createItem(s.deps, other.cast.staff[0]!.id, other.engagementId, { channel: 'chat', format: 'post', title: 'Theirs', plannedOn: '2026-03-10', body: 'x' });
    for (const call of [
      () => editItem(s.deps, s.cast.consultant.id, s.engagementId, foreign.id, { title: 'Ours', format: 'post', authorId: s.cast.staff[0]!.id }),
      () => approveItem(s.deps, s.cast.owner.id, s.engagementId, foreign.id),
      () => publishItem(s.deps, s.cast.consultant.id, s.engagementId, foreign.id, { publishedUrl: 'https://vk.com/x', publishedAt: '2026-03-02T08:00' }),
      () => submitItem(s.deps, s.cast.staff[0]!.id, s.engagementId, 'not-an-id'),
      () => submitItem(s.deps, other.cast.staff[0]!.id, s.engagementId, foreign.id),
    ]) {
      expect(await refusalOf(call())).to.be.instanceOf(NotFoundError);
    }
  });

  it('refuses bad addresses, dates and figures with a message per field, changing nothing', async () => {
    const staff = s.cast.staff[0]!;
    const badNew = await refusalOf(createItem(s.deps, staff.id, s.engagementId, { channel: 'chat', format: 'tiktok', title: '  ', plannedOn: '2026-02-30', mediaLinks: 'javascript:alert(1)' }));
    expect(fieldsOf(badNew)).to.deep.equal(['mediaLinks.0', 'plannedOn', 'title']);
    expect(fieldsOf(await refusalOf(createItem(s.deps, staff.id, s.engagementId, { channel: 'chat', format: 'post', title: 'Late', plannedOn: '2027-06-01' })))).to.deep.equal(['plannedOn']);
    const item = await submittedItem(s.deps, s.cast, s.engagementId);
    await approveItem(s.deps, s.cast.owner.id, s.engagementId, item.id);
    expect(fieldsOf(await refusalOf(scheduleItem(s.deps, staff.id, s.engagementId, item.id, { scheduledAt: 'tomorrow' })))).to.deep.equal(['scheduledAt']);
    await scheduleItem(s.deps, staff.id, s.engagementId, item.id, { scheduledAt: '2026-03-02T08:00' });
    const before = (await events()).length;
    const wrongSite = await refusalOf(publishItem(s.deps, staff.id, s.engagementId, item.id, { publishedUrl: 'https://vk.com.evil.example/kolosok', publishedAt: '2026-03-05T08:00' }));
    expect(fieldsOf(wrongSite)).to.deep.equal(['publishedAt', 'publishedUrl']);
    expect(fieldsOf(await refusalOf(publishItem(s.deps, staff.id, s.engagementId, item.id, { publishedUrl: 'ftp://vk.com/x', publishedAt: '2026-03-02T08:00' })))).to.deep.equal(['publishedUrl']);
    await publishItem(s.deps, staff.id, s.engagementId, item.id, { publishedUrl: 'https://vk.com/wall-1_1', publishedAt: '2026-03-02T08:30' });
    const badFigures = await refusalOf(measureItem(s.deps, staff.id, s.engagementId, item.id, { ...METRICS, reach: '-3', leads: '1.5' }));
    expect(fieldsOf(badFigures)).to.deep.equal(['leads', 'reach']);
    const stored = await reload(item.id);
    expect(stored).to.include({ status: 'published', metrics: null, publishedUrl: 'https://vk.com/wall-1_1' });
    expect((await events()).length).to.equal(before + 1);
  });

  it('takes a chat address only from a messenger, and refuses to skip approval', async () => {
    const staff = s.cast.staff[0]!;
    const item = await submittedItem(s.deps, s.cast, s.engagementId, '2026-03-10', 'chat');
    expect(await refusalOf(scheduleItem(s.deps, staff.id, s.engagementId, item.id, { scheduledAt: '2026-03-02T08:00' }))).to.be.instanceOf(BlockedError);
    expect(await refusalOf(submitItem(s.deps, staff.id, s.engagementId, item.id))).to.be.instanceOf(BlockedError);
    await approveItem(s.deps, s.cast.owner.id, s.engagementId, item.id);
    await scheduleItem(s.deps, staff.id, s.engagementId, item.id, { scheduledAt: '2026-03-02T08:00' });
    expect(fieldsOf(await refusalOf(publishItem(s.deps, staff.id, s.engagementId, item.id, { publishedUrl: 'https://vk.com/kolosok', publishedAt: '2026-03-02T08:00' })))).to.deep.equal(['publishedUrl']);
    await publishItem(s.deps, staff.id, s.engagementId, item.id, { publishedUrl: 'https://t.me/kolosok_chat/42', publishedAt: '2026-03-02T08:00' });
    expect((await reload(item.id)).status).to.equal('published');
  });
});
