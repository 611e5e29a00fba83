import { contentOf } from '../helpers/content.ts';
import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeEngagement, type Cast } from '../helpers/factories.ts';
import { startTestApp, setPassword, WebClient, type TestApp } from '../helpers/web.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { addParticipant } from '../../src/engagement/participants.service.ts';
import { nameOwnerDelegate, withdrawOwnerDelegate } from '../../src/engagement/owner-delegate.service.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { EngagementEvent, Participant } from '../../src/engagement/engagement.entity.ts';
import { User } from '../../src/users/user.entity.ts';

/** A delegate is a staff member the owner named to act as owner; an ex-delegate had it withdrawn. */
type Role = 'consultant' | 'owner' | 'staff' | 'delegate' | 'exDelegate' | 'outsider';
type Member = Exclude<Role, 'outsider'>;
type Expect = 'ok' | 403 | 404;

interface Ids {
  engagement: string;
  task: string;
  document: string;
  hash: string;
  /** A staff member whom the allowed roles may remove; the first removal leaves the others a 422. */
  leaver: string;
  delegate: string;
}

interface RouteRow {
  name: string;
  method: 'GET' | 'POST';
  path: (ids: Ids) => string;
  body?: (ids: Ids) => Record<string, string>;
  /** The delegate gets what the owner gets where that is more than staff get; the ex-delegate is staff again. */
  expect: Record<'consultant' | 'owner' | 'staff', Expect> & Partial<Record<'delegate' | 'exDelegate', Expect>>;
}

const expectedFor = (route: RouteRow, role: Member): Expect => {
  if (role === 'delegate') return route.expect.delegate ?? (route.expect.owner === 'ok' ? 'ok' : route.expect.staff);
  if (role === 'exDelegate') return route.expect.exDelegate ?? route.expect.staff;
  return route.expect[role];
};

/** Every route, with what each role of the engagement gets; 'ok' is any answer but 403/404. */
const routes: RouteRow[] = [
  { name: 'engagement page', method: 'GET', path: (i) => `/engagements/${i.engagement}`, expect: { consultant: 'ok', owner: 'ok', staff: 'ok' } },
  { name: 'figures against the firm', method: 'GET', path: (i) => `/engagements/${i.engagement}/benchmarks`, expect: { consultant: 'ok', owner: 403, staff: 403 } },
  { name: 'document page', method: 'GET', path: (i) => `/engagements/${i.engagement}/documents/${i.document}`, expect: { consultant: 'ok', owner: 'ok', staff: 'ok' } },
  { name: 'document editor', method: 'GET', path: (i) => `/engagements/${i.engagement}/documents/new?type=content-concept`, expect: { consultant: 'ok', owner: 404, staff: 'ok' } },
  { name: 'start', method: 'POST', path: (i) => `/engagements/${i.engagement}/start`, expect: { consultant: 'ok', owner: 403, staff: 403 } },
  { name: 'pause', method: 'POST', path: (i) => `/engagements/${i.engagement}/pause`, expect: { consultant: 'ok', owner: 403, staff: 403 } },
  { name: 'resume', method: 'POST', path: (i) => `/engagements/${i.engagement}/resume`, expect: { consultant: 'ok', owner: 403, staff: 403 } },
  // The owner is the project manager (seed 002): advancing an open gate, inviting staff and assigning are theirs too.
  { name: 'advance', method: 'POST', path: (i) => `/engagements/${i.engagement}/advance`, expect: { consultant: 'ok', owner: 'ok', staff: 403 } },
  {
    name: 'invite',
    method: 'POST',
    path: (i) => `/engagements/${i.engagement}/participants`,
    body: () => ({ email: `p${Math.random().toString(36).slice(2)}@example.com`, name: 'New', role: 'staff', direction: 'other' }),
    expect: { consultant: 'ok', owner: 'ok', staff: 403 },
  },
  {
    name: 'invite an owner',
    method: 'POST',
    path: (i) => `/engagements/${i.engagement}/participants`,
    body: () => ({ email: `o${Math.random().toString(36).slice(2)}@example.com`, name: 'Second owner', role: 'owner' }),
    expect: { consultant: 'ok', owner: 403, staff: 403, delegate: 403 },
  },
  { name: 'remove staff', method: 'POST', path: (i) => `/engagements/${i.engagement}/participants/remove`, body: (i) => ({ userId: i.leaver }), expect: { consultant: 'ok', owner: 'ok', staff: 403 } },
  { name: 'assign task', method: 'POST', path: (i) => `/engagements/${i.engagement}/tasks/${i.task}/assign`, body: () => ({ assigneeId: '' }), expect: { consultant: 'ok', owner: 'ok', staff: 403 } },
  { name: 'assign tasks in bulk', method: 'POST', path: (i) => `/engagements/${i.engagement}/tasks/assign`, body: (i) => ({ taskIds: i.task, assigneeId: '' }), expect: { consultant: 'ok', owner: 'ok', staff: 403 } },
  // Naming is the owner's own: the delegate does not pass the authority on. Naming the current delegate again is a 409.
  { name: 'name a delegate', method: 'POST', path: (i) => `/engagements/${i.engagement}/delegate`, body: (i) => ({ userId: i.delegate }), expect: { consultant: 403, owner: 'ok', staff: 403, delegate: 403 } },
  { name: 'withdraw the delegation', method: 'POST', path: (i) => `/engagements/${i.engagement}/delegate/withdraw`, expect: { consultant: 403, owner: 'ok', staff: 403, delegate: 403 } },
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
  let ownerId = '';
  const clients = {} as Record<Role, WebClient>;

  async function engagementWithDocument(): Promise<{ ids: Ids; cast: Cast; exDelegate: User }> {
    const made = await makeEngagement(app.deps);
    const version = await submitDocumentVersion(app.deps, made.cast.consultant.id, made.engagementId, 'content-concept', await contentOf('content-concept', 'draft'));
    const task = await db.orm.em.fork().findOneOrFail(Task, { engagement: made.engagementId, kind: 'meeting' });
    const staff = async (name: string) => {
      await addParticipant(app.deps, made.cast.consultant.id, made.engagementId, { email: `${name}.${made.engagementId}@example.com`, name, role: 'staff', direction: 'other' });
      return db.orm.em.fork().findOneOrFail(User, { email: `${name}.${made.engagementId}@example.com` });
    };
    const [leaver, exDelegate] = [await staff('leaver'), await staff('former-delegate')];
    const delegate = made.cast.staff[1]!;
    // The ex-delegate acted for the owner once; the delegation was withdrawn before the delegate was named.
    await nameOwnerDelegate(app.deps, made.cast.owner.id, made.engagementId, { userId: exDelegate.id });
    await withdrawOwnerDelegate(app.deps, made.cast.owner.id, made.engagementId);
    await nameOwnerDelegate(app.deps, made.cast.owner.id, made.engagementId, { userId: delegate.id });
    return { ids: { engagement: made.engagementId, task: task.id, document: version.document.id, hash: version.contentHash, leaver: leaver.id, delegate: delegate.id }, cast: made.cast, exDelegate };
  }

  before(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db);
    const mine = await engagementWithDocument();
    const other = await engagementWithDocument();
    ids = mine.ids;
    otherIds = other.ids;
    const cast: Record<Role, { id: string; email: string }> = {
      consultant: mine.cast.consultant,
      owner: mine.cast.owner,
      staff: mine.cast.staff[0]!,
      delegate: mine.cast.staff[1]!,
      exDelegate: mine.exDelegate,
      outsider: other.cast.consultant,
    };
    ownerId = mine.cast.owner.id;
    for (const [role, person] of Object.entries(cast) as [Role, { id: string; email: string }][]) {
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
  /** The owner's withdrawing (an allowed answer) ends the delegation the later rows rely on: it is named again. */
  async function keepDelegate() {
    const current = await db.orm.em.fork().findOne(Participant, { engagement: ids.engagement, actsAsOwner: true });
    if (!current) await nameOwnerDelegate(app.deps, ownerId, ids.engagement, { userId: ids.delegate });
  }

  for (const route of routes) {
    it(`${route.method} ${route.name}: each role gets its due answer, outsiders get 404, refusals change nothing`, async () => {
      // The refused roles go first, so the allowed role's action does not change what they meet.
      const members: Member[] = ['owner', 'delegate', 'exDelegate', 'staff', 'consultant'];
      const order = members.slice().sort((a, b) => Number(expectedFor(route, a) === 'ok') - Number(expectedFor(route, b) === 'ok'));
      for (const role of ['outsider', ...order] as Role[]) {
        const client = clients[role];
        await client.get('/');
        const target = ids; // the outsider is a consultant of the other engagement
        const before = await events(target.engagement);
        const res = route.method === 'GET' ? await client.get(route.path(target)) : await client.post(route.path(target), route.body?.(target) ?? {});
        const expected: Expect = role === 'outsider' ? 404 : expectedFor(route, role);
        if (expected === 'ok') expect([403, 404], `${role} on ${route.name}`).not.to.include(res.status);
        else {
          expect(res.status, `${role} on ${route.name}`).to.equal(expected);
          expect(await events(target.engagement), `${role}'s refused ${route.name} changed nothing`).to.equal(before);
        }
        expect(res.text, 'no stack trace in any answer').not.to.match(/at \S+ \(.*:\d+:\d+\)/);
        await keepDelegate();
      }
      // Members of this engagement asking about the other one get 404 too.
      for (const role of ['consultant', 'owner', 'staff', 'delegate'] as Role[]) {
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
