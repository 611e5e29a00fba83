import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { makeEngagement, registryWith, METHODOLOGY_DIR, VARIANTS_DIR } from '../helpers/factories.ts';
import { setPassword } from '../helpers/web.ts';
import { useBrowserSuite, submit } from '../helpers/browser.ts';
import { assignTasks } from '../../src/engagement/assign-tasks.ts';
import { Task } from '../../src/engagement/task.entity.ts';

/**
 * Where the page's parts sit, in CSS pixels from the top of the document. A string, so the test
 * runner's compiled helpers (esbuild's __name) never reach the page.
 */
const MEASURE = `(() => {
  const top = (selector) => { const el = document.querySelector(selector); return el ? el.getBoundingClientRect().top + window.scrollY : null; };
  const labelled = (c) => c.getAttribute('aria-label') || c.closest('label') || (c.id && document.querySelector('label[for="' + c.id + '"]'));
  return {
    checklistTop: top('#checklist'),
    pageHeight: document.documentElement.scrollHeight,
    overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    stageTitles: [...document.querySelectorAll('#checklist h2')].map((h) => (h.textContent || '').trim()),
    rows: document.querySelectorAll('#checklist tbody tr').length,
    heights: ['#summary', '#timeline', '#gate', '#checklist', '#documents', '#people', '#log'].map((sel) => sel + ' ' + Math.round(document.querySelector(sel)?.getBoundingClientRect().height ?? 0)).join(', '),
    unlabelled: [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')].filter((c) => !labelled(c)).map((c) => c.outerHTML.slice(0, 80)),
  };
})()`;

interface Measures {
  checklistTop: number | null;
  pageHeight: number;
  overflowX: number;
  stageTitles: string[];
  rows: number;
  heights: string;
  unlabelled: string[];
}

const measure = (page: Page) => page.evaluate(MEASURE) as Promise<Measures>;

describe('the engagement page fits on a screen', function () {
  this.timeout(120_000);
  // A newer version of E1T is on offer, so the consultant's page carries its longest line of links.
  const suite = useBrowserSuite({ methodologies: registryWith(METHODOLOGY_DIR, VARIANTS_DIR, 'test/fixtures/upgrade') });

  async function openAs(email: string, locale: 'en' | 'ru', width: number, height: number, path: string): Promise<Page> {
    const page = await suite.newPerson();
    await page.setViewport({ width, height });
    await suite.signIn(page, email);
    if (locale === 'ru') await submit(page, '/language', /Русский/);
    await page.goto(`${suite.app.url}${path}`);
    return page;
  }

  /** A started engagement with a history: preparation's staff tasks assigned, more events than the page lists. */
  async function startedEngagement() {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps, { methodology: 'e1t@1' });
    for (const person of [cast.consultant, cast.owner, ...cast.staff]) await setPassword(suite.db, person.id);
    const tasks = await suite.db.orm.em.fork().find(Task, { engagement: engagementId, stageId: 'preparation' }, { orderBy: { position: 'asc' } });
    const forStaff = tasks.filter((t) => t.role === 'staff' && t.kind !== 'signoff');
    const forConsultant = tasks.filter((t) => t.role === 'consultant');
    await assignTasks(deps, cast.consultant.id, engagementId, { taskIds: forConsultant.map((t) => t.id), assigneeId: cast.consultant.id, deadline: '2026-03-20' });
    for (let round = 0; round < 2; round++) await assignTasks(deps, cast.consultant.id, engagementId, { taskIds: forStaff.map((t) => t.id), assigneeId: cast.staff[round]!.id });
    return { engagementId, cast, preparationTasks: tasks.length };
  }

  for (const locale of ['ru', 'en'] as const) {
    it(`shows the current stage's checklist within 1.5 screens, under 2,800 px at 1280 px, in ${locale === 'en' ? 'English' : 'Russian'}`, async () => {
      const { engagementId, cast, preparationTasks } = await startedEngagement();
      const page = await openAs(cast.consultant.email, locale, 1280, 800, `/engagements/${engagementId}`);
      const m = await measure(page);
      console.log(`      1280 px, ${locale}: checklist at ${m.checklistTop} px, page ${m.pageHeight} px (${m.heights})`);
      expect(m.rows, 'only the current stage’s tasks are listed').to.equal(preparationTasks);
      expect(m.stageTitles[0], 'the checklist is Preparation’s').to.contain(locale === 'en' ? 'Preparation' : 'Подготовка');
      expect(m.checklistTop, 'the checklist starts within 1.5 screen heights').to.be.at.most(1.5 * 800);
      // 2,500 px before Preparation listed each participant's overview module of the methods kit (three more
      // checklist rows here) and the study's gaps in the gate box and the waiting list.
      expect(m.pageHeight, 'the whole page').to.be.below(2800);
      expect(m.unlabelled, 'every control has a label').to.deep.equal([]);
      expect(await page.$$eval('#log li', (li) => li.length), 'the latest 10 events').to.equal(10);
      expect(await page.$eval('#log a', (a) => a.getAttribute('href'))).to.equal(`/engagements/${engagementId}/events`);
    });

    it(`fits a 390 px phone without sideways scrolling, in ${locale === 'en' ? 'English' : 'Russian'}`, async () => {
      const { engagementId, cast } = await startedEngagement();
      const page = await openAs(cast.consultant.email, locale, 390, 844, `/engagements/${engagementId}`);
      const m = await measure(page);
      console.log(`      390 px, ${locale}: checklist at ${m.checklistTop} px, page ${m.pageHeight} px, overflow ${m.overflowX} px (${m.heights})`);
      expect(m.overflowX, 'no horizontal scroll of the page').to.be.at.most(0);
      expect(m.checklistTop, 'the checklist starts within 1.5 screen heights').to.be.at.most(1.5 * 844);
      expect(await page.$eval('#upgrade-link', (a) => a.getAttribute('href')), 'the page measured offers the upgrade').to.equal(`/engagements/${engagementId}/methodology`);
      const taskPath = await page.$eval('#checklist tbody tr a', (a) => a.getAttribute('href')!);
      await page.goto(`${suite.app.url}${taskPath}`);
      expect((await measure(page)).overflowX, 'the task page neither').to.be.at.most(0);
    });
  }

  it('assigns two ticked tasks to one person with one form, without scripts, and a stage tab shows only its own checklist', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps, { methodology: 'e1t@1' });
    await setPassword(suite.db, cast.consultant.id);
    const page = await openAs(cast.consultant.email, 'en', 1280, 800, `/engagements/${engagementId}`);
    await page.setJavaScriptEnabled(false);
    const tasks = await suite.db.orm.em.fork().find(Task, { engagement: engagementId, stageId: 'preparation', role: 'consultant' }, { orderBy: { position: 'asc' } });
    expect(tasks.length).to.be.greaterThan(1);
    for (const task of tasks.slice(0, 2)) await page.click(`#tick-${task.id}`);
    await page.select('#bulk-assign select[name="assigneeId"]', cast.consultant.id);
    await submit(page, '/tasks/assign');
    const assigned = await suite.db.orm.em.fork().find(Task, { id: { $in: tasks.slice(0, 2).map((t) => t.id) } }, { populate: ['assignee'] });
    expect(assigned.map((t) => t.assignee?.id)).to.deep.equal([cast.consultant.id, cast.consultant.id]);
    expect(await page.$eval('.flash-notice', (f) => f.textContent ?? '')).to.contain('2 tasks are assigned.');

    const formattingTab = await page.$$eval('.stage-tabs a', (as) => as.map((a) => a.getAttribute('href')!).find((h) => h.includes('stage=formatting'))!);
    await page.goto(`${suite.app.url}${formattingTab}`);
    const formatting = await suite.db.orm.em.fork().count(Task, { engagement: engagementId, stageId: 'formatting' });
    expect(await page.$$eval('#checklist tbody tr', (rows) => rows.length)).to.equal(formatting);
    expect(await page.$eval('.stage-tabs a[aria-current="page"]', (a) => a.textContent ?? '')).to.contain('Formatting');
  });
});
