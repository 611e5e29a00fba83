import { expect } from 'chai';
import { useWebApp, type WebClient } from '../helpers/web.ts';
import { makeEngagement } from '../helpers/factories.ts';
import { DeskEntry } from '../../src/desk/desk.entity.ts';
import { logEntry, saveAnswer, submitAnswer } from '../../src/desk/desk.service.ts';
import { setEngagementTimeZone } from '../../src/reminders/time-zone.service.ts';
import { approveTargets } from '../kpi/kpi-helpers.ts';
import { VK, registerAccounts } from '../content/content-helpers.ts';

// The app's clock starts at 2026-03-02T09:00Z.
const REVIEW = { kind: 'review', channel: VK, link: 'https://vk.com/kolosok?w=wall-1_9', receivedAt: '2026-03-02T08:30', customerText: 'Loved the rye, the crust was perfect!', sentiment: 'positive' };

describe('the review and message desk over HTTP', () => {
  const s = useWebApp();
  const base = () => `/engagements/${s.engagementId}/desk`;
  const entries = () => s.db.orm.em.fork().find(DeskEntry, { engagement: s.engagementId }, { orderBy: { receivedAt: 'asc' } });

  beforeEach(() => registerAccounts(s.app.deps, s.cast, s.engagementId));

  /** Opens the page (for its form token) and posts one of its forms. */
  async function send(client: WebClient, page: string, action: string, fields: Record<string, string | string[]>) {
    await client.get(page);
    return client.post(action, { ...fields, __referer: page });
  }

  it('walks a review from logged to sent: staff log and draft with the rules and warnings, the owner approves, staff mark it sent', async () => {
    const staff = await s.signedIn(s.cast.staff[0]!);
    const home = await staff.get(`/engagements/${s.engagementId}`);
    expect(home.text).to.include(`href="${base()}"`).and.include('Reviews and messages');
    const logged = await send(staff, base(), `${base()}/entries`, REVIEW);
    expect(logged.status).to.equal(303);
    const [entry] = await entries();
    const page = `${base()}/entries/${entry!.id}`;
    const fresh = await staff.follow(logged);
    expect(fresh.text).to.include('The twelve rules').and.include('Not a template: the answer speaks to what this customer wrote').and.include('the same day, within an hour ideally');

    const drafted = await send(staff, page, `${page}/answer`, { answer: 'Your opinion is important to us. Please call the hotline.', checkedRules: ['no-template', 'spelling'] });
    expect(drafted.status).to.equal(303);
    const warned = await staff.get(page);
    expect(warned.text).to.include('A stock phrase: “your opinion is important to us”').and.include('Sends the customer to another channel: “call the hotline”').and.include('A positive review answered without thanks');
    expect(warned.text).to.include('2 of 12 rules ticked').and.include('value="no-template" checked');
    expect(warned.text).to.include('The answer can be sent once it is approved.').and.not.include(`action="${page}/send"`);
    await send(staff, page, `${page}/answer`, { answer: 'Thank you, Marina! The rye is back on Tuesday morning.', checkedRules: ['thanks'] });
    expect((await staff.get(page)).text).to.include('No warnings for this answer.');
    expect((await send(staff, page, `${page}/submit`, {})).status).to.equal(303);

    const owner = await s.signedIn(s.cast.owner);
    const waiting = await owner.get(`${base()}?status=submitted`);
    expect(waiting.text).to.include(`href="${page}"`).and.include('waiting for approval');
    expect((await send(owner, page, `${page}/approve`, { comment: '' })).status).to.equal(303);

    const late = await send(staff, page, `${page}/send`, { sentAt: '2026-03-02T08:00' });
    expect(late.status).to.equal(422);
    expect(late.text).to.include('the answer cannot go out before the customer wrote').and.include('value="2026-03-02T08:00"');
    expect((await entries())[0]!.status).to.equal('approved');
    expect((await send(staff, page, `${page}/send`, { sentAt: '2026-03-02T09:00' })).status).to.equal(303);
    const sent = await staff.get(page);
    expect(sent.text).to.include('within the ideal time').and.include('answered in 30 min');
    const list = await owner.get(base());
    expect(list.text).to.include('Share of reviews answered the same day: 100 %');

    const consultant = await s.signedIn(s.cast.consultant);
    const log = await consultant.get(`/engagements/${s.engagementId}/events`);
    expect(log.text).to.include('logged a customer review or message').and.include('approved an answer to a customer').and.include('marked an answer to a customer sent');
  });

  it('speaks Russian to a Russian reader, refusals per field included, and changes nothing', async () => {
    const staff = await s.signedIn(s.cast.staff[0]!);
    await staff.get('/');
    await staff.post('/language', { locale: 'ru' });
    const list = await staff.get(base());
    expect(list.text).to.include('Отзывы и сообщения').and.include('Занести отзыв или сообщение').and.include('Доля отзывов, на которые ответили в тот же день: пока нечего считать');
    const refused = await send(staff, base(), `${base()}/entries`, { kind: 'review', channel: VK, link: '', receivedAt: '2026-03-09T10:00', customerText: '', sentiment: '' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.include('Укажите адрес отзыва').and.include('Время не может быть в будущем').and.include('Вставьте текст, который написал клиент').and.include('Выберите тон: положительный или негативный');
    expect(await entries()).to.have.length(0);
    const entry = await logEntry(s.app.deps, s.cast.staff[0]!.id, s.engagementId, { ...REVIEW, sentiment: 'negative' });
    const page = `${base()}/entries/${entry.id}`;
    const shown = await staff.get(page);
    expect(shown.text).to.include('Двенадцать правил').and.include('Не шаблон: ответ говорит о том, что написал именно этот клиент').and.include('в тот же день, в идеале в течение часа');
    await send(staff, page, `${page}/answer`, { answer: 'Ваше мнение очень важно для нас. Напишите нам на почту.' });
    const warned = await staff.get(page);
    expect(warned.text).to.include('Дежурная фраза: «ваше мнение очень важно для нас»').and.include('Клиента отправляют в другой канал: «напишите нам на почту»');
    const empty = await send(staff, page, `${page}/answer`, { answer: '  ' });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.include('Напишите ответ');
    const consultant = await s.signedIn(s.cast.consultant);
    await consultant.get('/');
    await consultant.post('/language', { locale: 'ru' });
    const log = await consultant.get(`/engagements/${s.engagementId}/events`);
    expect(log.text).to.include('занёс(ла) отзыв или сообщение клиента').and.include('подготовил(а) ответ клиенту');
  });

  it('filters by kind, status and tone with stable addresses, and refuses filters it cannot read', async () => {
    const staffId = s.cast.staff[0]!.id;
    await logEntry(s.app.deps, staffId, s.engagementId, REVIEW);
    await logEntry(s.app.deps, staffId, s.engagementId, { ...REVIEW, kind: 'email', channel: 'chat', link: '', customerText: 'When do you open on Sunday?', sentiment: 'negative' });
    const owner = await s.signedIn(s.cast.owner);
    const emails = await owner.get(`${base()}?type=email`);
    expect(emails.text).to.include('When do you open on Sunday?').and.not.include('Loved the rye');
    expect(emails.text).to.include('<option value="email" selected>');
    const positive = await owner.get(`${base()}?sentiment=positive&status=new`);
    expect(positive.text).to.include('Loved the rye').and.not.include('When do you open on Sunday?');
    const bad = await owner.get(`${base()}?type=fax&sentiment=meh`);
    expect(bad.status).to.equal(400);
    expect(bad.text).to.include('kind (type)').and.include('tone (sentiment)');
    expect(owner.csrf).to.be.a('string');
  });

  it('lets the owner or consultant turn approval off, not staff, and hides another engagement’s entries', async () => {
    const entry = await logEntry(s.app.deps, s.cast.staff[0]!.id, s.engagementId, REVIEW);
    const staff = await s.signedIn(s.cast.staff[0]!);
    expect((await staff.get(base())).text).to.not.include(`action="${base()}/settings"`);
    const forbidden = await send(staff, base(), `${base()}/settings`, { approvalRequired: '' });
    expect(forbidden.status).to.equal(403);
    const consultant = await s.signedIn(s.cast.consultant);
    expect((await send(consultant, base(), `${base()}/settings`, {})).status).to.equal(303);
    expect((await consultant.get(base())).text).to.include('Answers are sent without approval.');
    const page = `${base()}/entries/${entry.id}`;
    await send(staff, page, `${page}/answer`, { answer: 'Thank you! Fresh rye every Tuesday.' });
    expect((await staff.get(page)).text).to.include(`action="${page}/send"`);

    const other = await makeEngagement(s.app.deps);
    const { setPassword } = await import('../helpers/web.ts');
    await setPassword(s.db, other.cast.staff[0]!.id);
    const stranger = await s.signedIn(other.cast.staff[0]!);
    expect((await stranger.get(`/engagements/${other.engagementId}/desk/entries/${entry.id}`)).status).to.equal(404);
    expect((await stranger.get(page)).status).to.equal(404);
  });

  it('shows and reads the desk’s times on the engagement’s clock: 10:00 typed in Moscow is stored as 07:00 UTC and shown as 10:00', async () => {
    await setEngagementTimeZone(s.app.deps, s.cast.consultant.id, s.engagementId, 'Europe/Moscow');
    const staff = await s.signedIn(s.cast.staff[0]!);
    const list = await staff.get(base());
    // The app's clock reads 09:00 UTC, 12:00 in Moscow: the form offers now on the engagement's clock.
    expect(list.text).to.include('name="receivedAt" value="2026-03-02T12:00"').and.include('Date and time in Europe/Moscow, the engagement’s time zone.');
    expect(list.text).to.include('Times on this page are those of the engagement’s time zone, Europe/Moscow');
    const logged = await send(staff, base(), `${base()}/entries`, { ...REVIEW, receivedAt: '2026-03-02T10:00' });
    expect(logged.status).to.equal(303);
    const [entry] = await entries();
    expect(entry!.receivedAt.toISOString()).to.equal('2026-03-02T07:00:00.000Z');
    const page = `${base()}/entries/${entry!.id}`;
    const shown = await staff.get(page);
    expect(shown.text).to.include('2 Mar, 10:00').and.include('Europe/Moscow').and.not.include('07:00');
    expect((await staff.get(base())).text).to.include('2 Mar, 10:00');
    // A time typed ahead of now in Moscow is in the future, though it would not be in UTC.
    const ahead = await send(staff, base(), `${base()}/entries`, { ...REVIEW, receivedAt: '2026-03-02T12:30' });
    expect(ahead.status).to.equal(422);
    expect(ahead.text).to.include('value="2026-03-02T12:30"');
    expect(await entries()).to.have.length(1);
    await saveAnswer(s.app.deps, s.cast.staff[0]!.id, s.engagementId, entry!.id, { answer: 'Thank you, Marina! Fresh rye every Tuesday.' });
    await submitAnswer(s.app.deps, s.cast.staff[0]!.id, s.engagementId, entry!.id);
    const owner = await s.signedIn(s.cast.owner);
    expect((await send(owner, page, `${page}/approve`, { comment: '' })).status).to.equal(303);
    expect((await staff.get(page)).text, 'the send form offers now in Moscow').to.include('name="sentAt" value="2026-03-02T12:00"');
    expect((await send(staff, page, `${page}/send`, { sentAt: '2026-03-02T11:15' })).status).to.equal(303);
    expect((await entries())[0]!.sentAt!.toISOString()).to.equal('2026-03-02T08:15:00.000Z');
    expect((await staff.get(page)).text).to.include('2 Mar, 11:15').and.include('answered in 1 h 15 min');
  });

  it('lists what waits on the desk for each person, in their language, and explains a KPI read from the desk', async () => {
    const deps = s.app.deps;
    await setEngagementTimeZone(deps, s.cast.consultant.id, s.engagementId, 'Asia/Vladivostok');
    const entry = await logEntry(deps, s.cast.staff[0]!.id, s.engagementId, { ...REVIEW, receivedAt: '2026-03-02T08:30Z' });
    const page = `${base()}/entries/${entry.id}`;
    const staff = await s.signedIn(s.cast.staff[0]!);
    await staff.get('/');
    await staff.post('/language', { locale: 'ru' });
    const waiting = await staff.get('/waiting');
    // 08:30 UTC is 18:30 in Vladivostok: the review is due by local midnight, 13:59 UTC.
    expect(waiting.text).to.include(`href="${page}"`).and.include('Ответить клиенту: «Loved the rye, the crust was perfect!»').and.include('ответить до').and.include('13:59');
    expect((await staff.get(base())).text).to.include('Время на этой странице — по часовому поясу проекта, Asia/Vladivostok');
    const owner = await s.signedIn(s.cast.owner);
    expect((await owner.get('/waiting')).text).to.not.include(page);
    await saveAnswer(deps, s.cast.staff[0]!.id, s.engagementId, entry.id, { answer: 'Thank you, Marina! Fresh rye every Tuesday.' });
    await submitAnswer(deps, s.cast.staff[0]!.id, s.engagementId, entry.id);
    const owners = await owner.get('/waiting');
    expect(owners.text).to.include('Approve answers to customers: 1 answer waits for your decision').and.include(`href="${base()}?status=submitted"`);
    expect((await staff.get('/waiting')).text).to.not.include(page);

    await approveTargets(deps, s.cast, s.engagementId, [{ metric: 'Reviews answered the same day', unit: '%', baseline: 50, target: 90, date: '2026-05-31', measuredBy: 'reviewsSameDay' }]);
    const kpis = await owner.get(`/engagements/${s.engagementId}/kpis`);
    expect(kpis.text).to.include('The share of reviews answered within the norm (the same day, within an hour ideally), from the review desk');
    const russian = await staff.get(`/engagements/${s.engagementId}/kpis`);
    expect(russian.text).to.include('Доля отзывов, на которые ответили в пределах нормы (в тот же день, в идеале в течение часа), по данным стола отзывов');
  });
});
