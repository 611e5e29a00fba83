import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement, makeUser, type Cast } from '../helpers/factories.ts';
import { createEngagement, advanceStage, pauseEngagement, signStageOff } from '../../src/engagement/engagement.service.ts';
import { addParticipant } from '../../src/engagement/participants.service.ts';
import { assignTask, completeTask } from '../../src/engagement/tasks.service.ts';
import { getTimeline } from '../../src/engagement/timeline.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { ForbiddenError, InvalidInputError, NotFoundError, ConflictError } from '../../src/errors.ts';
import type { ServiceDeps } from '../../src/engagement/command.ts';


describe('who may do what, and bad input', () => {
  let db: TestDatabase;
  let deps: ServiceDeps;
  let engagementId: string;
  let cast: Cast;
  beforeEach(async () => {
    db = await createTestDatabase();
    deps = makeDeps(db.orm);
    ({ engagementId, cast } = await makeEngagement(deps));
  });
  afterEach(async () => db.drop());

  const eventCount = () => db.orm.em.fork().count(EngagementEvent, { engagement: engagementId });

  it("answers 'not found' to someone outside the engagement, whatever they ask", async () => {
    const other = await makeEngagement(deps);
    for (const call of [
      () => getTimeline(deps, cast.outsider.id, engagementId),
      () => advanceStage(deps, other.cast.consultant.id, engagementId),
      () => pauseEngagement(deps, other.cast.consultant.id, engagementId),
      () => signStageOff(deps, other.cast.owner.id, engagementId, 'preparation'),
      () => addParticipant(deps, other.cast.consultant.id, engagementId, { email: 'bad', name: '', role: 'staff' }),
      () => getTimeline(deps, cast.consultant.id, 'not-a-uuid'),
    ]) {
      expect(await refusalOf(call())).to.be.instanceOf(NotFoundError);
    }
  });

  it("answers 'not found' for a task of another engagement used through this one", async () => {
    const other = await makeEngagement(deps);
    const foreign = await db.orm.em.fork().findOneOrFail(Task, { engagement: other.engagementId, kind: 'meeting' });
    expect(await refusalOf(completeTask(deps, cast.consultant.id, engagementId, foreign.id))).to.be.instanceOf(NotFoundError);
  });

  it('refuses consultant actions to the owner and staff', async () => {
    const task = await db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, kind: 'meeting' });
    for (const actor of [cast.owner, cast.staff[0]!]) {
      expect(await refusalOf(pauseEngagement(deps, actor.id, engagementId))).to.be.instanceOf(ForbiddenError);
      expect(await refusalOf(assignTask(deps, actor.id, engagementId, task.id, { assigneeId: actor.id }))).to.be.instanceOf(ForbiddenError);
      expect(await refusalOf(addParticipant(deps, actor.id, engagementId, { email: 'x@example.com', name: 'X', role: 'staff', direction: 'sales' }))).to.be.instanceOf(ForbiddenError);
    }
  });

  it("lets staff complete only their own tasks", async () => {
    const [sales, production] = cast.staff as [typeof cast.staff[0], typeof cast.staff[0]];
    const task = await db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, kind: 'training', stageId: 'preparation' });
    await assignTask(deps, cast.consultant.id, engagementId, task.id, { assigneeId: sales.id, deadline: '2026-03-10' });
    expect(await refusalOf(completeTask(deps, production.id, engagementId, task.id))).to.be.instanceOf(ForbiddenError);
    await completeTask(deps, sales.id, engagementId, task.id, 'read it all');
    expect(await refusalOf(completeTask(deps, sales.id, engagementId, task.id))).to.be.instanceOf(ConflictError);
  });

  it('refuses bad input with a message per field and changes nothing', async () => {
    const consultant = await makeUser(db.orm, 'New consultant');
    const error = (await refusalOf(createEngagement(deps, consultant.id, { clientName: ' ', plannedStart: '31.12.2026', site: 'not a site', feeAmount: -5 }))) as InvalidInputError;
    expect(error).to.be.instanceOf(InvalidInputError);
    expect(error.problems.map((p) => p.field).sort()).to.deep.equal(['clientName', 'feeAmount', 'plannedStart', 'site']);
    expect(await refusalOf(createEngagement(deps, consultant.id, { clientName: 'X', plannedStart: '2026-12-01', methodology: 'nope@9' }))).to.be.instanceOf(InvalidInputError);

    const before = await eventCount();
    const task = await db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, kind: 'meeting' });
    expect(await refusalOf(assignTask(deps, cast.consultant.id, engagementId, task.id, { assigneeId: cast.outsider.id }))).to.be.instanceOf(InvalidInputError);
    expect(await refusalOf(assignTask(deps, cast.consultant.id, engagementId, task.id, { assigneeId: cast.owner.id, deadline: 'soon' }))).to.be.instanceOf(InvalidInputError);
    expect(await refusalOf(addParticipant(deps, cast.consultant.id, engagementId, { email: 'nobody', name: '', role: 'boss' as never }))).to.be.instanceOf(InvalidInputError);
    expect(await refusalOf(addParticipant(deps, cast.consultant.id, engagementId, { email: 'new@x.io', name: 'New', role: 'staff' }))).to.be.instanceOf(InvalidInputError);
    expect(await eventCount()).to.equal(before);
    const unchanged = await db.orm.em.fork().findOneOrFail(Task, task.id);
    expect([unchanged.assignee, unchanged.deadline?.toISOString()]).to.deep.equal([null, task.deadline?.toISOString()]);
  });

  it('refuses to add the same person twice', async () => {
    const email = cast.staff[0]!.email;
    expect(await refusalOf(addParticipant(deps, cast.consultant.id, engagementId, { email, name: 'Again', role: 'staff', direction: 'other' }))).to.be.instanceOf(ConflictError);
  });

  it('refuses a stale form: the engagement changed since it was opened', async () => {
    expect(await refusalOf(advanceStage(deps, cast.consultant.id, engagementId, { expectedVersion: 1 }))).to.be.instanceOf(ConflictError);
    expect(await refusalOf(advanceStage(deps, cast.consultant.id, engagementId, { fromStage: 'launch' }))).to.be.instanceOf(ConflictError);
  });
});
