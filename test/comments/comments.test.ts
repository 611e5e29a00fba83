// Comments through the service API: who reads and writes a thread (the role rules of what it is
// about), mentions that notify participants only, the author's ten minutes on the settable clock,
// bad input refused with nothing saved, and the task made of a comment.
import { expect } from 'chai';
import { refusalOf } from '../helpers/assertions.ts';
import { useStartedEngagement } from '../helpers/factories.ts';
import { contentOf } from '../helpers/content.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { assignTask, DEADLINE_OUTSIDE_PLAN } from '../../src/engagement/tasks.service.ts';
import { listMyTasks } from '../../src/engagement/overview.ts';
import { getTimeline } from '../../src/engagement/timeline.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { createItem } from '../../src/content/content-items.service.ts';
import { notifyPendingEvents } from '../../src/notifications/notifier.ts';
import { addComment, editComment } from '../../src/comments/comments.service.ts';
import { makeTaskOfComment } from '../../src/comments/comment-task.service.ts';
import { readThread } from '../../src/comments/comments.queries.ts';
import { readCommentForm } from '../../src/comments/comment-form.queries.ts';
import { handleOf } from '../../src/comments/mentions.ts';
import { Comment } from '../../src/comments/comment.entity.ts';
import { BlockedError, ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../src/errors.ts';

describe('comments', function () {
  this.timeout(60_000);
  const s = useStartedEngagement();
  const at = (who: { email: string }) => `@${handleOf(who.email)}`;
  const notifyAll = async () => {
    while ((await notifyPendingEvents(s.deps)) > 0);
  };
  const notificationsOf = async (userId: string) =>
    (await s.db.orm.em.fork().getConnection().execute("select kind, link, params from notifications where user_id = ? and kind not in ('invited', 'taskAssigned') order by created_at", [userId])) as { kind: string; link: string; params: { title?: { en: string }; comment?: string } }[];
  /** A staff task given to sales: production, also staff, may not read it. */
  async function salesTask(): Promise<Task> {
    const task = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, key: 'prep.kmm-study' });
    await assignTask(s.deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: s.cast.staff[0]!.id });
    return task;
  }
  const onTask = (task: Task, body: string, extra: { parentId?: string } = {}) => ({ subjectType: 'task' as const, subjectId: task.id, body, ...extra });
  async function problemsOf(call: Promise<unknown>) {
    const error = await refusalOf(call);
    expect(error, error.message).to.be.instanceOf(InvalidInputError);
    return (error as InvalidInputError).problems.map((p) => p.field);
  }

  it('tells a mentioned participant in their inbox, and nobody when the handle is of someone outside the engagement', async () => {
    const task = await salesTask();
    const { consultant, staff, outsider, owner } = s.cast;
    const { comment } = await addComment(s.deps, consultant.id, s.engagementId, onTask(task, `Please book the call, ${at(staff[0]!)}; ${at(outsider)} will not hear of it.`));
    await notifyAll();

    const told = await notificationsOf(staff[0]!.id);
    expect(told.map((n) => n.kind)).to.deep.equal(['mention']);
    expect(told[0]!.link).to.equal(`/engagements/${s.engagementId}/tasks/${task.id}#comment-${comment.id}`);
    expect(told[0]!.params.comment).to.contain('Please book the call');
    expect(await notificationsOf(outsider.id), 'the outsider is told nothing').to.deep.equal([]);
    expect(await notificationsOf(owner.id), 'the owner was not mentioned').to.deep.equal([]);
    const events = await s.db.orm.em.fork().find(EngagementEvent, { engagement: s.engagementId, type: 'comment.add' });
    expect(events).to.have.length(1);
  });

  it('does not tell a staff member mentioned on a task they may not read', async () => {
    const task = await salesTask();
    const [, production] = s.cast.staff;
    await addComment(s.deps, s.cast.consultant.id, s.engagementId, onTask(task, `${at(production!)} could help here.`));
    await notifyAll();
    expect(await notificationsOf(production!.id)).to.deep.equal([]);
  });

  it('shows the thread only to those who may read the task: another staff member and an outsider get "not found"', async () => {
    const task = await salesTask();
    const [sales, production] = s.cast.staff;
    const { comment } = await addComment(s.deps, s.cast.consultant.id, s.engagementId, onTask(task, 'First **question**.'));
    await addComment(s.deps, sales!.id, s.engagementId, onTask(task, 'An answer.', { parentId: comment.id }));
    const thread = await readThread(s.deps, sales!.id, s.engagementId, { type: 'task', id: task.id }, 'en');
    expect(thread.comments).to.have.length(1);
    expect(thread.comments[0]!.bodyHtml).to.contain('<strong>question</strong>');
    expect(thread.comments[0]!.replies.map((r) => r.authorName)).to.deep.equal(['Sales']);

    for (const who of [production!, s.cast.outsider]) {
      expect(await refusalOf(readThread(s.deps, who.id, s.engagementId, { type: 'task', id: task.id }, 'en')), who.name).to.be.instanceOf(NotFoundError);
      expect(await refusalOf(addComment(s.deps, who.id, s.engagementId, onTask(task, 'Let me in.'))), who.name).to.be.instanceOf(NotFoundError);
    }
    expect(await s.db.orm.em.fork().count(Comment, {})).to.equal(2);
  });

  it('renders Markdown safely: raw HTML is shown as text and script links are dropped', async () => {
    const task = await salesTask();
    await addComment(s.deps, s.cast.consultant.id, s.engagementId, onTask(task, '<script>alert(1)</script> [x](javascript:alert(1))'));
    const [c] = (await readThread(s.deps, s.cast.owner.id, s.engagementId, { type: 'task', id: task.id }, 'en')).comments;
    expect(c!.bodyHtml).to.not.contain('<script>');
    expect(c!.bodyHtml).to.contain('&lt;script&gt;');
    expect(c!.bodyHtml).to.not.contain('href="javascript');
  });

  it('lets the author edit for 10 minutes by the clock, tells only the newly mentioned, and then refuses', async () => {
    const task = await salesTask();
    const { consultant, owner, staff } = s.cast;
    const { comment } = await addComment(s.deps, consultant.id, s.engagementId, onTask(task, `Ask ${at(staff[0]!)}.`));
    expect(await refusalOf(editComment(s.deps, owner.id, s.engagementId, comment.id, { body: 'Not mine.' }))).to.be.instanceOf(ForbiddenError);
    s.deps.time.now = new Date(s.deps.time.now.getTime() + 9 * 60_000 + 59_000);
    await editComment(s.deps, consultant.id, s.engagementId, comment.id, { body: `Ask ${at(staff[0]!)} and ${at(owner)}.` });
    await notifyAll();
    expect((await notificationsOf(owner.id)).map((n) => n.kind)).to.deep.equal(['mention']);
    expect(await notificationsOf(staff[0]!.id), 'told once, not again for the edit').to.have.length(1);

    s.deps.time.now = new Date(s.deps.time.now.getTime() + 1_000);
    expect(await refusalOf(editComment(s.deps, consultant.id, s.engagementId, comment.id, { body: 'Too late.' }))).to.be.instanceOf(BlockedError);
    const stored = await s.db.orm.em.fork().findOneOrFail(Comment, comment.id);
    expect(stored.body).to.contain(at(owner));
    expect(stored.editedAt).to.not.equal(null);
    expect(await s.db.orm.em.fork().count(EngagementEvent, { engagement: s.engagementId, type: 'comment.edit' })).to.equal(1);
  });

  it('refuses bad input by field and saves nothing', async () => {
    const task = await salesTask();
    const version = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'target-criteria', await contentOf('target-criteria'));
    const { consultant } = s.cast;
    expect(await problemsOf(addComment(s.deps, consultant.id, s.engagementId, onTask(task, '   ')))).to.deep.equal(['body']);
    expect(await problemsOf(addComment(s.deps, consultant.id, s.engagementId, onTask(task, 'x'.repeat(5001))))).to.deep.equal(['body']);
    expect(await problemsOf(addComment(s.deps, consultant.id, s.engagementId, { subjectType: 'meeting' as 'task', subjectId: task.id, body: 'Hi' }))).to.deep.equal(['subjectType']);
    expect(await problemsOf(addComment(s.deps, consultant.id, s.engagementId, { subjectType: 'documentVersion', subjectId: version.id, field: 'no-such-field', body: 'Hi' }))).to.deep.equal(['field']);
    const { comment: elsewhere } = await addComment(s.deps, consultant.id, s.engagementId, { subjectType: 'documentVersion', subjectId: version.id, body: 'On the document.' });
    expect(await problemsOf(addComment(s.deps, consultant.id, s.engagementId, onTask(task, 'Hi', { parentId: elsewhere.id })))).to.deep.equal(['parentId']);
    expect(await refusalOf(addComment(s.deps, consultant.id, s.engagementId, { subjectType: 'task', subjectId: 'not-a-uuid', body: 'Hi' }))).to.be.instanceOf(NotFoundError);
    expect(await s.db.orm.em.fork().count(Comment, {})).to.equal(1);
  });

  it('comments on one field of a document version and on a content item', async () => {
    const version = await submitDocumentVersion(s.deps, s.cast.consultant.id, s.engagementId, 'target-criteria', await contentOf('target-criteria'));
    const thread0 = await readThread(s.deps, s.cast.owner.id, s.engagementId, { type: 'documentNumber', documentId: version.document.id, number: version.number }, 'en');
    const field = thread0.fields[0]!;
    await addComment(s.deps, s.cast.owner.id, s.engagementId, { subjectType: 'documentVersion', subjectId: version.id, field: field.id, body: 'Why this figure?' });
    const thread = await readThread(s.deps, s.cast.staff[1]!.id, s.engagementId, { type: 'documentNumber', documentId: version.document.id, number: version.number }, 'en');
    expect(thread.comments[0]!.fieldLabel).to.equal(field.label);

    const item = await createItem(s.deps, s.cast.staff[0]!.id, s.engagementId, { channel: 'chat', format: 'post', title: 'Rye bread', plannedOn: '2026-03-10', body: 'x' });
    await addComment(s.deps, s.cast.staff[1]!.id, s.engagementId, { subjectType: 'contentItem', subjectId: item.id, body: 'Nice photo.' });
    expect((await readThread(s.deps, s.cast.owner.id, s.engagementId, { type: 'contentItem', id: item.id }, 'en')).comments).to.have.length(1);
  });

  describe('a task made of a comment', () => {
    it('starts from the comment, links back to it, and counts in My tasks and the timeline', async () => {
      const task = await salesTask();
      const [sales, production] = s.cast.staff;
      const { comment } = await addComment(s.deps, s.cast.owner.id, s.engagementId, { subjectType: 'task', subjectId: task.id, body: `**Order** the new oven\n${at(sales!)} by 2026-03-20, please.` });
      const form = await readCommentForm(s.deps, s.cast.owner.id, s.engagementId, comment.id);
      expect(form.prefill).to.deep.equal({ title: 'Order the new oven', assigneeId: sales!.id, deadline: '2026-03-20' });
      expect(form.candidates.map((c) => c.userId), 'production may not read the thread').to.not.include(production!.id);

      const made = await makeTaskOfComment(s.deps, s.cast.owner.id, s.engagementId, comment.id, form.prefill);
      expect(made).to.include({ title: 'Order the new oven', stageId: 'preparation', status: 'open', role: 'staff' });
      const mine = await listMyTasks(s.deps, sales!.id, 'en');
      expect(mine.map((t) => t.title)).to.include('Order the new oven');
      const thread = await readThread(s.deps, sales!.id, s.engagementId, { type: 'task', id: task.id }, 'en');
      expect(thread.comments[0]!.task).to.include({ id: made.id, status: 'open', isOverdue: false, assigneeName: 'Sales' });
      const ownThread = await readThread(s.deps, sales!.id, s.engagementId, { type: 'task', id: made.id }, 'en');
      expect(ownThread.origin?.link).to.equal(`/engagements/${s.engagementId}/tasks/${task.id}#comment-${comment.id}`);

      await notifyAll();
      const told = (await s.db.orm.em.fork().getConnection().execute("select params from notifications where user_id = ? and kind = 'taskAssigned' and link = ?", [sales!.id, `/engagements/${s.engagementId}/tasks/${made.id}`])) as { params: { title?: { en: string } } }[];
      expect(told.map((n) => n.params.title?.en), 'the assignee is told of the task by its title').to.deep.equal(['Order the new oven']);

      s.deps.time.advanceDays(20);
      const timeline = await getTimeline(s.deps, s.cast.consultant.id, s.engagementId);
      expect(timeline.overdueTasks.map((t) => t.title)).to.include('Order the new oven');
      const later = await readThread(s.deps, sales!.id, s.engagementId, { type: 'task', id: task.id }, 'en');
      expect(later.comments[0]!.task?.isOverdue).to.equal(true);
    });

    it('refuses each wrong field at once, a staff member, and a second task of the same comment', async () => {
      const task = await salesTask();
      const { comment } = await addComment(s.deps, s.cast.consultant.id, s.engagementId, onTask(task, 'Something to do.'));
      const problems = await refusalOf(makeTaskOfComment(s.deps, s.cast.consultant.id, s.engagementId, comment.id, { title: ' ', assigneeId: s.cast.outsider.id, deadline: '2026-06-01' }));
      expect((problems as InvalidInputError).problems.map((p) => p.field)).to.deep.equal(['title', 'assigneeId']);
      const outside = await refusalOf(makeTaskOfComment(s.deps, s.cast.consultant.id, s.engagementId, comment.id, { title: 'Do it', assigneeId: s.cast.staff[0]!.id, deadline: '2026-06-01' }));
      expect((outside as InvalidInputError).problems).to.deep.equal([{ field: 'deadline', message: DEADLINE_OUTSIDE_PLAN }]);
      expect(await problemsOf(makeTaskOfComment(s.deps, s.cast.consultant.id, s.engagementId, comment.id, { title: 'Do it', assigneeId: s.cast.staff[1]!.id, deadline: '' }))).to.deep.equal(['deadline', 'assigneeId']);
      expect(await refusalOf(makeTaskOfComment(s.deps, s.cast.staff[0]!.id, s.engagementId, comment.id, { title: 'Do it', assigneeId: s.cast.staff[0]!.id, deadline: '2026-03-20' }))).to.be.instanceOf(ForbiddenError);
      expect(await s.db.orm.em.fork().count(Task, { engagement: s.engagementId, key: null })).to.equal(0);

      await makeTaskOfComment(s.deps, s.cast.consultant.id, s.engagementId, comment.id, { title: 'Do it', assigneeId: s.cast.staff[0]!.id, deadline: '2026-03-20' });
      expect(await refusalOf(makeTaskOfComment(s.deps, s.cast.consultant.id, s.engagementId, comment.id, { title: 'Again', assigneeId: s.cast.staff[0]!.id, deadline: '2026-03-20' }))).to.be.instanceOf(ConflictError);
      expect(await s.db.orm.em.fork().count(Task, { engagement: s.engagementId, key: null })).to.equal(1);
    });
  });
});
