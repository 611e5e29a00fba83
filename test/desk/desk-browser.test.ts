import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { makeEngagement } from '../helpers/factories.ts';
import { setPassword } from '../helpers/web.ts';
import { useBrowserSuite, submit, fill } from '../helpers/browser.ts';
import { accessibilityViolations } from '../helpers/axe.ts';
import { DeskEntry } from '../../src/desk/desk.entity.ts';
import { logEntry, saveAnswer } from '../../src/desk/desk.service.ts';
import { VK, registerAccounts } from '../content/content-helpers.ts';

/** How far the page scrolls sideways; a string, so the runner's compiled helpers never reach the page. */
/** A date-time field takes its value whole: typing into one goes segment by segment. */
const setValue = (page: Page, name: string, value: string) => page.$eval(`[name="${name}"]`, (el, v) => ((el as HTMLInputElement).value = v as string), value);
const OVERFLOW_X = '(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)()';

describe('the review and message desk in a real browser', function () {
  this.timeout(180_000);
  const suite = useBrowserSuite();

  async function person(email: string, locale: 'en' | 'ru' = 'en', withScripts = false): Promise<Page> {
    const page = await suite.newPerson();
    await page.setViewport({ width: 1200, height: 900 });
    // The forms are worked without scripts; axe needs them on to run its checks.
    if (!withScripts) await page.setJavaScriptEnabled(false);
    await suite.signIn(page, email);
    if (locale === 'ru') await submit(page, '/language', /Русский/);
    return page;
  }

  it('staff log a review and answer it with the rules ticked, the owner approves, staff mark it sent; the pages fit a phone and pass axe', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps);
    for (const p of [cast.consultant, cast.owner, ...cast.staff]) await setPassword(suite.db, p.id);
    await registerAccounts(deps, cast, engagementId);
    const desk = `/engagements/${engagementId}/desk`;

    const staff = await person(cast.staff[0]!.email, 'ru');
    await staff.goto(`${suite.app.url}${desk}`);
    await staff.select('select[name="channel"]', VK);
    await fill(staff, 'link', 'https://vk.com/kolosok?w=wall-1_9');
    await setValue(staff, 'receivedAt', '2026-03-02T08:30');
    await staff.click('input[name="sentiment"][value="negative"]');
    await fill(staff, 'customerText', 'Хлеб был чёрствый, и никто не извинился. ' + 'Оченьдлинноесловобезпробелов'.repeat(6));
    await submit(staff, '/desk/entries');
    expect(await staff.$eval('.flash', (el) => el.textContent ?? '')).to.include('Обращение занесено');
    const [entry] = await suite.db.orm.em.fork().find(DeskEntry, { engagement: engagementId });
    const page = `${desk}/entries/${entry!.id}`;
    await fill(staff, 'answer', 'Вы правы, хлеб был вчерашний — это наша ошибка. Свежий ржаной с 8 утра, следующий за наш счёт. Спасибо, что написали.');
    await staff.click('input[name="checkedRules"][value="honesty"]');
    await staff.click('input[name="checkedRules"][value="thanks"]');
    await submit(staff, `${page}/answer`);
    expect(await staff.$eval('#warnings', (el) => el.textContent ?? '')).to.include('Замечаний к ответу нет');
    await submit(staff, `${page}/submit`);

    const owner = await person(cast.owner.email);
    await owner.goto(`${suite.app.url}${page}`);
    await submit(owner, `${page}/approve`, /Approve/);
    expect(await owner.$eval('.flash', (el) => el.textContent ?? '')).to.match(/approved/);

    await staff.goto(`${suite.app.url}${page}`);
    await setValue(staff, 'sentAt', '2026-03-02T09:00');
    await submit(staff, `${page}/send`);
    const stored = await suite.db.orm.em.fork().findOneOrFail(DeskEntry, entry!.id);
    expect(stored.status).to.equal('sent');
    expect(stored.checkedRules).to.have.members(['honesty', 'thanks']);

    // A drafted answer with warnings shows the answer form, the rules and the warnings together.
    const drafted = await logEntry(deps, cast.staff[1]!.id, engagementId, { kind: 'messenger', channel: 'chat', receivedAt: '2026-03-02T08:00', customerText: 'Вы открыты в воскресенье?', sentiment: 'positive' });
    await saveAnswer(deps, cast.staff[1]!.id, engagementId, drafted.id, { answer: 'Ваше мнение очень важно для нас. Позвоните нам.', checkedRules: ['spelling'] });
    // Signed in again, the account already speaks Russian.
    const reader = await person(cast.staff[0]!.email, 'en', true);
    for (const width of [390, 1280]) {
      await reader.setViewport({ width, height: 900 });
      for (const path of [desk, page, `${desk}/entries/${drafted.id}`]) {
        await reader.goto(`${suite.app.url}${path}`);
        expect(await reader.evaluate(OVERFLOW_X), `sideways scroll on ${path} at ${width} px`).to.be.at.most(0);
        expect(await accessibilityViolations(reader), `accessibility of ${path} at ${width} px`).to.deep.equal([]);
      }
    }
  });

  it('takes a Russian review through the Russian form: refusals per field, then the warnings in Russian until the answer is right', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps);
    await setPassword(suite.db, cast.staff[0]!.id);
    await registerAccounts(deps, cast, engagementId);
    const desk = `/engagements/${engagementId}/desk`;
    const staff = await person(cast.staff[0]!.email, 'ru');
    await staff.goto(`${suite.app.url}${desk}`);
    expect(await staff.$eval('h1', (el) => el.textContent ?? '')).to.include('Отзывы и сообщения');

    // A link without its scheme and no text: the form comes back with a Russian message by each field, what was typed kept.
    await staff.select('select[name="channel"]', VK);
    await fill(staff, 'link', 'vk.com/kolosok?w=wall-1_12');
    await setValue(staff, 'receivedAt', '2026-03-02T08:40');
    await staff.click('input[name="sentiment"][value="positive"]');
    await submit(staff, '/desk/entries');
    expect(await staff.$eval('#link-error', (el) => el.textContent ?? '')).to.equal('Укажите веб-адрес, начинающийся с http:// или https://');
    expect(await staff.$eval('#customerText-error', (el) => el.textContent ?? '')).to.equal('Вставьте текст, который написал клиент');
    expect(await staff.$eval('[name="link"]', (el) => (el as HTMLInputElement).value)).to.equal('vk.com/kolosok?w=wall-1_12');
    expect(await suite.db.orm.em.fork().count(DeskEntry, { engagement: engagementId })).to.equal(0);

    await fill(staff, 'link', 'https://vk.com/kolosok?w=wall-1_12');
    await fill(staff, 'customerText', 'Торт «Прага» к юбилею мамы был просто чудесный, всё успели в срок!');
    await submit(staff, '/desk/entries');
    expect(await staff.$eval('.flash', (el) => el.textContent ?? '')).to.include('Обращение занесено');
    const [entry] = await suite.db.orm.em.fork().find(DeskEntry, { engagement: engagementId });
    expect(entry).to.include({ kind: 'review', sentiment: 'positive', customerText: 'Торт «Прага» к юбилею мамы был просто чудесный, всё успели в срок!' });
    const page = `${desk}/entries/${entry!.id}`;

    // A stock phrase, a second channel and no thanks under praise: three warnings, each in Russian.
    await fill(staff, 'answer', 'Ваш отзыв очень важен для нас! По всем вопросам позвоните нам.');
    await submit(staff, `${page}/answer`);
    const warnings = await staff.$eval('#warnings', (el) => el.textContent ?? '');
    expect(warnings).to.include('Дежурная фраза: «ваш отзыв очень важен для нас»');
    expect(warnings).to.include('Клиента отправляют в другой канал: «позвоните нам»');
    expect(warnings).to.include('Ответ на положительный отзыв без благодарности: скажите клиенту спасибо.');
    // An answer of its own, with thanks in another form of the word: no warnings left.
    await fill(staff, 'answer', 'Благодарим вас и поздравляем маму с юбилеем! Рады, что «Прага» успела к празднику.');
    await submit(staff, `${page}/answer`);
    expect(await staff.$eval('#warnings', (el) => el.textContent ?? '')).to.include('Замечаний к ответу нет');
    expect((await suite.db.orm.em.fork().findOneOrFail(DeskEntry, entry!.id)).answer).to.equal('Благодарим вас и поздравляем маму с юбилеем! Рады, что «Прага» успела к празднику.');
  });
});
