// Web pages under load against an Express hello-world measured in the same run (`npm run bench:web`).
// A fresh database gets BENCH_ENGAGEMENTS engagements through the service API, the app runs as people
// run it (its own process, NODE_ENV=production), people sign in over HTTP, and autocannon (in a process
// of its own) loads each page at 50 connections. The machines are shared: read the ratios, not the times.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.ts';
import { migrateAsOwner } from '../../src/db/database.ts';
import { APP_ROLE } from '../../src/db/database-roles.ts';
import { openOrm, type Orm } from '../../src/db/orm.ts';
import { loadMethodologies } from '../../src/methodology/methodology.loader.ts';
import { MethodologyRegistry } from '../../src/methodology/methodology.registry.ts';
import type { ServiceDeps } from '../../src/engagement/command.ts';
import { createEngagement, startEngagement } from '../../src/engagement/engagement.service.ts';
import { addParticipant } from '../../src/engagement/participants.service.ts';
import { assignTask } from '../../src/engagement/tasks.service.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { Participant } from '../../src/engagement/engagement.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { User } from '../../src/users/user.entity.ts';
import { waitReady, type AppProcess } from '../helpers/app-process.ts';
import { freePort } from '../helpers/postgres.ts';
import { setPassword, WebClient, PASSWORD } from '../helpers/web.ts';
import { contentOf } from '../helpers/content.ts';
import type { AssignTarget, LoadRequest, LoadResult } from './web-load.worker.ts';

const ENGAGEMENTS = Number(process.env.BENCH_ENGAGEMENTS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** The memory check: RSS after this many engagement pages, then after this many more. */
const RSS_WARMUP = Number(process.env.BENCH_RSS_WARMUP ?? 1000);
const RSS_REQUESTS = Number(process.env.BENCH_RSS_REQUESTS ?? 5000);
const SEED_CONCURRENCY = 8;

const say = (line: string) => console.log(`[bench:web] ${line}`);
const work = mkdtempSync(join(tmpdir(), 'troika-bench-web-'));
chmodSync(work, 0o755); // the postgres user must reach the cluster when the bench runs as root

// ---- the database -------------------------------------------------------------------------------

async function openBenchDatabase(): Promise<{ url: string; ownerUrl: string; embedded: EmbeddedDatabase | null }> {
  if (process.env.DATABASE_URL) {
    await migrateAsOwner(process.env.DATABASE_URL, null);
    return { url: process.env.DATABASE_URL, ownerUrl: process.env.DATABASE_URL, embedded: null };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: join(work, 'data'), port: await freePort() });
  await migrateAsOwner(embedded.ownerUrl, APP_ROLE);
  return { url: embedded.url, ownerUrl: embedded.ownerUrl, embedded };
}

// ---- seeding through the services ---------------------------------------------------------------

interface Seeded {
  consultant: User;
  owner: User;
  staff: User;
  engagementId: string;
  documentId: string;
  targets: AssignTarget[];
}

async function inParallel(count: number, run: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, async () => {
    while (next < count) await run(next++);
  }));
}

async function seed(deps: ServiceDeps): Promise<Seeded> {
  const em = deps.orm.em.fork();
  const consultant = em.create(User, { email: 'consultant@bench.troika', name: 'Vera Consultant', passwordHash: null, firmRole: 'consultant' });
  await em.flush();
  const ids: string[] = new Array(ENGAGEMENTS);
  const started = Date.now();
  await inParallel(ENGAGEMENTS, async (i) => {
    const engagement = await createEngagement(deps, consultant.id, { clientName: `Client ${i + 1}`, plannedStart: new Date().toISOString().slice(0, 10) });
    await addParticipant(deps, consultant.id, engagement.id, { email: `owner.${i}@bench.troika`, name: `Owner ${i + 1}`, role: 'owner' });
    await addParticipant(deps, consultant.id, engagement.id, { email: `sales.${i}@bench.troika`, name: `Sales ${i + 1}`, role: 'staff', direction: 'sales' });
    await addParticipant(deps, consultant.id, engagement.id, { email: `production.${i}@bench.troika`, name: `Production ${i + 1}`, role: 'staff', direction: 'production' });
    await startEngagement(deps, consultant.id, engagement.id);
    ids[i] = engagement.id;
    if ((i + 1) % 100 === 0) say(`seeded ${i + 1}/${ENGAGEMENTS} engagements (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  });
  const engagementId = ids[0]!;
  // The commands go back and forth between the two staff members of the first engagements' staff tasks.
  const targets: AssignTarget[] = [];
  for (const id of ids.slice(0, 50)) {
    const people = await em.find(Participant, { engagement: id, role: 'staff' }, { orderBy: { addedAt: 'asc' } });
    const task = await em.findOneOrFail(Task, { engagement: id, role: 'staff' }, { orderBy: { position: 'asc' } });
    await assignTask(deps, consultant.id, id, task.id, { assigneeId: people[0]!.user.id });
    targets.push({ engagementId: id, taskId: task.id, assigneeIds: [people[0]!.user.id, people[1]!.user.id] });
  }
  const [first] = targets;
  const staffTasks = await em.find(Task, { engagement: engagementId, role: 'staff' });
  for (const task of staffTasks) await assignTask(deps, consultant.id, engagementId, task.id, { assigneeId: first!.assigneeIds[0] });
  const owner = (await em.findOneOrFail(Participant, { engagement: engagementId, role: 'owner' }, { populate: ['user'] })).user;
  const staff = await em.findOneOrFail(User, first!.assigneeIds[0]);
  const documentTask = await em.findOneOrFail(Task, { engagement: engagementId, kind: 'document' }, { orderBy: { position: 'asc' } });
  const methodology = deps.methodologies.list().find((m) => m.key === deps.methodologies.defaultKey())!.definition;
  const typeId = methodology.stages.flatMap((s) => s.tasks).find((t) => t.id === documentTask.key)!.documentType!;
  const version = await submitDocumentVersion(deps, consultant.id, engagementId, typeId, await contentOf(typeId, 'bench'));
  for (const person of [consultant, owner, staff]) await setPassword({ orm: deps.orm }, person.id);
  return { consultant, owner, staff, engagementId, documentId: version.document.id, targets };
}

// ---- processes ----------------------------------------------------------------------------------

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

function forkTs(file: string, env: Record<string, string> = {}): ChildProcess {
  return fork(new URL(file, import.meta.url), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

async function startHelloWorld(): Promise<{ url: string; child: ChildProcess }> {
  const child = forkTs('./hello-world.server.ts', { NODE_ENV: 'production' });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Node's own flags in the checkout's `npm start` (such as the young generation's size), so the app runs with them here too. */
function startFlags(folder: string): string[] {
  const start = (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  return [...start.matchAll(/\s(--(?:min-|max-|no-)[a-z-]+(?:=\S+)?)/g)].map((m) => m[1]!);
}

/** The app as people run it, from this checkout or (to compare) another one, on the seeded database. */
async function startApp(db: { url: string; ownerUrl: string }, folder: string, extraEnv: Record<string, string> = {}): Promise<{ url: string; app: AppProcess }> {
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: db.url,
    TROIKA_MIGRATION_DATABASE_URL: db.ownerUrl,
    PORT: String(port),
    TROIKA_SEED_DEMO: 'false',
    TROIKA_DATA_DIR: join(work, 'app'),
    TROIKA_MAIL_DIR: join(work, 'mail'),
    // BENCH_APP_NODE_OPTIONS=--cpu-prof profiles the app (the profile is written when it stops).
    NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS ?? '',
    // As `npm start` runs it (see package.json and the README's memory note).
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    ...extraEnv,
  };
  let output = '';
  const child = spawn(process.execPath, [...startFlags(folder), ...(process.env.BENCH_APP_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'src/main.ts'], { cwd: folder, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  // BENCH_APP_LOG=<file> keeps what the app writes (with BENCH_APP_NODE_FLAGS=--trace-gc, its collections).
  if (process.env.BENCH_APP_LOG) {
    const file = createWriteStream(process.env.BENCH_APP_LOG, { flags: 'a' });
    child.stdout!.pipe(file);
    child.stderr!.pipe(file);
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const app: AppProcess = { child, output: () => output, exited };
  await waitReady(port, app, 120);
  return { url: `http://127.0.0.1:${port}`, app };
}

/**
 * Waits for the requests the last load left in flight (autocannon stops sending, the app goes on
 * answering): the next page must not be measured against the previous one's backlog.
 */
async function settle(url: string): Promise<void> {
  for (let ok = 0; ok < 3; ) {
    const started = Date.now();
    const res = await fetch(`${url}/readyz`).catch(() => null);
    ok = res?.status === 200 && Date.now() - started < 100 ? ok + 1 : 0;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One load, generated by autocannon in its own process. */
function load(request: LoadRequest): Promise<LoadResult> {
  const worker = forkTs('./web-load.worker.ts');
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { result?: LoadResult; error?: string }) => (m.result ? resolve(m.result) : reject(new Error(m.error))));
    worker.once('exit', (code) => code && reject(new Error(`the load generator exited with ${code}`)));
    worker.send(request);
  });
}

async function signIn(url: string, email: string): Promise<{ cookie: string; csrf: string }> {
  const client = new WebClient(url);
  const res = await client.signIn(email, PASSWORD);
  if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}`);
  await client.get('/tasks'); // a page with a form: its CSRF token is the session's
  return { cookie: `troika.sid=${client.sessionId()}`, csrf: client.csrf };
}

// ---- where the reads go: sequential scans that grow with the data want an index ------------------

type ScanCounts = Map<string, { seqScans: number; seqRows: number; indexScans: number }>;

async function scanCounts(url: string): Promise<ScanCounts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Statistics reach the view a moment after the statements that made them.
    await new Promise((r) => setTimeout(r, 1500));
    const { rows } = await client.query<{ relname: string; seq_scan: string; seq_tup_read: string; idx_scan: string | null }>('select relname, seq_scan, seq_tup_read, idx_scan from pg_stat_user_tables');
    return new Map(rows.map((r) => [r.relname, { seqScans: Number(r.seq_scan), seqRows: Number(r.seq_tup_read), indexScans: Number(r.idx_scan ?? 0) }]));
  } finally {
    await client.end();
  }
}

function printScans(before: ScanCounts, after: ScanCounts): void {
  console.log('\nTable reads during the page loads (pg_stat_user_tables), by rows read in sequential scans:');
  const rows = [...after].map(([table, a]) => {
    const b = before.get(table) ?? { seqScans: 0, seqRows: 0, indexScans: 0 };
    return { table, seqScans: a.seqScans - b.seqScans, seqRows: a.seqRows - b.seqRows, indexScans: a.indexScans - b.indexScans };
  });
  for (const r of rows.sort((x, y) => y.seqRows - x.seqRows).slice(0, 8)) {
    console.log(`  ${r.table.padEnd(24)} seq scans ${String(r.seqScans).padStart(8)}  rows read by them ${String(r.seqRows).padStart(11)}  index scans ${String(r.indexScans).padStart(9)}`);
  }
}

// ---- the run ------------------------------------------------------------------------------------

interface AppFigures {
  label: string;
  baseline: number;
  hello: [number, number];
  pages: { name: string; result: LoadResult; kb: number; rssBefore: number; rssAfter: number }[];
  rss: { label: string; mb: number }[];
  scans: [ScanCounts, ScanCounts];
}

/** Starts one app, checks its memory over many engagement pages, then loads every page; hello-world before and after. */
async function measureApp(label: string, folder: string, seeded: Seeded, hello: string, rssPlan: { warmup: number; requests: number }): Promise<AppFigures> {
  const { url, app } = await startApp(db, folder);
  running = app;
  try {
    const pid = app.child.pid!;
    const [consultant, owner, staff] = [await signIn(url, seeded.consultant.email), await signIn(url, seeded.owner.email), await signIn(url, seeded.staff.email)];
    const page = `/engagements/${seeded.engagementId}`;
    const base = (u: string, path: string, cookie: string) => ({ url: u, path, cookie, connections: CONNECTIONS });
    const rss: { label: string; mb: number }[] = [{ label: 'after start', mb: rssMb(pid) }];
    for (const amount of [rssPlan.warmup, rssPlan.requests]) {
      await load({ ...base(url, page, consultant.cookie), amount });
      rss.push({ label: `after ${rss.length === 1 ? amount : rssPlan.warmup + amount} engagement pages`, mb: rssMb(pid) });
    }
    const scansBefore = await scanCounts(db.url);
    const helloBefore = await load({ ...base(hello, '/', ''), seconds: SECONDS });
    const pages: { name: string; request: LoadRequest }[] = [
      { name: 'engagement page, consultant', request: { ...base(url, page, consultant.cookie), seconds: SECONDS } },
      { name: 'engagement page, owner', request: { ...base(url, page, owner.cookie), seconds: SECONDS } },
      { name: 'engagement page, staff', request: { ...base(url, page, staff.cookie), seconds: SECONDS } },
      { name: 'document page, consultant', request: { ...base(url, `${page}/documents/${seeded.documentId}`, consultant.cookie), seconds: SECONDS } },
      { name: `home page, consultant of ${ENGAGEMENTS}`, request: { ...base(url, '/', consultant.cookie), seconds: SECONDS } },
      { name: `portfolio, consultant of ${ENGAGEMENTS}`, request: { ...base(url, '/portfolio', consultant.cookie), seconds: SECONDS } },
      { name: 'My tasks, staff', request: { ...base(url, '/tasks', staff.cookie), seconds: SECONDS } },
      { name: 'POST assign task (command mix)', request: { ...base(url, '/', consultant.cookie), seconds: SECONDS, assign: { csrf: consultant.csrf, targets: seeded.targets } } },
    ];
    const results: AppFigures['pages'] = [];
    // BENCH_PAGES=POST (a part of the names, comma-separated) measures only those pages. The names hold
    // commas themselves ("engagement page, owner"), so a list with a semicolon is split at semicolons only.
    const pagesWanted = process.env.BENCH_PAGES ?? '';
    const only = pagesWanted ? pagesWanted.split(pagesWanted.includes(';') ? ';' : ',').map((p) => p.trim().toLowerCase()).filter(Boolean) : undefined;
    for (const { name, request } of pages.filter((p) => !only || only.some((o) => p.name.toLowerCase().includes(o)))) {
      await settle(url);
      // The size of one answer: a page's cost grows with it, whatever the cache does.
      const kb = request.assign ? 0 : (await (await fetch(request.url + request.path, { headers: { cookie: request.cookie } })).arrayBuffer()).byteLength / 1024;
      const rssBefore = rssMb(pid);
      const result = await load(request);
      results.push({ name, result, kb, rssBefore, rssAfter: rssMb(pid) });
      say(`${label}: ${name}: ${result.perSecond.toFixed(0)} req/s`);
    }
    const scansAfter = await scanCounts(db.url);
    const helloAfter = await load({ ...base(hello, '/', ''), seconds: SECONDS });
    const baseline = (helloBefore.perSecond + helloAfter.perSecond) / 2;
    return { label, baseline, hello: [helloBefore.perSecond, helloAfter.perSecond], pages: results, rss, scans: [scansBefore, scansAfter] };
  } finally {
    app.child.kill('SIGTERM');
    await app.exited;
    running = undefined;
  }
}

/**
 * The engagement page again with TROIKA_WEB_PROCESSES web processes on one port (node:cluster), the
 * same database and the same hello-world: what a second process adds on this machine.
 */
async function measureProcesses(folder: string, seeded: Seeded, hello: string, count: number): Promise<{ count: number; result: LoadResult; baseline: number }> {
  const { url, app } = await startApp(db, folder, { TROIKA_WEB_PROCESSES: String(count) });
  running = app;
  try {
    const consultant = await signIn(url, seeded.consultant.email);
    const request = { url, path: `/engagements/${seeded.engagementId}`, cookie: consultant.cookie, connections: CONNECTIONS };
    await load({ ...request, amount: RSS_WARMUP }); // every worker compiles its templates and fills its caches first
    await settle(url);
    const result = await load({ ...request, seconds: SECONDS });
    const baseline = (await load({ url: hello, path: '/', cookie: '', connections: CONNECTIONS, seconds: SECONDS })).perSecond;
    say(`${count} web processes: engagement page, consultant: ${result.perSecond.toFixed(0)} req/s`);
    return { count, result, baseline };
  } finally {
    app.child.kill('SIGTERM');
    await app.exited;
    running = undefined;
  }
}

function printProcesses(runs: { count: number; result: LoadResult; baseline: number }[]): void {
  console.log(`\nWeb processes (TROIKA_WEB_PROCESSES), engagement page as consultant, ${CONNECTIONS} connections, each with its own warm-up and hello-world measured right after:`);
  const row = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(14) : c.padStart(10))).join(' '));
  row(['processes', 'req/s', 'p50 ms', 'p99 ms', 'hello', 'x hello', 'errors']);
  for (const { count, result, baseline } of runs) {
    row([String(count), result.perSecond.toFixed(0), String(result.p50), String(result.p99), baseline.toFixed(0), (result.perSecond / baseline).toFixed(3), String(result.errors)]);
  }
  if (runs.length === 2) console.log(`  2 processes serve ${(runs[1]!.result.perSecond / runs[0]!.result.perSecond).toFixed(2)}x what 1 does`);
}

function printFigures(f: AppFigures): void {
  console.log(`\n${f.label}: ${ENGAGEMENTS} engagements, ${CONNECTIONS} connections, ${SECONDS} s per page, Node ${process.version}`);
  console.log(`hello-world baseline: ${f.hello[0].toFixed(0)} req/s before the pages, ${f.hello[1].toFixed(0)} after (mean ${f.baseline.toFixed(0)})\n`);
  const row = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(36) : c.padStart(10))).join(' '));
  row(['page', 'KB', 'req/s', 'p50 ms', 'p99 ms', 'x hello', 'errors', 'RSS MB', 'after']);
  for (const { name, result, kb, rssBefore, rssAfter } of f.pages) {
    row([name, kb ? kb.toFixed(0) : '', result.perSecond.toFixed(0), String(result.p50), String(result.p99), (result.perSecond / f.baseline).toFixed(3), String(result.errors), String(rssBefore), String(rssAfter)]);
  }
  console.log('\nApp RSS (VmRSS of the app process):');
  for (const r of f.rss) console.log(`  ${r.label.padEnd(34)} ${r.mb} MB`);
  const growth = ((f.rss[2]!.mb - f.rss[1]!.mb) / f.rss[1]!.mb) * 100;
  console.log(`  growth from ${f.rss[1]!.label.replace('after ', '')} to ${f.rss[2]!.label.replace('after ', '')}: ${growth.toFixed(1)}% (aim <= 10%)`);
  printScans(...f.scans);
}

const db = await openBenchDatabase();
let orm: Orm | undefined;
let running: AppProcess | undefined;
let hello: ChildProcess | undefined;
try {
  orm = await openOrm(db.url);
  const deps: ServiceDeps = { orm, methodologies: new MethodologyRegistry(loadMethodologies('methodology')), clock: () => new Date() };
  say(`seeding ${ENGAGEMENTS} engagements through the service API…`);
  const seeded = await seed(deps);
  await orm.close(true);
  orm = undefined;

  const helloWorld = await startHelloWorld();
  hello = helloWorld.child;
  // Each app's table is printed as soon as it is measured, so a long comparison never hides the first.
  printFigures(await measureApp('this checkout', process.cwd(), seeded, helloWorld.url, { warmup: RSS_WARMUP, requests: RSS_REQUESTS }));
  // 1 against BENCH_PROCESSES (default 2) web processes, measured back to back in the same conditions; 0 skips it.
  const processes = Number(process.env.BENCH_PROCESSES ?? 2);
  if (processes > 1) printProcesses([await measureProcesses(process.cwd(), seeded, helloWorld.url, 1), await measureProcesses(process.cwd(), seeded, helloWorld.url, processes)]);
  // BENCH_COMPARE_DIR=<another checkout> measures that code too, on the same data in the same run
  // (its memory check is shorter, BENCH_COMPARE_RSS_REQUESTS, for code that serves a few pages a second).
  const other = process.env.BENCH_COMPARE_DIR;
  if (other) {
    const requests = Number(process.env.BENCH_COMPARE_RSS_REQUESTS ?? 500);
    printFigures(await measureApp(`compared: ${other}`, other, seeded, helloWorld.url, { warmup: Math.min(RSS_WARMUP, requests), requests }));
  }
} finally {
  await orm?.close(true);
  hello?.kill();
  if (running) {
    running.child.kill('SIGTERM');
    await running.exited;
  }
  await db.embedded?.stop();
  rmSync(work, { recursive: true, force: true });
}
