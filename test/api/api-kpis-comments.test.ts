// KPIs, their actuals and comments through the REST API: the pages' services and rules, every answer checked against the OpenAPI document.
import { expect } from 'chai';
import { useWebApp } from '../helpers/web.ts';
import { ApiClient, tokenFor } from '../helpers/api.ts';
import { makeEngagement, staffWorkTask } from '../helpers/factories.ts';
import { contentOf } from '../helpers/content.ts';
import { approveTargets } from '../kpi/kpi-helpers.ts';
import { setUserLocale } from '../../src/users/users.service.ts';
import { Kpi, KpiActual } from '../../src/kpi/kpi.entity.ts';
import { Comment } from '../../src/comments/comment.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';

describe('KPIs and comments through the REST API', function () {
  this.timeout(120_000);
  const suite = useWebApp();
  const clientOf = async (person: { id: string }, scope: 'read' | 'read-write' = 'read-write') => new ApiClient(suite.app.url, await tokenFor(suite.app.deps, person.id, scope));
  const at = (path = '') => `/engagements/${suite.engagementId}${path}`;
  const counts = async () => {
    const em = suite.db.orm.em.fork();
    return { actuals: await em.count(KpiActual, {}), comments: await em.count(Comment, {}), events: await em.count(EngagementEvent, { engagement: suite.engagementId }) };
  };

  it("lists the KPIs with their actuals and status, and records a week's actuals by the KPI command", async () => {
    await approveTargets(suite.app.deps, suite.cast, suite.engagementId);
    const consultant = await clientOf(suite.cast.consultant);
    const staffReader = await clientOf(suite.cast.staff[0]!, 'read');
    const listed = await staffReader.get(at('/kpis'));
    expect(listed.status).to.equal(200);
    expect(listed.body).to.include({ canEnter: false, currentWeek: '2026-W10' });
    expect(listed.body.items.map((k: { metric: string; status: string }) => [k.metric, k.status])).to.deep.equal([
      ['Followers', 'noData'],
      ['Leads', 'noData'],
    ]);
    const followers = listed.body.items[0];
    expect(followers).to.include({ network: 'vk', better: 'higher', baseline: 100, target: 500, targetDate: '2026-05-31', latest: null });

    const recorded = await consultant.post(at('/kpis/actuals'), { week: '2026-W10', values: { [followers.id]: 520.5 } });
    expect(recorded.status, JSON.stringify(recorded.body)).to.equal(200);
    const after = recorded.body.items.find((k: { id: string }) => k.id === followers.id);
    expect(after).to.deep.include({ status: 'met', latest: { week: '2026-W10', value: 520.5 }, actuals: [{ week: '2026-W10', value: 520.5, entered: true }] });
    expect(recorded.body.canEnter).to.equal(true);
    const events = await suite.db.orm.em.fork().find(EngagementEvent, { engagement: suite.engagementId, type: 'kpi.actuals' });
    expect(events.map((e) => e.payload)).to.deep.equal([{ week: '2026-W10', via: 'form', kpis: [{ kpiId: followers.id, value: 520.5 }] }]);
    // The same week again corrects the figure rather than adding one.
    const corrected = await consultant.post(at('/kpis/actuals'), { week: '2026-W10', values: { [followers.id]: 300 } });
    expect(corrected.body.items[0].actuals).to.deep.equal([{ week: '2026-W10', value: 300, entered: true }]);
    expect((await staffReader.get(at('/kpis'))).body.items[0].status).to.equal('onTrack');
  });

  it('refuses bad actuals as problem+json naming each field, and saves none of them', async () => {
    await approveTargets(suite.app.deps, suite.cast, suite.engagementId);
    const consultant = await clientOf(suite.cast.consultant);
    const [followers, leads] = (await suite.db.orm.em.fork().find(Kpi, { engagement: suite.engagementId }, { orderBy: { position: 'asc' } })).map((k) => k.id);
    const before = await counts();

    const badShape = await consultant.post(at('/kpis/actuals'), { week: 'W10', values: { [followers!]: '12' }, colour: 'red' });
    expect(badShape.status).to.equal(422);
    expect(badShape.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(badShape.body.errors).to.deep.include.members([
      { field: 'week', message: 'must be a week such as 2026-W19' },
      { field: `values.${followers}`, message: 'must be a number' },
      { field: 'colour', message: 'is not a known field' },
    ]);
    // Past the schema, the service's own rules: a week ahead, a KPI of no such engagement; one good figure is not saved alone.
    const rules = await consultant.post(at('/kpis/actuals'), { week: '2026-W20', values: { [leads!]: 3, 'no-such-kpi': 1 } });
    expect(rules.status).to.equal(422);
    expect(rules.body.errors).to.deep.equal([
      { field: 'week', message: 'the week has not begun yet' },
      { field: 'values.no-such-kpi', message: 'choose a KPI of this engagement' },
    ]);
    const nothing = await consultant.post(at('/kpis/actuals'), { week: '2026-W10', values: {} });
    expect(nothing.body.errors).to.deep.equal([{ field: 'values', message: 'enter the figure of at least one KPI' }]);
    const tooLarge = await consultant.post(at('/kpis/actuals'), { week: '2026-W10', values: { [leads!]: 1e13 } });
    expect(tooLarge.body.errors).to.deep.equal([{ field: `values.${leads}`, message: 'must be at most 1000000000000' }]);
    const unreadable = await consultant.request('POST', at('/kpis/actuals'), undefined, { rawBody: '{"week": ', headers: { 'content-type': 'application/json' } });
    expect(unreadable.status).to.equal(400);
    expect(unreadable.body.type).to.equal('urn:troika:problem:bad-request');

    await setUserLocale(suite.app.deps, suite.cast.consultant.id, 'ru');
    const russian = await consultant.post(at('/kpis/actuals'), { week: '2026-W20', values: { [leads!]: 3 } });
    expect(russian.body.errors).to.deep.equal([{ field: 'week', message: 'Эта неделя ещё не началась' }]);

    // Staff read the KPIs but do not enter them, as on the page; a read token writes nothing.
    const staff = await clientOf(suite.cast.staff[0]!);
    const byStaff = await staff.post(at('/kpis/actuals'), { week: '2026-W10', values: { [leads!]: 3 } });
    expect(byStaff.status).to.equal(403);
    expect(byStaff.body.type).to.equal('urn:troika:problem:forbidden');
    const reader = await clientOf(suite.cast.consultant, 'read');
    const readOnly = await reader.post(at('/kpis/actuals'), { week: '2026-W10', values: { [leads!]: 3 } });
    expect(readOnly.status).to.equal(403);
    expect(readOnly.body.type).to.equal('urn:troika:problem:insufficient-scope');
    expect(await counts()).to.deep.equal(before);

    // A paused engagement takes no actuals: refused by the rules, with the reason.
    const { pauseEngagement } = await import('../../src/engagement/engagement.service.ts');
    await pauseEngagement(suite.app.deps, suite.cast.consultant.id, suite.engagementId, 'holiday');
    await setUserLocale(suite.app.deps, suite.cast.consultant.id, 'en');
    const paused = await consultant.post(at('/kpis/actuals'), { week: '2026-W10', values: { [leads!]: 3 } });
    expect(paused.status).to.equal(409);
    expect(paused.body).to.include({ type: 'urn:troika:problem:blocked', detail: 'The actuals cannot be entered' });
    expect(paused.body.reasons).to.deep.equal(['the engagement is paused']);
    expect((await counts()).actuals).to.equal(before.actuals);
  });

  it('lists and adds comments on tasks, content items and document versions, each addition a comment command', async () => {
    const consultant = await clientOf(suite.cast.consultant);
    const owner = await clientOf(suite.cast.owner);
    const staff = await clientOf(suite.cast.staff[0]!);
    const task = (await consultant.get(at('/tasks'))).body.items[0];

    const empty = await owner.get(at(`/tasks/${task.id}/comments`));
    expect(empty.status).to.equal(200);
    expect(empty.body).to.deep.include({ subject: { type: 'task', id: task.id }, count: 0, canComment: true, items: [] });
    const first = await consultant.post(at(`/tasks/${task.id}/comments`), { body: 'Please read the **kit** first.' });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body).to.include({ authorId: suite.cast.consultant.id, body: 'Please read the **kit** first.', field: null, taskId: null });
    expect(first.body.bodyHtml).to.contain('<strong>kit</strong>');
    const reply = await owner.post(at(`/tasks/${task.id}/comments`), { body: 'Will do.', parentId: first.body.id });
    expect(reply.status).to.equal(201);
    const thread = await owner.get(at(`/tasks/${task.id}/comments`));
    expect(thread.body.count).to.equal(2);
    expect(thread.body.items.map((c: { id: string; replies: { id: string }[] }) => [c.id, c.replies.map((r) => r.id)])).to.deep.equal([[first.body.id, [reply.body.id]]]);

    const item = await staff.post(at('/content-items'), { channel: 'chat', format: 'post', title: 'Rye on Tuesday', plannedOn: '2026-03-10' });
    const onItem = await owner.post(at(`/content-items/${item.body.id}/comments`), { body: 'A photo of the loaf, please.' });
    expect(onItem.status).to.equal(201);
    expect((await staff.get(at(`/content-items/${item.body.id}/comments`))).body.items.map((c: { body: string }) => c.body)).to.deep.equal(['A photo of the loaf, please.']);

    const doc = await consultant.post(at('/documents'), { typeId: 'target-criteria', content: await contentOf('target-criteria') });
    const versionThread = await owner.get(at(`/documents/${doc.body.id}/versions/1/comments`));
    expect(versionThread.body.subject.type).to.equal('documentVersion');
    const field = versionThread.body.fields[0].id;
    const onField = await owner.post(at(`/documents/${doc.body.id}/versions/1/comments`), { body: 'Is this target realistic?', field });
    expect(onField.status, JSON.stringify(onField.body)).to.equal(201);
    expect(onField.body.field).to.equal(field);
    expect((await consultant.get(at(`/documents/${doc.body.id}/versions/1/comments`))).body.count).to.equal(1);
    expect((await consultant.get(at(`/documents/${doc.body.id}/versions/2/comments`))).status).to.equal(404);
    expect((await consultant.get(at(`/documents/${doc.body.id}/versions/x/comments`))).status).to.equal(404);

    const events = await suite.db.orm.em.fork().find(EngagementEvent, { engagement: suite.engagementId, type: 'comment.add' });
    expect(events).to.have.length(4);
  });

  it('refuses bad comments, read tokens and threads the person may not read, changing nothing', async () => {
    const consultant = await clientOf(suite.cast.consultant);
    const task = (await consultant.get(at('/tasks'))).body.items[0];
    const work = await staffWorkTask(suite.app.deps, suite.engagementId, suite.cast);
    const before = await counts();

    const blank = await consultant.post(at(`/tasks/${task.id}/comments`), { body: '   ' });
    expect(blank.status).to.equal(422);
    expect(blank.body.errors).to.deep.equal([{ field: 'body', message: 'write the comment' }]);
    const shape = await consultant.post(at(`/tasks/${task.id}/comments`), { body: 'x'.repeat(5001), parentId: 'nope' });
    expect(shape.body.errors).to.deep.include.members([
      { field: 'body', message: 'use at most 5000 characters' },
      { field: 'parentId', message: 'must be an id (a UUID)' },
    ]);
    const strayParent = await consultant.post(at(`/tasks/${task.id}/comments`), { body: 'Hello', parentId: '00000000-0000-4000-8000-000000000000' });
    expect(strayParent.body.errors).to.deep.equal([{ field: 'parentId', message: 'the comment you answer is not in this discussion' }]);
    const noSuchField = await consultant.post(at(`/tasks/${task.id}/comments`), { body: 'Hello', field: 'colour' });
    expect(noSuchField.body.errors).to.deep.equal([{ field: 'field', message: 'choose one of the fields of this document' }]);
    expect((await consultant.post(at('/tasks/00000000-0000-4000-8000-000000000000/comments'), { body: 'Hello' })).status).to.equal(404);

    // A staff member reads only their own tasks, and so only their threads.
    const otherStaff = await clientOf(suite.cast.staff[1]!);
    expect((await otherStaff.get(at(`/tasks/${work.id}/comments`))).status).to.equal(404);
    expect((await otherStaff.post(at(`/tasks/${work.id}/comments`), { body: 'Hello' })).status).to.equal(404);
    const reader = await clientOf(suite.cast.consultant, 'read');
    expect((await reader.get(at(`/tasks/${task.id}/comments`))).status).to.equal(200);
    const readOnly = await reader.post(at(`/tasks/${task.id}/comments`), { body: 'Hello' });
    expect(readOnly.status).to.equal(403);
    expect(readOnly.body.type).to.equal('urn:troika:problem:insufficient-scope');
    expect(await counts()).to.deep.equal(before);
  });

  it("answers 404 for another engagement's KPIs and comments, whatever the input", async () => {
    await approveTargets(suite.app.deps, suite.cast, suite.engagementId);
    const consultant = await clientOf(suite.cast.consultant);
    const task = (await consultant.get(at('/tasks'))).body.items[0];
    const item = await consultant.post(at('/content-items'), { channel: 'chat', format: 'post', title: 'Rye', plannedOn: '2026-03-10' });
    const doc = await consultant.post(at('/documents'), { typeId: 'target-criteria', content: await contentOf('target-criteria') });
    const other = await makeEngagement(suite.app.deps);
    const theirs = await clientOf(other.cast.consultant);
    const outsider = await clientOf(suite.cast.outsider);
    const before = await counts();
    const subjects = [`/tasks/${task.id}/comments`, `/content-items/${item.body.id}/comments`, `/documents/${doc.body.id}/versions/1/comments`];
    for (const api of [theirs, outsider]) {
      for (const path of ['/kpis', ...subjects]) {
        const answer = await api.get(at(path));
        expect(answer.status, `GET ${path}`).to.equal(404);
        expect(answer.body.type).to.equal('urn:troika:problem:not-found');
      }
      for (const path of subjects) expect((await api.post(at(path), { body: 'Hello' })).status, `POST ${path}`).to.equal(404);
      expect((await api.post(at('/kpis/actuals'), { nonsense: true })).status, 'not found comes before the input check').to.equal(404);
    }
    // Their own engagement's address with this engagement's subjects: not found either.
    const mine = (path: string) => `/engagements/${other.engagementId}${path}`;
    for (const path of subjects) expect((await theirs.get(mine(path))).status, path).to.equal(404);
    expect((await theirs.get(mine('/kpis'))).body.items).to.deep.equal([]);
    expect(await counts()).to.deep.equal(before);
  });
});
