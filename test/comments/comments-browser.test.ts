// In a real browser without scripts: the owner writes a comment naming a staff member, makes a task
// of it, and the staff member finds it in their inbox and in My tasks.
import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { makeEngagement } from '../helpers/factories.ts';
import { setPassword } from '../helpers/web.ts';
import { useBrowserSuite, submit, fill } from '../helpers/browser.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { assignTask } from '../../src/engagement/tasks.service.ts';
import { notifyPendingEvents } from '../../src/notifications/notifier.ts';
import { handleOf } from '../../src/comments/mentions.ts';
import { addComment } from '../../src/comments/comments.service.ts';
import { makeTaskOfComment } from '../../src/comments/comment-task.service.ts';
import { expectAccessible, expectNoHorizontalOverflow } from '../helpers/axe.ts';

describe('comments in a real browser', function () {
  this.timeout(180_000);
  const suite = useBrowserSuite();

  async function person(email: string): Promise<Page> {
    const page = await suite.newPerson();
    await page.setJavaScriptEnabled(false);
    await suite.signIn(page, email);
    return page;
  }
  const text = (page: Page, selector: string) => page.$eval(selector, (el) => el.textContent ?? '');

  it('a comment becomes a task, and the assignee sees it in the inbox and in My tasks', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps);
    for (const p of [cast.consultant, cast.owner, ...cast.staff]) await setPassword(suite.db, p.id);
    const sales = cast.staff[0]!;
    const task = await suite.db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, key: 'prep.kmm-study' });
    await assignTask(deps, cast.consultant.id, engagementId, task.id, { assigneeId: sales.id });
    const taskPath = `/engagements/${engagementId}/tasks/${task.id}`;

    const owner = await person(cast.owner.email);
    await owner.goto(`${suite.app.url}${taskPath}`);
    await fill(owner, 'comment', `Bring the price list to the call\n@${handleOf(sales.email)}, by 2026-03-13 please.`);
    await submit(owner, `/engagements/${engagementId}/comments`, /Send the comment/);
    expect(await text(owner, '.flash')).to.match(/The comment is added/);
    expect(await text(owner, '.comment .mention')).to.equal(`@${handleOf(sales.email)}`);

    await Promise.all([owner.waitForNavigation(), owner.click('.comment .actions a[href$="/task"]')]);
    expect(await owner.$eval('[name="title"]', (el) => (el as HTMLInputElement).value)).to.equal('Bring the price list to the call');
    expect(await owner.$eval('[name="deadline"]', (el) => (el as HTMLInputElement).value)).to.equal('2026-03-13');
    expect(await owner.$eval('[name="assigneeId"]', (el) => (el as HTMLSelectElement).value)).to.equal(sales.id);
    await submit(owner, '/task', /Make the task/);
    expect(await text(owner, '.flash')).to.match(/The task is made/);
    expect(await text(owner, '.comment-task')).to.match(/Bring the price list to the call[\s\S]*Open/);

    while ((await notifyPendingEvents(deps)) > 0);
    const staff = await person(sales.email);
    await staff.goto(`${suite.app.url}/notifications`);
    const inbox = await staff.$$eval('.notifications li a', (links) => links.map((a) => a.textContent ?? ''));
    expect(inbox).to.include('Assigned to you: Bring the price list to the call');
    expect(inbox.some((t) => t.startsWith('You were mentioned:')), inbox.join(' | ')).to.equal(true);

    await staff.goto(`${suite.app.url}/tasks`);
    expect(await staff.content()).to.contain('Bring the price list to the call');
    const made = await suite.db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, title: 'Bring the price list to the call' });
    await staff.goto(`${suite.app.url}/engagements/${engagementId}/tasks/${made.id}`);
    await Promise.all([staff.waitForNavigation(), staff.click('#comments a[href*="#comment-"]')]);
    expect(staff.url()).to.contain(`${taskPath}#comment-`);
  });

  it('keeps the thread, the edit form and the task form accessible and within a 390 px phone, long words included', async () => {
    const deps = suite.app.deps;
    const { engagementId, cast } = await makeEngagement(deps);
    await setPassword(suite.db, cast.owner.id);
    const task = await suite.db.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, key: 'prep.kmm-study' });
    await assignTask(deps, cast.consultant.id, engagementId, task.id, { assigneeId: cast.staff[0]!.id });
    const long = `Pneumonoultramicroscopicsilicovolcanoconiosis${'x'.repeat(80)} @${handleOf(cast.staff[0]!.email)}`;
    const { comment } = await addComment(deps, cast.owner.id, engagementId, { subjectType: 'task', subjectId: task.id, body: long });
    await addComment(deps, cast.consultant.id, engagementId, { subjectType: 'task', subjectId: task.id, parentId: comment.id, body: 'A reply.' });
    const { comment: second } = await addComment(deps, cast.owner.id, engagementId, { subjectType: 'task', subjectId: task.id, body: 'Second thread' });
    await makeTaskOfComment(deps, cast.owner.id, engagementId, second.id, { title: 'Second thread', assigneeId: cast.staff[0]!.id, deadline: '2026-03-20' });
    const base = `/engagements/${engagementId}`;
    const page = await suite.newPerson();
    await suite.signIn(page, cast.owner.email);
    for (const width of [390, 1280]) {
      await page.setViewport({ width, height: 900 });
      for (const path of [`${base}/tasks/${task.id}`, `${base}/comments/${comment.id}/edit`, `${base}/comments/${comment.id}/task`]) {
        await page.goto(`${suite.app.url}${path}`);
        await expectAccessible(page, `${path} at ${width} px`);
        await expectNoHorizontalOverflow(page, `${path} at ${width} px`);
      }
    }
  });
});
