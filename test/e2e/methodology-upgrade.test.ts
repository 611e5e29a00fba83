import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { makeEngagement, registryWith, completeCurrentStage, METHODOLOGY_DIR } from '../helpers/factories.ts';
import { setPassword } from '../helpers/web.ts';
import { useBrowserSuite, submit } from '../helpers/browser.ts';
import { expectAccessible, expectNoHorizontalOverflow } from '../helpers/axe.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';

/** The methodology upgrade on a phone, in Russian: read what the new version changes, confirm, find the engagement on it. */
describe('upgrading the methodology in the browser, in Russian at 390 px', function () {
  this.timeout(180_000);
  const suite = useBrowserSuite({ methodologies: registryWith(METHODOLOGY_DIR, 'test/fixtures/upgrade') });

  const textOf = (page: Page, selector: string) => page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
  const textsOf = (page: Page, selector: string) => page.$$eval(selector, (els) => els.map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim()));

  /** Nothing on the page is wider than the phone: the document scrolls only downwards. */
  async function fitsThePhone(page: Page, label: string): Promise<void> {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${label}: the page's width`).to.be.at.most(390);
    await expectNoHorizontalOverflow(page, label);
    await expectAccessible(page, label);
  }

  it('the consultant reads the added, removed and changed items, confirms, and the engagement page shows e1t@2 and the archived task by its name', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps, { methodology: 'e1t@1' });
    await setPassword(suite.db, cast.consultant.id);
    await completeCurrentStage(deps, engagementId, cast);
    await advanceStage(deps, cast.consultant.id, engagementId);

    const page = await suite.newPerson();
    await page.setViewport({ width: 390, height: 844 });
    await suite.signIn(page, cast.consultant.email);
    await submit(page, '/language', /Русский/);
    const base = `${suite.app.url}/engagements/${engagementId}`;
    await page.goto(base);
    expect(await textOf(page, '#methodology-version')).to.equal('версия методики e1t@1');
    expect(await textOf(page, '#upgrade-link')).to.equal('Новая версия: e1t@2');
    await Promise.all([page.waitForNavigation(), page.click('#upgrade-link')]);
    expect(new URL(page.url()).pathname).to.equal(`/engagements/${engagementId}/methodology`);

    expect(await textOf(page, '#methodology h1')).to.equal('Версия методики: Kolosok Bakery');
    expect(await textOf(page, '#methodology p')).to.match(/^Проект идёт по методике e1t@1\./);
    const offer = '.upgrade-offer#offer-e1t\\@2';
    expect(await textsOf(page, `${offer} h3`)).to.deep.equal(['Этапы', 'Задачи', 'Поля документов', 'Модули обучения']);
    expect(await textsOf(page, `${offer} li.change-added`)).to.deep.equal(['добавлено: fmt.stories', 'добавлено: content-concept / storyFormats']);
    expect(await textsOf(page, `${offer} li.change-removed`)).to.deep.equal(['удалено: launch.content']);
    expect(await textsOf(page, `${offer} li.change-changed`)).to.deep.equal(['изменено: formatting (durationDays)', 'изменено: chats (title)']);
    expect(await textOf(page, `${offer} p.muted`)).to.contain('удалённые задачи уходят в архив, а не стираются');
    await fitsThePhone(page, 'the upgrade page');

    await submit(page, '/methodology/upgrade', /Перевести проект на e1t@2/);
    expect(new URL(page.url()).pathname).to.equal(`/engagements/${engagementId}`);
    expect(await textOf(page, '.flash-notice')).to.contain('Проект переведён с e1t@1 на e1t@2.');
    expect(await textOf(page, '#methodology-version'), 'the engagement runs on the new version').to.equal('версия методики e1t@2');
    expect(await page.$('#upgrade-link'), 'nothing newer is on offer').to.equal(null);
    expect(await textsOf(page, '#checklist tbody tr')).to.satisfy((rows: string[]) => rows.some((r) => r.includes('Спланировать первые истории')));
    expect(await textOf(page, '#archived-tasks h2')).to.equal('Задачи в архиве');
    expect(await textsOf(page, '#archived-tasks li')).to.deep.equal(['Создание контента сотрудниками в архиве']);
    expect(await textsOf(page, '#log .archived-in-event')).to.deep.equal(['в архив: Создание контента сотрудниками']);
    await fitsThePhone(page, 'the engagement page after the upgrade');

    await Promise.all([page.waitForNavigation(), page.click('#archived-tasks li a')]);
    expect(await textOf(page, 'h1')).to.contain('Создание контента сотрудниками');
    expect(await textOf(page, '#archived-note')).to.contain('перенесена в архив');
    await fitsThePhone(page, 'the archived task');
  });
});
