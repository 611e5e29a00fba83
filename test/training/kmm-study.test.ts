// The methods kit (KMM) studied in Preparation, through the service API: the overview module for everyone,
// the consultant's one-to-one sessions, the study task that follows both, and engagements frozen before it.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement, makeUser, completeTraining, recordSessionsWithEveryone, correctAnswers, METHODOLOGY_DIR, type Cast } from '../helpers/factories.ts';
import { refusalOf } from '../helpers/assertions.ts';
import { addParticipant } from '../../src/engagement/participants.service.ts';
import { completeTask } from '../../src/engagement/tasks.service.ts';
import { advanceStage, pauseEngagement } from '../../src/engagement/engagement.service.ts';
import { recordStudySession } from '../../src/training/study.service.ts';
import { submitQuiz, submitPractical, reviewPractical } from '../../src/training/training.service.ts';
import { getTaskPage } from '../../src/engagement/task-page.queries.ts';
import { listWaitingForMe, countWaitingForMe } from '../../src/queue/waiting.queries.ts';
import { seedDemoWorkspace } from '../../src/db/seed.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';
import { StudySession } from '../../src/training/study-session.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { Engagement, EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { User } from '../../src/users/user.entity.ts';
import { MethodologyRegistry } from '../../src/methodology/methodology.registry.ts';
import { loadMethodologies, parseMethodologyText } from '../../src/methodology/methodology.loader.ts';
import { BlockedError, ForbiddenError, InvalidInputError } from '../../src/errors.ts';
import type { TrainingModule } from '../../src/methodology/training.schema.ts';

describe('the methods kit studied in Preparation', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let deps: ReturnType<typeof makeDeps>;
  let engagementId: string;
  let cast: Cast;

  beforeEach(async () => {
    db = await createTestDatabase();
    deps = makeDeps(db.orm);
    ({ engagementId, cast } = await makeEngagement(deps));
  });
  afterEach(async () => db.drop());

  const em = () => db.orm.em.fork();
  const studyTask = (id = engagementId) => em().findOneOrFail(Task, { engagement: id, key: 'prep.kmm-study' });
  const overviewOf = async (userId: string, id = engagementId) => em().findOne(TrainingAssignment, { engagement: id, user: userId, moduleId: 'e1t-overview' }, { populate: ['task'] });
  const eventCount = (id = engagementId) => em().count(EngagementEvent, { engagement: id });
  const session = (participantId: string, heldOn = '2026-03-02', note = 'Went over the three stages.') => recordStudySession(deps, cast.consultant.id, engagementId, { participantId, heldOn, note });

  it('gives the E1T overview module to every participant at the start, the owner included, and not to the consultant', async () => {
    for (const person of [cast.owner, ...cast.staff]) {
      const a = await overviewOf(person.id);
      expect(a, `${person.name} has the overview`).not.to.equal(null);
      expect(a!.stageId).to.equal('preparation');
      expect(a!.task.assignee?.id).to.equal(person.id);
      expect(a!.task.deadline?.toISOString(), 'due with the study task').to.equal((await studyTask()).deadline?.toISOString());
    }
    expect(await overviewOf(cast.consultant.id)).to.equal(null);
    expect((await em().findOneOrFail(Task, { engagement: engagementId, key: 'training:e1t-overview', assignee: cast.owner.id })).role).to.equal('owner');
  });

  it('gives the module to someone who joins during Preparation', async () => {
    await addParticipant(deps, cast.consultant.id, engagementId, { email: 'late.joiner@test.troika', name: 'Late Joiner', role: 'staff', direction: 'other' });
    const late = await em().findOneOrFail(User, { email: 'late.joiner@test.troika' });
    expect(await overviewOf(late.id)).not.to.equal(null);
    await pauseEngagement(deps, cast.consultant.id, engagementId);
    await addParticipant(deps, cast.consultant.id, engagementId, { email: 'paused.joiner@test.troika', name: 'Paused Joiner', role: 'staff', direction: 'other' });
    const paused = await em().findOneOrFail(User, { email: 'paused.joiner@test.troika' });
    expect(await overviewOf(paused.id), 'joining while Preparation is paused').not.to.equal(null);
  });

  it('refuses to close the study task by hand', async () => {
    const task = await studyTask();
    const error = await refusalOf(completeTask(deps, cast.consultant.id, engagementId, task.id));
    expect(error).to.be.instanceOf(BlockedError);
    expect(error.message).to.contain('every participant has completed the methods kit module and has a recorded one-to-one session');
    expect((await studyTask()).status).to.equal('open');
  });

  it('closes the study task only when every participant has completed the module AND has a recorded session', async () => {
    await recordSessionsWithEveryone(deps, engagementId, cast);
    expect((await studyTask()).status, 'sessions alone are not enough').to.equal('open');
    const blockers = ((await refusalOf(advanceStage(deps, cast.consultant.id, engagementId))) as BlockedError).blockers;
    expect(blockers.some((b) => b.id === 'prep.kmm-study'), 'the gate holds on the study').to.equal(true);

    const sessions = await em().count(StudySession, { engagement: engagementId });
    expect(sessions).to.equal(3);
    // Everyone completes the module, the owner last.
    const completed = await completeTraining(deps, engagementId, cast, 'preparation');
    expect(completed, 'the owner and both staff had the module open').to.equal(3);
    const task = await studyTask();
    expect([task.status, task.note]).to.deep.equal(['done', 'every participant has studied the methods kit']);
    expect(await em().count(EngagementEvent, { engagement: engagementId, type: 'task.complete', payload: { key: 'prep.kmm-study' } })).to.equal(1);
  });

  it('keeps the task open while one participant has the module done but no session, then closes on that session', async () => {
    await completeTraining(deps, engagementId, cast, 'preparation');
    expect((await studyTask()).status, 'modules alone are not enough').to.equal('open');
    await session(cast.owner.id);
    await session(cast.staff[0]!.id);
    expect((await studyTask()).status).to.equal('open');
    const page = await getTaskPage(deps, cast.consultant.id, engagementId, (await studyTask()).id, 'en');
    const missing = page.study!.rows.filter((r) => !r.hasSession).map((r) => r.name);
    expect(missing).to.deep.equal(['Production']);
    expect(page.study!.rows.every((r) => r.isModuleDone)).to.equal(true);
    expect(page.study!.rows.find((r) => r.name === 'Owner')!.sessions).to.deep.equal([{ heldOn: '2026-03-02', note: 'Went over the three stages.' }]);
    expect(page.canComplete, 'no "mark as done" form').to.equal(false);
    await session(cast.staff[1]!.id);
    expect((await studyTask()).status).to.equal('done');
  });

  it('opens the study task again when someone joins during Preparation after it closed', async () => {
    await completeTraining(deps, engagementId, cast, 'preparation');
    await recordSessionsWithEveryone(deps, engagementId, cast);
    expect((await studyTask()).status).to.equal('done');
    await addParticipant(deps, cast.consultant.id, engagementId, { email: 'third@test.troika', name: 'Third', role: 'staff', direction: 'analysis' });
    expect((await studyTask()).status).to.equal('open');
    expect(await em().count(EngagementEvent, { engagement: engagementId, type: 'task.reopen' })).to.equal(1);
  });

  it('lets the owner take the overview quiz and submit the work, but only their own', async () => {
    const mine = (await overviewOf(cast.owner.id))!;
    const theirs = (await overviewOf(cast.staff[0]!.id))!;
    const module = await overviewModule();
    expect(await refusalOf(submitQuiz(deps, cast.owner.id, engagementId, theirs.id, correctAnswers(module)))).to.be.instanceOf(ForbiddenError);
    const outcome = await submitQuiz(deps, cast.owner.id, engagementId, mine.id, correctAnswers(module));
    expect(outcome.isPassed).to.equal(true);
    await submitPractical(deps, cast.owner.id, engagementId, mine.id, 'The three stages, who approves what, and my part in each.');
    await reviewPractical(deps, cast.consultant.id, engagementId, mine.id, 'accept', 'Good.');
    expect((await overviewOf(cast.owner.id))!.completedAt).not.to.equal(null);
  });

  it('refuses a session with a bad date, an unknown participant or no note, naming each field, and changes nothing', async () => {
    const before = await eventCount();
    const expectFields = async (input: Parameters<typeof recordStudySession>[3], fields: Record<string, string>) => {
      const error = (await refusalOf(recordStudySession(deps, cast.consultant.id, engagementId, input))) as InvalidInputError;
      expect(error, JSON.stringify(input)).to.be.instanceOf(InvalidInputError);
      expect(Object.fromEntries(error.problems.map((p) => [p.field, p.message]))).to.deep.equal(fields);
    };
    await expectFields({ participantId: cast.owner.id, heldOn: '2026-03-03', note: 'Tomorrow' }, { heldOn: 'the session cannot be in the future' });
    await expectFields({ participantId: cast.owner.id, heldOn: '2026-03-01', note: 'Before' }, { heldOn: 'the session cannot be before the engagement started' });
    await expectFields({ participantId: cast.owner.id, heldOn: '02.03.2026', note: 'Format' }, { heldOn: 'must be a date such as 2026-12-01' });
    await expectFields({ participantId: cast.outsider.id, heldOn: '2026-03-02', note: ' ' }, { participantId: 'choose a participant of this engagement', note: 'write what you went over with the participant' });
    await expectFields({ participantId: cast.consultant.id, heldOn: '2026-03-02', note: 'Self' }, { participantId: 'choose a participant of this engagement' });
    await expectFields({ participantId: 'nobody', heldOn: '', note: 'x'.repeat(2001) }, { participantId: 'choose a participant of this engagement', heldOn: 'must be a date such as 2026-12-01', note: 'use at most 2000 characters' });
    expect(await em().count(StudySession, { engagement: engagementId })).to.equal(0);
    expect(await eventCount(), 'no event').to.equal(before);
  });

  it('lets only the consultant record a session, and only while the engagement runs', async () => {
    expect(await refusalOf(recordStudySession(deps, cast.owner.id, engagementId, { participantId: cast.owner.id, heldOn: '2026-03-02', note: 'Me' }))).to.be.instanceOf(ForbiddenError);
    expect(await refusalOf(recordStudySession(deps, cast.staff[0]!.id, engagementId, { participantId: cast.staff[0]!.id, heldOn: '2026-03-02', note: 'Me' }))).to.be.instanceOf(ForbiddenError);
    const saved = await session(cast.owner.id);
    expect(saved.heldOn).to.equal('2026-03-02');
    expect(await em().count(EngagementEvent, { engagement: engagementId, type: 'study.session' })).to.equal(1);
    await pauseEngagement(deps, cast.consultant.id, engagementId);
    const paused = await refusalOf(session(cast.staff[0]!.id));
    expect(paused).to.be.instanceOf(BlockedError);
    expect(paused.message).to.equal('A one-to-one session cannot be recorded: the engagement is paused');
  });

  it('lists for the consultant each participant still without a session, in the words of the task page', async () => {
    await session(cast.owner.id);
    const items = await listWaitingForMe(deps, cast.consultant.id, 'en');
    const sessions = items.filter((i) => i.kind === 'studySession');
    expect(sessions.map((i) => ('people' in i ? i.people : ''))).to.deep.equal(['Sales, Production']);
    expect(sessions[0]!.href).to.equal(`/engagements/${engagementId}/tasks/${(await studyTask()).id}#study`);
    expect(await countWaitingForMe(deps, cast.consultant.id), 'the top bar counts what the list shows').to.equal(items.length);
    const ownerItems = await listWaitingForMe(deps, cast.owner.id, 'ru');
    const modules = ownerItems.filter((i) => i.kind === 'trainingModule').map((i) => ('title' in i ? i.title : ''));
    expect(modules, 'the owner sees their module').to.have.length(1);
    expect(modules[0]).to.contain((await overviewModule()).title.ru);
    expect(await countWaitingForMe(deps, cast.owner.id)).to.equal(ownerItems.length);
  });

  it('leaves an engagement started from the methodology frozen before this change as it was', async () => {
    const old = oldE1t();
    const oldDeps = { ...deps, methodologies: old };
    const consultant = await makeUser(db.orm, 'Old consultant', 'consultant');
    const { createEngagement, startEngagement } = await import('../../src/engagement/engagement.service.ts');
    const created = await createEngagement(oldDeps, consultant.id, { clientName: 'Old Bakery', plannedStart: '2026-03-02' });
    await addParticipant(oldDeps, consultant.id, created.id, { email: 'old.owner@test.troika', name: 'Old Owner', role: 'owner' });
    await addParticipant(oldDeps, consultant.id, created.id, { email: 'old.staff@test.troika', name: 'Old Staff', role: 'staff', direction: 'sales' });
    await startEngagement(oldDeps, consultant.id, created.id);
    // From here on the app runs with today's files; the engagement keeps its frozen copy.
    await addParticipant(deps, consultant.id, created.id, { email: 'old.late@test.troika', name: 'Old Late', role: 'staff', direction: 'other' });
    expect(await em().count(TrainingAssignment, { engagement: created.id }), 'no module given at the start or on joining').to.equal(0);
    const staff = await em().findOneOrFail(User, { email: 'old.staff@test.troika' });
    const task = await studyTask(created.id);
    const page = await getTaskPage(deps, consultant.id, created.id, task.id, 'en');
    expect([page.study, page.canComplete]).to.deep.equal([null, true]);
    const refused = await refusalOf(recordStudySession(deps, consultant.id, created.id, { participantId: staff.id, heldOn: '2026-03-02', note: 'x' }));
    expect(refused).to.be.instanceOf(BlockedError);
    const { assignTask } = await import('../../src/engagement/tasks.service.ts');
    await assignTask(deps, consultant.id, created.id, task.id, { assigneeId: staff.id });
    await completeTask(deps, staff.id, created.id, task.id, 'Read the kit.');
    expect((await studyTask(created.id)).status, 'closed by hand, as before').to.equal('done');
    expect((await listWaitingForMe(deps, consultant.id, 'en')).filter((i) => i.kind === 'studySession' && i.engagementId === created.id)).to.deep.equal([]);
  });

  it('seeds a demo whose kick-off and study of the methods kit are done, with a session and the module for each participant', async () => {
    const fresh = await createTestDatabase();
    try {
      const seedDeps = makeDeps(fresh.orm);
      await seedDemoWorkspace(seedDeps, { dataDir: join('test-artifacts', `seed-${process.pid}`), password: 'demo password 123' });
      const e = await fresh.orm.em.fork().findOneOrFail(Engagement, { clientName: 'Kolosok Bakery' });
      const tasks = await fresh.orm.em.fork().find(Task, { engagement: e.id, key: { $in: ['prep.kickoff', 'prep.kmm-study'] } });
      expect(tasks.map((t) => [t.key, t.status]).sort()).to.deep.equal([['prep.kickoff', 'done'], ['prep.kmm-study', 'done']]);
      expect(await fresh.orm.em.fork().count(StudySession, { engagement: e.id })).to.equal(3);
      expect(await fresh.orm.em.fork().count(TrainingAssignment, { engagement: e.id, moduleId: 'e1t-overview', completedAt: { $ne: null } })).to.equal(3);
    } finally {
      await fresh.drop();
    }
  });

  async function overviewModule(): Promise<TrainingModule> {
    const e = await em().findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] });
    return e.methodology.definition.trainingModules.find((m) => m.id === 'e1t-overview')!;
  }
});

/** E1T v1 as it was frozen before this change: no modules for everyone, the overview in Formatting, the study task closed by hand. */
function oldE1t(): MethodologyRegistry {
  const data = parse(readFileSync(join(METHODOLOGY_DIR, 'e1t-1', 'methodology.yaml'), 'utf8'));
  delete data.training.everyone;
  const study = data.stages[0].tasks.find((t: { id: string }) => t.id === 'prep.kmm-study');
  delete study.completion;
  const modules = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition.trainingModules.map((m) => (m.id === 'e1t-overview' ? { ...m, stage: 'formatting' } : m));
  const result = parseMethodologyText(stringify(data), 'old/methodology.yaml', modules);
  if ('problems' in result) throw new Error(JSON.stringify(result.problems));
  return new MethodologyRegistry(new Map([['e1t@1', { key: 'e1t@1', file: 'old/methodology.yaml', ...result }]]));
}

describe('the loader and the modules everyone studies', () => {
  const text = readFileSync(join(METHODOLOGY_DIR, 'e1t-1', 'methodology.yaml'), 'utf8');
  const modules = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition.trainingModules;
  const problemsWith = (change: (m: any) => void, withModules = modules) => {
    const data = parse(text);
    change(data);
    const result = parseMethodologyText(stringify(data), 'm.yaml', withModules);
    return 'problems' in result ? result.problems.map((p) => `${p.path}: ${p.message}`) : [];
  };

  it('accepts E1T v1 with the overview in Preparation, given to everyone', () => {
    expect(problemsWith(() => {})).to.deep.equal([]);
  });

  it('refuses an unknown module, one listed twice, and one of a later stage', () => {
    expect(problemsWith((m) => (m.training.everyone = ['no-such-module']))).to.deep.equal(['training.everyone[0]: unknown training module "no-such-module"']);
    expect(problemsWith((m) => (m.training.everyone = ['e1t-overview', 'e1t-overview']))).to.deep.equal(['training.everyone[1]: module "e1t-overview" is listed twice']);
    const inFormatting = modules.map((x) => (x.id === 'e1t-overview' ? { ...x, stage: 'formatting' } : x));
    expect(problemsWith(() => {}, inFormatting)).to.deep.equal([
      'training.everyone[0]: module "e1t-overview" belongs to stage "formatting": a module given to everyone at the start belongs to the first stage, "preparation"',
    ]);
  });

  it('refuses a study task without modules for everyone, and a second study task', () => {
    expect(problemsWith((m) => delete m.training.everyone)).to.deep.equal([
      'stages[0].tasks[1].completion: a task that closes by the one-to-one sessions needs the modules everyone studies: list them under training.everyone',
    ]);
    expect(problemsWith((m) => (m.stages[1].tasks[0].completion = 'study-sessions'))).to.deep.equal([
      'stages[1].tasks[0].completion: only one task closes by the one-to-one sessions; "prep.kmm-study" already does',
    ]);
  });
});
