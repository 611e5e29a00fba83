// A firm administrator opens any engagement of the firm, read only with the consultant's view
// (src/engagement/engagement-access.ts); a consultant who takes no part still finds nothing there.
import { expect } from 'chai';
import { useWebApp, setPassword, WebClient } from '../helpers/web.ts';
import { makeUser } from '../helpers/factories.ts';
import { ApiClient, tokenFor } from '../helpers/api.ts';
import { approveTargets } from '../kpi/kpi-helpers.ts';
import { setUserLocale } from '../../src/users/users.service.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { viewerOf } from '../../src/engagement/engagement-access.ts';
import { completeCurrentStage } from '../helpers/factories.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { addComment } from '../../src/comments/comments.service.ts';
import { createItem } from '../../src/content/content-items.service.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { Comment } from '../../src/comments/comment.entity.ts';
import { DocumentVersion } from '../../src/documents/document.entity.ts';

describe('a firm administrator reading an engagement they take no part in', function () {
  this.timeout(120_000);
  const suite = useWebApp();
  const signIn = async (user: { id: string; email: string }) => {
    await setPassword(suite.db, user.id);
    const client = new WebClient(suite.app.url);
    await client.signIn(user.email);
    return client;
  };

  it('gives participants their own role, an administrator the consultant view read only, and anyone else nothing', () => {
    expect(viewerOf({ role: 'staff', actsAsOwner: true }, null)).to.deep.equal({ role: 'staff', actsAsOwner: true, readOnly: false });
    expect(viewerOf({ role: 'owner', actsAsOwner: false }, 'admin')).to.deep.equal({ role: 'owner', actsAsOwner: true, readOnly: false });
    expect(viewerOf(null, 'admin')).to.deep.equal({ role: 'consultant', actsAsOwner: false, readOnly: true });
    expect(viewerOf(null, 'consultant')).to.equal(null);
    expect(viewerOf(null, null)).to.equal(null);
  });

  it('opens the engagement page and the KPI page without their forms; a consultant who takes no part gets 404', async () => {
    await approveTargets(suite.app.deps, suite.cast, suite.engagementId);
    const admin = await signIn(await makeUser(suite.db.orm, 'Firm Admin', 'admin'));
    const page = await admin.get(`/engagements/${suite.engagementId}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Kolosok Bakery').and.contain('id="read-only-view"').and.contain('you can read it, and its participants make the changes');
    // The consultant's view: the people, the checklist and the log, but no action.
    expect(page.text).to.contain(suite.cast.owner.email);
    for (const action of ['/pause', '/cancel', '/participants"', '/tasks/assign', '/advance']) expect(page.text, action).not.to.contain(`/engagements/${suite.engagementId}${action}`);
    // Comparing with the firm is an administrator's too (src/portfolio/benchmarks.queries.ts).
    expect(page.text).to.contain(`href="/engagements/${suite.engagementId}/benchmarks"`);
    const kpis = await admin.get(`/engagements/${suite.engagementId}/kpis`);
    expect(kpis.status).to.equal(200);
    expect(kpis.text).to.contain('Followers').and.not.contain('/kpis/actuals"').and.not.contain('/kpis/fill/');

    const consultantsOwn = await signIn(suite.cast.consultant);
    const ownPage = await consultantsOwn.get(`/engagements/${suite.engagementId}`);
    expect(ownPage.text).to.contain(`/engagements/${suite.engagementId}/pause`).and.not.contain('id="read-only-view"');

    const otherConsultant = await signIn(await makeUser(suite.db.orm, 'Other Consultant', 'consultant'));
    expect((await otherConsultant.get(`/engagements/${suite.engagementId}`)).status).to.equal(404);
    expect((await otherConsultant.get(`/engagements/${suite.engagementId}/kpis`)).status).to.equal(404);
  });

  it('says it in Russian too', async () => {
    const user = await makeUser(suite.db.orm, 'Firm Admin', 'admin');
    await setUserLocale(suite.app.deps, user.id, 'ru');
    const admin = await signIn(user);
    const page = await admin.get(`/engagements/${suite.engagementId}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Вы смотрите проект как администратор фирмы');
  });

  it('reads the engagement through the API by the same rule, and changes nothing there', async () => {
    const admin = await makeUser(suite.db.orm, 'Firm Admin', 'admin');
    const api = new ApiClient(suite.app.url, await tokenFor(suite.app.deps, admin.id, 'read-write'));
    const one = await api.get(`/engagements/${suite.engagementId}`);
    expect(one.status).to.equal(200);
    expect(one.body).to.include({ id: suite.engagementId, role: 'consultant', readOnly: true, actsAsOwner: false });
    const tasks = await api.get(`/engagements/${suite.engagementId}/tasks`);
    expect(tasks.status).to.equal(200);
    expect(tasks.body.items.length).to.be.greaterThan(5);
    expect((await api.get(`/engagements/${suite.engagementId}/kpis`)).body.canEnter).to.equal(false);
    // The event log and a task's thread read by the same rule as their pages.
    expect((await api.get(`/engagements/${suite.engagementId}/events`)).status).to.equal(200);
    expect((await api.get(`/engagements/${suite.engagementId}/tasks/${tasks.body.items[0].id}/comments`)).status).to.equal(200);
    const events = await suite.db.orm.em.fork().count(EngagementEvent, { engagement: suite.engagementId });
    const refused = await api.post(`/engagements/${suite.engagementId}/tasks/${tasks.body.items[0].id}/complete`, {});
    expect(refused.status, 'commands know only participants').to.equal(404);
    expect(await suite.db.orm.em.fork().count(EngagementEvent, { engagement: suite.engagementId })).to.equal(events);

    const consultant = await makeUser(suite.db.orm, 'Other Consultant', 'consultant');
    const theirs = new ApiClient(suite.app.url, await tokenFor(suite.app.deps, consultant.id, 'read'));
    expect((await theirs.get(`/engagements/${suite.engagementId}`)).status).to.equal(404);
  });

  describe('on every page the engagement page leads to', () => {
    /** An engagement a stage on: documents with versions, a comment on a task, a content item. */
    const engagementWithWork = async () => {
      const deps = suite.app.deps;
      await completeCurrentStage(deps, suite.engagementId, suite.cast);
      await advanceStage(deps, suite.cast.consultant.id, suite.engagementId);
      const task = await suite.db.orm.em.fork().findOneOrFail(Task, { engagement: suite.engagementId, key: 'fmt.fill-test' });
      await addComment(deps, suite.cast.consultant.id, suite.engagementId, { subjectType: 'task', subjectId: task.id, body: 'Please test the forms on a phone.' });
      await createItem(deps, suite.cast.consultant.id, suite.engagementId, { channel: 'chat', format: 'post', title: 'Rye bread on Tuesday', plannedOn: deps.clock().toISOString().slice(0, 10), body: 'Fresh.' });
      return task;
    };
    const base = () => `/engagements/${suite.engagementId}`;
    const linksIn = (html: string) => [...html.matchAll(/href="([^"#]+)/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((href) => href === base() || href.startsWith(`${base()}/`) || href.startsWith(`${base()}?`));
    /** Every address under the engagement reachable from its page in up to five steps, with what each answered. */
    const crawl = async (client: WebClient) => {
      const seen = new Map<string, { status: number; text: string; type: string }>();
      let frontier = [base()];
      for (let depth = 0; depth < 5 && frontier.length; depth++) {
        const next: string[] = [];
        for (const url of frontier) {
          if (seen.has(url)) continue;
          const res = await client.get(url);
          seen.set(url, { status: res.status, text: res.text, type: res.headers.get('content-type') ?? '' });
          if (res.status === 200 && res.headers.get('content-type')?.startsWith('text/html')) next.push(...linksIn(res.text));
          // A task of a training module sends the reader to the module's page.
          if (res.status === 303 && res.location?.startsWith(base())) next.push(res.location);
        }
        frontier = [...new Set(next)].filter((url) => !seen.has(url));
      }
      return seen;
    };
    const actionForms = (html: string) => [...html.matchAll(/<form[^>]*method="post"[^>]*action="([^"]+)"/g)].map((m) => m[1]!).filter((a) => a !== '/logout' && a !== '/language');

    it('opens each one read only, with no form to act and the notice, while a consultant who takes no part finds none of them', async () => {
      await engagementWithWork();
      const admin = await signIn(await makeUser(suite.db.orm, 'Firm Admin', 'admin'));
      const pages = await crawl(admin);
      const paths = [...pages.keys()].map((url) => url.slice(base().length).replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/\?.*/, ''));
      for (const page of ['', '/tasks/:id', '/documents/:id', '/documents/:id/pdf', '/events', '/content', '/content/items', '/content/calendar', '/content/items/:id', '/content/plan.csv', '/desk', '/training', '/training/:id', '/kpis', '/benchmarks', '/reminders', '/webhooks', '/dossier.pdf', '/stages/preparation/report.pdf']) {
        expect(paths, `a link to ${page || 'the engagement'}`).to.include(page);
      }
      for (const [url, page] of pages) {
        expect(page.status, url).to.be.oneOf([200, 303]);
        if (!page.type.startsWith('text/html')) continue;
        expect(actionForms(page.text), url).to.deep.equal([]);
        expect(page.text, url).not.to.contain('/documents/new').and.not.to.contain('/content/items/new');
        if (!/\/(kpis|benchmarks)$/.test(url)) expect(page.text, url).to.contain('id="read-only-view"');
      }
      // A task's thread: the comment is read, and there is nothing to answer with.
      const task = [...pages].find(([url, page]) => url.includes('/tasks/') && page.text.includes('Please test the forms on a phone.'));
      expect(task, 'the commented task').to.not.equal(undefined);

      const outsider = await signIn(await makeUser(suite.db.orm, 'Other Consultant', 'consultant'));
      for (const url of pages.keys()) expect((await outsider.get(url)).status, url).to.equal(404);
    });

    it('shows the consultant view: the same tasks and documents as the consultant reads', async () => {
      await engagementWithWork();
      const admin = await signIn(await makeUser(suite.db.orm, 'Firm Admin', 'admin'));
      const consultant = await signIn(suite.cast.consultant);
      const staff = await signIn(suite.cast.staff[0]!);
      const read = (html: string) => linksIn(html).filter((l) => /\/(tasks|documents)\/[0-9a-f-]{36}$/.test(l)).sort();
      for (const stage of ['preparation', 'formatting']) {
        const url = `${base()}?stage=${stage}`;
        const [asAdmin, asConsultant, asStaff] = [await admin.get(url), await consultant.get(url), await staff.get(url)];
        const staffReads = read(asStaff.text);
        expect(read(asAdmin.text), stage).to.deep.equal(read(asConsultant.text)).and.not.deep.equal(staffReads);
        // A task staff do not see (not given to them) the administrator opens, as the consultant does; the staff member gets 404.
        const notTheirs = read(asConsultant.text).find((l) => l.includes('/tasks/') && !staffReads.includes(l))!;
        expect((await admin.get(notTheirs)).status, notTheirs).to.equal(200);
        expect((await staff.get(notTheirs)).status, notTheirs).to.equal(404);
      }
    });

    it('refuses every command and changes nothing, and offers no editor', async () => {
      const task = await engagementWithWork();
      const admin = await signIn(await makeUser(suite.db.orm, 'Firm Admin', 'admin'));
      const em = () => suite.db.orm.em.fork();
      const sql = async (query: string) => JSON.stringify(await em().getConnection().execute(query, [suite.engagementId]));
      const counts = async () => [
        await em().count(EngagementEvent, { engagement: suite.engagementId }),
        await em().count(Comment, { engagement: suite.engagementId }),
        await em().count(DocumentVersion, { document: { engagement: suite.engagementId } }),
        await sql('select time_zone from engagements where id = ?'),
        await sql('select count(*) from webhook_subscriptions where engagement_id = ?'),
      ];
      const before = await counts();
      await admin.get(`${base()}/tasks/${task.id}`);
      const version = await em().findOneOrFail(DocumentVersion, { document: { engagement: suite.engagementId } }, { populate: ['document'] });
      const commands: [string, Record<string, string>][] = [
        [`/tasks/${task.id}/complete`, { note: 'done' }],
        [`/tasks/${task.id}/assign`, { assigneeId: suite.cast.staff[0]!.id }],
        ['/comments', { subjectType: 'task', subjectId: task.id, body: 'An administrator writes' }],
        [`/documents/${version.document.id}/approve`, { hash: version.contentHash }],
        ['/documents', { typeId: version.document.typeId, intent: 'submit' }],
        ['/pause', {}],
        ['/content/themes', {}],
        ['/desk/settings', { approvalRequired: '1' }],
        ['/time-zone', { timeZone: 'Asia/Tokyo' }],
        ['/webhooks', { intent: 'create', targetUrl: 'https://example.org/hook' }],
      ];
      for (const [path, fields] of commands) {
        const res = await admin.post(`${base()}${path}`, fields);
        expect(res.status, path).to.be.oneOf([403, 404]);
      }
      expect(await counts()).to.deep.equal(before);
      expect((await admin.get(`${base()}/documents/new?type=${version.document.typeId}`)).status).to.equal(403);
      expect((await admin.get(`${base()}/content/items/new`)).status).to.equal(403);
      const comment = await em().findOneOrFail(Comment, { engagement: suite.engagementId });
      expect((await admin.get(`${base()}/comments/${comment.id}/edit`)).status).to.equal(403);
      expect((await admin.get(`${base()}/comments/${comment.id}/task`)).status).to.equal(403);
    });

    it('says so in Russian on a task page, and verifies a hash of an engagement the administrator takes no part in', async () => {
      const task = await engagementWithWork();
      const user = await makeUser(suite.db.orm, 'Firm Admin', 'admin');
      await setUserLocale(suite.app.deps, user.id, 'ru');
      const admin = await signIn(user);
      const page = await admin.get(`${base()}/tasks/${task.id}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('id="read-only-view"').and.contain('Вы смотрите проект как администратор фирмы');
      const editor = await admin.get(`${base()}/content/items/new`);
      expect(editor.status).to.equal(403);
      expect(editor.text).to.contain('Нет доступа');
      const version = await suite.db.orm.em.fork().findOneOrFail(DocumentVersion, { document: { engagement: suite.engagementId } });
      expect((await admin.get(`/verify/${version.contentHash}`)).status).to.equal(200);
      const outsider = await signIn(await makeUser(suite.db.orm, 'Other Consultant', 'consultant'));
      expect((await outsider.get(`/verify/${version.contentHash}`)).status).to.equal(404);
    });
  });
});
