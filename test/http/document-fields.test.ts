import { expect } from 'chai';
import { useWebApp, type WebSuite } from '../helpers/web.ts';
import type { WebClient } from '../helpers/web.ts';
import { ProjectDocument, DocumentVersion } from '../../src/documents/document.entity.ts';

/** The editor of each E1T document with new fields: what it offers, what it saves, what it refuses. */
describe('document fields a consultant needs, in the editor over HTTP', function () {
  this.timeout(90_000);
  const s: WebSuite = useWebApp();
  let consultant: WebClient;

  beforeEach(async () => {
    consultant = await s.signedIn(s.cast.consultant);
  });

  const editor = (typeId: string) => consultant.get(`/engagements/${s.engagementId}/documents/new?type=${typeId}`);
  const post = (typeId: string, fields: Record<string, string>) => consultant.post(`/engagements/${s.engagementId}/documents`, { typeId, intent: 'save', ...fields });
  const row = (table: string, i: number, values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`f.${table}.${i}.${k}`, v]));
  const savedContent = async (typeId: string) => {
    const em = s.db.orm.em.fork();
    const document = await em.findOne(ProjectDocument, { engagement: s.engagementId, typeId });
    return document ? (await em.findOneOrFail(DocumentVersion, { document, number: document.latestVersion })).content : null;
  };
  const inRussian = async () => {
    await consultant.get('/');
    await consultant.post('/language', { locale: 'ru', back: '/' });
  };

  it('starts the competitor analysis with a row for the business itself ticked as the baseline, and saves the new columns', async () => {
    const page = await editor('competitor-analysis');
    expect(page.status).to.equal(200);
    expect(page.text).to.match(/name="f\.competitors\.0\.isClient" value="true" checked/);
    expect(page.text, 'only the first row').not.to.match(/name="f\.competitors\.1\.isClient" value="true" checked/);
    for (const column of ['engagementPerPost', 'lastPostOn', 'reviewReplyHours']) expect(page.text).to.contain(`name="f.competitors.0.${column}"`);
    const res = await post('competitor-analysis', {
      ...row('competitors', 0, { name: 'Kolosok Bakery', isClient: 'true', network: 'vk', engagementPerPost: '14,5', lastPostOn: '2026-02-27', reviewReplyHours: '30' }),
      ...row('competitors', 1, { name: 'Хлебный дом', network: 'vk', engagementPerPost: '41', lastPostOn: '2026-03-01', reviewReplyHours: '2' }),
    });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    expect((await savedContent('competitor-analysis'))!.competitors).to.deep.equal([
      { name: 'Kolosok Bakery', isClient: true, network: 'vk', engagementPerPost: 14.5, lastPostOn: '2026-02-27', reviewReplyHours: 30 },
      { name: 'Хлебный дом', isClient: false, network: 'vk', engagementPerPost: 41, lastPostOn: '2026-03-01', reviewReplyHours: 2 },
    ]);
  });

  it('refuses a competitor analysis with no row of the business itself, in the reader’s language, and saves nothing', async () => {
    await editor('competitor-analysis');
    const english = await post('competitor-analysis', row('competitors', 0, { name: 'Хлебный дом', network: 'vk' }));
    expect(english.status).to.equal(422);
    expect(english.text).to.contain('Competitors and their accounts, Our business (baseline): must be ticked in at least one row');
    const unnamed = await post('competitor-analysis', row('competitors', 0, { isClient: 'true' }));
    expect(unnamed.status, 'the starting row needs the business’s name').to.equal(422);
    expect(unnamed.text).to.contain('Competitors and their accounts, row 1, Company: must be text');
    await inRussian();
    await editor('competitor-analysis');
    const russian = await post('competitor-analysis', { ...row('competitors', 0, { name: 'Хлебный дом' }), ...row('competitors', 1, { name: 'Колосок', reviewReplyHours: '-3' }) });
    expect(russian.status).to.equal(422);
    expect(russian.text).to.contain('Конкуренты и их аккаунты, Наш бизнес (точка отсчёта): нужно отметить хотя бы в одной строке');
    expect(russian.text).to.contain('Конкуренты и их аккаунты, строка 2, Ответ на отзыв (часов): Значение должно быть не меньше 0');
    expect(await savedContent('competitor-analysis')).to.equal(null);
  });

  it('saves target criteria with unit, network, direction, source, frequency and who is responsible; refuses an unknown choice', async () => {
    await editor('target-criteria');
    const kpi = { metric: 'Активные участники группы на 100 клиентов', unit: 'чел. на 100 клиентов', network: 'vk', better: 'higher', baseline: '2', target: '10', date: '2026-05-29', source: 'статистика сообщества', frequency: 'weekly', responsible: 'Анна, продажи' };
    const bad = await post('target-criteria', row('kpis', 0, { ...kpi, network: 'myspace', frequency: 'hourly' }));
    expect(bad.status).to.equal(422);
    expect(bad.text).to.match(/row 1, Network: choose one of the options offered/);
    expect(bad.text).to.match(/row 1, Measured: choose one of the options offered/);
    expect(await savedContent('target-criteria')).to.equal(null);
    expect((await post('target-criteria', row('kpis', 0, kpi))).status).to.equal(303);
    expect((await savedContent('target-criteria'))!.kpis).to.deep.equal([{ ...kpi, baseline: 2, target: 10 }]);
  });

  it('scores platforms 1 to 5 per criterion and refuses a score outside the scale', async () => {
    await editor('cluster-assessment');
    const base = { 'f.criteria': 'Надёжность\nЭкспертность', 'f.targetStructure': 'Сайт и группа VK', ...row('platforms', 0, { platform: 'site', address: 'https://kolosok.example', responsible: 'Ольга' }) };
    const bad = await post('cluster-assessment', { ...base, ...row('scores', 0, { platform: 'kolosok.example', criterion: 'Надёжность', score: '6' }) });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Scores by criterion, row 1, Score (1-5): must be at most 5');
    const good = await post('cluster-assessment', { ...base, ...row('scores', 0, { platform: 'kolosok.example', criterion: 'Надёжность', score: '4' }) });
    expect(good.status).to.equal(303);
    expect((await savedContent('cluster-assessment'))!.scores).to.deep.equal([{ platform: 'kolosok.example', criterion: 'Надёжность', score: 4 }]);
  });

  it('offers the methodology’s directions and networks by weekday in the content concept and refuses others', async () => {
    await inRussian();
    const page = await editor('content-concept');
    expect(page.text).to.match(/<select name="f\.weekdayThemes\.0\.direction"[^>]*><option value=""><\/option><option value="sales" >Продажи<\/option>/);
    expect(page.text).to.match(/<select name="f\.weekdayThemes\.0\.network"[^>]*>.*<option value="vk" >ВКонтакте<\/option>/s);
    const day = { day: 'monday', theme: 'Как мы печём', format: 'video', network: 'vk', direction: 'production' };
    const bad = await post('content-concept', { 'f.concept': 'Хлеб каждый день', ...row('weekdayThemes', 0, { ...day, direction: 'marketing' }) });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Темы по дням недели, строка 1, Ответственное направление: Выберите один из предложенных вариантов');
    const good = await post('content-concept', { 'f.concept': 'Хлеб каждый день', 'f.targetSegments': 'Мамы\nОфисы рядом', 'f.moderationRules': 'Спам скрываем', 'f.responseRules': 'На отзыв — в тот же день', ...row('weekdayThemes', 0, day) });
    expect(good.status).to.equal(303);
    const content = (await savedContent('content-concept'))!;
    expect(content.weekdayThemes).to.deep.equal([day]);
    expect([content.targetSegments, content.moderationRules, content.responseRules]).to.deep.equal([['Мамы', 'Офисы рядом'], ['Спам скрываем'], ['На отзыв — в тот же день']]);
  });

  it('keeps documentation formats as a table of document, form, sections and approver', async () => {
    await editor('documentation-formats');
    const entry = { document: 'Контент-концепция', form: 'system', sections: 'Концепция; темы по дням; правила', approver: 'Владелец' };
    const missing = await post('documentation-formats', { 'f.storage': 'Troika' });
    expect(missing.status).to.equal(422);
    expect(missing.text).to.contain('Project documents: must be a table');
    expect((await post('documentation-formats', { 'f.storage': 'Troika', ...row('documents', 0, entry) })).status).to.equal(303);
    expect((await savedContent('documentation-formats'))!.documents).to.deep.equal([entry]);
  });

  it('refuses a quarterly plan whose time budget or response norm is out of range, and takes the channel as a network', async () => {
    await editor('quarterly-plan');
    const base = { 'f.quarter': '2026 Q3', 'f.regulations': 'Публикации согласует владелец', ...row('plan', 0, { date: '2026-07-06', channel: 'telegram', theme: 'Новинки' }) };
    const bad = await post('quarterly-plan', {
      ...base,
      ...row('timeBudgets', 0, { person: 'Анна', hoursPerWeek: '200' }),
      ...row('responseTimes', 0, { network: 'vk', messageKind: 'review', withinHours: '-1' }),
      ...row('escalation', 0, { situation: 'Угроза репутации', escalateTo: '' }),
    });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Time budget per person, row 1, Hours a week: must be at most 168');
    expect(bad.text).to.contain('Response-time norms, row 1, Answered within (hours): must be at least 0');
    expect(bad.text).to.contain('Escalation limits, row 1, Passed to: must be text');
    const good = await post('quarterly-plan', {
      ...base,
      ...row('kpiTargets', 0, { metric: 'Активные участники на 100 клиентов', target: '12' }),
      ...row('weeklyRhythm', 0, { day: 'tuesday', activity: 'Ответы на отзывы', network: 'vk' }),
      ...row('timeBudgets', 0, { person: 'Анна', direction: 'sales', hoursPerWeek: '4' }),
      ...row('responseTimes', 0, { network: 'vk', messageKind: 'review', withinHours: '4' }),
      ...row('escalation', 0, { situation: 'Угроза репутации', escalateTo: 'Владелец', withinHours: '1' }),
    });
    expect(good.status).to.equal(303);
    const content = (await savedContent('quarterly-plan'))!;
    expect(content.plan).to.deep.equal([{ date: '2026-07-06', channel: 'telegram', theme: 'Новинки' }]);
    expect(content.timeBudgets).to.deep.equal([{ person: 'Анна', direction: 'sales', hoursPerWeek: 4 }]);
  });

  it('computes the final evaluation’s per cent achieved: no field to type it in, a posted value ignored, the figure on the page', async () => {
    const page = await editor('final-evaluation');
    expect(page.text).not.to.contain('name="f.results.0.achievement"');
    expect(page.text).to.contain('<output class="computed"');
    const res = await post('final-evaluation', {
      'f.conclusions': 'Цель почти достигнута',
      'f.ownerAssessment': 'Довольна: клиенты пишут в группу',
      'f.ownerVerdict': 'partly',
      ...row('results', 0, { metric: 'Активные участники на 100 клиентов', unit: 'чел.', source: 'статистика VK', baseline: '2', target: '10', actual: '8', achievement: '100' }),
      ...row('deliverables', 0, { deliverable: 'Аккаунт VK открыт и наполнен', done: 'true' }),
    });
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const content = (await savedContent('final-evaluation'))!;
    expect(content.results, 'the computed figure is never stored').to.deep.equal([{ metric: 'Активные участники на 100 клиентов', unit: 'чел.', source: 'статистика VK', baseline: 2, target: 10, actual: 8 }]);
    expect(content.deliverables).to.deep.equal([{ deliverable: 'Аккаунт VK открыт и наполнен', done: true }]);
    const shown = await consultant.get(res.location!);
    expect(shown.text).to.match(/data-label="Achieved"[^>]*>[\s\S]{0,80}?75%/);
    expect(shown.text).to.contain('(actual − baseline) ÷ (target − baseline) × 100');
    const again = await editor('final-evaluation');
    expect(again.text, 'the editor shows the figure of the saved row').to.match(/<output class="computed"[^>]*>75%<\/output>/);
  });

  it('edits the Stage II platform regulations and refuses a regulation with nobody posting', async () => {
    await editor('platform-regulations');
    const base = { 'f.moderation': 'Модерация раз в день', ...row('responseTimes', 0, { network: 'vk', messageKind: 'private-message', withinHours: '2' }) };
    const bad = await post('platform-regulations', { ...base, ...row('platforms', 0, { platform: 'Группа VK', network: 'vk', postsPerWeek: 'три' }) });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Who posts where, row 1, Who posts: must be text');
    expect(bad.text).to.contain('Who posts where, row 1, Posts a week: must be a number');
    const good = await post('platform-regulations', { ...base, ...row('platforms', 0, { platform: 'Группа VK', network: 'vk', author: 'Анна', postsPerWeek: '3' }) });
    expect(good.status).to.equal(303);
    expect((await savedContent('platform-regulations'))!.platforms).to.deep.equal([{ platform: 'Группа VK', network: 'vk', author: 'Анна', postsPerWeek: 3 }]);
  });
});
