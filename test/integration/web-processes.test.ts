// Two web processes on one port and one database (TROIKA_WEB_PROCESSES=2), as people would run them.
// Each answer names the process that served it (X-Troika-Worker, its pid, sent only with NODE_ENV=test);
// a kept-alive connection stays with one process, so a client can be pinned to either.
import { expect } from 'chai';
import http from 'node:http';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../helpers/postgres.ts';
import { startAppProcess, waitReady, waitAllListening, type AppProcess } from '../helpers/app-process.ts';
import { resolveClusterDir } from '../../src/db/embedded-postgres.ts';
import { openOrm, type Orm } from '../../src/db/orm.ts';
import { verifyEngagement } from '../../src/engagement/consistency.ts';
import { Engagement, EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { User } from '../../src/users/user.entity.ts';
import { LOGIN_LIMIT } from '../../src/web/login-limit.ts';
import { countWaitingForMe } from '../../src/queue/waiting.queries.ts';
import { loadMethodologies } from '../../src/methodology/methodology.loader.ts';
import { MethodologyRegistry } from '../../src/methodology/methodology.registry.ts';

const PASSWORD = 'demo-pass-123';

interface Answer {
  status: number;
  text: string;
  worker: string;
}

/** A browser without JavaScript: cookies, the last CSRF token, and (unless told otherwise) one kept-alive connection. */
class Client {
  readonly #agent: http.Agent | false;
  cookies = new Map<string, string>();
  csrf = '';
  constructor(
    private readonly port: number,
    options: { pinned: boolean } = { pinned: true },
  ) {
    this.#agent = options.pinned ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : false;
  }

  request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Answer> {
    const body = form ? new URLSearchParams({ _csrf: this.csrf, ...form }).toString() : undefined;
    const headers: http.OutgoingHttpHeaders = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), referer: `http://127.0.0.1:${this.port}/` });
    return new Promise((done, fail) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.#agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          for (const cookie of res.headers['set-cookie'] ?? []) {
            const [name, value] = cookie.split(';')[0]!.split('=');
            this.cookies.set(name!, value!);
          }
          const token = /name="_csrf" value="([^"]+)"/.exec(text);
          if (token) this.csrf = token[1]!;
          done({ status: res.statusCode!, text, worker: String(res.headers['x-troika-worker']) });
        });
      });
      req.on('error', fail);
      req.end(body);
    });
  }

  close() {
    if (this.#agent) this.#agent.destroy();
  }
}

/** A client whose connection landed on a process other than `other` (the port hands new connections out in turn). */
async function clientOn(port: number, other?: string): Promise<{ client: Client; worker: string }> {
  for (let i = 0; i < 20; i++) {
    const client = new Client(port);
    const { worker } = await client.request('GET', '/login');
    if (worker !== 'undefined' && worker !== other) return { client, worker };
    client.close();
  }
  throw new Error(`no connection reached a process other than ${other}`);
}

describe('two web processes on one database', function () {
  this.timeout(300_000);
  let dataDir: string;
  let app: AppProcess;
  let port: number;
  let orm: Orm;
  const opened: Client[] = [];
  const pinned = async (other?: string) => {
    const found = await clientOn(port, other);
    opened.push(found.client);
    return found;
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'troika-procs-'));
    chmodSync(dataDir, 0o755);
    const pgPort = await freePort();
    port = await freePort();
    app = startAppProcess({ PORT: String(port), TROIKA_PG_PORT: String(pgPort), TROIKA_DATA_DIR: dataDir, TROIKA_DEMO_PASSWORD: PASSWORD, TROIKA_WEB_PROCESSES: '2', NODE_ENV: 'test' });
    await waitReady(port, app, 240);
    await waitAllListening(app, 240);
    const settings = JSON.parse(readFileSync(join(dirname(resolveClusterDir(dataDir)), 'cluster.json'), 'utf8')) as { appPassword: string };
    orm = await openOrm(`postgres://troika_app:${encodeURIComponent(settings.appPassword)}@127.0.0.1:${pgPort}/troika`);
  });

  after(async () => {
    for (const client of opened) client.close();
    await orm?.close(true);
    if (app?.child.exitCode === null) {
      app.child.kill('SIGKILL');
      await app.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves one port from two processes, both children of the one started', async () => {
    const a = await pinned();
    const b = await pinned(a.worker);
    expect(a.worker).not.to.equal(b.worker);
    for (const pid of [a.worker, b.worker]) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      expect(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), `process ${pid} is a worker of the app`).to.equal(app.child.pid);
    }
  });

  it('keeps a session made by one process valid on the other', async () => {
    const a = await pinned();
    const b = await pinned(a.worker);
    const signIn = await a.client.request('POST', '/login', { email: 'consultant@demo.troika', password: PASSWORD });
    expect(signIn.status, signIn.text.slice(0, 300)).to.equal(303);
    expect(signIn.worker).to.equal(a.worker);
    b.client.cookies = new Map(a.client.cookies);
    const home = await b.client.request('GET', '/');
    expect(home.worker, 'the other process answers').to.equal(b.worker);
    expect(home.status, 'signed in there too').to.equal(200);
    expect(home.text).to.contain('Kolosok');
  });

  it('adds up failed sign-ins made on either process toward one limit', async () => {
    const a = await pinned();
    const b = await pinned(a.worker);
    const served = new Set<string>();
    for (let i = 0; i < LOGIN_LIMIT.failures; i++) {
      const { client } = i % 2 ? b : a;
      const wrong = await client.request('POST', '/login', { email: 'igor@demo.troika', password: `wrong ${i}` });
      expect(wrong.status, `failure ${i + 1}`).to.equal(401);
      served.add(wrong.worker);
    }
    expect([...served].sort(), 'the failures were spread over both processes').to.deep.equal([a.worker, b.worker].sort());
    for (const { client, worker } of [a, b]) {
      const limited = await client.request('POST', '/login', { email: 'igor@demo.troika', password: PASSWORD });
      expect(limited.worker).to.equal(worker);
      expect(limited.status, `process ${worker} counts the other's failures too`).to.equal(429);
    }
  });

  it('serialises a burst of commands on one engagement sent to both processes: one event each, no gaps, the snapshot equal to the replay', async () => {
    const { client } = await pinned();
    expect((await client.request('POST', '/login', { email: 'consultant@demo.troika', password: PASSWORD })).status).to.equal(303);
    await client.request('GET', '/');
    const em = orm.em.fork();
    const consultant = await em.findOneOrFail(User, { email: 'consultant@demo.troika' });
    const engagement = await em.findOneOrFail(Engagement, { clientName: { $like: '%Kolosok%' } });
    const tasks = await em.find(Task, { engagement, role: 'consultant' });
    const [versionBefore, eventsBefore] = [engagement.version, engagement.eventSeq];

    // Each request on its own connection, so the port spreads them over both processes.
    const burst = Array.from({ length: 30 }, (_, i) => {
      const one = new Client(port, { pinned: false });
      one.cookies = new Map(client.cookies);
      one.csrf = client.csrf;
      return one.request('POST', `/engagements/${engagement.id}/tasks/${tasks[i % tasks.length]!.id}/assign`, { assigneeId: consultant.id });
    });
    const answers = await Promise.all(burst);
    expect(answers.map((a) => a.status).filter((s) => s !== 303), 'every command is done').to.deep.equal([]);
    expect(new Set(answers.map((a) => a.worker)).size, 'both processes took part').to.equal(2);

    const after = await orm.em.fork().findOneOrFail(Engagement, engagement.id);
    expect(after.version - versionBefore, 'one version per command').to.equal(answers.length);
    const seqs = (await orm.em.fork().find(EngagementEvent, { engagement: engagement.id }, { orderBy: { seq: 'asc' } })).map((e) => e.seq);
    expect(seqs, 'event numbers run 1..n without gaps or repeats').to.deep.equal(Array.from({ length: eventsBefore + answers.length }, (_, i) => i + 1));
    expect((await verifyEngagement(orm.em.fork(), engagement.id)).problems).to.deep.equal([]);
  });

  it('shows on either process, at once, a change made through the other: the cached top-bar count follows the database', async () => {
    const a = await pinned();
    const b = await pinned(a.worker);
    expect((await a.client.request('POST', '/login', { email: 'consultant@demo.troika', password: PASSWORD })).status).to.equal(303);
    b.client.cookies = new Map(a.client.cookies);
    const em = orm.em.fork();
    const consultant = await em.findOneOrFail(User, { email: 'consultant@demo.troika' });
    const engagement = await em.findOneOrFail(Engagement, { clientName: { $like: '%Kolosok%' } });
    const deps = { orm, methodologies: new MethodologyRegistry(loadMethodologies('methodology')), clock: () => new Date() };
    const page = `/engagements/${engagement.id}`;
    const shownOn = async (client: Client) => {
      const answer = await client.request('GET', page);
      expect(answer.status).to.equal(200);
      // The home link's badge (no badge is 0); the inbox's unread badge beside it is another count.
      return Number(/<a href="\/"[^>]*>[^<]*<span class="count"[^>]*>(\d+)<\/span>/.exec(answer.text)?.[1] ?? 0);
    };

    const before = await countWaitingForMe(deps, consultant.id);
    expect(await shownOn(b.client), 'process B shows the count').to.equal(before);
    expect(await shownOn(b.client), 'and again, from its cache').to.equal(before);
    await a.client.request('GET', page); // for its CSRF token
    const paused = await a.client.request('POST', `${page}/pause`, {});
    expect(paused.status, paused.text.slice(0, 300)).to.equal(303);
    expect(paused.worker).to.equal(a.worker);
    const after = await countWaitingForMe(deps, consultant.id);
    expect(after, 'pausing the engagement changes what waits for its consultant (the premise of this test)').not.to.equal(before);
    expect(await shownOn(b.client), 'process B shows the new count at once, not its cached one').to.equal(after);

    await a.client.request('GET', page);
    expect((await a.client.request('POST', `${page}/resume`, {})).status).to.equal(303);
    expect(await shownOn(b.client), 'and the count after resuming').to.equal(await countWaitingForMe(deps, consultant.id));
  });

  it('restarts a web process that dies, and still stops cleanly on SIGTERM with exit code 0', async () => {
    const a = await pinned();
    a.client.close();
    process.kill(Number(a.worker), 'SIGKILL');
    const until = Date.now() + 120_000;
    while (!/web process \d+ ended unexpectedly .*starting another/.test(app.output())) {
      if (Date.now() > until) throw new Error(`no restart was logged:\n${app.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    let replacement: string | undefined;
    while (!replacement && Date.now() < until) {
      const { worker } = await new Client(port, { pinned: false }).request('GET', '/healthz');
      if (worker !== a.worker && worker !== 'undefined' && (await waitForOther(worker))) replacement = worker;
    }
    expect(replacement, 'two processes serve again').to.be.a('string');

    const workers = new Set<string>();
    for (let i = 0; i < 6; i++) workers.add((await new Client(port, { pinned: false }).request('GET', '/healthz')).worker);
    app.child.kill('SIGTERM');
    expect(await app.exited).to.equal(0);
    expect(app.output()).to.contain('stopped');
    expect(app.output()).not.to.match(/\n\s+at /);
    for (const pid of workers) expect(() => process.kill(Number(pid), 0), `web process ${pid} is gone`).to.throw();

    /** True once a second process (not `worker`) answers as well. */
    async function waitForOther(worker: string): Promise<boolean> {
      for (let i = 0; i < 50; i++) {
        const other = (await new Client(port, { pinned: false }).request('GET', '/healthz')).worker;
        if (other !== worker && other !== a.worker) return true;
        await new Promise((r) => setTimeout(r, 500));
      }
      return false;
    }
  });
});
