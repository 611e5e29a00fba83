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
    for (const action of ['/pause', '/cancel', '/participants"', '/tasks/assign', '/advance', '/reminders', '/webhooks']) expect(page.text, action).not.to.contain(`/engagements/${suite.engagementId}${action}`);
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
    const events = await suite.db.orm.em.fork().count(EngagementEvent, { engagement: suite.engagementId });
    const refused = await api.post(`/engagements/${suite.engagementId}/tasks/${tasks.body.items[0].id}/complete`, {});
    expect(refused.status, 'commands know only participants').to.equal(404);
    expect(await suite.db.orm.em.fork().count(EngagementEvent, { engagement: suite.engagementId })).to.equal(events);

    const consultant = await makeUser(suite.db.orm, 'Other Consultant', 'consultant');
    const theirs = new ApiClient(suite.app.url, await tokenFor(suite.app.deps, consultant.id, 'read'));
    expect((await theirs.get(`/engagements/${suite.engagementId}`)).status).to.equal(404);
  });
});
