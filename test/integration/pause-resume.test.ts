import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement, completeCurrentStage } from '../helpers/factories.ts';
import { advanceStage, pauseEngagement, resumeEngagement, cancelEngagement, startEngagement } from '../../src/engagement/engagement.service.ts';
import { completeTask } from '../../src/engagement/tasks.service.ts';
import { getTimeline } from '../../src/engagement/timeline.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { BlockedError } from '../../src/errors.ts';

const DAY = 86_400_000;

describe('pause, resume and cancel', () => {
  let db: TestDatabase;
  beforeEach(async () => (db = await createTestDatabase()));
  afterEach(async () => db.drop());

  it('resumes into the same stage with stage and open task deadlines shifted by the pause', async () => {
    const deps = makeDeps(db.orm);
    const { engagementId, cast } = await makeEngagement(deps);
    await completeCurrentStage(deps, engagementId, cast);
    await advanceStage(deps, cast.consultant.id, engagementId);
    const done = await db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, stageId: 'formatting', kind: 'work', required: true });
    await completeTask(deps, cast.consultant.id, engagementId, done.id);
    const before = await getTimeline(deps, cast.consultant.id, engagementId);
    const tasksBefore = await db.orm.em.fork().find(Task, { engagement: engagementId }, { orderBy: { id: 'asc' } });

    deps.time.advanceDays(2);
    await pauseEngagement(deps, cast.consultant.id, engagementId, 'owner on holiday');
    deps.time.advanceDays(14);
    const whilePaused = await getTimeline(deps, cast.consultant.id, engagementId);
    expect(whilePaused.state).to.equal('paused');
    expect(whilePaused.overdueTasks, 'nothing falls overdue while paused').to.deep.equal([]);
    await resumeEngagement(deps, cast.consultant.id, engagementId);

    const after = await getTimeline(deps, cast.consultant.id, engagementId);
    expect(after.state).to.equal('formatting');
    const shift = (iso: string | null) => (iso ? new Date(Date.parse(iso) + 14 * DAY).toISOString() : null);
    expect(after.stages[0]!.deadline, 'a finished stage keeps its deadline').to.equal(before.stages[0]!.deadline);
    expect(after.stages.slice(1).map((s) => s.deadline)).to.deep.equal(before.stages.slice(1).map((s) => shift(s.deadline)));
    const tasksAfter = await db.orm.em.fork().find(Task, { engagement: engagementId }, { orderBy: { id: 'asc' } });
    tasksAfter.forEach((task, i) => {
      const old = tasksBefore[i]!;
      const expected = old.status === 'open' && old.deadline ? new Date(old.deadline.getTime() + 14 * DAY) : old.deadline;
      expect(task.deadline?.toISOString(), `${task.key} (${old.status})`).to.equal(expected?.toISOString());
    });
  });

  it('refuses work on a paused engagement and a resume of one that is not paused', async () => {
    const deps = makeDeps(db.orm);
    const { engagementId, cast } = await makeEngagement(deps);
    await expectBlocked(resumeEngagement(deps, cast.consultant.id, engagementId));
    await pauseEngagement(deps, cast.consultant.id, engagementId);
    const task = await db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, kind: 'meeting' });
    await expectBlocked(completeTask(deps, cast.consultant.id, engagementId, task.id));
    await expectBlocked(advanceStage(deps, cast.consultant.id, engagementId));
    await expectBlocked(pauseEngagement(deps, cast.consultant.id, engagementId));
  });

  it('cancels from a stage or a pause, and then refuses everything', async () => {
    const deps = makeDeps(db.orm);
    const { engagementId, cast } = await makeEngagement(deps);
    await pauseEngagement(deps, cast.consultant.id, engagementId);
    await cancelEngagement(deps, cast.consultant.id, engagementId, 'the client closed the shop');
    expect((await getTimeline(deps, cast.owner.id, engagementId)).state).to.equal('cancelled');
    await expectBlocked(resumeEngagement(deps, cast.consultant.id, engagementId));
    await expectBlocked(startEngagement(deps, cast.consultant.id, engagementId));
    await expectBlocked(cancelEngagement(deps, cast.consultant.id, engagementId));
  });
});

async function expectBlocked(promise: Promise<unknown>): Promise<void> {
  expect(await refusalOf(promise)).to.be.instanceOf(BlockedError);
}
