import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeEngagement, type Cast } from '../helpers/factories.ts';
import { startTestApp, setPassword, WebClient, readMail, waitForMail, type TestApp, PASSWORD } from '../helpers/web.ts';
import { LOGIN_LIMIT, ADDRESS_FACTOR, RESET_LIMIT } from '../../src/web/login-limit.ts';
import { SESSION_MAX_DAYS } from '../../src/web/session.ts';
import { UserToken } from '../../src/users/user-token.entity.ts';
import { loadConfig } from '../../src/config.ts';

const RESET_LINK = /\/password\/reset\/[\w-]+/;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('account security over HTTP: limits, resets, sessions, cookies and passwords', function () {
  this.timeout(90_000);
  let db: TestDatabase;
  let app: TestApp;
  let cast: Cast;
  const extraApps: TestApp[] = [];

  const sql = async <T>(query: string, params: unknown[] = []) => (await db.orm.em.getConnection().execute(query, params)) as T[];
  const sessionRows = async (userId?: string) =>
    (await sql<{ n: number }>(`select count(*)::int as n from sessions${userId ? ` where sess -> 'passport' ->> 'user' = ?` : ''}`, userId ? [userId] : []))[0]!.n;
  const startAnotherApp = async (options: Parameters<typeof startTestApp>[1]) => {
    const another = await startTestApp(db, options);
    extraApps.push(another);
    return another;
  };

  const linksTo = (email: string) => readMail(app.mailDir).filter((m) => m.to === email).map((m) => RESET_LINK.exec(m.body)![0]);

  /** Asks for a reset link as a stranger would, and returns the new link once its e-mail is written. */
  async function resetLinkFor(email: string): Promise<string> {
    const known = new Set(linksTo(email));
    const client = new WebClient(app.url);
    await client.get('/password/forgot');
    expect((await client.post('/password/forgot', { email })).status).to.equal(200);
    const [mail] = await waitForMail(app.mailDir, (m) => m.to === email && !known.has(RESET_LINK.exec(m.body)![0]));
    return RESET_LINK.exec(mail!.body)![0];
  }

  beforeEach(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db);
    ({ cast } = await makeEngagement(app.deps));
    for (const person of [cast.consultant, cast.owner]) await setPassword(db, person.id);
  });
  afterEach(async () => {
    for (const another of extraApps.splice(0)) await another.close();
    await app.close();
    await db.drop();
  });

  describe('the sign-in limit', () => {
    it('checks at most the limit of passwords when thirty wrong ones arrive at once', async () => {
      const attacker = new WebClient(app.url);
      await attacker.get('/login');
      const answers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => attacker.post('/login', { email: cast.owner.email, password: `wrong guess ${i}` })),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401), 'passwords checked').to.have.length(LOGIN_LIMIT.failures);
      expect(statuses.filter((s) => s === 429), 'refused unchecked').to.have.length(30 - LOGIN_LIMIT.failures);
    });

    it('is not walked around by a made-up X-Forwarded-For unless a proxy is configured', async () => {
      const tryAddresses = async (target: TestApp, tag: string) => {
        const client = new WebClient(target.url);
        await client.get('/login');
        const statuses: number[] = [];
        for (let i = 1; i <= LOGIN_LIMIT.failures * ADDRESS_FACTOR + 5; i++) {
          const res = await client.post('/login', { email: `${tag}.${i}@example.com`, password: 'wrong password' }, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
          statuses.push(res.status);
        }
        return statuses;
      };
      const direct = await tryAddresses(app, 'direct');
      expect(direct.slice(0, LOGIN_LIMIT.failures * ADDRESS_FACTOR).every((s) => s === 401)).to.equal(true);
      expect(direct.slice(LOGIN_LIMIT.failures * ADDRESS_FACTOR), 'one address, whatever the header says').to.deep.equal([429, 429, 429, 429, 429]);

      const proxied = await startAnotherApp({ trustProxy: ['loopback'] });
      const behindProxy = await tryAddresses(proxied, 'proxied');
      expect(behindProxy.every((s) => s === 401), 'behind a configured proxy each forwarded address counts apart').to.equal(true);
    });

    it('lets the owner of a locked account back in with a reset link, and says how', async () => {
      const owner = new WebClient(app.url);
      await owner.get('/login');
      for (let i = 0; i < LOGIN_LIMIT.failures; i++) expect((await owner.post('/login', { email: cast.owner.email, password: `guess ${i}` })).status).to.equal(401);
      const locked = await owner.post('/login', { email: cast.owner.email, password: PASSWORD });
      expect(locked.status).to.equal(429);
      expect(locked.text, 'the lock names the way out').to.contain('lifts the lock');
      expect(locked.text).to.contain('href="/password/forgot"');

      const link = await resetLinkFor(cast.owner.email);
      await owner.get(link);
      expect((await owner.post(link, { password: 'a fresh long password', confirm: 'a fresh long password' })).status).to.equal(303);
      expect((await owner.signIn(cast.owner.email, 'a fresh long password')).status, 'the reset lifted the lock').to.equal(303);
      expect((await owner.get('/')).status).to.equal(200);
    });

    it('gives a busy office its attempts back when people sign in correctly', async () => {
      const office = new WebClient(app.url);
      for (let i = 0; i < LOGIN_LIMIT.failures * ADDRESS_FACTOR + 3; i++) {
        const res = await office.signIn(cast.consultant.email);
        expect(res.status, `sign-in ${i + 1}`).to.equal(303);
        await office.post('/logout');
      }
    });
  });

  describe('a password reset', () => {
    it('signs out every other session of the account and voids its other links', async () => {
      const elsewhere = new WebClient(app.url);
      expect((await elsewhere.signIn(cast.owner.email)).status).to.equal(303);
      expect((await elsewhere.get('/')).status).to.equal(200);
      const firstLink = await resetLinkFor(cast.owner.email);
      const secondLink = await resetLinkFor(cast.owner.email);
      expect(firstLink).not.to.equal(secondLink);

      const resetter = new WebClient(app.url);
      await resetter.get(secondLink);
      expect((await resetter.post(secondLink, { password: 'my brand new password', confirm: 'my brand new password' })).status).to.equal(303);

      const after = await elsewhere.get('/');
      expect(after.status, 'the session signed in before the reset is over').to.equal(303);
      expect(after.location).to.match(/^\/login/);
      expect(await sessionRows(cast.owner.id)).to.equal(0);
      expect((await new WebClient(app.url).get(firstLink)).status, 'the older link is used up too').to.equal(410);
      const live = await db.orm.em.fork().count(UserToken, { user: cast.owner.id, usedAt: null });
      expect(live).to.equal(0);
    });

    it('ends a session that a request in flight wrote back after the reset deleted it', async () => {
      const elsewhere = new WebClient(app.url);
      await elsewhere.signIn(cast.owner.email);
      expect((await elsewhere.get('/')).status).to.equal(200);
      const conn = db.orm.em.getConnection();
      const saved = (await conn.execute(`select sid, sess::text as sess, expire from sessions where sess -> 'passport' ->> 'user' = ?`, [cast.owner.id])) as { sid: string; sess: string; expire: Date }[];
      expect(saved).to.have.length(1);

      const link = await resetLinkFor(cast.owner.email);
      const resetter = new WebClient(app.url);
      await resetter.get(link);
      await resetter.post(link, { password: 'my brand new password', confirm: 'my brand new password' });
      // As express-session does when a request that began before the reset ends after it.
      for (const row of saved) await conn.execute('insert into sessions (sid, sess, expire) values (?, ?::json, ?) on conflict (sid) do update set sess = excluded.sess', [row.sid, row.sess, row.expire]);

      const after = await elsewhere.get('/');
      expect(after.status, 'the old password stamp no longer signs anyone in').to.equal(303);
      expect(after.location).to.match(/^\/login/);
      expect((await new WebClient(app.url).signIn(cast.owner.email, 'my brand new password')).status).to.equal(303);
    });

    it('limits link requests per account and per address', async () => {
      const client = new WebClient(app.url);
      const ask = async (email: string) => {
        await client.get('/password/forgot');
        return (await client.post('/password/forgot', { email })).status;
      };
      const forOwner: number[] = [];
      for (let i = 0; i < RESET_LIMIT.perAccount + 3; i++) forOwner.push(await ask(cast.owner.email));
      expect(forOwner).to.deep.equal([...Array(RESET_LIMIT.perAccount).fill(200), 429, 429, 429]);
      for (let i = 0; i < 50 && linksTo(cast.owner.email).length < RESET_LIMIT.perAccount; i++) await sleep(20);
      await sleep(200); // a refused request would have sent its mail by now
      expect(await db.orm.em.fork().count(UserToken, { user: cast.owner.id, kind: 'reset' }), 'links made for one account').to.equal(RESET_LIMIT.perAccount);

      // The same address asking for many different accounts runs into the address limit; refused requests count too.
      const spread: number[] = [];
      for (let i = 0; i < RESET_LIMIT.perAddress; i++) spread.push(await ask(`someone.${i}@example.com`));
      const allowedLeft = RESET_LIMIT.perAddress - forOwner.length;
      expect(spread, 'the address limit').to.deep.equal([...Array(allowedLeft).fill(200), ...Array(spread.length - allowedLeft).fill(429)]);
    });

    it('answers in the same time whether or not the account exists', async function () {
      this.timeout(120_000);
      const client = new WebClient(app.url);
      const timeOne = async (email: string) => {
        await client.get('/password/forgot');
        const started = performance.now();
        const res = await client.post('/password/forgot', { email });
        const ms = performance.now() - started;
        expect(res.status).to.equal(200);
        return ms;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 25; i++) {
        app.deps.time.advanceDays(1); // a fresh limit window for every pair
        known.push(await timeOne(cast.owner.email));
        for (let j = 0; j < 100 && readMail(app.mailDir).length <= i; j++) await sleep(10);
        unknown.push(await timeOne(`nobody.${i}@example.com`));
        await sleep(20);
      }
      const [k, u] = [median(known), median(unknown)];
      console.log(`      forgot-password medians: existing account ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`);
      expect(k, `existing ${k.toFixed(1)} ms vs unknown ${u.toFixed(1)} ms`).to.be.below(u * 1.3 + 1);
      expect(u).to.be.below(k * 1.3 + 1);
    });
  });

  describe('sessions', () => {
    it('stores no session for anonymous visits to pages without a form', async () => {
      const before = await sessionRows();
      const visits = [...Array(20).fill('/'), '/assets/no-such-file.css', `/password/reset/${'x'.repeat(32)}`, '/favicon.ico'];
      for (const path of visits) {
        const res = await fetch(app.url + path, { redirect: 'manual' });
        expect([303, 404, 410, 204], path).to.include(res.status);
        expect(res.headers.getSetCookie(), `${path} sets no cookie`).to.deep.equal([]);
      }
      expect(await sessionRows()).to.equal(before);

      const visitor = new WebClient(app.url);
      await visitor.get('/login');
      expect(await sessionRows(), 'a page with a form stores one, for its CSRF token').to.equal(before + 1);
    });

    it('switches the language of an anonymous visitor without a form token', async () => {
      const visitor = new WebClient(app.url);
      const switched = await visitor.get('/language?locale=ru&back=%2Flogin');
      expect(switched.status).to.equal(303);
      expect(switched.location).to.equal('/login');
      expect((await visitor.follow(switched)).text).to.contain('lang="ru"');
      expect((await visitor.get('/language?locale=en&back=https%3A%2F%2Fevil.example')).location, 'only back to this site').to.equal('/');
    });

    it(`ends a session ${SESSION_MAX_DAYS} days after sign-in, however busy it is`, async () => {
      const client = new WebClient(app.url);
      await client.signIn(cast.consultant.email);
      expect((await client.get('/')).status).to.equal(200);
      app.deps.time.advanceDays(SESSION_MAX_DAYS - 1);
      expect((await client.get('/')).status, 'still within the lifetime').to.equal(200);
      app.deps.time.advanceDays(1.01);
      const expired = await client.get('/');
      expect(expired.status).to.equal(303);
      expect(expired.location).to.match(/^\/login/);
      expect(await sessionRows(cast.consultant.id)).to.equal(0);
      expect((await client.signIn(cast.consultant.email)).status, 'signing in again works').to.equal(303);
      expect((await client.get('/')).status).to.equal(200);
    });

    it('keeps running and logs one line when the session database connection is dropped', async () => {
      await new WebClient(app.url).get('/login'); // the session pool now holds an idle connection
      const killed = await sql<{ pid: number }>(
        // Materialized, so the server picks the pool's connections before it terminates anything.
        `with pool as materialized (select pid from pg_stat_activity
           where datname = current_database() and application_name = 'troika-web-sessions' and pid <> pg_backend_pid())
         select pid from pool where pg_terminate_backend(pid)`,
      );
      expect(killed.length, 'a session-pool connection was dropped').to.be.greaterThan(0);
      for (let i = 0; i < 100 && !app.logs.some((l) => l.includes('web sessions:')); i++) await sleep(20);
      const lines = app.logs.filter((l) => l.includes('web sessions:'));
      expect(lines.length).to.be.greaterThan(0);
      expect(lines[0]).not.to.contain('\n');
      expect((await new WebClient(app.url).signIn(cast.owner.email)).status, 'the app still answers').to.equal(303);
    });
  });

  describe('with secure cookies behind a TLS front', () => {
    it('sends HSTS and a __Host- session cookie, and clears that cookie at sign-out', async () => {
      const secure = await startAnotherApp({ secureCookies: true, trustProxy: ['loopback'] });
      const https = { 'x-forwarded-proto': 'https' };
      const client = new WebClient(secure.url);
      const page = await client.request('GET', '/login', undefined, https);
      expect(page.headers.get('strict-transport-security')).to.match(/max-age=\d{7,}/);
      const [cookie] = page.headers.getSetCookie();
      expect(cookie).to.match(/^__Host-troika\.sid=/);
      expect(cookie).to.match(/;\s*Secure/i);
      expect(cookie).to.match(/;\s*Path=\//i);
      expect(cookie).not.to.match(/Domain=/i);

      expect((await client.post('/login', { email: cast.owner.email, password: PASSWORD }, { headers: https })).status).to.equal(303);
      expect((await client.request('GET', '/', undefined, https)).status).to.equal(200);
      const out = await client.post('/logout', {}, { headers: https });
      const [cleared] = out.headers.getSetCookie();
      expect(cleared).to.match(/^__Host-troika\.sid=;/);
      expect(cleared).to.match(/;\s*Secure/i);
      expect(cleared).to.match(/Expires=Thu, 01 Jan 1970/i);
    });

    it('trusts a proxy only when one is configured, and never every sender', () => {
      expect(loadConfig({}).trustProxy, 'off by default').to.equal(false);
      expect(loadConfig({ TROIKA_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).to.deep.equal(['loopback', '10.0.0.0/8']);
      expect(loadConfig({ TROIKA_TRUST_PROXY: '1' }).trustProxy).to.equal(1);
      expect(() => loadConfig({ TROIKA_TRUST_PROXY: 'true' })).to.throw(/TROIKA_TRUST_PROXY/);
      expect(() => loadConfig({ TROIKA_TRUST_PROXY: 'my proxy' })).to.throw(/TROIKA_TRUST_PROXY/);
      expect(() => loadConfig({ TROIKA_SECURE_COOKIES: 'true' }), 'secure cookies need the TLS front named').to.throw(/TROIKA_TRUST_PROXY/);
      expect(loadConfig({ TROIKA_SECURE_COOKIES: 'true', TROIKA_TRUST_PROXY: 'loopback' }).secureCookies).to.equal(true);
    });

    it('sends no HSTS on plain HTTP without secure cookies', async () => {
      const res = await fetch(`${app.url}/login`);
      expect(res.headers.get('strict-transport-security')).to.equal(null);
      expect(res.headers.getSetCookie()[0]).to.match(/^troika\.sid=/);
    });
  });

  describe('new passwords', () => {
    it('refuses common passwords and the person’s own address, in English and in Russian', async () => {
      const link = await resetLinkFor(cast.owner.email);
      const person = new WebClient(app.url);
      await person.get(link);
      const common = await person.post(link, { password: 'password123', confirm: 'password123' });
      expect(common.status).to.equal(422);
      expect(common.text).to.contain('one of the most common ones');
      const dressedUp = await person.post(link, { password: 'Password123!', confirm: 'Password123!' });
      expect(dressedUp.status, 'digits and symbols around a common password do not make it rare').to.equal(422);
      const ownAddress = await person.post(link, { password: cast.owner.email, confirm: cast.owner.email });
      expect(ownAddress.status).to.equal(422);
      expect(ownAddress.text).to.contain('must not be your e-mail address or your name');

      await person.get(`/language?locale=ru&back=${encodeURIComponent(link)}`);
      const inRussian = await person.post(link, { password: 'password123', confirm: 'password123' });
      expect(inRussian.status).to.equal(422);
      expect(inRussian.text).to.contain('самых распространённых паролей');

      expect((await person.post(link, { password: PASSWORD, confirm: PASSWORD })).status, 'the link still works for a good one').to.equal(303);
      expect((await new WebClient(app.url).signIn(cast.owner.email, PASSWORD)).status).to.equal(303);
    });
  });
});
