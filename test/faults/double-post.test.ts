import { expect } from 'chai';
import { useWebApp, WebClient, readMail, setPassword } from '../helpers/web.ts';
import { makeUser } from '../helpers/factories.ts';
import { Engagement, EngagementEvent, Participant } from '../../src/engagement/engagement.entity.ts';
import { DocumentVersion } from '../../src/documents/document.entity.ts';

/** The hidden fields of the first form on the page whose action is this path. */
function formFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  expect(start, `a form posting to ${action}`).to.be.greaterThan(-1);
  const form = html.slice(start, html.indexOf('</form>', start));
  return Object.fromEntries([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

describe('a form sent twice', function () {
  this.timeout(60_000);
  const s = useWebApp();
  let consultant: WebClient;
  beforeEach(async () => {
    consultant = new WebClient(s.app.url);
    await consultant.signIn(s.cast.consultant.email);
  });

  const count = (entity: typeof Engagement | typeof Participant | typeof EngagementEvent | typeof DocumentVersion, where = {}) => s.db.orm.em.fork().count(entity as never, where);

  it('creates one engagement when "create" is posted twice at once, and twice one after the other', async () => {
    const before = await count(Engagement);
    const page = await consultant.get('/engagements/new');
    const hidden = formFields(page.text, '/engagements');
    expect(hidden._once, 'the form carries its own key').to.match(/^[0-9a-f-]{36}$/);
    const form = { ...hidden, clientName: 'Twice Ltd', plannedStart: '2026-12-01', methodology: '', __referer: '/engagements/new' };
    const [a, b] = await Promise.all([consultant.request('POST', '/engagements', form), consultant.request('POST', '/engagements', form)]);
    const c = await consultant.request('POST', '/engagements', form);
    expect(await count(Engagement)).to.equal(before + 1);
    for (const res of [a, b, c]) expect(res.status).to.equal(303);
    // Every answer leads to the one engagement that was made.
    expect(new Set([a, b, c].map((r) => r.location)).size).to.equal(1);
    expect(a.location).to.match(/^\/engagements\/[0-9a-f-]{36}$/);

    const fresh = formFields((await consultant.get('/engagements/new')).text, '/engagements');
    expect(fresh._once).not.to.equal(hidden._once);
    await consultant.request('POST', '/engagements', { ...form, ...fresh });
    expect(await count(Engagement), 'a newly opened form makes a new one').to.equal(before + 2);
  });

  it("refuses another person's form key and tells them nothing of what it did", async () => {
    const page = await consultant.get('/engagements/new');
    const hidden = formFields(page.text, '/engagements');
    const form = { clientName: 'Mine', plannedStart: '2026-12-01', methodology: '', __referer: '/engagements/new' };
    const first = await consultant.request('POST', '/engagements', { ...form, ...hidden });
    expect(first.status).to.equal(303);
    const other = await makeUser(s.db.orm, 'Other Consultant', 'consultant');
    await setPassword(s.db, other.id);
    const intruder = await s.signedIn(other);
    await intruder.get('/engagements/new');
    const stolen = await intruder.post('/engagements', { ...form, _once: hidden._once! });
    expect(stolen.status).to.equal(409);
    expect(stolen.text).not.to.contain(first.location!);
  });

  it('invites once and writes one event and one e-mail when the invitation is resent', async () => {
    const page = await consultant.get(`/engagements/${s.engagementId}`);
    const hidden = formFields(page.text, `/engagements/${s.engagementId}/participants`);
    const form = { ...hidden, email: 'twice@example.com', name: 'Twice', role: 'staff', direction: 'other', __referer: `/engagements/${s.engagementId}` };
    const events = await count(EngagementEvent, { engagement: s.engagementId, type: 'participant.add' });
    const assigned = await count(EngagementEvent, { engagement: s.engagementId, type: 'training.assign' });
    const answers = await Promise.all([1, 2, 3].map(() => consultant.request('POST', `/engagements/${s.engagementId}/participants`, form)));
    for (const res of answers) expect(res.status).to.equal(303);
    expect(await count(Participant, { engagement: s.engagementId, user: { email: 'twice@example.com' } })).to.equal(1);
    expect(await count(EngagementEvent, { engagement: s.engagementId, type: 'participant.add' })).to.equal(events + 1);
    // Joining in Preparation gives the newcomer the methods kit's module, once.
    expect(await count(EngagementEvent, { engagement: s.engagementId, type: 'training.assign' })).to.equal(assigned + 1);
    expect(readMail(s.app.mailDir).filter((m) => m.to === 'twice@example.com')).to.have.length(1);
  });

  it('saves one document version when "save and submit" is sent twice at once and once more after', async () => {
    const path = `/engagements/${s.engagementId}/documents/new?type=target-criteria`;
    const page = await consultant.get(path);
    const hidden = formFields(page.text, `/engagements/${s.engagementId}/documents`);
    const form = { ...hidden, intent: 'submit', 'f.kpis.0.metric': 'VK followers', 'f.kpis.0.baseline': '0', 'f.kpis.0.target': '500', 'f.kpis.0.date': '2027-02-01', __referer: path };
    const before = await count(DocumentVersion);
    const answers = await Promise.all([1, 2].map(() => consultant.request('POST', `/engagements/${s.engagementId}/documents`, form)));
    answers.push(await consultant.request('POST', `/engagements/${s.engagementId}/documents`, form));
    for (const res of answers) expect(res.status).to.equal(303);
    expect(await count(DocumentVersion)).to.equal(before + 1);
  });
});
