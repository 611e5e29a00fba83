import { expect } from 'chai';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.ts';
import { openOrm, type Orm } from '../../src/db/orm.ts';
import { migrateAsOwner } from '../../src/db/database.ts';
import { APP_ROLE } from '../../src/db/database-roles.ts';
import { freePort } from '../helpers/postgres.ts';
import { makeEngagement, type Cast } from '../helpers/factories.ts';
import { startTestApp, setPassword, WebClient, type TestApp, type Response } from '../helpers/web.ts';
import { isDatabaseUnreachable } from '../../src/web/database-outage.ts';

// A PostgreSQL of its own: this test stops it while the app serves, which the shared one must never see.
describe('a database outage over HTTP', function () {
  this.timeout(180_000);
  let dataDir: string;
  let port: number;
  let cluster: EmbeddedDatabase;
  let orm: Orm;
  let app: TestApp;
  let engagementId: string;
  let cast: Cast;
  let consultant: WebClient;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'troika-outage-'));
    chmodSync(dataDir, 0o755); // the postgres user must reach it when tests run as root
    port = await freePort();
    cluster = await startEmbeddedPostgres({ dataDir, port });
    // The schema belongs to the owner role; the app connects as its own role, as in production.
    await migrateAsOwner(cluster.ownerUrl, APP_ROLE);
    orm = await openOrm(cluster.url);
    app = await startTestApp({ orm, url: cluster.url });
    ({ engagementId, cast } = await makeEngagement(app.deps));
    await setPassword({ orm }, cast.consultant.id);
    consultant = new WebClient(app.url);
    await consultant.signIn(cast.consultant.email);
  });
  after(async () => {
    await app?.close();
    await orm?.close(true);
    await cluster?.stop().catch(() => {});
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** The requests a signed-in person makes: pages, and a form posted with its token. */
  const signedInRequests = (): Promise<Response>[] => [
    consultant.get('/'),
    consultant.get(`/engagements/${engagementId}`),
    consultant.get(`/engagements/${engagementId}/documents/new?type=target-criteria`),
    consultant.post(`/engagements/${engagementId}/pause`),
  ];

  /** Four browsers at once, each sending a round of requests after the other until told to stop. */
  async function browse(isDone: () => boolean): Promise<{ statuses: Record<number, number>; total: number; sample?: Response }> {
    const statuses: Record<number, number> = {};
    let total = 0;
    let sample: Response | undefined;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!isDone()) {
          for (const res of await Promise.all(signedInRequests())) {
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            total++;
            if (res.status === 503) sample = res;
          }
        }
      }),
    );
    return { statuses, total, sample };
  }

  it('answers 503 with Retry-After while PostgreSQL is down, logs the outage once, and serves again when it is back', async () => {
    expect((await consultant.get(`/engagements/${engagementId}`)).status).to.equal(200);
    const logsBefore = app.logs.length;
    const consoleLines: string[] = [];
    const [consoleError, consoleWarn] = [console.error, console.warn];
    console.error = console.warn = (...args: unknown[]) => void consoleLines.push(args.map(String).join(' '));

    // Requests in flight while the server shuts down: connections end under running queries.
    let isStopped = false;
    const inFlight = browse(() => isStopped);
    await cluster.stop();
    isStopped = true;
    const stopping = await inFlight;
    // The original report: ~12,700 log lines in ten seconds. Here: three seconds of four browsers at once.
    const until = Date.now() + 3000;
    const down = await browse(() => Date.now() > until);
    [console.error, console.warn] = [consoleError, consoleWarn];
    const outageLines = [...app.logs.slice(logsBefore), ...consoleLines];
    console.log(`      while stopping: ${stopping.total} requests, statuses ${JSON.stringify(stopping.statuses)}`);
    console.log(`      while down: ${down.total} requests, statuses ${JSON.stringify(down.statuses)}; ${outageLines.length} log lines in all`);
    for (const line of outageLines) console.log(`        log: ${line}`);

    expect(Object.keys(stopping.statuses).map(Number).filter((s) => s >= 500 && s !== 503), 'no 500 while the server stops').to.deep.equal([]);
    expect(down.total).to.be.greaterThan(40);
    expect(Object.keys(down.statuses), 'every signed-in request answers 503').to.deep.equal(['503']);
    const sample = down.sample;
    expect(sample!.headers.get('retry-after')).to.match(/^\d+$/);
    expect(sample!.text).to.contain('Troika cannot reach its database; try again in a moment');
    expect(outageLines.filter((l) => /database unreachable/.test(l)), 'the outage is logged once').to.have.length(1);
    expect(outageLines.join('\n')).not.to.match(/\n\s+at /, 'no stack trace');
    expect(outageLines.length, 'a few lines, not one per request').to.be.at.most(8);

    const anonymous = await new WebClient(app.url).get(`/engagements/${engagementId}`);
    expect(anonymous.status, 'a visitor without a session is sent to sign in, which needs no database').to.equal(303);

    cluster = await startEmbeddedPostgres({ dataDir, port });
    const backAt = Date.now();
    let page: Response;
    do page = await consultant.get(`/engagements/${engagementId}`);
    while (page.status !== 200 && Date.now() - backAt < 2000);
    const waited = Date.now() - backAt;
    console.log(`      first 200 after the restart: ${waited} ms`);
    expect(page.status, 'pages answer within 2 s of the restart').to.equal(200);
    const back = app.logs.slice(logsBefore).filter((l) => /database back/.test(l));
    console.log(`        log: ${back.join(' | ')}`);
    expect(back).to.have.length(1);
  });

  // The person's own choice lives in the database with their session; the browser's language is what is left.
  it('shows the outage page in the language the browser asks for', async () => {
    await cluster.stop();
    try {
      const res = await fetch(`${app.url}/engagements/${engagementId}`, { headers: { cookie: `troika.sid=${consultant.sessionId()}`, 'accept-language': 'ru-RU,ru;q=0.9' } });
      expect(res.status).to.equal(503);
      expect(res.headers.get('retry-after')).to.match(/^\d+$/);
      const text = await res.text();
      expect(text).to.contain('lang="ru"');
      expect(text).to.contain('Troika не может связаться со своей базой данных');
    } finally {
      cluster = await startEmbeddedPostgres({ dataDir, port });
    }
  });
});

describe('telling an unreachable database from other failures', () => {
  it('recognises what pg and MikroORM report for a database that is away', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnreachable(refused)).to.equal(true);
    expect(isDatabaseUnreachable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).to.equal(true);
    expect(isDatabaseUnreachable(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).to.equal(true);
    expect(isDatabaseUnreachable(new Error('Connection terminated unexpectedly'))).to.equal(true);
    expect(isDatabaseUnreachable(new Error('timeout exceeded when trying to connect'))).to.equal(true);
    expect(isDatabaseUnreachable(new Error('wrapped', { cause: refused }))).to.equal(true);
    expect(isDatabaseUnreachable(new AggregateError([refused], 'all addresses refused'))).to.equal(true);
  });

  it('leaves other failures to be 500s', () => {
    expect(isDatabaseUnreachable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).to.equal(false);
    expect(isDatabaseUnreachable(new TypeError("Cannot read properties of undefined (reading 'id')"))).to.equal(false);
    expect(isDatabaseUnreachable(undefined)).to.equal(false);
  });
});
