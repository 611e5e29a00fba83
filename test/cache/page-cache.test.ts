// Pages served again from memory (src/web/page-cache.ts): never stale after a change made anywhere,
// never another session's, fresh form keys each time, a message shown once, secrets never kept.
import { expect } from 'chai';
import pg from 'pg';
import { useWebApp, type WebClient } from '../helpers/web.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { ownerUrlOf } from '../helpers/postgres.ts';

const formKeys = (html: string) => [...html.matchAll(/name="_once" value="([^"]*)"/g)].map((m) => m[1]!);

async function eventually(check: () => Promise<boolean>, what: string, ms = 5_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) if (await check()) return;
  expect.fail(`never happened: ${what}`);
}

describe('pages kept in memory', function () {
  this.timeout(60_000);
  const s = useWebApp();
  let page: string;
  beforeEach(() => (page = `/engagements/${s.engagementId}`));

  /** Views the page until the cache serves it (the first views make it and store the CSRF token). */
  async function warm(client: WebClient, path = page): Promise<string> {
    await client.get(path);
    await new Promise((r) => setTimeout(r, 150)); // the session's own notice comes back
    await client.get(path);
    return (await client.get(path)).text;
  }

  it('shows a change committed by another connection, as another web process would make it', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    expect(await warm(consultant)).to.not.include('Renamed Café');
    const other = new pg.Client({ connectionString: s.db.url });
    await other.connect();
    try {
      await other.query(`update engagements set client_name = 'Renamed Café' where id = $1`, [s.engagementId]);
    } finally {
      await other.end();
    }
    await eventually(async () => (await consultant.get(page)).text.includes('Renamed Café'), 'the new client name on the page');
  });

  it('shows the person’s own change on the very next page, before any notice comes back', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    const sales = s.cast.staff[0]!;
    const em = s.app.deps.orm.em.fork();
    const task = await em.findOneOrFail(Task, { engagement: s.engagementId, role: 'staff', $or: [{ assignee: null }, { assignee: { $ne: sales.id } }] }, { orderBy: { position: 'asc' } });
    const stagePage = `${page}?stage=${task.stageId}`;
    // The checklist's assignee cells that name them.
    const named = (html: string) => html.split(`<td data-label="Assignee">${sales.name}</td>`).length - 1;
    const before = named(await warm(consultant, stagePage));
    const res = await consultant.post(`${page}/tasks/${task.id}/assign`, { assigneeId: sales.id, _once: formKeys(await warm(consultant, stagePage))[0]! });
    expect(res.status, 'the assignment is taken').to.equal(303);
    const after = await consultant.follow(res);
    expect(after.text.match(/class="flash flash-notice"/g) ?? [], 'the message is shown').to.have.length(1);
    expect(named((await consultant.get(stagePage)).text), 'the checklist names the assignee once more').to.equal(before + 1);
    const again = await consultant.get(page);
    expect(again.text.match(/class="flash flash-notice"/g) ?? [], 'the message is not shown a second time').to.have.length(0);
  });

  it('gives every answer fresh form keys', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    const first = formKeys(await warm(consultant));
    const second = formKeys((await consultant.get(page)).text);
    expect(first.length, 'the page has forms').to.be.greaterThan(0);
    expect(second).to.have.length(first.length);
    expect(second.filter((key) => first.includes(key)), 'no key is used twice').to.deep.equal([]);
    expect(new Set(second).size, 'each form its own key').to.equal(second.length);
  });

  it('never serves one session the page made for another, even of the same person', async () => {
    const laptop = await s.signedIn(s.cast.consultant);
    const phone = await s.signedIn(s.cast.consultant);
    await warm(laptop);
    await warm(phone);
    expect(laptop.csrf, 'two sessions, two tokens').to.not.equal(phone.csrf);
    const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
    expect(tokenIn((await laptop.get(page)).text)).to.equal(laptop.csrf);
    expect(tokenIn((await phone.get(page)).text)).to.equal(phone.csrf);
    const owner = await s.signedIn(s.cast.owner);
    expect((await owner.get(page)).text, 'the owner sees the owner’s page').to.not.include(`/engagements/${s.engagementId}/webhooks`);
  });

  it('stores the session a page gave its first CSRF token before the page is complete, so its form is taken at once', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    const sql = new pg.Client({ connectionString: ownerUrlOf(s.db.url) });
    await sql.connect();
    try {
      // A slow session store: each save of a session takes 300 ms to commit.
      await sql.query(`create function troika_test_slow() returns trigger language plpgsql as $$ begin perform pg_sleep(0.3); return new; end $$`);
      await sql.query(`create trigger troika_test_slow before update on sessions for each row execute function troika_test_slow()`);
      const form = await consultant.get(page);
      expect(form.text, 'the page carries a CSRF token').to.match(/name="_csrf"/);
      const res = await consultant.post('/language', { locale: 'en' });
      expect(res.status, 'the form is not refused for a token the session did not hold yet').to.equal(303);
    } finally {
      await sql.query(`drop trigger if exists troika_test_slow on sessions`);
      await sql.end();
    }
  });

  it('after sign-out serves nothing kept: the address asks for a sign-in', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    await warm(consultant);
    const res = await consultant.post('/logout');
    expect(res.status).to.equal(303);
    const after = await consultant.get(page);
    expect(after.status, 'signed out').to.equal(303);
    expect(after.location).to.match(/^\/login/);
  });

  it('makes every page afresh while the change feed cannot hear the database', async () => {
    const consultant = await s.signedIn(s.cast.consultant);
    await warm(consultant);
    await s.app.deps.changes!.stop();
    const other = new pg.Client({ connectionString: s.db.url });
    await other.connect();
    try {
      await other.query(`update engagements set client_name = 'Heard Nothing' where id = $1`, [s.engagementId]);
    } finally {
      await other.end();
    }
    expect((await consultant.get(page)).text, 'the page is made again at once').to.include('Heard Nothing');
  });
});
