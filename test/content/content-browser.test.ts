import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { makeEngagement } from '../helpers/factories.ts';
import { setPassword } from '../helpers/web.ts';
import { useBrowserSuite, submit, fill } from '../helpers/browser.ts';
import { accessibilityViolations } from '../helpers/axe.ts';
import { fillMonth } from '../../src/content/content-plan.service.ts';
import { createItem } from '../../src/content/content-items.service.ts';
import { ContentItem } from '../../src/content/content.entity.ts';
import { VK, registerAccounts } from './content-helpers.ts';

/** How far the page scrolls sideways; a string, so the runner's compiled helpers never reach the page. */
const OVERFLOW_X = '(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)()';

describe('the content plan in a real browser', function () {
  this.timeout(180_000);
  const suite = useBrowserSuite();

  async function person(email: string, width = 1200, locale: 'en' | 'ru' = 'en'): Promise<Page> {
    const page = await suite.newPerson();
    await page.setViewport({ width, height: 900 });
    await suite.signIn(page, email);
    if (locale === 'ru') await submit(page, '/language', /Русский/);
    return page;
  }

  it('staff drafts an idea, the owner approves the week, staff publishes it; no client script needed', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps);
    for (const p of [cast.consultant, cast.owner, ...cast.staff]) await setPassword(suite.db, p.id);
    await registerAccounts(deps, cast, engagementId);
    const [idea] = await fillMonth(deps, cast.consultant.id, engagementId, { month: '2026-03', channels: [VK], weekdays: [3] });
    const itemPath = `/engagements/${engagementId}/content/items/${idea!.id}`;

    const staff = await person(cast.staff[0]!.email);
    await staff.setJavaScriptEnabled(false);
    await staff.goto(`${suite.app.url}${itemPath}`);
    await fill(staff, 'body', 'Our **first** customer story.');
    await submit(staff, `${itemPath}/edit`);
    await submit(staff, `${itemPath}/submit`);
    expect(await staff.$eval('.flash', (el) => el.textContent ?? '')).to.match(/sent to the owner/);

    const owner = await person(cast.owner.email, 1200, 'ru');
    await owner.goto(`${suite.app.url}/engagements/${engagementId}/content/items`);
    await submit(owner, '/content/weeks/2026-W10/approve', /Утвердить неделю/);
    expect(await owner.$eval('.flash', (el) => el.textContent ?? '')).to.match(/Утвержд/);

    await staff.goto(`${suite.app.url}${itemPath}`);
    await submit(staff, `${itemPath}/schedule`);
    await fill(staff, 'publishedUrl', 'https://vk.com/wall-1_5');
    await submit(staff, `${itemPath}/publish`);
    const stored = await suite.db.orm.em.fork().findOneOrFail(ContentItem, idea!.id);
    expect(stored.status).to.equal('published');
    expect(stored.publishedUrl).to.equal('https://vk.com/wall-1_5');
  });

  it('fits a 390 px phone (and a 1280 px screen) without sideways scrolling or accessibility faults: plan, list, calendar and item, long words included', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps);
    for (const p of [cast.consultant, cast.owner, ...cast.staff]) await setPassword(suite.db, p.id);
    await registerAccounts(deps, cast, engagementId);
    await fillMonth(deps, cast.consultant.id, engagementId, { month: '2026-03', channels: [VK, 'chat'], weekdays: [1, 2, 3, 4, 5, 6, 7] });
    const long = await createItem(deps, cast.staff[0]!.id, engagementId, {
      channel: VK, format: 'post', title: 'Оченьдлинныйзаголовокбезпробелов'.repeat(4).slice(0, 190), plannedOn: '2026-03-04',
      body: 'https://example.com/' + 'a'.repeat(150), mediaLinks: 'https://example.com/' + 'b'.repeat(150),
    });
    const phone = await person(cast.consultant.email, 390, 'ru');
    for (const width of [390, 1280]) {
      await phone.setViewport({ width, height: 900 });
      for (const path of ['/content', '/content/items', '/content/calendar?month=2026-03', `/content/items/${long.id}`]) {
        await phone.goto(`${suite.app.url}/engagements/${engagementId}${path}`);
        expect(await phone.evaluate(OVERFLOW_X), `sideways scroll on ${path} at ${width} px`).to.be.at.most(0);
        expect(await accessibilityViolations(phone), `accessibility of ${path} at ${width} px`).to.deep.equal([]);
      }
    }
  });
});
