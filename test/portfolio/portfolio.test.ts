// The portfolio and the firm's benchmarks over several engagements in different stages: what each role
// sees, the health rule, filters, sorting, the CSV export, both languages, and a fixed statement count.
import { expect } from 'chai';
import { approveTargets } from '../kpi/kpi-helpers.ts';
import { enterWeeklyActuals } from '../../src/kpi/kpi.service.ts';
import { Kpi } from '../../src/kpi/kpi.entity.ts';
import pg from 'pg';
import { noteLocalChange } from '../../src/cache/change-feed.ts';
import { startTestApp, setPassword, WebClient, type TestApp } from '../helpers/web.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { completeCurrentStage, makeEngagement, makeUser, type Cast } from '../helpers/factories.ts';
import { contentOf } from '../helpers/content.ts';
import { advanceStage, createEngagement, pauseEngagement, startEngagement } from '../../src/engagement/engagement.service.ts';
import { addParticipant } from '../../src/engagement/participants.service.ts';
import { requestChanges, submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { listPortfolio, listPortfolioForExport, type PortfolioFilter } from '../../src/portfolio/portfolio.queries.ts';
import { User } from '../../src/users/user.entity.ts';

const DEFAULT: PortfolioFilter = { sort: 'health', direction: 'desc', page: 1 };
/** The client names a portfolio page lists, in order. */
const clientsOf = (html: string) => [...html.matchAll(/<a href="[^"]+" class="client">([^<]*)<\/a>/g)].map((m) => m[1]!);
const healthOf = (html: string, client: string) => new RegExp(`class="client">${client}</a>[\\s\\S]*?<span class="health health-(\\w+)">`).exec(html)?.[1];

describe('the portfolio and the firm’s benchmarks', function () {
  this.timeout(300_000);
  const s = {} as { db: TestDatabase; app: TestApp; cast: Cast; admin: User; other: User; ids: Record<string, string> };
  const signedIn = async (person: { email: string }) => {
    const client = new WebClient(s.app.url);
    await client.signIn(person.email);
    return client;
  };

  after(async () => {
    await s.app?.close();
    await s.db?.drop();
  });

  before(async () => {
    s.db = await createTestDatabase();
    s.app = await startTestApp(s.db);
    const deps = s.app.deps;
    const made = await makeEngagement(deps); // "Kolosok Bakery", started on day 0: late by day 38
    s.cast = made.cast;
    const me = s.cast.consultant.id;
    s.admin = await makeUser(s.db.orm, 'Firm Admin', 'admin');
    s.other = await makeUser(s.db.orm, 'Other Consultant', 'consultant');
    for (const person of [s.cast.consultant, s.cast.owner, s.cast.staff[0]!, s.admin, s.other]) await setPassword(s.db, person.id);
    /** Another engagement of the same people (so the factories' stage helpers can act in it). */
    const engagementOf = async (clientName: string, options: { start?: boolean; consultant?: User } = {}) => {
      const consultant = options.consultant ?? s.cast.consultant;
      const e = await createEngagement(deps, consultant.id, { clientName, plannedStart: deps.clock().toISOString().slice(0, 10) });
      if (!options.consultant) {
        await addParticipant(deps, me, e.id, { email: s.cast.owner.email, name: 'Owner', role: 'owner' });
        await addParticipant(deps, me, e.id, { email: s.cast.staff[0]!.email, name: 'Sales', role: 'staff', direction: 'sales' });
        await addParticipant(deps, me, e.id, { email: s.cast.staff[1]!.email, name: 'Production', role: 'staff', direction: 'production' });
      }
      if (options.start !== false) await startEngagement(deps, consultant.id, e.id);
      return e.id;
    };
    s.ids = { bakery: made.engagementId, florist: await engagementOf('Florist Formatting') };
    deps.time.advanceDays(10);
    await completeCurrentStage(deps, s.ids.florist!, s.cast);
    await advanceStage(deps, me, s.ids.florist!); // Preparation took 10 days
    deps.time.advanceDays(25);
    s.ids.dairy = await engagementOf('Dairy Waiting');
    const first = await submitDocumentVersion(deps, me, s.ids.dairy, 'target-criteria', await contentOf('target-criteria', 'first'));
    await requestChanges(deps, s.cast.owner.id, s.ids.dairy, first.document.id, first.contentHash, 'Name the networks');
    await submitDocumentVersion(deps, me, s.ids.dairy, 'target-criteria', await contentOf('target-criteria', 'second'));
    s.ids.deli = await engagementOf('Deli Draft', { start: false });
    s.ids.pastry = await engagementOf('Pastry Paused');
    await pauseEngagement(deps, me, s.ids.pastry);
    s.ids.orchard = await engagementOf('Orchard Elsewhere', { consultant: s.other });
    deps.time.advanceDays(3); // day 38: the bakery's Preparation ended on day 30; the dairy's document has waited 3 days
  });

  describe('the portfolio read (one statement)', () => {
    it('gives a consultant their own engagements, each with its stage, days against plan, health, approvals, overdue tasks and training', async () => {
      const page = await listPortfolio(s.app.deps, { id: s.cast.consultant.id, isAdmin: false }, DEFAULT, 'en');
      const byClient = Object.fromEntries(page.rows.map((r) => [r.clientName, r]));
      expect(Object.keys(byClient).sort()).to.deep.equal(['Dairy Waiting', 'Deli Draft', 'Florist Formatting', 'Kolosok Bakery', 'Pastry Paused']);
      expect(byClient['Kolosok Bakery']).to.deep.include({ state: 'preparation', stageTitle: 'Preparation', daysInStage: 38, plannedDays: 30, health: 'late' });
      expect(byClient['Dairy Waiting']).to.deep.include({ health: 'at_risk', approvalsWaiting: 1, daysInStage: 3 });
      expect(byClient['Dairy Waiting']!.oldestApprovalSince?.toISOString(), 'sent on day 35').to.equal('2026-04-06T09:00:00.000Z');
      expect(byClient['Florist Formatting']).to.deep.include({ state: 'formatting', daysInStage: 28, health: 'on_track', approvalsWaiting: 0 });
      expect(byClient['Florist Formatting']!.trainingAssigned, 'the programme assigned modules').to.be.greaterThan(0);
      expect(byClient['Pastry Paused'], 'a pause stops the clock').to.deep.include({ health: null, stageTitle: 'Preparation', overdueTasks: 0 });
      expect(byClient['Deli Draft']).to.deep.include({ health: null, daysInStage: null, plannedDays: null });
      expect(page.rows.map((r) => r.clientName).slice(0, 2), 'late first, then at risk').to.deep.equal(['Kolosok Bakery', 'Dairy Waiting']);
      expect(page.counts).to.deep.equal({ all: 5, byState: { preparation: 2, formatting: 1, draft: 1, paused: 1 }, byHealth: { late: 1, at_risk: 1, on_track: 1 } });
    });

    it('gives a firm administrator every engagement, with its consultants, including those they take no part in', async () => {
      const page = await listPortfolio(s.app.deps, { id: s.admin.id, isAdmin: true }, { ...DEFAULT, sort: 'client', direction: 'asc' }, 'en');
      expect(page.rows.map((r) => r.clientName)).to.deep.equal(['Dairy Waiting', 'Deli Draft', 'Florist Formatting', 'Kolosok Bakery', 'Orchard Elsewhere', 'Pastry Paused']);
      const orchard = page.rows.find((r) => r.clientName === 'Orchard Elsewhere')!;
      expect(orchard).to.deep.include({ consultants: 'Other Consultant', isMember: false, health: 'on_track' });
    });

    it('filters by stage, health and part of the client’s name, and sorts by any figure', async () => {
      const viewer = { id: s.cast.consultant.id, isAdmin: false };
      const clients = async (filter: Partial<PortfolioFilter>) => (await listPortfolio(s.app.deps, viewer, { ...DEFAULT, ...filter }, 'en')).rows.map((r) => r.clientName);
      expect(await clients({ health: 'late' })).to.deep.equal(['Kolosok Bakery']);
      expect(await clients({ stage: 'formatting' })).to.deep.equal(['Florist Formatting']);
      expect(await clients({ search: 'DAIRY' })).to.deep.equal(['Dairy Waiting']);
      expect(await clients({ stage: 'preparation', health: 'on_track' }), 'the filters combine').to.deep.equal([]);
      expect(await clients({ sort: 'days', direction: 'desc' }), 'most days first; no stage last').to.deep.equal(['Kolosok Bakery', 'Florist Formatting', 'Dairy Waiting', 'Pastry Paused', 'Deli Draft']);
      expect((await clients({ sort: 'approvals', direction: 'desc' }))[0]).to.equal('Dairy Waiting');
      expect(await clients({ sort: 'stage', direction: 'asc' }), 'draft, the stages in order, the paused where it paused').to.deep.equal(['Deli Draft', 'Dairy Waiting', 'Kolosok Bakery', 'Pastry Paused', 'Florist Formatting']);
      const past = await listPortfolio(s.app.deps, viewer, { ...DEFAULT, page: 9 }, 'en');
      expect([past.page, past.pageCount, past.rows.length], 'a page past the end is the last one').to.deep.equal([1, 1, 5]);
    });

    it('exports every matching engagement in the page’s order', async () => {
      const rows = await listPortfolioForExport(s.app.deps, { id: s.admin.id, isAdmin: true }, { sort: 'client', direction: 'desc' }, 'en');
      expect(rows.map((r) => r.clientName)[0]).to.equal('Pastry Paused');
      expect(rows).to.have.length(6);
    });
  });

  describe('the portfolio page', () => {
    it('shows a consultant their engagements with the health rule stated, in English and in Russian', async () => {
      const client = await signedIn(s.cast.consultant);
      const res = await client.get('/portfolio');
      expect(res.status).to.equal(200);
      expect(clientsOf(res.text)).to.have.members(['Kolosok Bakery', 'Dairy Waiting', 'Florist Formatting', 'Pastry Paused', 'Deli Draft']);
      expect(res.text).not.to.contain('Orchard Elsewhere');
      expect(healthOf(res.text, 'Kolosok Bakery')).to.equal('late');
      expect(res.text).to.contain('day 38 of 30');
      expect(res.text).to.contain('a document has waited more than 2 days');
      expect(res.text, 'no KPI figures exist yet, and the page says so').to.contain('no KPIs yet');
      await client.post('/language', { locale: 'ru', back: '/portfolio' });
      const ru = await client.get('/portfolio');
      expect(ru.text).to.contain('Портфель проектов');
      expect(ru.text).to.contain('отстаёт');
      expect(ru.text).to.contain('день 38 из 30');
      expect(ru.text).to.contain('KPI пока нет');
      await client.post('/language', { locale: 'en', back: '/portfolio' }); // the choice is kept on the account
    });

    it('shows a firm administrator every engagement, and keeps filters and order in a bookmarkable address', async () => {
      const client = await signedIn(s.admin);
      const all = await client.get('/portfolio?sort=client');
      expect(clientsOf(all.text)).to.deep.equal(['Dairy Waiting', 'Deli Draft', 'Florist Formatting', 'Kolosok Bakery', 'Orchard Elsewhere', 'Pastry Paused']);
      expect(all.text, 'the client heading turns the order round').to.contain('href="/portfolio?sort=client&amp;dir=desc"');
      expect(all.text).to.match(/aria-sort="ascending"><a href="\/portfolio\?sort=client&amp;dir=desc">Client/);
      const late = await client.get('/portfolio?health=late&q=bakery');
      expect(clientsOf(late.text)).to.deep.equal(['Kolosok Bakery']);
      expect(late.text, 'the export keeps the filters').to.contain('href="/portfolio.csv?health=late&amp;q=bakery"');
      // An engagement the administrator takes no part in opens too, read only (test/http/firm-admin-view.test.ts).
      expect(all.text).to.match(new RegExp(`<a href="/engagements/${s.ids.orchard}" class="client">Orchard Elsewhere`));
      const orchard = await client.get(`/engagements/${s.ids.orchard}`);
      expect(orchard.status).to.equal(200);
      expect(orchard.text).to.contain('id="read-only-view"').and.contain(`href="/engagements/${s.ids.orchard}/benchmarks"`);
    });

    it('refuses owners and staff, as the firm’s other pages do', async () => {
      for (const person of [s.cast.owner, s.cast.staff[0]!]) {
        const client = await signedIn(person);
        expect((await client.get('/portfolio')).status, person.name).to.equal(403);
        expect((await client.get('/portfolio.csv')).status, `${person.name}: CSV`).to.equal(403);
        expect((await client.get('/portfolio/benchmarks')).status, `${person.name}: benchmarks`).to.equal(403);
      }
    });

    it('lets only a firm administrator make consultant accounts: a consultant is refused the form and its post', async () => {
      const client = await signedIn(s.cast.consultant);
      await client.get('/portfolio'); // a page's form token, as a browser has
      expect((await client.get('/firm/consultants')).status).to.equal(403);
      const posted = await client.post('/firm/consultants', { name: 'Sneaky Colleague', email: 'sneaky@firm.example' });
      expect(posted.status).to.equal(403);
      expect(await s.db.orm.em.fork().count(User, { email: 'sneaky@firm.example' }), 'no account made').to.equal(0);
      expect((await (await signedIn(s.admin)).get('/firm/consultants')).status, 'the administrator').to.equal(200);
    });

    it('answers an address it cannot read with 400 and names the problem', async () => {
      const client = await signedIn(s.cast.consultant);
      const res = await client.get('/portfolio?health=fine&sort=mood');
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('health (health) cannot be “fine”');
      expect(res.text).to.contain('sort by (sort) cannot be “mood”');
    });

    it('exports the filtered list as CSV with headings in the reader’s language', async () => {
      const client = await signedIn(s.cast.consultant);
      const res = await client.get('/portfolio.csv?stage=preparation&sort=client');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).to.contain('portfolio.csv');
      const lines = res.text.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).to.equal('Client,Consultant,Stage,Days in stage,Planned days,Planned end,Health,Approvals waiting,Oldest waiting since,Overdue tasks,KPI attainment,Training modules completed,Training modules assigned');
      expect(lines.slice(1).map((l) => l.split(',')[0])).to.deep.equal(['Dairy Waiting', 'Kolosok Bakery']);
      expect(lines[2]).to.match(/^Kolosok Bakery,Consultant,Preparation,38,30,2026-04-01,late,0,,\d+,no KPIs yet,/);
    });

    it('costs the same number of statements with more engagements', async () => {
      const client = await signedIn(s.admin);
      const original = pg.Client.prototype.query;
      let count = 0;
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        count += 1;
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof original;
      try {
        const measure = async () => {
          await client.get('/portfolio');
          await new Promise((r) => setTimeout(r, 200)); // the session's own notice comes back
          await client.get('/portfolio'); // the session, saved by the first view, is read and kept again
          noteLocalChange(); // as a commit does: the page is made again, not served from memory
          count = 0;
          expect((await client.get('/portfolio')).status).to.equal(200);
          await new Promise((r) => setTimeout(r, 100));
          return count;
        };
        const before = await measure();
        for (let i = 0; i < 4; i++) await makeEngagement(s.app.deps);
        const after = await measure();
        expect(after, 'statements for the portfolio after 4 more engagements').to.equal(before);
        // The person, the top bar's two counts, the portfolio's one statement, and the KPI
        // column's reads for the page's rows (their methodologies, KPIs and actuals: src/portfolio/kpi-attainment.ts).
        expect(before).to.be.at.most(8);
      } finally {
        pg.Client.prototype.query = original;
      }
    });
  });

  describe('the benchmarks', () => {
    it('shows the firm’s figures as charts with a title and description, and as tables', async () => {
      const client = await signedIn(s.cast.consultant);
      const res = await client.get('/portfolio/benchmarks');
      expect(res.status).to.equal(200);
      expect(res.text).to.match(/<svg [^>]*role="img" aria-labelledby="chart-stages-title chart-stages-desc">/);
      expect(res.text).to.contain('<desc id="chart-stages-desc">Preparation: median 10, middle half 10 to 10, from 10 to 10, 1 observed</desc>');
      expect(/<desc id="chart-rounds-desc">[^<]*/.exec(res.text)?.[0], 'the dairy’s target criteria had one round of changes, the florist’s none').to.match(/Target criteria \(social-network KPIs\): median 0\.5, middle half 0\.3 to 0\.8, from 0 to 1, 2 observed/);
      const ru = await signedIn(s.cast.consultant);
      await ru.get('/portfolio/benchmarks'); // a page's form token, as a browser has
      await ru.post('/language', { locale: 'ru', back: '/portfolio/benchmarks' });
      expect((await ru.get('/portfolio/benchmarks')).text).to.contain('Дни на этап');
      await ru.post('/language', { locale: 'en', back: '/portfolio/benchmarks' });
    });

    it('sets an engagement’s own figures against the firm’s, from its page, for its consultant and for an administrator', async () => {
      const consultant = await signedIn(s.cast.consultant);
      const engagementPage = await consultant.get(`/engagements/${s.ids.florist}`);
      expect(engagementPage.text).to.contain(`href="/engagements/${s.ids.florist}/benchmarks"`);
      const res = await consultant.get(`/engagements/${s.ids.florist}/benchmarks`);
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('Florist Formatting against the firm');
      expect(res.text).to.contain('28 so far');
      expect(res.text).to.contain('this engagement 10');
      expect((await (await signedIn(s.admin)).get(`/engagements/${s.ids.florist}/benchmarks`)).status, 'administrator').to.equal(200);
    });

    it('answers 404 to another consultant and 403 to the engagement’s owner and staff', async () => {
      expect((await (await signedIn(s.other)).get(`/engagements/${s.ids.florist}/benchmarks`)).status).to.equal(404);
      expect((await (await signedIn(s.cast.owner)).get(`/engagements/${s.ids.florist}/benchmarks`)).status).to.equal(403);
      expect((await (await signedIn(s.cast.staff[0]!)).get(`/engagements/${s.ids.florist}/benchmarks`)).status).to.equal(403);
      expect((await (await signedIn(s.cast.consultant)).get('/engagements/not-an-id/benchmarks')).status).to.equal(404);
    });
  });

  // Last: it gives the bakery KPIs, which the tests above expect none of.
  describe('the KPI column', () => {
    it('counts the KPIs met, on track and behind by the KPI room’s rule, on the page and in the CSV', async () => {
      await approveTargets(s.app.deps, s.cast, s.ids.bakery!);
      const followers = (await s.db.orm.em.fork().find(Kpi, { engagement: s.ids.bakery!, metric: 'Followers' }))[0]!;
      await enterWeeklyActuals(s.app.deps, s.cast.owner.id, s.ids.bakery!, { week: '2026-W10', values: { [followers.id]: '600' } });
      const client = await signedIn(s.cast.consultant);
      const page = await client.get('/portfolio');
      expect(page.text, 'Followers reached 600 of 500: met; Leads has no actual').to.contain('1 of 2 met · 0 on track · 0 behind · 1 without actuals');
      expect((await client.get('/portfolio.csv')).text).to.contain('1 of 2 met');
    });
  });
});
