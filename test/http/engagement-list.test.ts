import { expect } from 'chai';
import { startTestApp, setPassword, WebClient, type TestApp } from '../helpers/web.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeEngagement, makeUser, type Cast } from '../helpers/factories.ts';
import { contentOf } from '../helpers/content.ts';
import { createEngagement, startEngagement, pauseEngagement } from '../../src/engagement/engagement.service.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { listEngagementPage } from '../../src/engagement/engagement-list.queries.ts';

/** The client names the consultant's table lists, in order. */
const clientsOf = (html: string) => {
  const section = /<section class="card" id="engagements">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  return [...section.matchAll(/<td data-label="Client"><a href="\/engagements\/[\w-]+">([^<]*)<\/a>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
};
const tally = (html: string, name: string) => Number(new RegExp(`<span class="tally tally-${name}">(\\d+)</span>`).exec(html)?.[1] ?? NaN);
const stateTally = (html: string, state: string) => Number(new RegExp(`data-state="${state}">[^<]*<span class="tally tally-state">(\\d+)</span>`).exec(html)?.[1] ?? 0);
const link = (html: string, rel: 'next' | 'prev') => new RegExp(`rel="${rel}" href="([^"]+)"`).exec(html)?.[1]?.replace(/&amp;/g, '&') ?? null;

describe('the consultant’s engagement list: paged, filtered, searched, counted', function () {
  this.timeout(180_000);
  // The tests only read, so the 60 engagements are made once for all of them (the last one changes the language).
  const suite = {} as { db: TestDatabase; app: TestApp; cast: Cast; signedIn(person: { email: string }): Promise<WebClient> };
  let consultant: WebClient;
  const SPECIAL = ["Anna's 100% Honey", 'Anna_Flowers', 'ANNA Bakery', 'Пекарня Анна'];

  after(async () => {
    await suite.app?.close();
    await suite.db?.drop();
  });

  before(async () => {
    suite.db = await createTestDatabase();
    suite.app = await startTestApp(suite.db);
    suite.cast = (await makeEngagement(suite.app.deps)).cast;
    for (const person of [suite.cast.consultant, suite.cast.owner]) await setPassword(suite.db, person.id);
    suite.signedIn = async (person) => {
      const client = new WebClient(suite.app.url);
      await client.signIn(person.email);
      return client;
    };
    const deps = suite.app.deps;
    const me = suite.cast.consultant.id;
    const create = (clientName: string, actor = me) => createEngagement(deps, actor, { clientName, plannedStart: '2026-03-02' });
    // 60 in all: the started "Kolosok Bakery", 55 drafts, and the four names the search is tried on (two of them started).
    for (let i = 1; i <= 55; i++) await create(`Client ${String(i).padStart(2, '0')}`);
    const special = [];
    for (const name of SPECIAL) special.push(await create(name));
    const honey = special[0]!;
    await startEngagement(deps, me, honey.id);
    await submitDocumentVersion(deps, me, honey.id, 'target-criteria', await contentOf('target-criteria'));
    const flowers = special[1]!;
    await startEngagement(deps, me, flowers.id);
    await pauseEngagement(deps, me, flowers.id);
    const other = await makeUser(suite.db.orm, 'Other Consultant', 'consultant');
    await create('Anna Hidden', other.id);
    await startEngagement(deps, other.id, (await create('Anna Hidden Started', other.id)).id);
    deps.time.advanceDays(40); // past every Preparation deadline
    consultant = await suite.signedIn(suite.cast.consultant);
  });

  it('shows 25 engagements a page, newest first, with links to the pages before and after, and every engagement on exactly one page', async () => {
    const first = await consultant.get('/');
    expect(first.status).to.equal(200);
    expect(clientsOf(first.text)).to.have.length(25);
    expect(clientsOf(first.text)[0]).to.equal('Пекарня Анна');
    expect(first.text).to.contain('60 engagements · page 1 of 3');
    expect(link(first.text, 'prev')).to.equal(null);
    expect(link(first.text, 'next')).to.equal('/?page=2');
    const second = await consultant.get(link(first.text, 'next')!);
    expect(link(second.text, 'prev')).to.equal('/');
    const third = await consultant.get(link(second.text, 'next')!);
    expect(clientsOf(third.text)).to.have.length(10);
    expect(link(third.text, 'next')).to.equal(null);
    const all = [first, second, third].flatMap((p) => clientsOf(p.text));
    expect(new Set(all).size).to.equal(60);
    expect(all.at(-1)).to.equal('Kolosok Bakery');
    expect(first.text.length, 'one page of the list, not all of it').to.be.lessThan(40_000);
  });

  it('falls back to the last page, saying so, when the page asked for is past the end', async () => {
    const page = await consultant.get('/?page=9');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('There is no page 9; this is the last one, page 3.');
    expect(clientsOf(page.text)).to.have.length(10);
  });

  it('counts the engagements by stage, overdue and waiting for approval, never counting another consultant’s', async () => {
    const page = await consultant.get('/');
    expect(tally(page.text, 'all')).to.equal(60);
    expect(stateTally(page.text, 'draft')).to.equal(57);
    expect(stateTally(page.text, 'preparation')).to.equal(2);
    expect(stateTally(page.text, 'paused')).to.equal(1);
    expect(tally(page.text, 'overdue'), 'a paused engagement’s clock stands still').to.equal(2);
    expect(tally(page.text, 'waiting')).to.equal(1);
  });

  it('filters by stage, by overdue, by waiting for approval and by several at once, each at its own address', async () => {
    expect(clientsOf((await consultant.get('/?stage=preparation')).text).sort()).to.deep.equal(["Anna's 100% Honey", 'Kolosok Bakery']);
    expect(clientsOf((await consultant.get('/?stage=paused')).text)).to.deep.equal(['Anna_Flowers']);
    expect(clientsOf((await consultant.get('/?overdue=1')).text).sort()).to.deep.equal(["Anna's 100% Honey", 'Kolosok Bakery']);
    expect(clientsOf((await consultant.get('/?waiting=1')).text)).to.deep.equal(["Anna's 100% Honey"]);
    expect(clientsOf((await consultant.get('/?stage=preparation&waiting=1&q=honey')).text)).to.deep.equal(["Anna's 100% Honey"]);
    const drafts = await consultant.get('/?stage=draft&page=3');
    expect(clientsOf(drafts.text)).to.have.length(7);
    expect(drafts.text).to.contain('57 engagements · page 3 of 3');
    expect(link(drafts.text, 'prev'), 'the pages keep the filter').to.equal('/?stage=draft&page=2');
    const none = await consultant.get('/?stage=launch');
    expect(none.status).to.equal(200);
    expect(none.text).to.contain('No engagement matches these filters.');
    expect(none.text, 'the form shows the filter chosen').to.contain('<option value="launch" selected>');
  });

  it('searches client names in any case, Cyrillic included, taking % and _ as the letters they are', async () => {
    expect(clientsOf((await consultant.get('/?q=anna')).text).sort()).to.deep.equal(['ANNA Bakery', "Anna's 100% Honey", 'Anna_Flowers']);
    expect(clientsOf((await consultant.get('/?q=%D0%B0%D0%9D%D0%BD%D0%B0')).text)).to.deep.equal(['Пекарня Анна']);
    expect(clientsOf((await consultant.get('/?q=%25')).text)).to.deep.equal(["Anna's 100% Honey"]);
    expect(clientsOf((await consultant.get('/?q=_')).text)).to.deep.equal(['Anna_Flowers']);
    expect(clientsOf((await consultant.get('/?q=a_n')).text)).to.deep.equal([]);
    expect(clientsOf((await consultant.get('/?q=%5C')).text)).to.deep.equal([]);
    const hidden = await consultant.get('/?q=hidden');
    expect(hidden.text).to.contain('No engagement matches these filters.');
    expect(hidden.text).to.contain('value="hidden"');
  });

  it('answers an address with filters it cannot use with a 400 page naming each problem, in the person’s language', async () => {
    for (const query of ['stage=bogus', 'page=0', 'page=abc', 'page=-1', 'overdue=yes', 'stage=draft&stage=paused', `q=${'x'.repeat(101)}`, 'q=a%0Ab']) {
      const page = await consultant.get(`/?${query}`);
      expect(page.status, query).to.equal(400);
      expect(page.text, query).to.contain('This list address cannot be read');
      expect(page.text, query).to.contain('href="/">Open the list without filters');
    }
    const both = await consultant.get('/?stage=bogus&page=x');
    expect(both.text).to.contain('stage (stage) cannot be “bogus”; it can be one of: preparation, formatting, launch');
    expect(both.text).to.contain('page (page) must be a whole number from 1, not “x”.');
    await consultant.post('/language', { locale: 'ru' });
    const ru = await consultant.get('/?overdue=maybe');
    expect(ru.status).to.equal(400);
    expect(ru.text).to.contain('Параметр «просрочено (overdue)» может быть только 1 (отмечен) или отсутствовать, но не «maybe».');
    expect(suite.app.logs.some((l) => l.includes('GET / 400: list filters not understood'))).to.equal(true);
    await consultant.post('/language', { locale: 'en' });
  });

  it('reads a page in the same number of statements with 60 engagements as with one', async () => {
    const deps = suite.app.deps;
    const connection = deps.orm.em.getConnection();
    const execute = connection.execute.bind(connection);
    let statements = 0;
    connection.execute = ((...args: Parameters<typeof execute>) => {
      statements += 1;
      return execute(...args);
    }) as typeof connection.execute;
    try {
      const lonely = await makeUser(suite.db.orm, 'Lonely Consultant', 'consultant');
      await createEngagement(deps, lonely.id, { clientName: 'Only One', plannedStart: '2026-03-02' });
      statements = 0;
      const one = await listEngagementPage(deps, lonely.id, 'consultant', { page: 1 }, 'en');
      const forOne = statements;
      statements = 0;
      const many = await listEngagementPage(deps, suite.cast.consultant.id, 'consultant', { page: 2, isOverdue: false, search: 'client' }, 'en');
      expect(one.rows).to.have.length(1);
      expect(many.rows).to.have.length(25);
      expect(statements).to.equal(forOne).and.to.equal(2);
    } finally {
      connection.execute = execute;
    }
  });

  it('shows the owner their engagement and no list of the consultant’s', async () => {
    const owner = await suite.signedIn(suite.cast.owner);
    const page = await owner.get('/?stage=bogus');
    expect(page.status, 'the address is read the same for everyone').to.equal(400);
    const home = await owner.get('/');
    expect(home.text).to.contain('Kolosok Bakery');
    expect(home.text).not.to.contain('id="engagements"');
    expect(home.text).not.to.contain('Client 01');
  });
});
