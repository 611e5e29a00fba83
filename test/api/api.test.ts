import { expect } from 'chai';
import { useWebApp } from '../helpers/web.ts';
import { ApiClient, tokenFor, type ApiAnswer, validateSchema, openApiOf, operationsSeen, answersChecked, checkAgainstDocument } from '../helpers/api.ts';
import { makeEngagement, staffWorkTask } from '../helpers/factories.ts';
import { contentOf } from '../helpers/content.ts';
import { setUserLocale } from '../../src/users/users.service.ts';
import { ContentItem } from '../../src/content/content.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';

describe('the REST API under /api/v1', function () {
  this.timeout(120_000);
  const suite = useWebApp();
  const clientOf = async (person: { id: string }, scope: 'read' | 'read-write' = 'read-write') => new ApiClient(suite.app.url, await tokenFor(suite.app.deps, person.id, scope));
  const at = (path = '') => `/engagements/${suite.engagementId}${path}`;

  it('pages the engagements by cursor and shows one with its stages and people', async () => {
    const consultant = await clientOf(suite.cast.consultant);
    // Two more engagements of other consultants in which this consultant takes no part, and none of theirs in the list.
    await makeEngagement(suite.app.deps);
    const seen: string[] = [];
    let cursor: string | null = null;
    const mine = new ApiClient(suite.app.url, await tokenFor(suite.app.deps, suite.cast.owner.id, 'read'));
    do {
      const page: ApiAnswer<any> = await mine.get(`/engagements?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).to.equal(200);
      seen.push(...page.body.items.map((e: { id: string }) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).to.deep.equal([suite.engagementId]);

    const one = await consultant.get(at());
    expect(one.status).to.equal(200);
    expect(one.body).to.include({ id: suite.engagementId, clientName: 'Kolosok Bakery', role: 'consultant' });
    expect(one.body.stages.length).to.be.greaterThan(1);
    expect(one.body.participants.map((p: { role: string }) => p.role).sort()).to.deep.equal(['consultant', 'owner', 'staff', 'staff']);
  });

  it('pages several engagements of one person without losing or repeating any', async () => {
    const consultant = suite.cast.consultant;
    const { createEngagement } = await import('../../src/engagement/engagement.service.ts');
    for (let i = 0; i < 4; i++) await createEngagement(suite.app.deps, consultant.id, { clientName: `Client ${i}`, plannedStart: '2026-03-02' });
    const api = await clientOf(consultant, 'read');
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ApiAnswer<any> = await api.get(`/engagements?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.body.items.map((e: { id: string }) => e.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).to.equal(3);
    expect(ids).to.have.length(5);
    expect(new Set(ids).size).to.equal(5);
    expect(ids).to.deep.equal([...ids].sort());
    const forged = await api.get(`/engagements?cursor=${Buffer.from('nonsense').toString('base64url')}`);
    expect(forged.status).to.equal(422);
    expect(forged.body.errors).to.deep.equal([{ field: 'cursor', message: 'the cursor is not one this API gave' }]);
  });

  it('assigns and completes checklist tasks through the task commands; staff see their own tasks', async () => {
    const work = await staffWorkTask(suite.app.deps, suite.engagementId, suite.cast);
    const consultant = await clientOf(suite.cast.consultant);
    const staff = await clientOf(suite.cast.staff[0]!);
    const { last } = (await consultant.get(at())).body.plan;
    const assigned = await consultant.post(at(`/tasks/${work.id}/assign`), { assigneeId: suite.cast.staff[0]!.id, deadline: last });
    expect(assigned.status, JSON.stringify(assigned.body)).to.equal(200);
    expect(assigned.body.deadline).to.equal(`${last}T23:59:59.000Z`);
    const wrongRole = await consultant.post(at(`/tasks/${work.id}/assign`), { assigneeId: suite.cast.owner.id });
    expect(wrongRole.status).to.equal(422);
    expect(wrongRole.body.errors).to.deep.equal([{ field: 'assigneeId', message: 'this task is for a staff member' }]);
    const staffTasks = (await staff.get(at('/tasks'))).body.items;
    expect(staffTasks.map((t: { id: string }) => t.id)).to.include(work.id);
    expect(staffTasks.every((t: { assigneeId: string }) => t.assigneeId === suite.cast.staff[0]!.id), 'staff see their own tasks, as on the page').to.equal(true);
    const completed = await staff.post(at(`/tasks/${work.id}/complete`), { note: 'done by the script' });
    expect(completed.status, JSON.stringify(completed.body)).to.equal(200);
    expect(completed.body).to.include({ status: 'done', note: 'done by the script' });
    const twice = await staff.post(at(`/tasks/${work.id}/complete`), {});
    expect(twice.status).to.equal(409);
    const types = (await suite.db.orm.em.fork().find(EngagementEvent, { engagement: suite.engagementId })).map((e) => e.type);
    expect(types).to.include.members(['task.assign', 'task.complete']);
  });

  it('runs the documents and the content plan through the same commands as the pages, each with its event', async () => {
    const consultant = await clientOf(suite.cast.consultant);
    const owner = await clientOf(suite.cast.owner);
    const staff = await clientOf(suite.cast.staff[0]!);


    const saved = await consultant.post(at('/documents'), { typeId: 'target-criteria', content: await contentOf('target-criteria') });
    expect(saved.status).to.equal(201);
    expect(saved.body).to.include({ status: 'draft', latestVersion: 1 });
    const submitted = await consultant.post(at(`/documents/${saved.body.id}/submit`));
    expect(submitted.body.status).to.equal('in_review');
    const list = await owner.get(at('/documents'));
    expect(list.body.items.map((d: { id: string }) => d.id)).to.deep.equal([saved.body.id]);
    const staleHash = await owner.post(at(`/documents/${saved.body.id}/approve`), { hash: 'a'.repeat(64) });
    expect(staleHash.status).to.equal(409);
    expect(staleHash.body.type).to.equal('urn:troika:problem:conflict');
    const approved = await owner.post(at(`/documents/${saved.body.id}/approve`), { hash: submitted.body.latestHash, comment: 'fine' });
    expect(approved.body).to.include({ status: 'approved', approvedHash: submitted.body.latestHash });
    expect(approved.body.approvals).to.have.length(1);
    const version = await owner.get(at(`/documents/${saved.body.id}/versions/1`));
    expect(version.body.content).to.deep.equal(await contentOf('target-criteria'));
    expect((await owner.get(at(`/documents/${saved.body.id}/versions/9`))).status).to.equal(404);
    const again = await consultant.post(at('/documents'), { typeId: 'target-criteria', content: { ...(await contentOf('target-criteria', 'second')) }, submit: true });
    expect(again.body).to.include({ status: 'in_review', latestVersion: 2 });
    const changes = await owner.post(at(`/documents/${saved.body.id}/request-changes`), { hash: again.body.latestHash, comment: 'shorter, please' });
    expect(changes.body.status).to.equal('changes_requested');

    const created = await staff.post(at('/content-items'), { channel: 'chat', format: 'post', title: 'Rye on Tuesday', plannedOn: '2026-03-10', body: 'We bake **rye**.', mediaLinks: ['https://example.com/rye.jpg'] });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ status: 'draft', authorId: suite.cast.staff[0]!.id });
    expect(created.body.mediaLinks).to.deep.equal(['https://example.com/rye.jpg']);
    const item = (path: string) => at(`/content-items/${created.body.id}${path}`);
    expect((await staff.post(item('/submit'))).body.status).to.equal('submitted');
    expect((await owner.post(item('/approve'), { comment: 'yes' })).body).to.include({ status: 'approved', decisionComment: 'yes' });
    expect((await staff.post(item('/move'), { plannedOn: '2026-03-11' })).body.plannedOn).to.equal('2026-03-11');
    expect((await staff.post(item('/schedule'), { scheduledAt: '2026-03-11T10:00:00Z' })).body.status).to.equal('scheduled');
    const published = await staff.post(item('/publish'), { publishedUrl: 'https://t.me/kolosok/1', publishedAt: '2026-03-02T08:00:00Z' });
    expect(published.status, JSON.stringify(published.body)).to.equal(200);
    const measured = await staff.post(item('/measure'), { reach: 100, reactions: 5, comments: 1, shares: 0, newFollowers: 2, leads: 1 });
    expect(measured.body.metrics).to.deep.equal({ reach: 100, reactions: 5, comments: 1, shares: 0, newFollowers: 2, leads: 1 });
    const edited = await consultant.request('PUT', at(`/content-items/${created.body.id}`), { title: 'Rye, again', format: 'post' });
    expect(edited.status).to.equal(409, 'a measured item is no longer written');
    const second = await staff.post(at('/content-items'), { channel: 'chat', format: 'post', title: 'Buns', plannedOn: '2026-03-12', body: 'Buns.' });
    await staff.post(at(`/content-items/${second.body.id}/submit`));
    const returned = await owner.post(at(`/content-items/${second.body.id}/request-changes`), { comment: 'a photo, please' });
    expect(returned.body).to.include({ status: 'changes_requested', decisionComment: 'a photo, please' });
    const rewritten = await staff.request('PUT', at(`/content-items/${second.body.id}`), { title: 'Buns with a photo', format: 'post', body: 'Buns.', mediaLinks: ['https://example.com/buns.jpg'] });
    expect(rewritten.body).to.include({ status: 'draft', title: 'Buns with a photo' });
    const items = await owner.get(at('/content-items?status=measured'));
    expect(items.body.items.map((i: { id: string }) => i.id)).to.deep.equal([created.body.id]);
    expect((await owner.get(at(`/content-items/${created.body.id}`))).body.body).to.equal('We bake **rye**.');

    const types = (await suite.db.orm.em.fork().find(EngagementEvent, { engagement: suite.engagementId }, { orderBy: { seq: 'asc' } })).map((e) => e.type);
    expect(types).to.include.members(['document.save', 'document.submit', 'document.approve', 'document.requestChanges', 'content.create', 'content.approve', 'content.measure']);
  });

  it('answers a write sent again with the same Idempotency-Key once: the repeat is 409 already-done', async () => {
    const staff = await clientOf(suite.cast.staff[0]!);
    const key = '6f1c2a9e-7d3b-4c5a-9e8f-0a1b2c3d4e5f';
    const body = { channel: 'chat', format: 'post', title: 'Once', plannedOn: '2026-03-10' };
    expect((await staff.post(at('/content-items'), body, { 'idempotency-key': key })).status).to.equal(201);
    const repeat = await staff.post(at('/content-items'), body, { 'idempotency-key': key });
    expect(repeat.status).to.equal(409);
    expect(repeat.body.type).to.equal('urn:troika:problem:already-done');
    expect(await suite.db.orm.em.fork().count(ContentItem, { engagement: suite.engagementId })).to.equal(1);
  });

  it('reads the event log oldest first by id, a page at a time, missing none and repeating none', async () => {
    const consultant = await clientOf(suite.cast.consultant);
    const { pauseEngagement, resumeEngagement } = await import('../../src/engagement/engagement.service.ts');
    for (let i = 0; i < 4; i++) {
      await pauseEngagement(suite.app.deps, suite.cast.consultant.id, suite.engagementId, `pause ${i}`);
      await resumeEngagement(suite.app.deps, suite.cast.consultant.id, suite.engagementId);
    }
    const total = await suite.db.orm.em.fork().count(EngagementEvent, { engagement: suite.engagementId });
    const seqs: number[] = [];
    let after: string | null = null;
    do {
      const page: ApiAnswer<any> = await consultant.get(at(`/events?limit=3${after ? `&after=${after}` : ''}`));
      expect(page.status).to.equal(200);
      seqs.push(...page.body.items.map((e: { seq: number }) => e.seq));
      after = page.body.nextCursor;
    } while (after);
    expect(seqs).to.deep.equal(Array.from({ length: total }, (_, i) => i + 1));
    const staff = await clientOf(suite.cast.staff[0]!);
    expect((await staff.get(at('/events'))).status, 'staff do not read the log, as on the page').to.equal(403);
  });

  it("answers 404 for every address of an engagement the token's owner takes no part in, whatever the input", async () => {
    const other = await makeEngagement(suite.app.deps);
    const theirs = await clientOf(other.cast.consultant);
    const outsider = await clientOf(suite.cast.outsider);
    const consultant = await clientOf(suite.cast.consultant);
    const doc = await consultant.post(at('/documents'), { typeId: 'target-criteria', content: await contentOf('target-criteria') });
    const task = (await consultant.get(at('/tasks'))).body.items[0];
    for (const api of [theirs, outsider]) {
      for (const path of ['', '/tasks', '/documents', `/documents/${doc.body.id}`, `/documents/${doc.body.id}/versions/1`, '/content-items', '/events']) {
        const answer = await api.get(at(path));
        expect(answer.status, `GET ${path}`).to.equal(404);
        expect(answer.body.type).to.equal('urn:troika:problem:not-found');
      }
      expect((await api.post(at(`/tasks/${task.id}/complete`), { note: 'x' })).status).to.equal(404);
      expect((await api.post(at('/documents'), { nonsense: true })).status, 'not found comes before the input check').to.equal(404);
      expect((await api.post(at(`/documents/${doc.body.id}/approve`), { hash: doc.body.latestHash })).status).to.equal(404);
    }
    // Their own engagement's address with this engagement's document: not found either.
    expect((await theirs.get(`/engagements/${other.engagementId}/documents/${doc.body.id}`)).status).to.equal(404);
    expect((await theirs.get(`/engagements/${other.engagementId}`)).status).to.equal(200);
  });

  it('refuses bad input as problem+json naming each field, in English or in Russian by the token owner', async () => {
    const staff = await clientOf(suite.cast.staff[0]!);
    const bad = { channel: 'chat', title: 42, plannedOn: '10.03.2026', colour: 'red' };
    const english = await staff.post(at('/content-items'), bad);
    expect(english.status).to.equal(422);
    expect(english.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(english.body).to.include({ type: 'urn:troika:problem:invalid-input', title: 'The input is not valid', status: 422 });
    expect(english.body.errors).to.deep.include.members([
      { field: 'title', message: 'must be text' },
      { field: 'format', message: 'is required' },
      { field: 'plannedOn', message: 'must be a date such as 2026-05-01' },
      { field: 'colour', message: 'is not a known field' },
    ]);
    // The service's own rules, past the schema: a date outside the plan.
    const outside = await staff.post(at('/content-items'), { channel: 'chat', format: 'post', title: 'Late', plannedOn: '2030-01-01' });
    expect(outside.body.errors).to.deep.equal([{ field: 'plannedOn', message: "the date must fall inside the engagement's plan: from its start to the end of its last stage" }]);

    await setUserLocale(suite.app.deps, suite.cast.staff[0]!.id, 'ru');
    const russian = await staff.post(at('/content-items'), bad);
    expect(russian.body.title).to.equal('Данные заполнены неверно');
    expect(russian.body.errors.map((e: { field: string }) => e.field)).to.deep.equal(english.body.errors.map((e: { field: string }) => e.field));
    expect(russian.body.errors).to.deep.include.members([
      { field: 'title', message: 'Укажите текст' },
      { field: 'format', message: 'Заполните это поле' },
      { field: 'plannedOn', message: 'должно быть датой, например 2026-05-01' },
      { field: 'colour', message: 'неизвестное поле' },
    ]);
    const notFound = await staff.get(at('/documents/00000000-0000-4000-8000-000000000000'));
    expect(notFound.body).to.include({ title: 'Не найдено', detail: 'Документ не найден' });
    const forbidden = await staff.post(at(`/documents/00000000-0000-4000-8000-000000000000/approve`), { hash: 'a'.repeat(64) });
    expect(forbidden.body.title).to.equal('Нет доступа');

    const unreadable = await staff.request('POST', at('/content-items'), undefined, { rawBody: '{"title": ', headers: { 'content-type': 'application/json' } });
    expect(unreadable.status).to.equal(400);
    expect(unreadable.body.title).to.equal('Не удаётся прочитать запрос');
    const asText = await staff.request('POST', at('/content-items'), undefined, { rawBody: 'title=x', headers: { 'content-type': 'text/plain' } });
    expect(asText.status).to.equal(415);
    const nul = await staff.post(at('/content-items'), { channel: 'chat', format: 'post', title: 'a\u0000b', plannedOn: '2026-03-10' });
    expect(nul.status).to.equal(400);
    const noToken = await new ApiClient(suite.app.url, null).get('/engagements');
    expect(noToken.status).to.equal(401);
    const noRoute = await staff.get('/no-such-thing');
    expect(noRoute.body.title).to.equal('Не найдено');
  });

  it('says why a rule refuses an action, with its reasons, in the owner\'s language', async () => {
    const staff = await clientOf(suite.cast.staff[0]!);
    const created = await staff.post(at('/content-items'), { channel: 'chat', format: 'post', title: 'Empty', plannedOn: '2026-03-10' });
    const tooEarly = await staff.post(at(`/content-items/${created.body.id}/publish`), { publishedUrl: 'https://t.me/kolosok/1', publishedAt: '2026-03-02T08:00:00Z' });
    expect(tooEarly.status).to.equal(409);
    expect(tooEarly.body).to.include({ type: 'urn:troika:problem:blocked', title: 'Refused by the rules', detail: 'The item cannot be marked published' });
    expect(tooEarly.body.reasons).to.deep.equal(['the item is draft']);
    await setUserLocale(suite.app.deps, suite.cast.staff[0]!.id, 'ru');
    const russian = await staff.post(at(`/content-items/${created.body.id}/publish`), { publishedUrl: 'https://t.me/kolosok/1', publishedAt: '2026-03-02T08:00:00Z' });
    expect(russian.body.title).to.equal('Правила не позволяют это сделать');
    expect(russian.body.detail).not.to.equal('The item cannot be marked published');
  });
});

describe('the OpenAPI document at /api/v1/openapi.json', function () {
  this.timeout(120_000);
  const suite = useWebApp();

  it('is OpenAPI 3.1, public, and every reference in it resolves', async () => {
    const res = await fetch(`${suite.app.url}/api/v1/openapi.json`);
    expect(res.status).to.equal(200);
    const doc = (await res.json()) as Record<string, any>;
    expect(doc.openapi).to.equal('3.1.0');
    expect(doc.components.securitySchemes.bearerToken).to.deep.include({ type: 'http', scheme: 'bearer' });
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!);
    expect(refs.length).to.be.greaterThan(20);
    for (const name of refs) expect(doc.components.schemas, name).to.have.property(name);
    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids).to.include.members(['listKpis', 'recordKpiActuals', 'listTaskComments', 'addTaskComment', 'listContentItemComments', 'addDocumentVersionComment']);
  });

  it('catches an answer that breaks it: the conformance check can fail', async () => {
    const doc = await openApiOf(suite.app.url);
    const errors = validateSchema({ id: 'not-a-uuid', clientName: 7, state: 'draft', role: 'boss', extra: 1 }, { $ref: '#/components/schemas/EngagementSummary' }, doc);
    expect(errors.join('\n')).to.contain('$.id: not a uuid').and.contain('$.clientName: expected string').and.contain('$.role:').and.contain('missing required property plannedStart').and.contain('unexpected property extra');
    expect(() => checkAgainstDocument(doc, 'GET', `/api/v1/engagements/${suite.engagementId}`, 418, 'application/json', {})).to.throw('status 418 is not in the document');
    expect(() => checkAgainstDocument(doc, 'GET', '/api/v1/engagements', 200, 'text/html', {})).to.throw('content type text/html');
  });
});

describe('every API answer of this run against the document', () => {
  it('was checked, and every operation of the document was answered at least once', async function () {
    if (!operationsSeen.size) this.skip(); // run alone, with nothing before it
    const { paths } = (await import('../../src/api/openapi.ts')).buildOpenApiDocument((await import('../../src/api/api.router.ts')).apiEndpoints, 'http://x');
    const all = Object.values(paths).flatMap((ops) => Object.values(ops).map((o) => (o as { operationId: string }).operationId));
    expect(all.filter((id) => !operationsSeen.has(id)), 'operations no test answered').to.deep.equal([]);
    expect(answersChecked.count).to.be.greaterThan(50);
  });
});
