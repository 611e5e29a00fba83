import { expect } from 'chai';
import { setPassword, useWebApp, type WebClient } from '../helpers/web.ts';
import { completeCurrentStage } from '../helpers/factories.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { getStageReportPdf } from '../../src/pdf/pdf.service.ts';
import { pageTexts } from '../../src/pdf/outline.ts';
import { Kpi, KpiActual } from '../../src/kpi/kpi.entity.ts';
import { createItem, submitItem, approveItem, scheduleItem, publishItem, measureItem } from '../../src/content/content-items.service.ts';
import { FOLLOWERS, LEADS, approveTargets } from './kpi-helpers.ts';

describe('KPIs over HTTP and in the Launch stage report', function () {
  this.timeout(180_000);
  const s = useWebApp();
  const base = () => `/engagements/${s.engagementId}/kpis`;
  const actuals = () => s.db.orm.em.fork().count(KpiActual, { kpi: { engagement: s.engagementId } });

  /** Preparation and Formatting done, the engagement in Launch with the target criteria this test names. */
  beforeEach(async () => {
    const deps = s.app.deps;
    for (let i = 0; i < 2; i++) {
      await completeCurrentStage(deps, s.engagementId, s.cast);
      await advanceStage(deps, s.cast.consultant.id, s.engagementId);
    }
    await approveTargets(deps, s.cast, s.engagementId, [FOLLOWERS, LEADS]);
    deps.time.advanceDays(14);
  });

  async function send(client: WebClient, action: string, fields: Record<string, string>) {
    await client.get(base());
    return client.post(action, { ...fields, __referer: base() });
  }

  it('enters a week, refuses a broken CSV line by line with nothing saved, and shows the chart on the KPI and engagement pages', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    const followers = (await s.db.orm.em.fork().find(Kpi, { engagement: s.engagementId, metric: 'Followers' }))[0]!;
    const page = await consultant.get(base());
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Followers (VK)').and.include('<svg class="kpi-chart"').and.include('role="img"').and.include('no actuals yet').and.include('expected = starting value');

    const bad = await send(consultant, `${base()}/actuals`, { week: 'last week', [`value.${followers.id}`]: 'many' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('must be a week such as 2026-W19').and.include('must be a number such as 1250 or 12.5').and.include('value="many"');
    expect((await send(consultant, `${base()}/actuals`, { week: '2026-W11', [`value.${followers.id}`]: '180' })).status).to.equal(303);
    expect(await actuals()).to.equal(1);

    const broken = await send(consultant, `${base()}/import`, { csv: '2026-W12,Followers,vk,200\n2026-W12,Nobody,,3\n2099-W01,Leads,,1' });
    expect(broken.status).to.equal(422);
    expect(broken.text).to.include('Nothing was imported').and.include('Line 2: no KPI of this engagement has this indicator and network').and.include('Line 3:');
    expect(await actuals()).to.equal(1);
    expect((await send(consultant, `${base()}/import`, { csv: '2026-W12,Followers,vk,200' })).status).to.equal(303);

    const engagementPage = await consultant.get(`/engagements/${s.engagementId}`);
    expect(engagementPage.text).to.include('id="kpis"').and.include('<svg class="kpi-chart"').and.include('Followers (VK)').and.include(`href="${base()}"`);
    const log = await consultant.get(`/engagements/${s.engagementId}/events`);
    expect(log.text).to.include('entered KPI actuals');
  });

  it('imports actuals from an uploaded CSV file, and refuses a broken, oversized or wrong file whole with a clear error and nothing saved', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    const page = await consultant.get(base());
    expect(page.text).to.include('enctype="multipart/form-data"').and.include('type="file" name="csvFile"');
    const upload = async (file: { name: string; type?: string; content: string | Uint8Array }, fields: Record<string, string> = { csv: '' }) => {
      await consultant.get(base());
      return consultant.postFiles(`${base()}/import`, fields, { csvFile: file }, base());
    };

    const broken = await upload({ name: 'actuals.csv', content: 'week;indicator;network;value\n2026-W11;Followers;vk;150\n2026-W12;Nobody;;3\n' });
    expect(broken.status).to.equal(422);
    expect(broken.text).to.include('Nothing was imported').and.include('Line 3: no KPI of this engagement has this indicator and network').and.not.include('Line 2:');
    expect(await actuals()).to.equal(0);

    const workbook = await upload({ name: 'actuals.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', content: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 8, 0]) });
    expect(workbook.status).to.equal(422);
    expect(workbook.text).to.include('choose a CSV file (.csv or .txt), as a spreadsheet saves it').and.include('id="csvFile-error"');
    const big = await upload({ name: 'big.csv', content: `2026-W11,Followers,vk,150\n${'#'.repeat(600 * 1024)}` });
    expect(big.status).to.equal(422);
    expect(big.text).to.include('the file is larger than 512 KB');
    const both = await upload({ name: 'actuals.csv', content: '2026-W11,Followers,vk,150' }, { csv: '2026-W12,Followers,vk,170' });
    expect(both.status).to.equal(422);
    expect(both.text).to.include('paste the lines or choose a file, not both').and.include('2026-W12,Followers,vk,170');
    const tooLarge = await upload({ name: 'huge.csv', content: 'x'.repeat(2 * 1024 * 1024) });
    expect(tooLarge.status, 'a body past the request limit is refused unread').to.equal(413);
    expect(await actuals()).to.equal(0);

    // A Russian spreadsheet's export: semicolons, Windows-1251, and the network by its Russian name ("ВКонтакте").
    const vkontakte = Uint8Array.from([0xc2, 0xca, 0xee, 0xed, 0xf2, 0xe0, 0xea, 0xf2, 0xe5]);
    const good = await upload({ name: 'ACTUALS.CSV', type: 'application/vnd.ms-excel', content: new Uint8Array([...Buffer.from('2026-W11;Followers;vk;150\r\n2026-W12;Followers;'), ...vkontakte, ...Buffer.from(';170\r\n')]) });
    expect(good.status).to.equal(303);
    expect((await consultant.follow(good)).text).to.include('2 actuals are imported.');
    const stored = await s.db.orm.em.fork().find(KpiActual, { kpi: { engagement: s.engagementId } }, { orderBy: { week: 'asc' } });
    expect(stored.map((a) => [a.week, Number(a.value), a.enteredVia])).to.deep.equal([['2026-W11', 150, 'csv'], ['2026-W12', 170, 'csv']]);
    expect(await actuals()).to.equal(2);
  });

  it('lets staff read but not enter, the owner enter, and answers "not found" outside the engagement', async () => {
    const followers = (await s.db.orm.em.fork().find(Kpi, { engagement: s.engagementId, metric: 'Followers' }))[0]!;
    const staff = await s.signedIn(s.cast.staff[0]!);
    const read = await staff.get(base());
    expect(read.status).to.equal(200);
    expect(read.text).to.include('Followers (VK)').and.not.include('action="' + base() + '/actuals"');
    expect((await send(staff, `${base()}/actuals`, { week: '2026-W11', [`value.${followers.id}`]: '1' })).status).to.equal(403);
    const owner = await s.signedIn(s.cast.owner);
    expect((await send(owner, `${base()}/actuals`, { week: '2026-W11', [`value.${followers.id}`]: '1' })).status).to.equal(303);
    await setPassword(s.db, s.cast.outsider.id);
    const outsider = await s.signedIn(s.cast.outsider);
    expect((await outsider.get(base())).status).to.equal(404);
    expect((await outsider.get(`/engagements/00000000-0000-4000-8000-000000000000/kpis`)).status).to.equal(404);
  });

  it('speaks Russian, the CSV report included', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get('/');
    await consultant.post('/language', { locale: 'ru' });
    const page = await consultant.get(base());
    expect(page.text).to.include('фактов пока нет').and.include('ожидаемое = исходное');
    const broken = await send(consultant, `${base()}/import`, { csv: '2026-W12,Nobody,,3' });
    expect(broken.text).to.include('Ничего не загружено').and.include('Строка 1: В этом проекте нет KPI с таким показателем и соцсетью');
  });

  it('fills the quarterly plan from the Launch month and the final evaluation from the results in Russian, the buttons and the filled text alike', async () => {
    const deps = s.app.deps;
    const staff = s.cast.staff[0]!;
    const day = deps.clock().toISOString().slice(0, 10); // a Monday: the methodology's theme is "Планы на неделю"
    const item = await createItem(deps, staff.id, s.engagementId, { channel: 'chat', format: 'post', title: 'Ржаной', plannedOn: day, body: 'Ржаной хлеб сегодня.' });
    await submitItem(deps, staff.id, s.engagementId, item.id);
    await approveItem(deps, s.cast.owner.id, s.engagementId, item.id);
    await scheduleItem(deps, staff.id, s.engagementId, item.id, { scheduledAt: `${day}T07:00` });
    await publishItem(deps, staff.id, s.engagementId, item.id, { publishedUrl: 'https://t.me/kolosok/1', publishedAt: `${day}T08:00` });
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get('/');
    await consultant.post('/language', { locale: 'ru' });
    const page = await consultant.get(base());
    expect(page.text).to.include('Документы по итогам месяца').and.include('Заполнить квартальный план по итогам «Запуска»').and.include('Заполнить итоговую оценку по результатам');

    const plan = await send(consultant, `${base()}/fill/quarterly-plan`, {});
    expect(plan.status).to.equal(303);
    expect(plan.location).to.equal(`/engagements/${s.engagementId}/documents/new?type=quarterly-plan`);
    const planDraft = await consultant.follow(plan);
    expect(planDraft.text).to.include('Черновик составлен по итогам месяца').and.include('id="kpi-fill"').and.include('Заполнить квартальный план по итогам «Запуска»');
    expect(planDraft.text, 'the weekday theme and the channel in Russian').to.include('Планы на неделю — Клиентский чат');
    expect(planDraft.text, 'the methodology’s regulations in Russian').to.include('Каждый материал согласуется с владельцем до публикации.').and.include('Фактические значения KPI вносятся каждый понедельник за прошедшую неделю.');
    expect(planDraft.text).to.not.include('The week ahead').and.not.include('Every content item is approved by the owner');

    const evaluation = await send(consultant, `${base()}/fill/final-evaluation`, {});
    expect(evaluation.status).to.equal(303);
    const evaluationDraft = await consultant.follow(evaluation);
    expect(evaluationDraft.text).to.include('Черновик составлен по итогам месяца').and.include('Заполнить итоговую оценку по результатам');
    expect(evaluationDraft.text, 'the conclusions written in Russian').to.include('Целевого значения достигли KPI: 0 из 2. В срок вышло 100% опубликованных материалов.');
    expect(evaluationDraft.text).to.include('value="Клиентский чат"').and.not.include('KPIs reached their target');
  });

  it('sums a KPI from measured content, fills the final evaluation from the editor, and prints the KPIs in the Launch stage report', async () => {
    const deps = s.app.deps;
    const staff = s.cast.staff[0]!;
    const day = deps.clock().toISOString().slice(0, 10);
    const item = await createItem(deps, staff.id, s.engagementId, { channel: 'chat', format: 'post', title: 'Rye', plannedOn: day, body: 'Rye today.' });
    await submitItem(deps, staff.id, s.engagementId, item.id);
    await approveItem(deps, s.cast.owner.id, s.engagementId, item.id);
    await scheduleItem(deps, staff.id, s.engagementId, item.id, { scheduledAt: `${day}T07:00` });
    await publishItem(deps, staff.id, s.engagementId, item.id, { publishedUrl: 'https://t.me/kolosok/1', publishedAt: `${day}T08:00` });
    await measureItem(deps, staff.id, s.engagementId, item.id, { reach: '900', reactions: '30', comments: '3', shares: '1', newFollowers: '5', leads: '7' });
    const consultant = await s.signedIn(s.cast.consultant);
    const page = await consultant.get(base());
    expect(page.text).to.include('Summed from the measured content items').and.include('from content');

    const editor = await consultant.get(`/engagements/${s.engagementId}/documents/new?type=final-evaluation`);
    expect(editor.text).to.include(`action="${base()}/fill/final-evaluation"`);
    const filled = await consultant.post(`${base()}/fill/final-evaluation`, { __referer: '/' });
    expect(filled.status).to.equal(303);
    const draft = await consultant.follow(filled);
    expect(draft.text).to.include('value="Followers"').and.include('value="100"');

    const pdf = await getStageReportPdf(deps, s.cast.consultant.id, s.engagementId, 'launch', 'en', (status) => status);
    const text = (await pageTexts(pdf.bytes)).join('\n').replace(/\s+/g, ' ');
    expect(text).to.include('KPIs').and.include('Followers (VK)').and.include('Leads').and.include('no actuals yet');
    expect(text, 'the leads summed from content').to.match(/Leads 0 40 .*? 7 \(2026-W\d\d\)/);
  });
});
