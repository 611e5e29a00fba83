// Comments over HTTP, signed in for real, without scripts: the thread on the task, document and
// content item pages, refusals in the reader's language with the text kept, the ten-minute edit
// window, and the form that makes a task of a comment.
import { expect } from 'chai';
import { useWebApp, type WebClient } from '../helpers/web.ts';
import { contentOf } from '../helpers/content.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { assignTask } from '../../src/engagement/tasks.service.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { createItem } from '../../src/content/content-items.service.ts';
import { notifyPendingEvents } from '../../src/notifications/notifier.ts';
import { handleOf } from '../../src/comments/mentions.ts';
import { Comment } from '../../src/comments/comment.entity.ts';

describe('comments over HTTP', function () {
  this.timeout(90_000);
  const s = useWebApp();
  const base = () => `/engagements/${s.engagementId}`;
  const inRussian = async (client: WebClient, back: string) => {
    await client.get(back);
    await client.post('/language', { locale: 'ru', back });
  };
  async function salesTask(): Promise<Task> {
    const task = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, key: 'prep.kmm-study' });
    await assignTask(s.app.deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: s.cast.staff[0]!.id });
    return task;
  }
  const comments = () => s.db.orm.em.fork().find(Comment, {}, { orderBy: { createdAt: 'asc' } });

  it('adds a comment on the task page, marks the mention, and keeps other staff out', async () => {
    const task = await salesTask();
    const page = `${base()}/tasks/${task.id}`;
    const consultant = await s.signedIn(s.cast.consultant);
    const shown = await consultant.get(page);
    expect(shown.text).to.contain('<h2 id="comments-title">Discussion');
    expect(shown.text, 'the hint names the handles').to.contain(`@${handleOf(s.cast.staff[0]!.email)} (Sales)`);
    const res = await consultant.post(`${base()}/comments`, { subjectType: 'task', subjectId: task.id, comment: `Call **today**, @${handleOf(s.cast.staff[0]!.email)}.`, __referer: page });
    const [saved] = await comments();
    expect([res.status, res.location]).to.deep.equal([303, `${page}#comment-${saved!.id}`]);
    const after = await consultant.follow(res);
    expect(after.text).to.contain('The comment is added.');
    expect(after.text).to.contain(`<span class="mention">@${handleOf(s.cast.staff[0]!.email)}</span>`);
    expect(after.text).to.contain('<strong>today</strong>');

    const production = await s.signedIn(s.cast.staff[1]!);
    await production.get('/tasks');
    expect((await production.post(`${base()}/comments`, { subjectType: 'task', subjectId: task.id, comment: 'Me too.', __referer: '/tasks' })).status).to.equal(404);
    expect(await comments()).to.have.length(1);
  });

  it('refuses an empty comment in Russian on the page it was written on, saving nothing', async () => {
    const item = await createItem(s.app.deps, s.cast.staff[0]!.id, s.engagementId, { channel: 'chat', format: 'post', title: 'Rye bread', plannedOn: '2026-03-10', body: 'x' });
    const page = `${base()}/content/items/${item.id}`;
    const owner = await s.signedIn(s.cast.owner);
    await inRussian(owner, page);
    const shown = await owner.get(page);
    expect(shown.text).to.contain('Обсуждение');
    const res = await owner.post(`${base()}/comments`, { subjectType: 'contentItem', subjectId: item.id, comment: '   ', __referer: page });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('Напишите комментарий');
    const long = `Слишком длинно ${'я'.repeat(5000)}`;
    const tooLong = await owner.post(`${base()}/comments`, { subjectType: 'contentItem', subjectId: item.id, comment: long, __referer: page });
    expect(tooLong.status).to.equal(422);
    expect(tooLong.text).to.contain('Используйте не более 5000 символов');
    expect(tooLong.text, 'what was typed is kept').to.contain(`>${long}</textarea>`);
    expect(await comments()).to.have.length(0);
  });

  it('comments on one field of a document version in Russian, and lets the author edit only for 10 minutes', async () => {
    const version = await submitDocumentVersion(s.app.deps, s.cast.consultant.id, s.engagementId, 'target-criteria', await contentOf('target-criteria'));
    const page = `${base()}/documents/${version.document.id}`;
    const owner = await s.signedIn(s.cast.owner);
    await inRussian(owner, page);
    const shown = await owner.get(page);
    const fieldId = /<select name="field">\s*<option value="">[^<]*<\/option>\s*<option value="([^"]+)">([^<]+)<\/option>/.exec(shown.text);
    expect(fieldId, 'the document page offers its fields').to.not.equal(null);
    const res = await owner.post(`${base()}/comments`, { subjectType: 'documentVersion', subjectId: version.id, field: fieldId![1]!, comment: 'Откуда эта цифра?', __referer: page });
    expect(res.location).to.match(new RegExp(`^${page}\\?version=1#comment-`));
    const thread = await owner.follow(res);
    expect(thread.text).to.contain(`к полю «${fieldId![2]!}»`);
    const [saved] = await comments();
    const edit = `${base()}/comments/${saved!.id}/edit`;
    expect((await owner.get(edit)).text).to.contain('Исправить комментарий');
    const done = await owner.post(edit, { comment: 'Откуда эта цифра за март?' });
    expect(done.status).to.equal(303);

    s.app.deps.time.now = new Date(s.app.deps.time.now.getTime() + 10 * 60_000);
    expect((await owner.get(edit)).text).to.contain('уже нельзя исправить');
    const late = await owner.post(edit, { comment: 'Слишком поздно', __referer: edit });
    expect(late.status).to.equal(409);
    expect(late.text).to.contain('Комментарий уже нельзя исправить');
    expect((await comments())[0]!.body).to.equal('Откуда эта цифра за март?');
    const other = await s.signedIn(s.cast.consultant);
    expect((await other.get(edit)).text, 'nobody else is offered the edit form').to.not.contain(`action="${edit}"`);
  });

  it('makes a task of a comment from a prefilled form, refusing a bad field in words, and the thread shows its status', async () => {
    const task = await salesTask();
    const page = `${base()}/tasks/${task.id}`;
    const sales = s.cast.staff[0]!;
    const owner = await s.signedIn(s.cast.owner);
    await owner.get(page);
    await owner.post(`${base()}/comments`, { subjectType: 'task', subjectId: task.id, comment: `Order flour\n@${handleOf(sales.email)} until 2026-03-12`, __referer: page });
    const [comment] = await comments();
    const formPath = `${base()}/comments/${comment!.id}/task`;
    const form = await owner.get(formPath);
    expect(form.text).to.contain('name="title" maxlength="200" value="Order flour"');
    expect(form.text).to.contain(`<option value="${sales.id}" selected>`);
    expect(form.text).to.contain('value="2026-03-12"');

    const bad = await owner.post(formPath, { title: 'Order flour', assigneeId: sales.id, deadline: '2026-07-01' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('<p class="field-error" id="deadline-error">the deadline must fall inside');
    await inRussian(owner, formPath);
    const badRu = await owner.post(formPath, { title: '', assigneeId: sales.id, deadline: '2026-03-12' });
    expect(badRu.text).to.contain('<p class="field-error" id="title-error">Дайте задаче название</p>');

    const made = await owner.post(formPath, { title: 'Order flour', assigneeId: sales.id, deadline: '2026-03-12' });
    expect(made.location).to.equal(`${page}#comment-${comment!.id}`);
    const thread = await owner.follow(made);
    expect(thread.text).to.contain('Задача создана и поручена.');
    expect(thread.text).to.match(/class="comment-task status-open">[\s\S]*?Order flour<\/a>[\s\S]*?<span class="badge status-open">Открыта<\/span>/);
    expect(thread.text, 'no second task of the same comment').to.not.contain(`href="${formPath}"`);

    while ((await notifyPendingEvents(s.app.deps)) > 0);
    const staff = await s.signedIn(sales);
    expect((await staff.get('/tasks')).text).to.contain('Order flour');
    expect((await staff.get('/')).text, 'the waiting list on the home page counts it').to.contain('Order flour');
    const checklist = await (await s.signedIn(s.cast.consultant)).get(base());
    expect(checklist.status).to.equal(200);
    expect(checklist.text, "the stage's checklist lists it").to.contain('Order flour');
    const inbox = (await staff.get('/notifications')).text;
    expect(inbox).to.contain('Assigned to you: Order flour');
    expect(inbox).to.contain('You were mentioned:');
  });
});
