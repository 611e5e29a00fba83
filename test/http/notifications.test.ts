// The inbox: events become notifications for the people they concern (never for the one who
// acted), exactly once; the top bar counts the unread ones; opening one marks it read and goes
// to the thing; nobody can open another person's.
import { expect } from 'chai';
import { useWebApp } from '../helpers/web.ts';
import { contentOf } from '../helpers/content.ts';
import { assignTask } from '../../src/engagement/tasks.service.ts';
import { requestChanges, submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { notifyPendingEvents } from '../../src/notifications/notifier.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { createItem, requestItemChanges, submitItem } from '../../src/content/content-items.service.ts';

const unreadBadge = (html: string) => Number(/<span class="count" id="unread-badge"[^>]*>(\d+)<\/span>/.exec(html)?.[1] ?? 0);
const entries = (html: string) => [...html.matchAll(/<li class="notification notification-(\w+)( unread)?">[\s\S]*?<a href="(\/notifications\/[^"]+\/open)">([^<]*)<\/a>/g)].map((m) => ({ kind: m[1]!, unread: !!m[2], href: m[3]!, text: m[4]! }));

describe('notifications', function () {
  this.timeout(90_000);
  const s = useWebApp();
  const deps = () => s.app.deps;
  const notifyAll = async () => {
    while ((await notifyPendingEvents(deps())) > 0);
  };
  const count = async (userId: string) => Number(((await s.db.orm.em.fork().getConnection().execute('select count(*)::int as n from notifications where user_id = ?', [userId])) as { n: number }[])[0]!.n);

  it('tells an assignee about their task in their language, counts it in the top bar, and marks it read when opened', async () => {
    const training = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, stageId: 'preparation', kind: 'training' }, { orderBy: { position: 'asc' } });
    const [sales] = s.cast.staff;
    await assignTask(deps(), s.cast.consultant.id, s.engagementId, training.id, { assigneeId: sales!.id });
    await notifyAll();

    const staff = await s.signedIn(sales!);
    let inbox = await staff.get('/notifications');
    expect(inbox.status).to.equal(200);
    const list = entries(inbox.text);
    expect(list.map((e) => e.kind)).to.deep.equal(['taskAssigned', 'invited']);
    expect(list[0]!.text).to.match(/^Assigned to you: \S/);
    expect(unreadBadge(inbox.text)).to.equal(2);
    expect(inbox.text).to.contain('Kolosok Bakery');

    await staff.post('/language', { locale: 'ru', back: '/notifications' });
    inbox = await staff.get('/notifications');
    expect(entries(inbox.text)[0]!.text).to.match(/^Вам поручена задача: \S/);
    expect(inbox.text).to.contain('2 непрочитанных уведомления');

    const opened = await staff.get(entries(inbox.text)[0]!.href);
    expect(opened.status).to.equal(303);
    expect(opened.location).to.equal(`/engagements/${s.engagementId}/tasks/${training.id}`);
    const after = await staff.get('/tasks');
    expect(unreadBadge(after.text), 'the count is on every page and went down').to.equal(1);
  });

  it('tells the owner a document waits for approval and the consultant that changes were asked, with the comment, never the one who acted', async () => {
    const version = await submitDocumentVersion(deps(), s.cast.consultant.id, s.engagementId, 'target-criteria', await contentOf('target-criteria'));
    await requestChanges(deps(), s.cast.owner.id, s.engagementId, version.document.id, version.contentHash, 'Please add the autumn figures.');
    await notifyAll();

    const owner = entries((await (await s.signedIn(s.cast.owner)).get('/notifications')).text);
    expect(owner.map((e) => e.kind)).to.deep.equal(['documentSubmitted', 'invited']);
    const consultantPage = await (await s.signedIn(s.cast.consultant)).get('/notifications');
    const consultant = entries(consultantPage.text);
    expect(consultant.map((e) => e.kind), 'the consultant is not told of their own submission').to.deep.equal(['changesRequested']);
    expect(consultantPage.text).to.contain('Please add the autumn figures.');
    expect(await count(s.cast.staff[0]!.id), 'staff hear only that they were invited').to.equal(1);
  });

  it('tells the owner a content item waits for approval and its author that changes were asked', async () => {
    const [sales] = s.cast.staff;
    const item = await createItem(deps(), sales!.id, s.engagementId, { channel: 'chat', format: 'post', title: 'Rye bread on Tuesday', plannedOn: '2026-03-10', body: 'x' });
    await submitItem(deps(), sales!.id, s.engagementId, item.id);
    await requestItemChanges(deps(), s.cast.owner.id, s.engagementId, item.id, 'Add a photo of the oven.');
    await notifyAll();
    const owner = entries((await (await s.signedIn(s.cast.owner)).get('/notifications')).text);
    expect(owner[0]).to.deep.include({ kind: 'contentSubmitted', text: 'Content sent for your approval: Rye bread on Tuesday' });
    const authorPage = await (await s.signedIn(sales!)).get('/notifications');
    const author = entries(authorPage.text);
    expect(author[0]).to.deep.include({ kind: 'contentChangesRequested', text: 'Changes asked for your content: Rye bread on Tuesday' });
    expect(authorPage.text).to.contain('Add a photo of the oven.');
  });

  it('makes each notification once, even when two processes take the same events at the same moment', async () => {
    await Promise.all([notifyAll(), notifyAll(), notifyAll()]);
    await notifyAll();
    for (const person of [s.cast.owner, ...s.cast.staff]) expect(await count(person.id), person.name).to.equal(1);
    expect(await count(s.cast.consultant.id)).to.equal(0);
  });

  it("answers 404 for another person's notification and marks all read only one's own", async () => {
    await notifyAll();
    const owner = await s.signedIn(s.cast.owner);
    const staff = await s.signedIn(s.cast.staff[0]!);
    const ownersEntry = entries((await owner.get('/notifications')).text)[0]!;
    expect((await staff.get(ownersEntry.href)).status).to.equal(404);
    expect((await staff.get('/notifications/not-a-uuid/open')).status).to.equal(404);
    expect(entries((await owner.get('/notifications')).text)[0]!.unread, 'still unread after the failed attempt').to.equal(true);

    await staff.get('/notifications');
    const done = await staff.post('/notifications/read-all', {});
    expect(done.status).to.equal(303);
    expect(unreadBadge((await staff.get('/notifications')).text)).to.equal(0);
    expect(unreadBadge((await owner.get('/notifications')).text)).to.equal(1);
  });
});
