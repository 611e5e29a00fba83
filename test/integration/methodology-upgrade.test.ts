import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement, registryWith, completeCurrentStage, METHODOLOGY_DIR, type Cast } from '../helpers/factories.ts';
import { advanceStage, pauseEngagement, plannedStart, resumeEngagement } from '../../src/engagement/engagement.service.ts';
import { listUpgradeOffers, upgradeMethodology } from '../../src/engagement/methodology-upgrade.service.ts';
import { getEngagementOverview } from '../../src/engagement/overview.ts';
import { getTaskPage } from '../../src/engagement/task-page.queries.ts';
import { getEventLogPage } from '../../src/engagement/event-log.queries.ts';
import { translateMessage } from '../../src/web/i18n/i18n.ts';
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

describe('upgrading through versions built for the test: archived titles, refused stages, done tasks brought back', function () {
  this.timeout(120_000);
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => db.drop());

  const loaded = registryWith(METHODOLOGY_DIR, 'test/fixtures/upgrade').list();
  const e1t1 = loaded.find((m) => m.key === 'e1t@1')!;
  type Definition = typeof e1t1.definition;
  /** A registry of e1t@1 and e1t@2 as on disk and further versions made from e1t@1 by `change`. */
  function registry(...more: [number, (m: Definition) => Definition][]): MethodologyRegistry {
    const entries = loaded.map((m) => [m.key, m] as const);
    const made = more.map(([version, change]) => {
      const key = `e1t@${version}`;
      return [key, { key, hash: String(version).repeat(64).slice(0, 64), file: '(test)', definition: { ...change(structuredClone(e1t1.definition)), version } }] as const;
    });
    return new MethodologyRegistry(new Map([...entries, ...made]));
  }
  const withoutTask = (id: string) => (m: Definition) => ({ ...m, stages: m.stages.map((s) => ({ ...s, tasks: s.tasks.filter((t) => t.id !== id) })) });

  it('keeps the title of a task it archives, in both languages, on the task, in the event and wherever archived tasks are listed', async () => {
    const deps = makeDeps(db.orm, registry());
    const { engagementId, cast } = await makeEngagement(deps, { methodology: 'e1t@1' });
    await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@2');
    const content = await db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, key: 'launch.content' });
    expect([content.status, content.archivedTitle]).to.deep.equal(['archived', { en: 'Staff create the content', ru: 'Создание контента сотрудниками' }]);
    const [event] = await db.orm.em.fork().find(EngagementEvent, { engagement: engagementId, type: 'methodology.upgrade' });
    expect(event!.payload.archivedTitles).to.deep.equal({ 'launch.content': { en: 'Staff create the content', ru: 'Создание контента сотрудниками' } });
    const overview = await getEngagementOverview(deps, cast.consultant.id, engagementId, 'ru');
    expect(overview.archivedTasks.map((t) => [t.key, t.title])).to.deep.equal([['launch.content', 'Создание контента сотрудниками']]);
    expect((await getTaskPage(deps, cast.consultant.id, engagementId, content.id, 'en')).task.title).to.equal('Staff create the content');
    const log = await getEventLogPage(deps, cast.consultant.id, engagementId, { kind: 'methodology.upgrade' }, 'ru');
    expect(log.rows.map((r) => r.archivedTasks)).to.deep.equal([['Создание контента сотрудниками']]);
    const staffView = await getEngagementOverview(deps, cast.staff[0]!.id, engagementId, 'en');
    expect(staffView.archivedTasks, 'staff see only the archived tasks that were theirs').to.deep.equal([]);
  });

  it('refuses a version that adds a stage before the one the engagement is in, says why in both languages, and changes nothing', async () => {
    const briefing = (m: Definition) => ({ ...m, stages: [m.stages[0]!, { ...m.stages[0]!, id: 'briefing', title: { en: 'Briefing', ru: 'Брифинг' }, tasks: [], gate: [] }, ...m.stages.slice(1)] });
    const lateReview = (m: Definition) => ({ ...m, stages: [...m.stages.slice(0, -1), { ...m.stages.at(-1)!, id: 'review', title: { en: 'Review', ru: 'Разбор' }, tasks: [], gate: [] }, m.stages.at(-1)!] });
    const deps = makeDeps(db.orm, registry([3, briefing], [4, lateReview]));
    const { engagementId, cast } = await makeEngagement(deps, { methodology: 'e1t@1' });
    await completeCurrentStage(deps, engagementId, cast);
    await advanceStage(deps, cast.consultant.id, engagementId);
    const read = () => db.orm.em.fork().findOneOrFail(Engagement, engagementId);
    const before = await read();
    expect(before.state).to.equal('formatting');

    const refused = await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@3').catch((e) => e);
    expect(refused).to.be.instanceOf(BlockedError);
    const reason = 'version 3 adds the stage "briefing" before "formatting", the stage the engagement is in: the engagement would skip work it never did';
    expect((refused as BlockedError).reasons).to.deep.equal([reason]);
    expect(translateMessage('ru', reason)).to.equal('версия 3 добавляет этап "briefing" перед этапом "formatting", в котором идёт проект: проект пропустил бы работу, которой не делал');
    const after = await read();
    expect([after.eventSeq, after.version, after.methodology.hash, after.snapshot]).to.deep.equal([before.eventSeq, before.version, before.methodology.hash, before.snapshot]);
    expect(await db.orm.em.fork().count(EngagementEvent, { engagement: engagementId, type: 'methodology.upgrade' })).to.equal(0);
    const offers = await listUpgradeOffers(deps, cast.consultant.id, engagementId);
    expect(offers.offers.find((o) => o.key === 'e1t@3')!.refusals, 'the comparison page says so before the consultant tries').to.deep.equal([reason]);

    // A stage added after the current one is planned like any other stage ahead: no refusal.
    expect(offers.offers.find((o) => o.key === 'e1t@4')!.refusals).to.deep.equal([]);
    await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@4');
    expect((await read()).snapshot.context.stages.map((s) => s.id)).to.include('review');
  });

  it('brings a done task back done when a later version restores its id, and keeps a done task done through both upgrades', async () => {
    const deps = makeDeps(db.orm, registry([3, withoutTask('prep.kickoff')], [4, (m) => m]));
    const { engagementId, cast } = await makeEngagement(deps, { methodology: 'e1t@1' });
    await completeCurrentStage(deps, engagementId, cast);
    await advanceStage(deps, cast.consultant.id, engagementId);
    const task = (key: string) => db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, key });
    const [kickoff, competitors] = [await task('prep.kickoff'), await task('prep.competitors')];
    expect([kickoff.status, competitors.status]).to.deep.equal(['done', 'done']);

    await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@3');
    expect([(await task('prep.kickoff')).status, (await task('prep.kickoff')).archivedStatus]).to.deep.equal(['archived', 'done']);
    expect((await task('prep.competitors')).status, 'a done task kept by id stays done').to.equal('done');

    await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@4');
    const back = await task('prep.kickoff');
    expect([back.id, back.status, back.completedAt?.toISOString(), back.archivedStatus, back.archivedTitle], 'the same task, done as it was').to.deep.equal([kickoff.id, 'done', kickoff.completedAt?.toISOString(), null, null]);
    const kept = await task('prep.competitors');
    expect([kept.status, kept.completedAt?.toISOString()]).to.deep.equal(['done', competitors.completedAt?.toISOString()]);
    const [, second] = await db.orm.em.fork().find(EngagementEvent, { engagement: engagementId, type: 'methodology.upgrade' }, { orderBy: { seq: 'asc' } });
    expect(second!.payload.addedTasks, 'brought back, not made anew').to.deep.equal([]);
  });

  it('brings back an open task that was archived as open, following the new plan', async () => {
    const deps = makeDeps(db.orm, registry([3, withoutTask('launch.content')], [4, (m) => m]));
    const { engagementId, cast } = await makeEngagement(deps, { methodology: 'e1t@1' });
    await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@3');
    await upgradeMethodology(deps, cast.consultant.id, engagementId, 'e1t@4');
    expect((await db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, key: 'launch.content' })).status).to.equal('open');
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
    expect(taskPage, 'named as the version it came from named it').to.contain('Создание контента сотрудниками');
    const pageRu = (await consultant.get(`/engagements/${engagementId}`)).text;
    expect(pageRu).to.match(new RegExp(`<li id="archived-${archived.id}"><a href="/engagements/${engagementId}/tasks/${archived.id}">Создание контента сотрудниками</a>`));
    expect((await consultant.get(`/engagements/${engagementId}/events`)).text).to.contain('в архив: Создание контента сотрудниками');
    await consultant.post('/language', { locale: 'en', back: `/engagements/${engagementId}` });
    const pageEn = (await consultant.get(`/engagements/${engagementId}`)).text;
    expect(pageEn).to.contain('Archived tasks').and.to.contain('>Staff create the content</a>').and.to.contain('archived: Staff create the content');
    expect((await consultant.get(`/engagements/${engagementId}/events`)).text).to.contain('archived: Staff create the content');
    expect(taskPage, 'and offers no work on it').not.to.match(/action="[^"]*\/tasks\/[^"]*\/(complete|assign)"/);

    const owner = new WebClient(app.url);
    await owner.signIn(cast.owner.email);
    expect((await owner.get(page)).status, 'the owner does not choose the methodology').to.equal(403);
    expect((await owner.get(`/engagements/${engagementId}`)).text, 'nor sees the link').not.to.contain('upgrade-link');
    expect((await consultant.get(`/engagements/${engagementId}`)).text, 'on e1t@2 nothing newer is on offer').not.to.contain('upgrade-link');
  });
});
