import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { makeEngagement, useStartedEngagement } from '../helpers/factories.ts';
import { assignTask, DEADLINE_OUTSIDE_PLAN, WRONG_ROLE } from '../../src/engagement/tasks.service.ts';
import { pauseEngagement, resumeEngagement } from '../../src/engagement/engagement.service.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { InvalidInputError } from '../../src/errors.ts';

// The engagement starts on 2026-03-02 (the test clock); its three stages of 30 days end on 2026-05-31.
describe('task deadlines inside the plan, and tasks for the right role', () => {
  const s = useStartedEngagement();
  const staffTask = () => s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, key: 'prep.kmm-study' });

  async function problemsOf(call: Promise<unknown>) {
    const error = await refusalOf(call);
    expect(error).to.be.instanceOf(InvalidInputError);
    return (error as InvalidInputError).problems;
  }

  it('accepts a deadline on the first and on the last day of the plan', async () => {
    const task = await staffTask();
    for (const deadline of ['2026-03-02', '2026-05-31']) {
      const saved = await assignTask(s.deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: s.cast.staff[0]!.id, deadline });
      expect(saved.deadline?.toISOString().slice(0, 10)).to.equal(deadline);
    }
  });

  it('refuses a deadline before the start or after the last stage, and keeps the task as it was', async () => {
    const task = await staffTask();
    for (const deadline of ['2026-03-01', '2026-06-01', '2027-03-02T10:00:00+03:00']) {
      const problems = await problemsOf(assignTask(s.deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: s.cast.staff[0]!.id, deadline }));
      expect(problems, deadline).to.deep.equal([{ field: 'deadline', message: DEADLINE_OUTSIDE_PLAN }]);
    }
    const after = await s.db.orm.em.fork().findOneOrFail(Task, task.id);
    expect(after.assignee).to.equal(null);
    expect(after.deadline?.toISOString()).to.equal(task.deadline?.toISOString());
  });

  it('moves the end of the plan later by a pause', async () => {
    await pauseEngagement(s.deps, s.cast.consultant.id, s.engagementId);
    s.deps.time.advanceDays(10);
    await resumeEngagement(s.deps, s.cast.consultant.id, s.engagementId);
    const task = await staffTask();
    await assignTask(s.deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: s.cast.staff[0]!.id, deadline: '2026-06-10' });
    expect(await refusalOf(assignTask(s.deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: s.cast.staff[0]!.id, deadline: '2026-06-11' }))).to.be.instanceOf(InvalidInputError);
  });

  it('counts the plan from the planned start while the engagement is a draft', async () => {
    const draft = await makeEngagement(s.deps, { start: false });
    const task = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: draft.engagementId, key: 'prep.kmm-study' });
    await assignTask(s.deps, draft.cast.consultant.id, draft.engagementId, task.id, { assigneeId: draft.cast.staff[0]!.id, deadline: '2026-05-31' });
    expect(await refusalOf(assignTask(s.deps, draft.cast.consultant.id, draft.engagementId, task.id, { assigneeId: draft.cast.staff[0]!.id, deadline: '2026-06-01' }))).to.be.instanceOf(InvalidInputError);
  });

  it("gives a task only to a participant of the task's role", async () => {
    const em = s.db.orm.em.fork();
    const forStaff = await staffTask();
    const forConsultant = await em.findOneOrFail(Task, { engagement: s.engagementId, kind: 'document', role: 'consultant' }, { orderBy: { position: 'asc' } });
    const forOwner = await em.findOne(Task, { engagement: s.engagementId, kind: { $ne: 'signoff' }, role: 'owner' });

    expect(await problemsOf(assignTask(s.deps, s.cast.consultant.id, s.engagementId, forStaff.id, { assigneeId: s.cast.owner.id }))).to.deep.equal([{ field: 'assigneeId', message: WRONG_ROLE.staff }]);
    expect(await problemsOf(assignTask(s.deps, s.cast.consultant.id, s.engagementId, forConsultant.id, { assigneeId: s.cast.staff[1]!.id }))).to.deep.equal([{ field: 'assigneeId', message: WRONG_ROLE.consultant }]);
    await assignTask(s.deps, s.cast.consultant.id, s.engagementId, forConsultant.id, { assigneeId: s.cast.consultant.id });
    await assignTask(s.deps, s.cast.consultant.id, s.engagementId, forStaff.id, { assigneeId: s.cast.staff[1]!.id });
    if (forOwner) {
      expect(await problemsOf(assignTask(s.deps, s.cast.consultant.id, s.engagementId, forOwner.id, { assigneeId: s.cast.consultant.id }))).to.deep.equal([{ field: 'assigneeId', message: WRONG_ROLE.owner }]);
      await assignTask(s.deps, s.cast.consultant.id, s.engagementId, forOwner.id, { assigneeId: s.cast.owner.id });
    }
  });
});
