import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { makeEngagement, completeCurrentStage } from '../helpers/factories.ts';
import { setPassword } from '../helpers/web.ts';
import { useBrowserSuite, submit } from '../helpers/browser.ts';
import { expectAccessible, expectNoHorizontalOverflow } from '../helpers/axe.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { Task } from '../../src/engagement/task.entity.ts';

describe('correcting the documentation in a real browser', function () {
  this.timeout(180_000);
  const suite = useBrowserSuite();

  it('the owner confirms a document from the review list without JavaScript; the list is accessible at 1280 and 390 px in both languages', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps);
    for (let i = 0; i < 2; i++) {
      await completeCurrentStage(deps, engagementId, cast);
      await advanceStage(deps, cast.consultant.id, engagementId);
    }
    await setPassword(suite.db, cast.owner.id);
    const task = await suite.db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, key: 'launch.docs-correction' });
    const owner: Page = await suite.newPerson();
    await suite.signIn(owner, cast.owner.email);
    await owner.goto(`${suite.app.url}/engagements/${engagementId}/tasks/${task.id}`);

    const state = (typeId: string) => owner.$eval(`#review-${typeId} .badge`, (b) => b.textContent?.trim() ?? '');
    expect(await state('site-changes')).to.equal('not yet reviewed');
    await submit(owner, `/confirm`, /Confirm: no changes needed/);
    expect(new URL(owner.url()).hash).to.equal('#review-documentation-formats');
    expect(await owner.$eval('.flash-notice', (f) => f.textContent ?? '')).to.contain('“Documentation formats”, version 1: confirmed, no changes needed.');
    expect(await state('documentation-formats')).to.equal('confirmed: no changes needed');

    for (const locale of ['en', 'ru'] as const) {
      if (locale === 'ru') {
        await submit(owner, '/language', /Русский/);
        expect(await state('documentation-formats')).to.equal('подтверждён: правки не нужны');
      }
      for (const width of [1280, 390]) {
        await owner.setViewport({ width, height: 900 });
        await expectAccessible(owner, `review list (${locale}, ${width} px)`);
        if (width === 390) await expectNoHorizontalOverflow(owner, `review list (${locale}, 390 px)`);
      }
    }
  });
});
