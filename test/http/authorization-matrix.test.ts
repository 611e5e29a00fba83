import { contentOf } from '../helpers/content.ts';
import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeEngagement, type Cast } from '../helpers/factories.ts';
import { startTestApp, setPassword, WebClient, type TestApp } from '../helpers/web.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { EngagementEvent } from '../../src/engagement/engagement.entity.ts';

type Role = 'consultant' | 'owner' | 'staff' | 'outsider';
type Expect = 'ok' | 403 | 404;

interface Ids {
  engagement: string;
  task: string;
  document: string;
  hash: string;
}

/** Every route, with what each role of the engagement gets; 'ok' is any answer but 403/404. */
const routes: { name: string; method: 'GET' | 'POST'; path: (ids: Ids) => string; body?: (ids: Ids) => Record<string, string>; expect: Record<Exclude<Role, 'outsider'>, Expect> }[] = [
  { name: 'engagement page', method: 'GET', path: (i) => `/engagements/${i.engagement}`, expect: { consultant: 'ok', owner: 'ok', staff: 'ok' } },
  { name: 'document page', method: 'GET', path: (i) => `/engagements/${i.engagement}/documents/${i.document}`, expect: { consultant: 'ok', owner: 'ok', staff: 'ok' } },
  { name: 'document editor', method: 'GET', path: (i) => `/engagements/${i.engagement}/documents/new?type=content-concept`, expect: { consultant: 'ok', owner: 404, staff: 'ok' } },
  { name: 'start', method: 'POST', path: (i) => `/engagements/${i.engagement}/start`, expect: { consultant: 'ok', owner: 403, staff: 403 } },
  { name: 'pause', method: 'POST', path: (i) => `/engagements/${i.engagement}/pause`, expect: { consultant: 'ok', owner: 403, staff: 403 } },
  { name: 'resume', method: 'POST', path: (i) => `/engagements/${i.engagement}/resume`, expect: { consultant: 'ok', owner: 403, staff: 403 } },
  { name: 'advance', method: 'POST', path: (i) => `/engagements/${i.engagement}/advance`, expect: { consultant: 'ok', owner: 403, staff: 403 } },
  {
    name: 'invite',
    method: 'POST',
    path: (i) => `/engagements/${i.engagement}/participants`,
    body: () => ({ email: `p${Math.random().toString(36).slice(2)}@example.com`, name: 'New', role: 'staff', direction: 'other' }),
    expect: { consultant: 'ok', owner: 403, staff: 403 },
  },
  { name: 'assign task', method: 'POST', path: (i) => `/engagements/${i.engagement}/tasks/${i.task}/assign`, body: () => ({ assigneeId: '' }), expect: { consultant: 'ok', owner: 403, staff: 403 } },
  { name: 'complete task', method: 'POST', path: (i) => `/engagements/${i.engagement}/tasks/${i.task}/complete`, expect: { consultant: 'ok', owner: 403, staff: 403 } },
  { name: 'sign off', method: 'POST', path: (i) => `/engagements/${i.engagement}/stages/preparation/signoff`, expect: { consultant: 403, owner: 'ok', staff: 403 } },
  {
    name: 'submit document',
    method: 'POST',
    path: (i) => `/engagements/${i.engagement}/documents`,
    body: () => ({ typeId: 'content-concept', text: `text ${Math.random()}` }),
    expect: { consultant: 'ok', owner: 403, staff: 'ok' },
  },
  { name: 'approve', method: 'POST', path: (i) => `/engagements/${i.engagement}/documents/${i.document}/approve`, body: (i) => ({ hash: i.hash }), expect: { consultant: 403, owner: 'ok', staff: 403 } },
  {
    name: 'request changes',
    method: 'POST',
    path: (i) => `/engagements/${i.engagement}/documents/${i.document}/request-changes`,
    body: (i) => ({ hash: i.hash, comment: 'more detail' }),
    expect: { consultant: 403, owner: 'ok', staff: 403 },
  },
  { name: 'confirm a document unchanged', method: 'POST', path: (i) => `/engagements/${i.engagement}/documents/${i.document}/confirm`, body: (i) => ({ hash: i.hash }), expect: { consultant: 403, owner: 'ok', staff: 403 } },
  // The content plan (src/content): everyone reads it; the consultant plans, staff write, the owner approves.
  { name: 'content plan', method: 'GET', path: (i) => `/engagements/${i.engagement}/content`, expect: { consultant: 'ok', owner: 'ok', staff: 'ok' } },
  { name: 'content items', method: 'GET', path: (i) => `/engagements/${i.engagement}/content/items`, expect: { consultant: 'ok', owner: 'ok', staff: 'ok' } },
  { name: 'content calendar', method: 'GET', path: (i) => `/engagements/${i.engagement}/content/calendar`, expect: { consultant: 'ok', owner: 'ok', staff: 'ok' } },
  { name: 'content plan CSV', method: 'GET', path: (i) => `/engagements/${i.engagement}/content/plan.csv`, expect: { consultant: 'ok', owner: 'ok', staff: 'ok' } },
  { name: 'fill a month', method: 'POST', path: (i) => `/engagements/${i.engagement}/content/fill`, body: () => ({ month: '2026-04', channels: 'chat', weekdays: '1' }), expect: { consultant: 'ok', owner: 403, staff: 403 } },
  { name: 'weekday themes', method: 'POST', path: (i) => `/engagements/${i.engagement}/content/themes`, expect: { consultant: 'ok', owner: 403, staff: 403 } },
  { name: 'new content item', method: 'POST', path: (i) => `/engagements/${i.engagement}/content/items`, body: () => ({ channel: 'chat', format: 'post', title: 'An idea', plannedOn: '2026-03-10' }), expect: { consultant: 'ok', owner: 403, staff: 'ok' } },
  { name: 'approve a content week', method: 'POST', path: (i) => `/engagements/${i.engagement}/content/weeks/2026-W11/approve`, expect: { consultant: 403, owner: 'ok', staff: 403 } },
];

describe('authorization matrix over HTTP (every role x every route x own and other engagement)', function () {
  this.timeout(120_000);
  let db: TestDatabase;
  let app: TestApp;
  let ids: Ids;
  let otherIds: Ids;
  const clients = {} as Record<Role, WebClient>;

  async function engagementWithDocument(): Promise<{ ids: Ids; cast: Cast }> {
    const made = await makeEngagement(app.deps);
    const version = await submitDocumentVersion(app.deps, made.cast.consultant.id, made.engagementId, 'content-concept', await contentOf('content-concept', 'draft'));
    const task = await db.orm.em.fork().findOneOrFail(Task, { engagement: made.engagementId, kind: 'meeting' });
    return { ids: { engagement: made.engagementId, task: task.id, document: version.document.id, hash: version.contentHash }, cast: made.cast };
  }

  before(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db);
    const mine = await engagementWithDocument();
    const other = await engagementWithDocument();
    ids = mine.ids;
    otherIds = other.ids;
    const people: Record<Role, { id: string; email: string }> = {
      consultant: mine.cast.consultant,
      owner: mine.cast.owner,
      staff: mine.cast.staff[0]!,
      outsider: other.cast.consultant,
    };
    for (const [role, person] of Object.entries(people) as [Role, { id: string; email: string }][]) {
      await setPassword(db, person.id);
      clients[role] = new WebClient(app.url);
      const res = await clients[role].signIn(person.email);
      expect(res.status, `${role} signs in`).to.equal(303);
    }
  });
  after(async () => {
    await app.close();
    await db.drop();
  });

  const events = (engagement: string) => db.orm.em.fork().count(EngagementEvent, { engagement });

  for (const route of routes) {
    it(`${route.method} ${route.name}: each role gets its due answer, outsiders get 404, refusals change nothing`, async () => {
      // The refused roles go first, so the allowed role's action does not change what they meet.
      const order: Role[] = (['owner', 'staff', 'consultant'] as const).slice().sort((a, b) => Number(route.expect[a] === 'ok') - Number(route.expect[b] === 'ok'));
      for (const role of ['outsider', ...order] as Role[]) {
        const client = clients[role];
        await client.get('/');
        const target = ids; // the outsider is a consultant of the other engagement
        const before = await events(target.engagement);
        const res = route.method === 'GET' ? await client.get(route.path(target)) : await client.post(route.path(target), route.body?.(target) ?? {});
        const expected: Expect = role === 'outsider' ? 404 : route.expect[role];
        if (expected === 'ok') expect([403, 404], `${role} on ${route.name}`).not.to.include(res.status);
        else {
          expect(res.status, `${role} on ${route.name}`).to.equal(expected);
          expect(await events(target.engagement), `${role}'s refused ${route.name} changed nothing`).to.equal(before);
        }
        expect(res.text, 'no stack trace in any answer').not.to.match(/at \S+ \(.*:\d+:\d+\)/);
      }
      // Members of this engagement asking about the other one get 404 too.
      for (const role of ['consultant', 'owner', 'staff'] as Role[]) {
        const res = route.method === 'GET' ? await clients[role].get(route.path(otherIds)) : await clients[role].post(route.path(otherIds), route.body?.(otherIds) ?? {});
        expect(res.status, `${role} on the other engagement's ${route.name}`).to.equal(404);
      }
    });
  }

  it('sends a signed-out visitor to the login page from every page', async () => {
    const anonymous = new WebClient(app.url);
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const res = await anonymous.get(route.path(ids));
      expect(res.status).to.equal(303);
      expect(res.location).to.match(/^\/login\?next=/);
    }
  });
});
