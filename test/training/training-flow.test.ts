import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement, completeCurrentStage, completeTraining, correctAnswers, programmeContent, type Cast } from '../helpers/factories.ts';
import { refusalOf } from '../helpers/assertions.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { completeTask } from '../../src/engagement/tasks.service.ts';
import { submitQuiz, submitPractical, reviewPractical } from '../../src/training/training.service.ts';
import { getModulePage, getTrainingMatrix, trainingRecordRows } from '../../src/training/training.queries.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { BlockedError, ConflictError, ForbiddenError, NotFoundError } from '../../src/errors.ts';
import type { ServiceDeps } from '../../src/engagement/command.ts';
import type { TrainingModule } from '../../src/methodology/training.schema.ts';

describe('staff training', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let deps: ServiceDeps & { time: { advanceDays(n: number): void } };
  let engagementId: string;
  let cast: Cast;
  let modules: TrainingModule[];

  beforeEach(async () => {
    db = await createTestDatabase();
    deps = makeDeps(db.orm);
    ({ engagementId, cast } = await makeEngagement(deps));
    await completeCurrentStage(deps, engagementId, cast); // approves the training programme
    await advanceStage(deps, cast.consultant.id, engagementId);
    modules = (await db.orm.em.fork().findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] })).methodology.definition.trainingModules;
  });
  afterEach(async () => db.drop());

  /** The modules the programme gave (Preparation's overview module, given to everyone at the start, is not among them). */
  const assignmentsOf = (userId: string) => db.orm.em.fork().find(TrainingAssignment, { engagement: engagementId, user: userId, stageId: { $ne: 'preparation' } }, { orderBy: { moduleId: 'asc' } });
  const moduleOf = (a: TrainingAssignment) => modules.find((m) => m.id === a.moduleId)!;
  const [sales, production] = [() => cast.staff[0]!, () => cast.staff[1]!];

  it('creates a task with a deadline for each staff member when the owner approves the programme', async () => {
    const expected = programmeContent((await db.orm.em.fork().findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] })).methodology.definition)!;
    const rows = expected.modules as { direction?: string; module: string }[];
    const salesModules = (await assignmentsOf(sales().id)).map((a) => a.moduleId).sort();
    const productionModules = (await assignmentsOf(production().id)).map((a) => a.moduleId).sort();
    expect(salesModules).to.deep.equal(rows.filter((r) => r.direction !== 'production').map((r) => r.module).sort());
    expect(productionModules).to.deep.equal(rows.filter((r) => r.direction !== 'sales').map((r) => r.module).sort());
    const tasks = await db.orm.em.fork().find(Task, { engagement: engagementId, key: { $like: 'training:%' }, stageId: { $ne: 'preparation' } });
    expect(tasks.length).to.equal(salesModules.length + productionModules.length);
    expect(tasks.every((t) => t.deadline && t.assignee)).to.equal(true);
  });

  it('grades a failed attempt, allows another, and stops after the last attempt', async () => {
    const [a] = await assignmentsOf(sales().id);
    const module = moduleOf(a!);
    const wrong = Object.fromEntries(module.quiz.questions.map((q) => [q.id, [q.answers.find((x) => !x.correct)!.id]]));
    const first = await submitQuiz(deps, sales().id, engagementId, a!.id, wrong);
    expect([first.score, first.isPassed, first.attemptsLeft]).to.deep.equal([0, false, 2]);
    await submitQuiz(deps, sales().id, engagementId, a!.id, wrong);
    await submitQuiz(deps, sales().id, engagementId, a!.id, wrong);
    const blocked = await refusalOf(submitQuiz(deps, sales().id, engagementId, a!.id, correctAnswers(module)));
    expect(blocked).to.be.instanceOf(BlockedError);
    const page = await getModulePage(deps, sales().id, engagementId, a!.id, 'en');
    expect([page.attempts, page.attemptsLeft, page.bestScore, page.isQuizPassed]).to.deep.equal([3, 0, 0, false]);
  });

  it('goes from submission to return to resubmission to acceptance, and then the module is complete', async () => {
    const [a] = await assignmentsOf(sales().id);
    await submitQuiz(deps, sales().id, engagementId, a!.id, correctAnswers(moduleOf(a!)));
    await submitPractical(deps, sales().id, engagementId, a!.id, 'First draft of my answer to the review.');
    expect(await refusalOf(submitPractical(deps, sales().id, engagementId, a!.id, 'Sending it twice is not allowed.'))).to.be.instanceOf(ConflictError);
    await reviewPractical(deps, cast.consultant.id, engagementId, a!.id, 'return', 'Thank the customer first.');
    let page = await getModulePage(deps, sales().id, engagementId, a!.id, 'en');
    expect([page.status, page.reviewComment]).to.deep.equal(['returned', 'Thank the customer first.']);
    await submitPractical(deps, sales().id, engagementId, a!.id, 'Thank you for the review. We were wrong, and here is what we fix.');
    await reviewPractical(deps, cast.consultant.id, engagementId, a!.id, 'accept', '');
    page = await getModulePage(deps, sales().id, engagementId, a!.id, 'en');
    expect(page.status).to.equal('completed');
    const task = await db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, key: `training:${a!.moduleId}`, assignee: sales().id });
    expect(task.status).to.equal('done');
  });

  it('keeps Formatting closed while a module is open, and closes its training task when the last one completes', async () => {
    const fresh = await makeEngagement(deps);
    await completeCurrentStage(deps, fresh.engagementId, fresh.cast);
    await advanceStage(deps, fresh.cast.consultant.id, fresh.engagementId);
    const trainingTask = await db.orm.em.fork().findOneOrFail(Task, { engagement: fresh.engagementId, key: 'fmt.training' });
    expect(await refusalOf(completeTask(deps, fresh.cast.consultant.id, fresh.engagementId, trainingTask.id))).to.be.instanceOf(BlockedError);
    const blockers = ((await refusalOf(advanceStage(deps, fresh.cast.consultant.id, fresh.engagementId))) as BlockedError).blockers;
    expect(blockers.some((b) => b.id === 'fmt.training')).to.equal(true);
    await completeTraining(deps, fresh.engagementId, fresh.cast, 'formatting');
    expect((await db.orm.em.fork().findOneOrFail(Task, trainingTask.id)).status).to.equal('done');
    await completeCurrentStage(deps, fresh.engagementId, fresh.cast);
    expect((await advanceStage(deps, fresh.cast.consultant.id, fresh.engagementId)).to).to.equal('launch');
  });

  it('lets a staff member see only their own assignments; other engagements answer 404; only the consultant reviews', async () => {
    const [mine] = await assignmentsOf(sales().id);
    const [theirs] = await assignmentsOf(production().id);
    expect(await refusalOf(getModulePage(deps, sales().id, engagementId, theirs!.id, 'en'))).to.be.instanceOf(NotFoundError);
    expect(await refusalOf(submitQuiz(deps, sales().id, engagementId, theirs!.id, {}))).to.be.instanceOf(NotFoundError);
    const matrix = await getTrainingMatrix(deps, sales().id, engagementId, 'en');
    expect(matrix.rows.map((r) => r.userId)).to.deep.equal([sales().id]);
    const other = await makeEngagement(deps);
    expect(await refusalOf(getModulePage(deps, other.cast.staff[0]!.id, engagementId, mine!.id, 'en'))).to.be.instanceOf(NotFoundError);
    await submitQuiz(deps, sales().id, engagementId, mine!.id, correctAnswers(moduleOf(mine!)));
    await submitPractical(deps, sales().id, engagementId, mine!.id, 'My practical work for the reviewer.');
    expect(await refusalOf(reviewPractical(deps, cast.owner.id, engagementId, mine!.id, 'accept', ''))).to.be.instanceOf(ForbiddenError);
    expect(await refusalOf(reviewPractical(deps, sales().id, engagementId, mine!.id, 'accept', ''))).to.be.instanceOf(ForbiddenError);
  });

  it('shows consultant and owner the whole matrix, and fills the training record from completions', async () => {
    await completeTraining(deps, engagementId, cast, 'formatting');
    const matrix = await getTrainingMatrix(deps, cast.owner.id, engagementId, 'ru');
    expect(matrix.rows).to.have.length(2);
    const cells = matrix.rows.flatMap((r) => Object.values(r.cells));
    expect(cells.filter((c) => c.status === 'completed').length).to.be.greaterThan(0);
    const rows = await trainingRecordRows(deps, cast.consultant.id, engagementId, 'ru');
    // The owner studies the overview module too, but the matrix is the staff's: their completion is in the record only.
    const ownerCompleted = await db.orm.em.fork().count(TrainingAssignment, { engagement: engagementId, user: cast.owner.id, completedAt: { $ne: null } });
    expect(ownerCompleted, 'the owner completed the overview in Preparation').to.equal(1);
    expect(rows.length).to.equal(cells.filter((c) => c.status === 'completed').length + ownerCompleted);
    expect(rows.every((r) => r.accepted && r.score === 100)).to.equal(true);
  });

  it('shows overdue modules in the matrix', async () => {
    deps.time.advanceDays(200);
    const matrix = await getTrainingMatrix(deps, cast.consultant.id, engagementId, 'en');
    const open = matrix.rows.flatMap((r) => Object.values(r.cells)).filter((c) => c.status !== 'completed');
    expect(open.length).to.be.greaterThan(0);
    expect(open.every((c) => c.isOverdue)).to.equal(true);
  });
});
