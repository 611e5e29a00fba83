// Commands per second under concurrency, through the service API the web routes call, on a fresh database.
// Run with `npm run bench:commands`. Two phases: commands spread over many engagements, then all on one
// (where the engagement's row lock makes them queue). Afterwards every engagement's stored snapshot
// must equal the replay of its event log, and every command that succeeded must have left exactly one
// event: otherwise the run exits 1, whatever the speed.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startTestPostgres, stopTestPostgres, createTestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement, type Cast } from '../helpers/factories.ts';
import { assignTask, completeTask } from '../../src/engagement/tasks.service.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { verifyEngagement } from '../../src/engagement/consistency.ts';
import { Engagement, EngagementEvent } from '../../src/engagement/engagement.entity.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { AppError } from '../../src/errors.ts';
import type { ServiceDeps } from '../../src/engagement/command.ts';

const ENGAGEMENTS = Number(process.env.BENCH_ENGAGEMENTS ?? 50);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 3000);
/** Each phase stops after this many seconds even if its commands are not all sent. */
const PHASE_SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
/** The ORM's pool size in src/db/orm.ts: a web process never has more connections than this. */
const POOL_SIZE = 10;

interface Seeded {
  engagementId: string;
  cast: Cast;
  tasks: { id: string; role: string; stageId: string }[];
}

interface PhaseResult {
  name: string;
  sent: number;
  succeeded: number;
  refused: Map<string, number>;
  errors: string[];
  seconds: number;
  latencies: number[];
  /** CPU time of this Node process over the phase, in ms: what the commands cost on the app's side. */
  cpuMs: number;
  statements: number;
}

/** Every statement sent to PostgreSQL passes here (the ORM's pool and the bare one both use pg.Client). */
let statementsSent = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statementsSent++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** The form key a rendered page carries, as `once(deps, req)` passes it: each command claims a fresh one. */
const asForm = (deps: ServiceDeps): ServiceDeps => ({ ...deps, formKey: randomUUID() });

/**
 * One person's click, drawn from what happens on an engagement page: mostly assigning and
 * re-assigning tasks with a deadline, sometimes marking one done (again, from a stale page, which
 * is refused), and sometimes "advance" from a page whose version may be old (refused: stale version
 * or the gate still closed). Nothing here checks the answer on the client side: the service decides.
 */
async function oneCommand(deps: ServiceDeps, e: Seeded, deadline: string): Promise<void> {
  const roll = Math.random();
  const { consultant, staff } = e.cast;
  if (roll < 0.8) {
    const task = pick(e.tasks.filter((t) => t.role !== 'owner'));
    const assignee = task.role === 'staff' ? pick(staff) : consultant;
    await assignTask(asForm(deps), consultant.id, e.engagementId, task.id, { assigneeId: assignee.id, deadline });
  } else if (roll < 0.92) {
    const task = pick(e.tasks.filter((t) => t.stageId === 'preparation' && t.role !== 'owner'));
    await completeTask(asForm(deps), consultant.id, e.engagementId, task.id, 'done in the benchmark');
  } else {
    const [row] = (await deps.orm.em.fork().getConnection().execute('select version from engagements where id = ?', [e.engagementId])) as { version: number }[];
    await advanceStage(asForm(deps), consultant.id, e.engagementId, { expectedVersion: row!.version });
  }
}

/**
 * The baseline, in the same run: the smallest transaction that does what every command must, through
 * the same number of connections as the ORM's pool — lock the engagement row, write one row, commit.
 * The ratio to it says what the ORM, the checks and the event cost on top of PostgreSQL itself.
 */
function bareTransaction(pool: pg.Pool, userId: string) {
  return async (_deps: ServiceDeps, e: Seeded) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('select id from engagements where id = $1 for update', [e.engagementId]);
      await client.query('insert into form_submissions (key, user_id, engagement_id) values ($1, $2, $3)', [randomUUID(), userId, e.engagementId]);
      await client.query('commit');
    } finally {
      client.release();
    }
  };
}

type Command = (deps: ServiceDeps, e: Seeded, deadline: string) => Promise<void>;

async function runPhase(name: string, deps: ServiceDeps, targets: Seeded[], deadline: string, command: Command = oneCommand): Promise<PhaseResult> {
  const result: PhaseResult = { name, sent: 0, succeeded: 0, refused: new Map(), errors: [], seconds: 0, latencies: [], cpuMs: 0, statements: 0 };
  const [cpuBefore, statementsBefore] = [process.cpuUsage(), statementsSent];
  const until = Date.now() + PHASE_SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (result.sent < COMMANDS && Date.now() < until) {
        result.sent++;
        const began = performance.now();
        try {
          await command(deps, pick(targets), deadline);
          result.succeeded++;
        } catch (error) {
          // A refusal is the service saying no in the user's words; anything else is a failure.
          if (error instanceof AppError) result.refused.set(error.code, (result.refused.get(error.code) ?? 0) + 1);
          else result.errors.push((error as Error).message.split('\n')[0]!);
        }
        result.latencies.push(performance.now() - began);
      }
    }),
  );
  result.seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  result.cpuMs = (cpu.user + cpu.system) / 1000;
  result.statements = statementsSent - statementsBefore;
  return result;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

function report(r: PhaseResult): void {
  const refused = [...r.refused.entries()].map(([code, n]) => `${code} ${n}`).join(', ') || 'none';
  console.log(
    `${r.name.padEnd(28)} ${(r.sent / r.seconds).toFixed(0).padStart(5)} commands/s  p50 ${percentile(r.latencies, 50).toFixed(1).padStart(6)} ms  p99 ${percentile(r.latencies, 99).toFixed(1).padStart(6)} ms  ` +
      `${(r.cpuMs / r.sent).toFixed(1).padStart(5)} ms CPU and ${(r.statements / r.sent).toFixed(1).padStart(4)} SQL statements each  ` +
      `(${r.sent} sent in ${r.seconds.toFixed(1)} s: ${r.succeeded} done, refused: ${refused}, errors: ${r.errors.length})`,
  );
  const distinct = [...new Set(r.errors)];
  for (const message of distinct.slice(0, 5)) console.log(`    error: ${message}`);
}

await startTestPostgres();
const db = await createTestDatabase();
let isConsistent = true;
try {
  const deps = makeDeps(db.orm);
  const seedStart = performance.now();
  const seeded: Seeded[] = [];
  for (let i = 0; i < ENGAGEMENTS; i++) {
    const made = await makeEngagement(deps);
    const tasks = await db.orm.em.fork().find(Task, { engagement: made.engagementId }, { fields: ['id', 'role', 'stageId'] });
    seeded.push({ ...made, tasks: tasks.map((t) => ({ id: t.id, role: t.role, stageId: t.stageId })) });
  }
  // A deadline inside every engagement's plan (they all start on the test clock's day).
  const deadline = new Date(deps.clock().getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
  console.log(`Command benchmark: ${ENGAGEMENTS} started engagements seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; ${CLIENTS} concurrent clients, up to ${COMMANDS} commands per phase`);
  const eventsBefore = await db.orm.em.fork().count(EngagementEvent, {});
  await runPhase('warm-up', deps, seeded, deadline);
  const warmEvents = await db.orm.em.fork().count(EngagementEvent, {});

  const spread = await runPhase(`spread over ${ENGAGEMENTS} engagements`, deps, seeded, deadline);
  const one = await runPhase('all on one engagement', deps, [seeded[0]!], deadline);
  const pool = new pg.Pool({ connectionString: db.url, max: POOL_SIZE });
  const bare = bareTransaction(pool, seeded[0]!.cast.consultant.id);
  const bareSpread = await runPhase(`baseline: bare lock+write, spread`, deps, seeded, deadline, bare);
  const bareOne = await runPhase(`baseline: bare lock+write, one`, deps, [seeded[0]!], deadline, bare);
  await pool.end();
  for (const r of [bareSpread, bareOne, spread, one]) report(r);
  const rate = (r: PhaseResult) => r.sent / r.seconds;
  console.log(`ratio to the bare transaction: spread ${(rate(spread) / rate(bareSpread)).toFixed(2)}x, one engagement ${(rate(one) / rate(bareOne)).toFixed(2)}x`);

  const problems: string[] = [];
  const appended = (await db.orm.em.fork().count(EngagementEvent, {})) - warmEvents;
  if (appended !== spread.succeeded + one.succeeded) problems.push(`${spread.succeeded + one.succeeded} commands succeeded but ${appended} events were appended`);
  if (spread.errors.length + one.errors.length) problems.push(`${spread.errors.length + one.errors.length} commands failed with an error that is not a refusal`);
  const ids = (await db.orm.em.fork().find(Engagement, {}, { fields: ['id'] })).map((e) => e.id);
  for (const id of ids) {
    const check = await verifyEngagement(db.orm.em.fork(), id);
    for (const problem of check.problems) problems.push(`engagement ${id}: ${problem}`);
  }
  console.log(`consistency: ${ids.length} engagements, ${appended + warmEvents - eventsBefore} events from the benchmark; ${problems.length ? 'PROBLEMS:' : 'every snapshot equals the replay of its event log'}`);
  for (const problem of problems) console.log(`  ${problem}`);
  isConsistent = problems.length === 0;
} finally {
  await db.drop();
  await stopTestPostgres();
}
process.exit(isConsistent ? 0 : 1);
