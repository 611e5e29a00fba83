import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { makeEngagement, makeUser, staffWorkTask, useStartedEngagement } from '../helpers/factories.ts';
import { createEngagement, advanceStage, pauseEngagement, signStageOff } from '../../src/engagement/engagement.service.ts';
import { addParticipant } from '../../src/engagement/participants.service.ts';
import { assignTask, completeTask } from '../../src/engagement/tasks.service.ts';
import { getTimeline } from '../../src/engagement/timeline.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { ForbiddenError, InvalidInputError, NotFoundError, ConflictError } from '../../src/errors.ts';


describe('who may do what, and bad input', () => {
  const s = useStartedEngagement();

  const eventCount = () => s.db.orm.em.fork().count(EngagementEvent, { engagement: s.engagementId });

  it("answers 'not found' to someone outside the engagement, whatever they ask", async () => {
    const other = await makeEngagement(s.deps);
    for (const call of [
      () => getTimeline(s.deps, s.cast.outsider.id, s.engagementId),
      () => advanceStage(s.deps, other.cast.consultant.id, s.engagementId),
      () => pauseEngagement(s.deps, other.cast.consultant.id, s.engagementId),
      () => signStageOff(s.deps, other.cast.owner.id, s.engagementId, 'preparation'),
      () => addParticipant(s.deps, other.cast.consultant.id, s.engagementId, { email: 'bad', name: '', role: 'staff' }),
      () => getTimeline(s.deps, s.cast.consultant.id, 'not-a-uuid'),
    ]) {
      expect(await refusalOf(call())).to.be.instanceOf(NotFoundError);
    }
  });

  it("answers 'not found' for a task of another engagement used through this one", async () => {
    const other = await makeEngagement(s.deps);
    const foreign = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: other.engagementId, kind: 'meeting' });
    expect(await refusalOf(completeTask(s.deps, s.cast.consultant.id, s.engagementId, foreign.id))).to.be.instanceOf(NotFoundError);
  });

  it('refuses consultant actions to the owner and staff', async () => {
    const task = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, kind: 'meeting' });
    for (const actor of [s.cast.owner, s.cast.staff[0]!]) {
      expect(await refusalOf(pauseEngagement(s.deps, actor.id, s.engagementId))).to.be.instanceOf(ForbiddenError);
      expect(await refusalOf(assignTask(s.deps, actor.id, s.engagementId, task.id, { assigneeId: actor.id }))).to.be.instanceOf(ForbiddenError);
      expect(await refusalOf(addParticipant(s.deps, actor.id, s.engagementId, { email: 'x@example.com', name: 'X', role: 'staff', direction: 'sales' }))).to.be.instanceOf(ForbiddenError);
    }
  });

  it("lets staff complete only their own tasks", async () => {
    const [sales, production] = s.cast.staff as [typeof s.cast.staff[0], typeof s.cast.staff[0]];
    const task = await staffWorkTask(s.deps, s.engagementId, s.cast);
    await assignTask(s.deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: sales.id, deadline: '2026-04-10' });
    expect(await refusalOf(completeTask(s.deps, production.id, s.engagementId, task.id))).to.be.instanceOf(ForbiddenError);
    await completeTask(s.deps, sales.id, s.engagementId, task.id, 'read it all');
    expect(await refusalOf(completeTask(s.deps, sales.id, s.engagementId, task.id))).to.be.instanceOf(ConflictError);
  });

  it('refuses bad input with a message per field and changes nothing', async () => {
    const consultant = await makeUser(s.db.orm, 'New consultant', 'consultant');
    const error = (await refusalOf(createEngagement(s.deps, consultant.id, { clientName: ' ', plannedStart: '31.12.2026', site: 'not a site', feeAmount: -5 }))) as InvalidInputError;
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error.problems.map((p) => p.field).sort()).to.deep.equal(['clientName', 'feeAmount', 'plannedStart', 'site']);
    expect(await refusalOf(createEngagement(s.deps, consultant.id, { clientName: 'X', plannedStart: '2026-12-01', methodology: 'nope@9' }))).to.be.instanceOf(InvalidInputError);

    const before = await eventCount();
    const task = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, kind: 'meeting' });
    expect(await refusalOf(assignTask(s.deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: s.cast.outsider.id }))).to.be.instanceOf(InvalidInputError);
    expect(await refusalOf(assignTask(s.deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: s.cast.owner.id, deadline: 'soon' }))).to.be.instanceOf(InvalidInputError);
    expect(await refusalOf(addParticipant(s.deps, s.cast.consultant.id, s.engagementId, { email: 'nobody', name: '', role: 'boss' as never }))).to.be.instanceOf(InvalidInputError);
    expect(await refusalOf(addParticipant(s.deps, s.cast.consultant.id, s.engagementId, { email: 'new@x.io', name: 'New', role: 'staff' }))).to.be.instanceOf(InvalidInputError);
    expect(await eventCount()).to.equal(before);
    const unchanged = await s.db.orm.em.fork().findOneOrFail(Task, task.id);
    expect([unchanged.assignee, unchanged.deadline?.toISOString()]).to.deep.equal([null, task.deadline?.toISOString()]);
  });

  it('reads a fee only as digits and a name only as one line', async () => {
    const consultant = await makeUser(s.db.orm, 'Strict consultant', 'consultant');
    for (const feeAmount of ['0x10', '1e3', '1_000', '12.5', ' ']) {
      const error = (await refusalOf(createEngagement(s.deps, consultant.id, { clientName: 'X', plannedStart: '2026-12-01', feeAmount }))) as InvalidInputError;
      expect(error, feeAmount).to.be.instanceOf(InvalidInputError);
      expect(error.problems.map((p) => p.message), feeAmount).to.deep.equal(['must be a whole number, digits only']);
    }
    const fine = await createEngagement(s.deps, consultant.id, { clientName: 'X', plannedStart: '2026-12-01', feeAmount: '45 000' });
    expect(fine.feeAmount).to.equal(45000);
    const named = (await refusalOf(createEngagement(s.deps, consultant.id, { clientName: 'Anna Co\r\nBcc: x@example.com', plannedStart: '2026-12-01' }))) as InvalidInputError;
    expect(named.problems).to.deep.equal([{ field: 'clientName', message: 'must be on one line, without control characters' }]);
    const invited = (await refusalOf(addParticipant(s.deps, s.cast.consultant.id, s.engagementId, { email: 'two@x.io', name: 'Two\nLines', role: 'owner' }))) as InvalidInputError;
    expect(invited.problems.map((p) => p.field)).to.deep.equal(['name']);
  });

  it('refuses to add the same person twice', async () => {
    const email = s.cast.staff[0]!.email;
    expect(await refusalOf(addParticipant(s.deps, s.cast.consultant.id, s.engagementId, { email, name: 'Again', role: 'staff', direction: 'other' }))).to.be.instanceOf(ConflictError);
  });

  it('refuses a stale form: the engagement changed since it was opened', async () => {
    expect(await refusalOf(advanceStage(s.deps, s.cast.consultant.id, s.engagementId, { expectedVersion: 1 }))).to.be.instanceOf(ConflictError);
    expect(await refusalOf(advanceStage(s.deps, s.cast.consultant.id, s.engagementId, { fromStage: 'launch' }))).to.be.instanceOf(ConflictError);
  });
});
