// The demo workspace's second engagement: in Launch, with a month of content in every state.
import { expect } from 'chai';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps } from '../helpers/factories.ts';
import { seedDemoWorkspace } from '../../src/db/seed.ts';
import { LAUNCH_DEMO_CLIENT } from '../../src/db/seed-launch.ts';
import { DeskEntry } from '../../src/desk/desk.entity.ts';
import { listKpis } from '../../src/kpi/kpi.queries.ts';
import { Engagement, EngagementEvent, Participant } from '../../src/engagement/engagement.entity.ts';
import { ContentItem } from '../../src/content/content.entity.ts';
import { contentStatuses } from '../../src/content/content-item.machine.ts';
import { User } from '../../src/users/user.entity.ts';
import { Kpi, KpiActual } from '../../src/kpi/kpi.entity.ts';
import { startTestApp, WebClient } from '../helpers/web.ts';

describe('the demo workspace shows a Launch-stage engagement', function () {
  this.timeout(300_000);
  let db: TestDatabase;
  const password = 'demo password 123';

  before(async () => {
    db = await createTestDatabase();
    // Seeded today, as `npm start` does: the app's pages read the real clock too.
    const deps = makeDeps(db.orm);
    deps.time.now = new Date();
    const seeded = await seedDemoWorkspace(deps, { dataDir: join('test-artifacts', `seed-launch-${process.pid}`), password });
    expect(seeded, 'the first start seeds').to.equal(password);
  });
  after(async () => db.drop());

  it('walks the second client into Launch with items in every state of the content lifecycle, worked by its staff', async () => {
    const em = db.orm.em.fork();
    const engagement = await em.findOneOrFail(Engagement, { clientName: LAUNCH_DEMO_CLIENT });
    expect(engagement.state).to.equal('launch');
    const items = await em.find(ContentItem, { engagement }, { populate: ['author'] });
    const statuses = new Set(items.map((i) => i.status));
    expect([...contentStatuses].filter((s) => !statuses.has(s)), 'states with no item').to.deep.equal([]);
    expect(items.length, 'a month of content').to.be.greaterThan(30);
    const authors = new Set(items.flatMap((i) => (i.author ? [i.author.email] : [])));
    expect([...authors].sort()).to.deep.equal(['anna@demo.troika', 'igor@demo.troika']);
    const months = new Set(items.map((i) => i.plannedOn.slice(0, 7)));
    expect(months.has(new Date().toISOString().slice(0, 7)), 'the current month has items, so the calendar opens full').to.equal(true);
  });

  it('fills the Launch engagement’s review desk on Moscow’s clock: entries waiting, answered on time and late, and awaiting approval', async () => {
    const em = db.orm.em.fork();
    const engagement = await em.findOneOrFail(Engagement, { clientName: LAUNCH_DEMO_CLIENT });
    expect(engagement.timeZone).to.equal('Europe/Moscow');
    const entries = await em.find(DeskEntry, { engagement });
    expect(entries.length, 'a handful of entries').to.be.within(5, 20);
    const statuses = new Set(entries.map((e) => e.status));
    for (const status of ['new', 'submitted', 'sent']) expect(statuses.has(status), status).to.equal(true);
    expect(new Set(entries.map((e) => e.kind))).to.deep.equal(new Set(['review', 'messenger']));
    const sends = await em.find(EngagementEvent, { engagement, type: 'desk.send' });
    const verdicts = new Set(sends.map((e) => String(e.payload.verdict)));
    expect(verdicts.has('missed'), 'an answer sent late').to.equal(true);
    expect(verdicts.has('ideal') || verdicts.has('met'), 'an answer sent on time').to.equal(true);

    const app = await startTestApp(db);
    app.deps.time.now = new Date();
    try {
      const owner = new WebClient(app.url);
      await owner.signIn('owner@demo.troika', password);
      const desk = await owner.get(`/engagements/${engagement.id}/desk`);
      expect(desk.status).to.equal(200);
      expect(desk.text).to.match(/Share of reviews answered the same day: \d+ %/).and.include('Europe/Moscow');
      expect(desk.text).to.include('waiting for approval').and.include('not answered yet').and.include('late');
    } finally {
      await app.close();
    }
  });

  it('lets the demo consultant and owner see both engagements, and a second start seeds nothing', async () => {
    const em = db.orm.em.fork();
    for (const email of ['consultant@demo.troika', 'owner@demo.troika']) {
      const user = await em.findOneOrFail(User, { email });
      const clients = (await em.find(Participant, { user }, { populate: ['engagement'] })).map((p) => p.engagement.clientName).sort();
      expect(clients, email).to.deep.equal(['Kolosok Bakery', LAUNCH_DEMO_CLIENT]);
    }
    expect(await seedDemoWorkspace(makeDeps(db.orm), { dataDir: join('test-artifacts', `seed-launch-${process.pid}`), password })).to.equal(null);
    expect(await db.orm.em.fork().count(Engagement, {})).to.equal(2);
  });

  it('opens the content calendar of the Launch engagement for the demo owner, and its gate box names the content work', async () => {
    const app = await startTestApp(db);
    app.deps.time.now = new Date(); // the app reads today as the seed did
    try {
      const engagement = await db.orm.em.fork().findOneOrFail(Engagement, { clientName: LAUNCH_DEMO_CLIENT });
      const owner = new WebClient(app.url);
      await owner.signIn('owner@demo.troika', password);
      const calendar = await owner.get(`/engagements/${engagement.id}/content/calendar`);
      expect(calendar.status).to.equal(200);
      expect(calendar.text, 'the calendar opens on the current month').to.contain(String(new Date().getUTCFullYear()));
      expect(calendar.text).to.contain('How our samovar tea is brewed');
      const page = (await owner.get(`/engagements/${engagement.id}`)).text;
      expect(page).to.match(/content items? waits? for the owner’s approval/);
      const kpis = await db.orm.em.fork().find(Kpi, { engagement });
      expect(kpis.length, 'the approved target criteria made KPIs').to.be.greaterThan(1);
      const actuals = await db.orm.em.fork().find(KpiActual, { kpi: { $in: kpis.map((k) => k.id) } });
      const entered = kpis.filter((k) => !k.measure);
      expect(entered.length, 'KPIs entered by hand').to.be.greaterThan(1);
      for (const kpi of entered) expect(actuals.filter((a) => a.kpi.id === kpi.id), `four weeks of actuals for ${kpi.metric}`).to.have.length(4);
      const fromDesk = (await listKpis(app.deps, (await db.orm.em.fork().findOneOrFail(User, { email: 'owner@demo.troika' })).id, engagement.id)).find((k) => k.measure === 'reviewsSameDay');
      expect(fromDesk, 'the reviews KPI is read from the desk').to.not.equal(undefined);
      expect(actuals.filter((a) => a.kpi.id === fromDesk!.id), 'nothing typed over the desk’s figures').to.have.length(0);
      expect(fromDesk!.series.length, 'weeks of desk figures').to.be.greaterThan(1);
      for (const week of fromDesk!.series) expect(week.value).to.be.within(0, 100);
      const kpiPage = (await owner.get(`/engagements/${engagement.id}/kpis`)).text;
      expect((kpiPage.match(/<svg class="kpi-chart"/g) ?? []).length, 'a chart per KPI').to.equal(kpis.length);
      expect((kpiPage.match(/<circle class="kpi-actual"/g) ?? []).length, 'each chart shows its actuals').to.equal(4 * entered.length + fromDesk!.series.length);
      expect(kpiPage).to.include('from the review desk');
    } finally {
      await app.close();
    }
  });
});
