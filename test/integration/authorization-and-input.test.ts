import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { makeEngagement, makeUser, staffWorkTask, useStartedEngagement } from '../helpers/factories.ts';
import { createEngagement, advanceStage, pauseEngagement, signStageOff } from '../../src/engagement/engagement.service.ts';
import { addParticipant, removeParticipant } from '../../src/engagement/participants.service.ts';
import { assignTask, completeTask } from '../../src/engagement/tasks.service.ts';
import { assignTasks } from '../../src/engagement/assign-tasks.ts';
import { nameOwnerDelegate, withdrawOwnerDelegate } from '../../src/engagement/owner-delegate.service.ts';
import { approveDocument, submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { contentOf } from '../helpers/content.ts';
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
      () => removeParticipant(s.deps, other.cast.owner.id, s.engagementId, s.cast.staff[0]!.id),
      () => nameOwnerDelegate(s.deps, other.cast.owner.id, s.engagementId, { userId: s.cast.staff[0]!.id }),
      () => withdrawOwnerDelegate(s.deps, other.cast.owner.id, s.engagementId),
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

  it('keeps pausing with the consultant, refusing it to the owner and staff', async () => {
    for (const actor of [s.cast.owner, s.cast.staff[0]!]) {
      expect(await refusalOf(pauseEngagement(s.deps, actor.id, s.engagementId))).to.be.instanceOf(ForbiddenError);
    }
  });

  describe('the project manager\'s actions: owner allowed, staff refused with nothing changed, delegate allowed, ex-delegate refused', () => {
    const staffTask = () => s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, stageId: 'preparation', role: 'staff', kind: { $ne: 'signoff' } }, { orderBy: { position: 'asc' } });
    let counter = 0;
    /** Each project-manager action, done by one person; a second staff member is the one acted on. */
    const actions = {
      invite: (actorId: string) => addParticipant(s.deps, actorId, s.engagementId, { email: `new.${++counter}@example.com`, name: 'New', role: 'staff', direction: 'other' }),
      assign: async (actorId: string) => assignTask(s.deps, actorId, s.engagementId, (await staffTask()).id, { assigneeId: s.cast.staff[1]!.id }),
      moveDeadline: async (actorId: string) => assignTask(s.deps, actorId, s.engagementId, (await staffTask()).id, { assigneeId: s.cast.staff[1]!.id, deadline: `2026-03-${10 + ++counter}` }),
      assignInBulk: async (actorId: string) => assignTasks(s.deps, actorId, s.engagementId, { taskIds: [(await staffTask()).id], assigneeId: s.cast.staff[1]!.id }),
      remove: async (actorId: string) => {
        const extra = await addParticipant(s.deps, s.cast.consultant.id, s.engagementId, { email: `leaver.${++counter}@example.com`, name: 'Leaver', role: 'staff', direction: 'other' });
        return removeParticipant(s.deps, actorId, s.engagementId, extra.user.id);
      },
      // The gate is closed: an allowed person is told why (BLOCKED), a refused one is forbidden first.
      advance: (actorId: string) => advanceStage(s.deps, actorId, s.engagementId),
    };
    const approve = async (actorId: string) => {
      const version = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'content-concept', await contentOf('content-concept', `v${++counter}`));
      return approveDocument(s.deps, actorId, s.engagementId, version.document.id, version.contentHash);
    };
    const isAllowed = (error: unknown) => !(error instanceof ForbiddenError) && !(error instanceof NotFoundError);
    const outcome = async (call: Promise<unknown>) => call.then(() => null, (error: unknown) => error);

    it('lets the owner do each of them', async () => {
      for (const [name, act] of Object.entries(actions)) expect(isAllowed(await outcome(act(s.cast.owner.id))), name).to.equal(true);
    });

    it('refuses staff each of them (and approval) with 403, writing no event', async () => {
      const staff = s.cast.staff[0]!;
      for (const [name, act] of Object.entries({ ...actions, approve })) {
        // The setup (a version to approve, a person to remove) writes its own events first.
        const call = act(staff.id);
        const error = await outcome(call);
        expect(error, name).to.be.instanceOf(ForbiddenError);
      }
      const byStaff = await s.db.orm.em.fork().count(EngagementEvent, { engagement: s.engagementId, actor: staff.id });
      expect(byStaff, 'no event names the refused staff member').to.equal(0);
    });

    it('lets the delegate the owner named do each of them and approve, and marks their events', async () => {
      const delegate = s.cast.staff[0]!;
      await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: delegate.id });
      for (const [name, act] of Object.entries({ ...actions, approve })) expect(isAllowed(await outcome(act(delegate.id))), name).to.equal(true);
      const theirs = await s.db.orm.em.fork().find(EngagementEvent, { engagement: s.engagementId, actor: delegate.id });
      expect(theirs.map((e) => e.type)).to.include.members(['participant.add', 'task.assign', 'participant.remove', 'document.approve']);
      expect(theirs.every((e) => e.payload.asOwnerDelegate === true), 'each of their events says they acted as the owner\'s delegate').to.equal(true);
    });

    it('refuses the delegate once the owner withdraws it, as any staff member', async () => {
      const former = s.cast.staff[0]!;
      await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: former.id });
      await withdrawOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId);
      for (const [name, act] of Object.entries({ ...actions, approve })) expect(await outcome(act(former.id)), name).to.be.instanceOf(ForbiddenError);
      const theirs = await s.db.orm.em.fork().count(EngagementEvent, { engagement: s.engagementId, actor: former.id });
      expect(theirs, 'no event names the former delegate').to.equal(0);
    });

    it('keeps naming and withdrawing the delegate with the owner alone', async () => {
      const [sales, production] = s.cast.staff as [typeof s.cast.staff[0], typeof s.cast.staff[0]];
      for (const actor of [s.cast.consultant, sales]) {
        expect(await refusalOf(nameOwnerDelegate(s.deps, actor.id, s.engagementId, { userId: production.id })), actor.name).to.be.instanceOf(ForbiddenError);
      }
      await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: sales.id });
      // The delegate acts as owner but does not pass the authority on, nor withdraw it.
      expect(await refusalOf(nameOwnerDelegate(s.deps, sales.id, s.engagementId, { userId: production.id }))).to.be.instanceOf(ForbiddenError);
      expect(await refusalOf(withdrawOwnerDelegate(s.deps, sales.id, s.engagementId))).to.be.instanceOf(ForbiddenError);
      expect(await refusalOf(withdrawOwnerDelegate(s.deps, s.cast.consultant.id, s.engagementId))).to.be.instanceOf(ForbiddenError);
      expect(await refusalOf(nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: s.cast.outsider.id }))).to.be.instanceOf(InvalidInputError);
    });

    it('lets only the consultant add an owner or a consultant', async () => {
      for (const role of ['owner', 'consultant'] as const) {
        expect(await refusalOf(addParticipant(s.deps, s.cast.owner.id, s.engagementId, { email: `${role}.2@example.com`, name: 'Another', role }))).to.be.instanceOf(ForbiddenError);
      }
      await addParticipant(s.deps, s.cast.consultant.id, s.engagementId, { email: 'deputy@example.com', name: 'Deputy owner', role: 'owner' });
    });
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
