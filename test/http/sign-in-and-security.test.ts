import { expect } from 'chai';
import { contentOf } from '../helpers/content.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeEngagement, completeCurrentStage, correctAnswers, type Cast } from '../helpers/factories.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { submitQuiz } from '../../src/training/training.service.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';
import { startTestApp, setPassword, WebClient, readMail, waitForMail, type TestApp, PASSWORD } from '../helpers/web.ts';
import { Engagement, EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { LOGIN_LIMIT } from '../../src/web/login-limit.ts';

describe('sign-in, sessions, CSRF and headers over HTTP', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let app: TestApp;
  let engagementId: string;
  let cast: Cast;

  beforeEach(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db);
    ({ engagementId, cast } = await makeEngagement(app.deps));
    for (const person of [cast.consultant, cast.owner, ...cast.staff]) await setPassword(db, person.id);
  });
  afterEach(async () => {
    await app.close();
    await db.drop();
  });

  it('renews the session id at sign-in and ends the session at sign-out', async () => {
    const client = new WebClient(app.url);
    await client.get('/login');
    const before = client.sessionId();
    expect(before, 'the login form starts a session for its CSRF token').to.be.a('string');
    const res = await client.post('/login', { email: cast.consultant.email, password: PASSWORD });
    expect(res.status).to.equal(303);
    expect(client.sessionId()).to.be.a('string').and.not.equal(before);
    const signedIn = client.sessionId()!;
    expect((await client.get('/')).status).to.equal(200);
    await client.post('/logout');
    const replay = await fetch(`${app.url}/`, { redirect: 'manual', headers: { cookie: `troika.sid=${signedIn}` } });
    expect(replay.status, 'the old session cookie no longer signs anyone in').to.equal(303);
  });

  it('refuses a wrong password, then limits repeated failures with a clear message', async () => {
    const client = new WebClient(app.url);
    await client.get('/login');
    const wrong = await client.post('/login', { email: cast.owner.email, password: 'not the password' });
    expect(wrong.status).to.equal(401);
    expect(wrong.text).to.contain('The e-mail or the password is wrong.');
    expect(wrong.text, 'the typed e-mail is kept').to.contain(`value="${cast.owner.email}"`);
    for (let i = 1; i < LOGIN_LIMIT.failures; i++) await client.post('/login', { email: cast.owner.email, password: `wrong ${i}` });
    const limited = await client.post('/login', { email: cast.owner.email, password: PASSWORD });
    expect(limited.status, 'even the right password waits').to.equal(429);
    expect(limited.text).to.match(/Too many failed attempts\. Try again in \d+ minutes?\./);
  });

  it('refuses every form posted without the CSRF token, and changes nothing', async () => {
    const client = new WebClient(app.url);
    await client.signIn(cast.consultant.email);
    const before = await db.orm.em.fork().count(EngagementEvent, { engagement: engagementId });
    for (const path of [`/engagements/${engagementId}/pause`, `/engagements/${engagementId}/advance`, '/engagements', '/language']) {
      const res = await client.post(path, { clientName: 'X', plannedStart: '2026-12-01' }, { csrf: false });
      expect(res.status, path).to.equal(403);
      expect(res.text).to.contain('The form has expired');
      const forged = await client.post(path, { _csrf: 'forged-token' }, { csrf: false });
      expect(forged.status, `${path} with a forged token`).to.equal(403);
    }
    const anonymous = await new WebClient(app.url).post('/login', { email: cast.owner.email, password: PASSWORD }, { csrf: false });
    expect(anonymous.status, 'the login form needs its token too').to.equal(403);
    expect(await db.orm.em.fork().count(EngagementEvent, { engagement: engagementId })).to.equal(before);
  });

  it('sends strict security headers: no scripts, no framing, nothing from elsewhere', async () => {
    const res = await new WebClient(app.url).get('/login');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).to.contain("script-src 'none'");
    expect(csp).to.contain("default-src 'none'");
    expect(csp).to.contain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.headers.get('x-powered-by')).to.equal(null);
    expect(res.text).not.to.match(/<script/i);
  });

  it('shows HTML and script payloads typed into fields as text', async () => {
    const client = new WebClient(app.url);
    await client.signIn(cast.consultant.email);
    await client.get('/engagements/new');
    const payload = `<script>alert(1)</script><img src=x onerror=alert(2)>"'`;
    const created = await client.post('/engagements', { clientName: payload, industry: payload, plannedStart: '2026-12-01' });
    expect(created.status).to.equal(303);
    const page = await client.follow(created);
    expect(page.text).not.to.contain('<script>alert(1)</script>');
    expect(page.text).not.to.contain('<img src=x');
    expect(page.text).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('keeps what was typed and names each wrong field when a form is refused', async () => {
    const client = new WebClient(app.url);
    await client.signIn(cast.consultant.email);
    await client.get('/engagements/new');
    const count = await db.orm.em.fork().count(Engagement, {});
    const res = await client.post('/engagements', { clientName: 'Kolosok', site: 'not a site', plannedStart: 'tomorrow', feeAmount: '-3' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('value="Kolosok"');
    expect(res.text).to.contain('value="not a site"');
    expect(res.text).to.match(/id="site-error"/);
    expect(res.text).to.match(/id="plannedStart-error"/);
    expect(res.text).to.match(/id="feeAmount-error"/);
    expect(await db.orm.em.fork().count(Engagement, {})).to.equal(count);
  });

  it('says why a stage cannot advance', async () => {
    const client = new WebClient(app.url);
    await client.signIn(cast.consultant.email);
    await client.get(`/engagements/${engagementId}`);
    const res = await client.post(`/engagements/${engagementId}/advance`, { __referer: `/engagements/${engagementId}` });
    // A refusal says so in its status (a monitor or a script can tell), on the page the form was on.
    expect(res.status).to.equal(409);
    expect(res.text).to.match(/\d+ tasks still open: /);
    expect(res.text).to.contain('The owner has not signed the stage off.');
    expect(res.text).to.contain('id="gate"');
    const next = await client.get(`/engagements/${engagementId}`);
    expect(res.text).to.contain('flash-error');
    expect(next.text, 'the message is shown once').not.to.contain('flash-error');
  });

  it('answers 404 and 500 with pages that show no internals', async () => {
    const client = new WebClient(app.url);
    await client.signIn(cast.consultant.email);
    const missing = await client.get('/no/such/page');
    expect(missing.status).to.equal(404);
    expect(missing.text).to.contain('Not found');
    const badId = await client.get(`/engagements/${engagementId}/documents/not-a-uuid`);
    expect(badId.status).to.equal(404);
  });

  it('invites a person by e-mail: the one-time link sets a password once and signs them in', async () => {
    const consultant = new WebClient(app.url);
    await consultant.signIn(cast.consultant.email);
    await consultant.get(`/engagements/${engagementId}`);
    const invited = await consultant.post(`/engagements/${engagementId}/participants`, { email: 'new.staff@example.com', name: 'Nina New', role: 'staff', direction: 'logistics' });
    expect(invited.status).to.equal(303);
    const mail = readMail(app.mailDir).find((m) => m.to === 'new.staff@example.com')!;
    const link = /\/invitations\/[\w-]+/.exec(mail.body)![0];

    const nina = new WebClient(app.url);
    expect((await nina.get(link)).status).to.equal(200);
    const short = await nina.post(link, { password: 'short', confirm: 'short' });
    expect(short.status).to.equal(422);
    expect(short.text).to.contain('use at least 10 characters');
    const set = await nina.post(link, { password: 'a long new password', confirm: 'a long new password' });
    expect(set.status).to.equal(303);
    expect((await nina.signIn('new.staff@example.com', 'a long new password')).status).to.equal(303);
    expect((await nina.get(`/engagements/${engagementId}`)).status).to.equal(200);
    const reused = await new WebClient(app.url).get(link);
    expect(reused.status, 'the link works once').to.equal(410);
  });

  it('refuses an invitation link older than seven days', async () => {
    const consultant = new WebClient(app.url);
    await consultant.signIn(cast.consultant.email);
    await consultant.get(`/engagements/${engagementId}`);
    await consultant.post(`/engagements/${engagementId}/participants`, { email: 'late@example.com', name: 'Late', role: 'staff', direction: 'other' });
    const link = /\/invitations\/[\w-]+/.exec(readMail(app.mailDir).find((m) => m.to === 'late@example.com')!.body)![0];
    app.deps.time.advanceDays(8);
    expect((await new WebClient(app.url).get(link)).status).to.equal(410);
  });

  it('resets a password by one-time link, and answers the same for unknown addresses', async () => {
    const client = new WebClient(app.url);
    await client.get('/password/forgot');
    const unknown = await client.post('/password/forgot', { email: 'nobody@example.com' });
    await client.get('/password/forgot');
    const known = await client.post('/password/forgot', { email: cast.owner.email });
    for (const res of [unknown, known]) {
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('If an account has this address');
    }
    const [mail] = await waitForMail(app.mailDir, (m) => m.to === cast.owner.email);
    expect(readMail(app.mailDir).map((m) => m.to)).to.deep.equal([cast.owner.email]);
    const link = /\/password\/reset\/[\w-]+/.exec(mail!.body)![0];
    await client.get(link);
    expect((await client.post(link, { password: 'my brand new password', confirm: 'my brand new password' })).status).to.equal(303);
    expect((await new WebClient(app.url).signIn(cast.owner.email, 'my brand new password')).status).to.equal(303);
    expect((await new WebClient(app.url).signIn(cast.owner.email, PASSWORD)).status).to.equal(401);
  });

  it('switches the language and remembers it for the person', async () => {
    const client = new WebClient(app.url);
    await client.signIn(cast.owner.email);
    await client.get('/');
    await client.post('/language', { locale: 'ru', back: '/' });
    const home = await client.get('/');
    expect(home.text).to.contain('lang="ru"');
    const again = new WebClient(app.url);
    await again.signIn(cast.owner.email);
    expect((await again.get('/')).text, 'remembered across sessions').to.contain('lang="ru"');
  });

  it('renders every page in English and in Russian without a raw catalog key', async () => {
    await completeCurrentStage(app.deps, engagementId, cast); // approves the training programme too
    const version = await submitDocumentVersion(app.deps, cast.consultant.id, engagementId, 'content-concept', await contentOf('content-concept', 'v3'));
    // A module not yet passed (the methods kit's overview was completed with Preparation).
    const [assignment] = await db.orm.em.fork().find(TrainingAssignment, { engagement: engagementId, quizPassedAt: null });
    const engagement = await db.orm.em.fork().findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] });
    const module = engagement.methodology.definition.trainingModules.find((m) => m.id === assignment!.moduleId)!;
    await submitQuiz(app.deps, assignment!.user.id, engagementId, assignment!.id, correctAnswers(module));
    const pages = [
      '/',
      '/tasks',
      '/engagements/new',
      `/engagements/${engagementId}`,
      `/engagements/${engagementId}/documents/${version.document.id}`,
      `/engagements/${engagementId}/documents/new?type=content-concept`,
      `/engagements/${engagementId}/documents/new?type=training-record&fill=training`,
      `/engagements/${engagementId}/training`,
      `/engagements/${engagementId}/training/${assignment!.id}`,
      `/engagements/${engagementId}/events`,
      `/engagements/${engagementId}/events?kind=engagement.start`,
      '/?stage=preparation&overdue=1&waiting=1&q=bakery',
    ];
    for (const locale of ['en', 'ru']) {
      const client = new WebClient(app.url);
      await client.signIn(cast.consultant.email);
      await client.get('/');
      await client.post('/language', { locale, back: '/' });
      for (const path of pages) {
        const res = await client.get(path);
        expect(res.status, `${locale} ${path}`).to.equal(200);
        const text = res.text.replace(/<[^>]+>/g, ' ');
        expect(text, `${locale} ${path}`).not.to.match(/\b(nav|home|engagement|state|timeline|gate|stage|tasks|kind|role|direction|people|document|documentStatus|decision|log|event|errors|auth|form|lists)\.[a-zA-Z_]+\b/);
        if (locale === 'ru') expect(text, path).to.match(/[а-яё]{4}/i);
      }
    }
  });

  it('keeps a message for the next page even when a stray request comes in between', async () => {
    const client = new WebClient(app.url);
    await client.signIn(cast.consultant.email);
    await client.get(`/engagements/${engagementId}`);
    const res = await client.post(`/engagements/${engagementId}/pause`, { __referer: `/engagements/${engagementId}` });
    expect((await client.get('/favicon.ico')).status).to.equal(204);
    expect((await client.get('/no/such/page')).status).to.equal(404);
    const page = await client.follow(res);
    expect(page.text).to.contain('The engagement is paused.');
  });
});
