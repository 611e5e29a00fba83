import { expect } from 'chai';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.ts';
import { openOrm, type Orm } from '../../src/db/orm.ts';
import { migrateAsOwner } from '../../src/db/database.ts';
import { APP_ROLE } from '../../src/db/database-roles.ts';
import { freePort } from '../helpers/postgres.ts';
import { makeEngagement } from '../helpers/factories.ts';
import { startTestApp, setPassword, WebClient, type TestApp } from '../helpers/web.ts';
import { Participant } from '../../src/engagement/engagement.entity.ts';
import { verifyEngagement } from '../../src/engagement/consistency.ts';

// Its own PostgreSQL, stopped and started again while four people keep writing.
describe('PostgreSQL restarted under a load of writes', function () {
  this.timeout(180_000);
  let dataDir: string;
  let cluster: EmbeddedDatabase;
  let orm: Orm;
  let app: TestApp;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'troika-restart-'));
    chmodSync(dataDir, 0o755);
    cluster = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    await migrateAsOwner(cluster.ownerUrl, APP_ROLE);
    orm = await openOrm(cluster.url);
    app = await startTestApp({ orm, url: cluster.url });
  });
  after(async () => {
    await app?.close();
    await orm?.close(true);
    await cluster?.stop().catch(() => {});
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged write, answers no 500, and serves again within 2 s of the restart', async () => {
    const { engagementId, cast } = await makeEngagement(app.deps);
    await setPassword({ orm }, cast.consultant.id);
    const clients = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const c = new WebClient(app.url);
        await c.signIn(cast.consultant.email);
        await c.get(`/engagements/${engagementId}`);
        return c;
      }),
    );

    const printed: string[] = [];
    const [consoleError, consoleWarn] = [console.error, console.warn];
    console.error = console.warn = (...args: unknown[]) => void printed.push(args.map((a) => (a instanceof Error ? String(a.stack) : String(a))).join(' '));
    let phase: 'up' | 'down' | 'back' | 'done' = 'up';
    let sequence = 0;
    const acknowledged: string[] = [];
    const statuses: Record<string, number> = {};
    let firstOkAfterRestart: number | null = null;
    let restartedAt = 0;
    const writers = clients.map(async (client) => {
      while (phase !== 'done') {
        const email = `delegate.${++sequence}@restart.example`;
        const res = await client.post(`/engagements/${engagementId}/participants`, { email, name: 'Delegate', role: 'owner', __referer: `/engagements/${engagementId}` }).catch(() => null);
        const key = res ? String(res.status) : 'no answer';
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (res?.status === 303) {
          acknowledged.push(email);
          if (phase === 'back' && firstOkAfterRestart === null) firstOkAfterRestart = Date.now() - restartedAt;
        }
        if (res && res.status !== 303) await client.get(`/engagements/${engagementId}`).catch(() => null); // a fresh token, as a person would reload
      }
    });

    await new Promise((r) => setTimeout(r, 700));
    phase = 'down';
    await cluster.stop();
    await new Promise((r) => setTimeout(r, 1000));
    cluster = await startEmbeddedPostgres({ dataDir, port: Number(new URL(cluster.url).port) });
    restartedAt = Date.now();
    phase = 'back';
    while (firstOkAfterRestart === null && Date.now() - restartedAt < 5000) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    phase = 'done';
    await Promise.all(writers);
    [console.error, console.warn] = [consoleError, consoleWarn];
    console.log(`      statuses: ${JSON.stringify(statuses)}; first write acknowledged ${firstOkAfterRestart} ms after the restart`);
    const pool = (await orm.em.getConnection().getNativeClient()) as unknown as { totalCount: number; idleCount: number; waitingCount: number };
    await new Promise((r) => setTimeout(r, 300));
    console.log(`      pool: total ${pool.totalCount}, idle ${pool.idleCount}, waiting ${pool.waitingCount}`);
    expect(pool.totalCount - pool.idleCount, 'no connection is left checked out').to.equal(0);

    expect(printed.filter((l) => /\n\s+at /.test(l)), 'no stack trace on the console').to.deep.equal([]);
    expect(app.logs.join('\n')).not.to.match(/\n\s+at /);
    expect(Object.keys(statuses).filter((s) => s !== '303' && s !== '503'), 'only successes and 503s').to.deep.equal([]);
    expect(statuses['503'] ?? 0, 'the outage was met').to.be.greaterThan(0);
    expect(firstOkAfterRestart, 'writes succeed again within 2 s').to.be.a('number').and.at.most(2000);
    const stored = new Set((await orm.em.fork().find(Participant, { engagement: engagementId }, { populate: ['user'] })).map((p) => p.user.email));
    expect(acknowledged.filter((email) => !stored.has(email)), 'every acknowledged invitation is stored').to.deep.equal([]);
    expect((await verifyEngagement(orm.em.fork(), engagementId)).isConsistent, 'the snapshot matches the event log').to.equal(true);
  });
});
