import { expect } from 'chai';
import { makeEngagement } from '../helpers/factories.ts';
import { setPassword } from '../helpers/web.ts';
import { useBrowserSuite, submit, fill } from '../helpers/browser.ts';
import { accessibilityViolations } from '../helpers/axe.ts';
import { Kpi } from '../../src/kpi/kpi.entity.ts';
import { approveTargets } from './kpi-helpers.ts';

describe('KPIs in a real browser', function () {
  this.timeout(400_000);
  const suite = useBrowserSuite();

  it('the owner enters a week without client scripts and the chart shows the new actual, named for screen readers', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps);
    await setPassword(suite.db, cast.owner.id);
    await approveTargets(deps, cast, engagementId);
    deps.time.advanceDays(14);
    const followers = (await suite.db.orm.em.fork().find(Kpi, { engagement: engagementId, metric: 'Followers' }))[0]!;
    const page = await suite.newPerson();
    await page.setJavaScriptEnabled(false);
    await page.setViewport({ width: 1200, height: 900 });
    await suite.signIn(page, cast.owner.email);
    const path = `/engagements/${engagementId}/kpis`;
    await page.goto(`${suite.app.url}${path}`);
    await fill(page, 'week', '2026-W11');
    await fill(page, `value.${followers.id}`, '180');
    await submit(page, `${path}/actuals`);
    const chart = await page.$(`#kpi-${followers.id} svg.kpi-chart`);
    expect(chart, 'the chart is on the page').to.not.equal(null);
    const box = await chart!.boundingBox();
    expect(box!.width, 'the chart is drawn at a readable size').to.be.greaterThan(300);
    const named = await page.$eval(`#kpi-${followers.id} svg.kpi-chart`, (svg) => [svg.getAttribute('role'), svg.querySelector('title')?.textContent, svg.querySelector('desc')?.textContent, svg.querySelectorAll('.kpi-actual').length]);
    expect(named[0]).to.equal('img');
    expect(named[1]).to.equal('Followers (VK): actuals against the target');
    expect(named[2]).to.include('Starting value 100, target 500');
    expect(named[3], 'one point for the week entered').to.equal(1);
    // axe runs as a script: the page is read again with scripts on, only for the check.
    await page.setJavaScriptEnabled(true);
    await page.reload();
    expect(await accessibilityViolations(page), 'axe finds nothing on the KPI page').to.deep.equal([]);
  });
});
