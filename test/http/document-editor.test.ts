import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeEngagement, type Cast } from '../helpers/factories.ts';
import { startTestApp, setPassword, WebClient, type TestApp } from '../helpers/web.ts';
import { ProjectDocument, DocumentVersion } from '../../src/documents/document.entity.ts';

describe('the document editor generated from the methodology', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let app: TestApp;
  let engagementId: string;
  let cast: Cast;
  let consultant: WebClient;

  beforeEach(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db);
    ({ engagementId, cast } = await makeEngagement(app.deps));
    await setPassword(db, cast.consultant.id);
    consultant = new WebClient(app.url);
    await consultant.signIn(cast.consultant.email);
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  const editor = () => consultant.get(`/engagements/${engagementId}/documents/new?type=target-criteria`);
  const post = (fields: Record<string, string>) => consultant.post(`/engagements/${engagementId}/documents`, { typeId: 'target-criteria', ...fields });
  const kpiRow = (i: number, row: { metric: string; baseline?: string; target: string; date: string }) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [`f.kpis.${i}.${k}`, v ?? '']));

  it('shows a form with a field for every column of the KPI table', async () => {
    const page = await editor();
    expect(page.status).to.equal(200);
    for (const column of ['metric', 'baseline', 'target', 'date']) expect(page.text).to.contain(`name="f.kpis.0.${column}"`);
  });

  it('names the row and column of a wrong value, keeps what was typed, and saves nothing', async () => {
    await editor();
    const res = await post({ intent: 'save', ...kpiRow(0, { metric: 'Подписчики VK', target: 'много', date: '2027-02-01' }), ...kpiRow(1, { metric: '', target: '', date: '' }) });
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/row 1, [^:]+: must be a number/);
    expect(res.text).to.contain('value="много"');
    expect(res.text).to.contain('value="Подписчики VK"');
    expect(await db.orm.em.fork().count(ProjectDocument, { engagement: engagementId })).to.equal(0);
  });

  it('saves a draft, keeps editing it in place, then submits it as version 1', async () => {
    await editor();
    const first = await post({ intent: 'save', ...kpiRow(0, { metric: 'Подписчики VK', baseline: '0', target: '500', date: '2027-02-01' }) });
    expect(first.status).to.equal(303);
    await editor();
    await post({ intent: 'save', ...kpiRow(0, { metric: 'Подписчики VK', baseline: '0', target: '600', date: '2027-02-01' }), ...kpiRow(1, { metric: 'Отзывы с ответом, %', baseline: '20', target: '100', date: '2027-02-01' }) });
    const em = db.orm.em.fork();
    const document = await em.findOneOrFail(ProjectDocument, { engagement: engagementId, typeId: 'target-criteria' });
    expect([document.status, document.latestVersion]).to.deep.equal(['draft', 1]);
    const version = await em.findOneOrFail(DocumentVersion, { document, number: 1 });
    expect(version.content.kpis).to.deep.equal([
      { metric: 'Подписчики VK', baseline: 0, target: 600, date: '2027-02-01' },
      { metric: 'Отзывы с ответом, %', baseline: 20, target: 100, date: '2027-02-01' },
    ]);
    const page = await consultant.get(`/engagements/${engagementId}/documents/${document.id}`);
    expect(page.text).to.contain('Отзывы с ответом, %');
    await consultant.post(`/engagements/${engagementId}/documents/${document.id}/submit`);
    expect((await db.orm.em.fork().findOneOrFail(ProjectDocument, document.id)).status).to.equal('in_review');
  });

  it('adds blank table rows without saving when asked for more rows', async () => {
    await editor();
    const res = await post({ intent: 'rows', blankRows: '3', ...kpiRow(0, { metric: 'A', target: '1', date: '2027-01-01' }) });
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('name="f.kpis.8.metric"');
    expect(await db.orm.em.fork().count(ProjectDocument, { engagement: engagementId })).to.equal(0);
  });
});
