import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement, registryWith, completeCurrentStage, METHODOLOGY_DIR, type Cast } from '../helpers/factories.ts';
import { advanceStage, pauseEngagement, plannedStart, resumeEngagement } from '../../src/engagement/engagement.service.ts';
import { upgradeMethodology } from '../../src/engagement/methodology-upgrade.service.ts';
import { Engagement, EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { ProjectDocument } from '../../src/documents/document.entity.ts';
import { addDays } from '../../src/engagement/engagement.machine.ts';
import { BlockedError, ConflictError } from '../../src/errors.ts';
import { assignTask, completeTask } from '../../src/engagement/tasks.service.ts';
import { listMyTasks } from '../../src/engagement/overview.ts';
import { getTimeline } from '../../src/engagement/timeline.ts';
import { listWaitingForMe } from '../../src/queue/waiting.queries.ts';
import { listPortfolio } from '../../src/portfolio/portfolio.queries.ts';
import { calendarFeedFor, renewCalendarFeed } from '../../src/calendar-feed/calendar-feed.service.ts';
import { startTestApp, setPassword, WebClient } from '../helpers/web.ts';
import { MethodologyRegistry } from '../../src/methodology/methodology.registry.ts';

describe('upgrading a running engagement to a newer methodology version (service API)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let deps: ReturnType<typeof makeDeps>;
  let engagementId: string;
  let cast: Cast;

  beforeEach(async () => {
    db = await createTestDatabase();
    deps = makeDeps(db.orm, registryWith(METHODOLOGY_DIR, 'test/fixtures/upgrade'));
    ({ engagementId, cast } = await makeEngagement(deps, { methodology: 'e1t@1' }));
    await completeCurrentStage(deps, engagementId, cast);
    await advanceStage(deps, cast.consultant.id, engagementId);
  });
  afterEach(async () => db.drop());

  const read = () => db.orm.em.fork().findOneOrFail(Engagement, engagementId);
  const tasks = () => db.orm.em.fork().find(Task, { engagement: engagementId, key: { $ne: null } });

  it('moves a mid-Formatting engagement from e1t@1 to e1t@2: work kept, the new task planned, the removed one archived, one event with both hashes', async () => {
    const before = await read();
    const tasksBefore = await tasks();
    const approvedBefore = await db.orm.em.fork().find(ProjectDocument, { engagement: engagementId, approvedHash: { $ne: null } });
    const formattingBefore = before.snapshot.context.stages.find((s) => s.id === 'formatting')!;

    const result = await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@2');
    expect(result.diff.tasks).to.deep.equal([{ kind: 'added', id: 'fmt.stories' }, { kind: 'removed', id: 'launch.content' }]);

    const after = await read();
    expect([after.state, after.methodology.hash]).to.deep.equal(['formatting', deps.methodologies.list().find((m) => m.key === 'e1t@2')!.hash]);
    const formatting = after.snapshot.context.stages.find((s) => s.id === 'formatting')!;
    expect([formatting.durationDays, formatting.startedAt]).to.deep.equal([formattingBefore.durationDays + 7, formattingBefore.startedAt]);
    expect(Date.parse(formatting.deadline!) - Date.parse(formattingBefore.deadline!), 'the stage is due a week later').to.equal(7 * 86_400_000);

    const now = await tasks();
    const stories = now.find((t) => t.key === 'fmt.stories')!;
    const clocks = after.snapshot.context.stages;
    expect([stories.status, stories.required, stories.stageId]).to.deep.equal(['open', true, 'formatting']);
    expect(stories.deadline!.toISOString(), 'due on day 10 of Formatting, from the plan').to.equal(addDays(plannedStart(clocks, 1), 10));
    expect(now.find((t) => t.key === 'launch.content')!.status, 'archived, not deleted').to.equal('archived');
    const donePreparation = tasksBefore.filter((t) => t.stageId === 'preparation' && t.status === 'done').map((t) => t.key).sort();
    expect(now.filter((t) => t.stageId === 'preparation' && t.status === 'done').map((t) => t.key).sort(), 'done tasks stay done').to.deep.equal(donePreparation);
    const approvedAfter = await db.orm.em.fork().find(ProjectDocument, { engagement: engagementId, approvedHash: { $ne: null } });
    expect(approvedAfter.map((d) => [d.typeId, d.approvedHash]).sort()).to.deep.equal(approvedBefore.map((d) => [d.typeId, d.approvedHash]).sort());

    const events = await db.orm.em.fork().find(EngagementEvent, { engagement: engagementId, type: 'methodology.upgrade' });
    expect(events).to.have.length(1);
    expect(events[0]!.payload).to.include({ from: 'e1t@1', fromHash: before.methodology.hash, to: 'e1t@2', toHash: after.methodology.hash });
    expect(events[0]!.payload.archivedTasks).to.deep.equal(['launch.content']);
  });

  it('upgrades a paused engagement and keeps it paused: resuming returns to Formatting, every deadline ahead moved by the pause', async () => {
    const before = await read();
    const formattingBefore = before.snapshot.context.stages.find((s) => s.id === 'formatting')!;
    deps.time.advanceDays(2);
    await pauseEngagement(deps, cast.consultant.id, engagementId);
    const pausedAt = (await read()).snapshot.context.pausedAt;
    deps.time.advanceDays(3);
    await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@2');

    const upgraded = await read();
    expect([upgraded.state, upgraded.snapshot.value, upgraded.snapshot.context.pausedStage, upgraded.snapshot.context.pausedAt]).to.deep.equal(['paused', 'paused', 'formatting', pausedAt]);
    const formatting = upgraded.snapshot.context.stages.find((s) => s.id === 'formatting')!;
    expect(Date.parse(formatting.deadline!) - Date.parse(formattingBefore.deadline!), 'a week longer, the pause not yet counted').to.equal(7 * 86_400_000);
    const stories = (await tasks()).find((t) => t.key === 'fmt.stories')!;
    const planned = stories.deadline!.getTime();
    expect(stories.deadline!.toISOString()).to.equal(addDays(plannedStart(upgraded.snapshot.context.stages, 1), 10));

    deps.time.advanceDays(5);
    await resumeEngagement(deps, cast.consultant.id, engagementId);
    const resumed = await read();
    expect(resumed.state, 'back to the stage that was paused').to.equal('formatting');
    const pauseMs = 8 * 86_400_000;
    expect(Date.parse(resumed.snapshot.context.stages.find((s) => s.id === 'formatting')!.deadline!) - Date.parse(formatting.deadline!), 'the stage moved by the pause').to.equal(pauseMs);
    expect((await tasks()).find((t) => t.key === 'fmt.stories')!.deadline!.getTime() - planned, 'the new task moved by the pause').to.equal(pauseMs);
  });

  it('keeps the shift of an earlier pause in the deadlines it re-plans', async () => {
    deps.time.advanceDays(2);
    await pauseEngagement(deps, cast.consultant.id, engagementId);
    deps.time.advanceDays(10);
    await resumeEngagement(deps, cast.consultant.id, engagementId);
    const before = await read();
    await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@2');
    const after = await read();
    const deadline = (e: Engagement, id: string) => Date.parse(e.snapshot.context.stages.find((s) => s.id === id)!.deadline!);
    expect(deadline(after, 'formatting') - deadline(before, 'formatting'), 'Formatting: a week longer, the pause kept').to.equal(7 * 86_400_000);
    expect(deadline(after, 'launch') - deadline(before, 'launch'), 'Launch follows a week later').to.equal(7 * 86_400_000);
    const formatting = after.snapshot.context.stages.find((s) => s.id === 'formatting')!;
    const stories = (await tasks()).find((t) => t.key === 'fmt.stories')!;
    expect(stories.deadline!.toISOString(), 'the new task: day 10 of Formatting as the pause moved it').to.equal(addDays(addDays(formatting.deadline!, -formatting.durationDays), 10));
  });

  it('takes the task it archives, assigned and overdue, out of My tasks, the waiting lists, the portfolio\'s overdue count and the calendar, and refuses work on it', async () => {
    const content = (await tasks()).find((t) => t.key === 'launch.content')!;
    const staff = cast.staff[0]!;
    await assignTask(deps, cast.consultant.id, engagementId, content.id, { assigneeId: staff.id, deadline: addDays(deps.clock().toISOString(), 1).slice(0, 10) });
    deps.time.advanceDays(3);
    const mine = async () => (await listMyTasks(deps, staff.id, 'en')).filter((t) => t.key === 'launch.content');
    const waiting = async (userId: string) => (await listWaitingForMe(deps, userId, 'en')).filter((w) => w.href.includes(content.id));
    const overdue = async () => (await listPortfolio(deps, { id: cast.consultant.id, isAdmin: false }, { sort: 'health', direction: 'desc', page: 1 }, 'en')).rows.find((r) => r.id === engagementId)!.overdueTasks;
    const feed = await renewCalendarFeed(deps, staff.id);
    const inCalendar = async () => (await calendarFeedFor(deps, feed, 'https://troika.test'))!.includes(`task-${content.id}@troika`);
    const progress = async () => (await getTimeline(deps, cast.consultant.id, engagementId)).stages.find((s) => s.id === 'launch')!.progress.total;

    // Before the upgrade the task is everywhere an open, overdue task belongs: the test would miss nothing.
    expect((await mine()).map((t) => t.isOverdue)).to.deep.equal([true]);
    expect((await waiting(cast.consultant.id)).map((w) => w.kind)).to.deep.equal(['overdueTask']);
    expect((await waiting(staff.id)).map((w) => w.kind)).to.deep.equal(['openTask']);
    expect(await overdue()).to.equal(1);
    expect(await inCalendar()).to.equal(true);
    const launchTasks = await progress();

    await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@2');
    expect((await tasks()).find((t) => t.id === content.id)!.status).to.equal('archived');
    expect(await mine(), 'My tasks').to.deep.equal([]);
    expect(await waiting(cast.consultant.id), 'the consultant\'s waiting list').to.deep.equal([]);
    expect(await waiting(staff.id), 'the staff member\'s waiting list').to.deep.equal([]);
    expect(await overdue(), 'the portfolio\'s overdue count').to.equal(0);
    expect(await inCalendar(), 'the calendar feed').to.equal(false);
    expect(await progress(), 'the stage counts one task fewer').to.equal(launchTasks - 1);
    const refused = await completeTask(deps, staff.id, engagementId, content.id).catch((e) => e);
    expect(refused, 'an archived task is no work to do').to.be.instanceOf(ConflictError);
    expect((refused as Error).message).to.contain('archived');
  });

  it('archives the training tasks of a module the newer version drops, and they leave My tasks', async () => {
    // A version 3 that drops the overview module everyone studies: built here, as no fixture on disk does.
    const e1t1 = registryWith(METHODOLOGY_DIR).list().find((m) => m.key === 'e1t@1')!;
    const without = { ...e1t1.definition, version: 3, training: { ...e1t1.definition.training, everyone: [] }, trainingModules: e1t1.definition.trainingModules.filter((m) => m.id !== 'e1t-overview') };
    const registry = new MethodologyRegistry(new Map([['e1t@1', e1t1], ['e1t@3', { key: 'e1t@3', hash: 'e'.repeat(64), file: '(test)', definition: without }]]));
    const here = makeDeps(db.orm, registry);
    const made = await makeEngagement(here, { methodology: 'e1t@1' });
    const overview = () => db.orm.em.fork().find(Task, { engagement: made.engagementId, key: 'training:e1t-overview' });
    const staff = made.cast.staff[0]!;
    expect((await overview()).map((t) => t.status), 'every participant studies the overview').to.include('open');
    expect((await listMyTasks(here, staff.id, 'en')).some((t) => t.key === 'training:e1t-overview')).to.equal(true);

    await upgradeMethodology(here, made.cast.consultant.id, made.engagementId, 'e1t@3');
    expect([...new Set((await overview()).map((t) => t.status))]).to.deep.equal(['archived']);
    expect((await listMyTasks(here, staff.id, 'en')).some((t) => t.key === 'training:e1t-overview'), 'My tasks').to.equal(false);
  });

  it('refuses going back to an older version, says why, and changes nothing', async () => {
    await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@2');
    const before = await read();
    const refused = await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@1').catch((e) => e);
    expect(refused).to.be.instanceOf(BlockedError);
    expect((refused as BlockedError).reasons).to.deep.equal(['version 1 is not newer than version 2']);
    const after = await read();
    expect([after.eventSeq, after.methodology.hash, after.version]).to.deep.equal([before.eventSeq, before.methodology.hash, before.version]);
    const byOwner = await upgradeMethodology(deps, cast.owner.id, engagementId, 'e1t@2').catch((e) => e);
    expect(byOwner.constructor.name, 'only the consultant upgrades').to.equal('ForbiddenError');
  });
});

describe('upgrading the methodology over HTTP', function () {
  this.timeout(120_000);
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let engagementId: string;
  let cast: Cast;

  beforeEach(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db, { methodologies: registryWith(METHODOLOGY_DIR, 'test/fixtures/upgrade') });
    ({ engagementId, cast } = await makeEngagement(app.deps, { methodology: 'e1t@1' }));
    for (const person of [cast.consultant, cast.owner]) await setPassword(db, person.id);
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  it('shows the consultant what e1t@2 changes, in English and Russian, and moves the engagement on confirmation; the owner is refused', async () => {
    const consultant = new WebClient(app.url);
    await consultant.signIn(cast.consultant.email);
    const page = `/engagements/${engagementId}/methodology`;
    expect((await consultant.get(`/engagements/${engagementId}`)).text, 'the engagement page links to the upgrade').to.contain(`<a href="${page}" id="upgrade-link">New version: e1t@2</a>`);
    const shown = (await consultant.get(page)).text;
    expect(shown).to.contain('The engagement runs on e1t@1.');
    expect(shown).to.match(/added: <code>fmt\.stories<\/code>/);
    expect(shown).to.match(/removed: <code>launch\.content<\/code>/);
    expect(shown).to.match(/added: <code>content-concept \/ storyFormats<\/code>/);
    await consultant.post('/language', { locale: 'ru', back: page });
    const ru = (await consultant.get(page)).text;
    expect(ru).to.contain('Проект идёт по методике e1t@1.');
    expect(ru).to.contain('Перевести проект на e1t@2');
    const moved = await consultant.post(`${page}/upgrade`, { to: 'e1t@2', fromHash: (await db.orm.em.fork().findOneOrFail(Engagement, engagementId)).methodology.hash, __referer: page });
    expect(moved.status).to.equal(303);
    expect((await consultant.follow(moved)).text).to.contain('Проект переведён с e1t@1 на e1t@2.');
    expect((await consultant.get(`/engagements/${engagementId}/events`)).text).to.contain('проект переведён на новую версию методики');
    const archived = await db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, key: 'launch.content' });
    const taskPage = (await consultant.get(`/engagements/${engagementId}/tasks/${archived.id}`)).text;
    expect(taskPage, 'the archived task reads as archived, not open').to.match(/<span class="badge status-archived">в архиве<\/span>/);
    expect(taskPage).to.contain('id="archived-note"');
    expect(taskPage, 'and offers no work on it').not.to.match(/action="[^"]*\/tasks\/[^"]*\/(complete|assign)"/);

    const owner = new WebClient(app.url);
    await owner.signIn(cast.owner.email);
    expect((await owner.get(page)).status, 'the owner does not choose the methodology').to.equal(403);
    expect((await owner.get(`/engagements/${engagementId}`)).text, 'nor sees the link').not.to.contain('upgrade-link');
    expect((await consultant.get(`/engagements/${engagementId}`)).text, 'on e1t@2 nothing newer is on offer').not.to.contain('upgrade-link');
  });
});
