// The owner's controls on the engagement page, in English and Russian: inviting and removing staff,
// naming and withdrawing a delegate; the delegate's page and the log that says they acted as delegate.
import { expect } from 'chai';
import { listWaitingForMe } from '../../src/queue/waiting.queries.ts';
import { useWebApp, type Response, type WebClient } from '../helpers/web.ts';
import { contentOf } from '../helpers/content.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { assignTask } from '../../src/engagement/tasks.service.ts';
import { Participant } from '../../src/engagement/engagement.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';

const text = (page: Response) => page.text.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ');

describe('the owner runs the project from the engagement page', function () {
  this.timeout(120_000);
  const s = useWebApp();
  const base = () => `/engagements/${s.engagementId}`;
  const inRussian = async (client: WebClient) => {
    await client.get('/');
    await client.post('/language', { locale: 'ru' });
    return client;
  };
  /** The people the removal form offers. */
  const offered = (page: Response) => [...(/action="[^"]*\/participants\/remove"[\s\S]*?<select name="userId"[^>]*>([\s\S]*?)<\/select>/.exec(page.text)?.[1] ?? '').matchAll(/value="([\w-]+)"/g)].map((m) => m[1]);

  it('shows the owner the invitation (staff only), a remove button per staff member and the delegate form, in English', async () => {
    const owner = await s.signedIn(s.cast.owner);
    const page = await owner.get(base());
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`action="${base()}/participants"`);
    const roles = [...(/<select name="role">([\s\S]*?)<\/select>/.exec(page.text)?.[1] ?? '').matchAll(/value="(\w+)"/g)].map((m) => m[1]);
    expect(roles, 'the owner invites staff only').to.deep.equal(['staff']);
    expect(offered(page), 'staff only: never the owner or the consultant').to.deep.equal(s.cast.staff.map((p) => p.id));
    expect(text(page)).to.contain('Their done work stays; their open tasks become unassigned.');
    expect(text(page)).to.contain('No one acts for the owner.');
    expect(page.text).to.contain(`action="${base()}/delegate"`);
    expect(page.text, 'the assignment form as the consultant has it').to.contain('id="bulk-assign"');
  });

  it('removes a staff member by the form and says their open tasks are unassigned, in Russian', async () => {
    const [sales] = s.cast.staff;
    const task = await s.db.orm.em.fork().findOneOrFail(Task, { engagement: s.engagementId, stageId: 'preparation', role: 'staff', kind: { $ne: 'signoff' } });
    await assignTask(s.app.deps, s.cast.consultant.id, s.engagementId, task.id, { assigneeId: sales!.id });
    const owner = await inRussian(await s.signedIn(s.cast.owner));
    const page = await owner.get(base());
    expect(text(page)).to.contain('Сделанное сохранится, открытые задачи останутся без исполнителя.');
    const res = await owner.post(`${base()}/participants/remove`, { userId: sales!.id, __referer: base() });
    expect([res.status, res.location]).to.deep.equal([303, `${base()}#people`]);
    const after = await owner.follow(res);
    expect(text(after)).to.contain('Sales больше не участвует в проекте; 1 открытая задача осталась без исполнителя.');
    expect(after.text).not.to.contain(sales!.email);
    expect((await s.db.orm.em.fork().findOneOrFail(Task, task.id)).assignee).to.equal(null);
  });

  it('refuses to remove the owner with a reason in Russian and removes nobody', async () => {
    const consultant = await inRussian(await s.signedIn(s.cast.consultant));
    await consultant.get(base());
    const res = await consultant.post(`${base()}/participants/remove`, { userId: s.cast.owner.id, __referer: base() });
    expect(res.status).to.equal(409);
    expect(text(res)).to.contain('Владельца нельзя исключить из проекта');
    expect(await s.db.orm.em.fork().count(Participant, { engagement: s.engagementId })).to.equal(4);
  });

  it('gives staff no remove buttons and no delegate form, and answers their posts with 403', async () => {
    const staff = await s.signedIn(s.cast.staff[0]!);
    const page = await staff.get(base());
    expect(page.text).not.to.contain('/participants/remove"');
    expect(page.text).not.to.contain(`action="${base()}/delegate"`);
    expect((await staff.post(`${base()}/participants/remove`, { userId: s.cast.staff[1]!.id, __referer: base() })).status).to.equal(403);
    expect((await staff.post(`${base()}/delegate`, { userId: s.cast.staff[0]!.id, __referer: base() })).status).to.equal(403);
    expect(await s.db.orm.em.fork().count(Participant, { engagement: s.engagementId, actsAsOwner: true })).to.equal(0);
  });

  it('lets the owner name a delegate, who then approves as owner, and the log says so, in Russian and English', async () => {
    const delegate = s.cast.staff[0]!;
    const owner = await inRussian(await s.signedIn(s.cast.owner));
    await owner.get(base());
    const named = await owner.post(`${base()}/delegate`, { userId: delegate.id, __referer: base() });
    expect(named.status).to.equal(303);
    const ownerPage = await owner.follow(named);
    expect(text(ownerPage)).to.contain('Sales теперь действует от имени владельца.');
    expect(text(ownerPage)).to.contain('Sales действует от имени владельца: утверждает документы, подписывает этапы и руководит проектом.');
    expect(ownerPage.text).to.contain(`action="${base()}/delegate/withdraw"`);

    const version = await submitDocumentVersion(s.app.deps, s.cast.consultant.id, s.engagementId, 'content-concept', await contentOf('content-concept', 'for the delegate'));
    const acting = await s.signedIn(delegate);
    const home = await acting.get('/');
    expect(home.text, "the document waits on the delegate's home page, as on the owner's").to.contain(`${base()}/documents/${version.document.id}"`);
    const waiting = await listWaitingForMe(s.app.deps, delegate.id, 'en');
    expect(waiting.some((w) => w.kind === 'approveDocument'), 'the approval waits for the delegate').to.equal(true);
    expect(home.text, 'and is counted in the top bar').to.match(new RegExp(`<span class="count" title="[^"]*">${waiting.length}</span>`));
    const overview = await acting.get(base());
    expect(overview.text, 'the delegate sees the gate and the people, as the owner does').to.contain('id="gate"');
    expect(overview.text).to.contain('id="people"');
    expect(overview.text, 'but names or withdraws no one').not.to.contain(`action="${base()}/delegate"`);
    const documentPage = await acting.get(`${base()}/documents/${version.document.id}`);
    expect(documentPage.text).to.contain(`/documents/${version.document.id}/approve"`);
    const approved = await acting.post(`${base()}/documents/${version.document.id}/approve`, { hash: version.contentHash, __referer: `${base()}/documents/${version.document.id}` });
    expect(approved.status).to.equal(303);

    const englishLog = await (await s.signedIn(s.cast.consultant)).get(`${base()}/events`);
    expect(text(englishLog)).to.match(/Sales \(as the owner’s delegate\) · approved a document/);
    expect(text(await owner.get(`${base()}/events`))).to.match(/Sales \(как заместитель владельца\) · утверждение документа/);
  });

  it('lets the owner withdraw the delegation by the form; the former delegate is staff again', async () => {
    const delegate = s.cast.staff[0]!;
    const owner = await s.signedIn(s.cast.owner);
    await owner.get(base());
    await owner.post(`${base()}/delegate`, { userId: delegate.id, __referer: base() });
    const page = await owner.get(base());
    expect(text(page)).to.contain('Sales acts for the owner');
    const withdrawn = await owner.post(`${base()}/delegate/withdraw`, { __referer: base() });
    expect(text(await owner.follow(withdrawn))).to.contain('The delegation is withdrawn; the owner acts alone again.');
    const former = await s.signedIn(delegate);
    const theirs = await former.get(base());
    expect(theirs.text, 'no gate box for staff').not.to.contain('id="gate"');
    expect((await former.post(`${base()}/advance`, { __referer: base() })).status).to.equal(403);
  });
});
