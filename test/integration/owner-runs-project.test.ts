// The owner as project manager (seed 002): removing staff keeps their work, frees what was theirs to do;
// the delegate the owner names acts as owner, visibly, until withdrawn or removed.
import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { completeCurrentStage, correctAnswers, staffWorkTask, useStartedEngagement } from '../helpers/factories.ts';
import { advanceStage, cancelEngagement, signStageOff } from '../../src/engagement/engagement.service.ts';
import { removeParticipant } from '../../src/engagement/participants.service.ts';
import { assignTask, completeTask } from '../../src/engagement/tasks.service.ts';
import { nameOwnerDelegate, withdrawOwnerDelegate } from '../../src/engagement/owner-delegate.service.ts';
import { getEngagementOverview } from '../../src/engagement/overview.ts';
import { Engagement, EngagementEvent, Participant } from '../../src/engagement/engagement.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';
import { reviewPractical, submitPractical, submitQuiz } from '../../src/training/training.service.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../src/errors.ts';

describe('the owner runs the project', () => {
  const s = useStartedEngagement();
  const em = () => s.db.orm.em.fork();
  const staffTasks = () => em().find(Task, { engagement: s.engagementId, stageId: 'preparation', role: 'staff', kind: { $ne: 'signoff' } }, { orderBy: { position: 'asc' } });

  describe('removing a staff member', () => {
    it('keeps their done work and their events, and leaves their open tasks unassigned', async () => {
      const [sales] = s.cast.staff;
      // Preparation's staff task (the methods kit's study) closes by itself: the work is done in Formatting.
      const done = await staffWorkTask(s.deps, s.engagementId, s.cast);
      const open = await em().findOneOrFail(Task, { engagement: s.engagementId, key: 'launch.content' });
      await assignTask(s.deps, s.cast.owner.id, s.engagementId, done.id, { assigneeId: sales!.id });
      await assignTask(s.deps, s.cast.owner.id, s.engagementId, open.id, { assigneeId: sales!.id });
      const deadline = (await em().findOneOrFail(Task, open.id)).deadline?.toISOString();
      await completeTask(s.deps, sales!.id, s.engagementId, done.id, 'read it all');
      const unfinishedModules = await em().count(TrainingAssignment, { engagement: s.engagementId, user: sales!.id, completedAt: null });
      const theirEvents = await em().count(EngagementEvent, { engagement: s.engagementId, actor: sales!.id });

      const removal = await removeParticipant(s.deps, s.cast.owner.id, s.engagementId, sales!.id);

      expect(removal).to.deep.equal({ name: 'Sales', unassignedTasks: 1, withdrawnModules: unfinishedModules });
      const [kept, freed] = [await em().findOneOrFail(Task, done.id), await em().findOneOrFail(Task, open.id)];
      expect([kept.status, kept.completedBy?.id, kept.note], 'the done task is still theirs').to.deep.equal(['done', sales!.id, 'read it all']);
      expect([freed.status, freed.assignee, freed.deadline?.toISOString()], 'the open task waits for someone, its deadline kept').to.deep.equal(['open', null, deadline]);
      expect(await em().count(EngagementEvent, { engagement: s.engagementId, actor: sales!.id }), 'their events stay').to.equal(theirEvents);
      expect(await em().findOne(Participant, { engagement: s.engagementId, user: sales!.id }), 'no longer a participant').to.equal(null);
      const event = await em().findOneOrFail(EngagementEvent, { engagement: s.engagementId, type: 'participant.remove' }, { populate: ['actor'] });
      expect([event.actor?.id, event.payload.userId, event.payload.unassignedTasks]).to.deep.equal([s.cast.owner.id, sales!.id, [open.id]]);
      // Gone means gone: the removed person can no longer act or read.
      expect(await refusalOf(getEngagementOverview(s.deps, sales!.id, s.engagementId, 'en'))).to.be.instanceOf(NotFoundError);
    });

    it('refuses to remove the owner or the consultant, or someone not taking part, and changes nothing', async () => {
      const before = await em().count(EngagementEvent, { engagement: s.engagementId });
      expect(await refusalOf(removeParticipant(s.deps, s.cast.consultant.id, s.engagementId, s.cast.owner.id))).to.be.instanceOf(ConflictError);
      expect(await refusalOf(removeParticipant(s.deps, s.cast.owner.id, s.engagementId, s.cast.consultant.id))).to.be.instanceOf(ConflictError);
      expect(await refusalOf(removeParticipant(s.deps, s.cast.owner.id, s.engagementId, s.cast.outsider.id))).to.be.instanceOf(InvalidInputError);
      expect(await refusalOf(removeParticipant(s.deps, s.cast.owner.id, s.engagementId, 'nobody'))).to.be.instanceOf(InvalidInputError);
      expect(await em().count(EngagementEvent, { engagement: s.engagementId })).to.equal(before);
      expect(await em().count(Participant, { engagement: s.engagementId })).to.equal(4);
    });

    it('refuses once the engagement has ended', async () => {
      await cancelEngagement(s.deps, s.cast.consultant.id, s.engagementId);
      expect(await refusalOf(removeParticipant(s.deps, s.cast.owner.id, s.engagementId, s.cast.staff[0]!.id))).to.be.instanceOf(ConflictError);
    });

    it('withdraws modules they had not completed, so the stage training closes with the others', async () => {
      await completeCurrentStage(s.deps, s.engagementId, s.cast);
      await advanceStage(s.deps, s.cast.owner.id, s.engagementId);
      const [sales, production] = s.cast.staff as [(typeof s.cast.staff)[0], (typeof s.cast.staff)[0]];
      const engagement = await em().findOneOrFail(Engagement, s.engagementId, { populate: ['methodology.definition'] });
      const modules = engagement.methodology.definition.trainingModules;
      const inFormatting = await em().find(TrainingAssignment, { engagement: s.engagementId, stageId: 'formatting' }, { populate: ['user'] });
      const salesModules = inFormatting.filter((a) => a.user.id === sales.id);
      expect(salesModules.length, 'the programme gave sales modules in Formatting').to.be.greaterThan(0);
      for (const a of inFormatting.filter((x) => x.user.id === production.id)) {
        await submitQuiz(s.deps, production.id, s.engagementId, a.id, correctAnswers(modules.find((m) => m.id === a.moduleId)!));
        await submitPractical(s.deps, production.id, s.engagementId, a.id, 'My practical work, written with the checklist in mind.');
        await reviewPractical(s.deps, s.cast.consultant.id, s.engagementId, a.id, 'accept', 'Good work.');
      }
      const training = await em().findOneOrFail(Task, { engagement: s.engagementId, key: 'fmt.training' });
      expect(training.status, 'still waiting for sales').to.equal('open');

      const removal = await removeParticipant(s.deps, s.cast.consultant.id, s.engagementId, sales.id);

      expect(removal.withdrawnModules).to.equal(salesModules.length);
      expect(await em().count(TrainingAssignment, { engagement: s.engagementId, user: sales.id, completedAt: null })).to.equal(0);
      expect((await em().findOneOrFail(Task, { engagement: s.engagementId, key: 'fmt.training' })).status, 'the stage training follows the modules left').to.equal('done');
    });
  });

  describe("the owner's delegate", () => {
    it('acts as owner, signs the stage off, and the events say it acted as delegate', async () => {
      const delegate = s.cast.staff[0]!;
      await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: delegate.id });
      await completeCurrentStage(s.deps, s.engagementId, s.cast, { signOff: false });
      await signStageOff(s.deps, delegate.id, s.engagementId, 'preparation');
      await advanceStage(s.deps, delegate.id, s.engagementId);
      const events = await em().find(EngagementEvent, { engagement: s.engagementId, type: { $in: ['stage.signoff', 'stage.advance'] } }, { populate: ['actor'], orderBy: { seq: 'asc' } });
      expect(events.map((e) => [e.type, e.actor?.id, e.payload.asOwnerDelegate])).to.deep.equal([
        ['stage.signoff', delegate.id, true],
        ['stage.advance', delegate.id, true],
      ]);
      const overview = await getEngagementOverview(s.deps, s.cast.owner.id, s.engagementId, 'en');
      expect(overview.events.filter((e) => e.type === 'stage.signoff').map((e) => [e.actor, e.asOwnerDelegate])).to.deep.equal([['Sales', true]]);
    });

    it("marks nothing when the delegate does their own staff work", async () => {
      const delegate = s.cast.staff[0]!;
      await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: delegate.id });
      const task = await staffWorkTask(s.deps, s.engagementId, s.cast);
      await assignTask(s.deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: delegate.id });
      await completeTask(s.deps, delegate.id, s.engagementId, task.id);
      const done = await em().findOneOrFail(EngagementEvent, { engagement: s.engagementId, type: 'task.complete', payload: { taskId: task.id } });
      expect(done.payload.asOwnerDelegate).to.equal(undefined);
    });

    it('reads the engagement as the owner does while delegated, and as staff again once withdrawn', async () => {
      const delegate = s.cast.staff[0]!;
      const read = () => getEngagementOverview(s.deps, delegate.id, s.engagementId, 'en');
      const alone = await read();
      expect([alone.actsAsOwner, alone.events.length]).to.deep.equal([false, 0]);
      await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: delegate.id });
      const delegated = await read();
      expect([delegated.actsAsOwner, delegated.delegate?.name]).to.deep.equal([true, 'Sales']);
      expect(delegated.events.length, 'the event log, as the owner sees it').to.be.greaterThan(0);
      expect(delegated.stages[0]!.tasks.length, 'every task, not only theirs').to.equal((await getEngagementOverview(s.deps, s.cast.owner.id, s.engagementId, 'en')).stages[0]!.tasks.length);
      await withdrawOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId);
      const withdrawn = await read();
      expect([withdrawn.actsAsOwner, withdrawn.delegate, withdrawn.events.length]).to.deep.equal([false, null, 0]);
    });

    it('is replaced when the owner names another, and refused as the same one twice', async () => {
      const [sales, production] = s.cast.staff as [(typeof s.cast.staff)[0], (typeof s.cast.staff)[0]];
      await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: sales.id });
      expect(await refusalOf(nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: sales.id }))).to.be.instanceOf(ConflictError);
      await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: production.id });
      const acting = await em().find(Participant, { engagement: s.engagementId, actsAsOwner: true }, { populate: ['user'] });
      expect(acting.map((p) => p.user.id)).to.deep.equal([production.id]);
      const named = await em().find(EngagementEvent, { engagement: s.engagementId, type: 'delegate.name' }, { orderBy: { seq: 'asc' } });
      expect(named.map((e) => e.payload.replacedUserId)).to.deep.equal([null, sales.id]);
      const [task] = await staffTasks();
      expect(await refusalOf(assignTask(s.deps, sales.id, s.engagementId, task!.id, { assigneeId: sales.id })), 'the replaced delegate is staff again').to.be.instanceOf(ForbiddenError);
    });

    it('refuses naming the owner, the consultant or an outsider, and withdrawing when no one is delegated', async () => {
      for (const person of [s.cast.owner, s.cast.consultant, s.cast.outsider]) {
        expect(await refusalOf(nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: person.id })), person.name).to.be.instanceOf(InvalidInputError);
      }
      expect(await refusalOf(withdrawOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId))).to.be.instanceOf(ConflictError);
    });

    it('ends with the removal of the delegate', async () => {
      const delegate = s.cast.staff[0]!;
      await nameOwnerDelegate(s.deps, s.cast.owner.id, s.engagementId, { userId: delegate.id });
      await removeParticipant(s.deps, s.cast.owner.id, s.engagementId, delegate.id);
      expect((await getEngagementOverview(s.deps, s.cast.owner.id, s.engagementId, 'en')).delegate).to.equal(null);
      const event = await em().findOneOrFail(EngagementEvent, { engagement: s.engagementId, type: 'participant.remove' });
      expect(event.payload.wasOwnerDelegate).to.equal(true);
    });
  });
});
