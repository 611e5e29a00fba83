// The job queue in PostgreSQL (pg-boss, in its own schema): made by the owner, used by the app's
// role, and the first job on it, the nightly tidy, run the way its schedule runs it.
import { expect } from 'chai';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, ownerUrlOf, type TestDatabase } from '../helpers/postgres.ts';
import { makeUser } from '../helpers/factories.ts';
import { startJobRunner, type JobRunner } from '../../src/jobs/job-runner.ts';
import { JOB_SCHEMA, QUEUES } from '../../src/jobs/queues.ts';

const DAY = 24 * 3_600_000;

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('the job queue', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let runner: JobRunner | undefined;
  let logs: string[];

  beforeEach(async () => {
    db = await createTestDatabase();
    logs = [];
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await db.drop();
  });

  const waitForLog = async (pattern: RegExp, count = 1) => {
    for (const end = Date.now() + 30_000; logs.filter((l) => pattern.test(l)).length < count; await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > end) throw new Error(`no log line ${pattern} in:\n${logs.join('\n')}`);
    }
    return logs.filter((l) => pattern.test(l)).at(-1)!;
  };

  it("gives the app's role the queue's rows but not its tables", async function () {
    if (ownerUrlOf(db.url) === db.url) this.skip(); // an external DATABASE_URL with a single role
    await query(db.url, `select count(*) from ${JOB_SCHEMA}.job`);
    for (const ddl of [`drop table ${JOB_SCHEMA}.job cascade`, `create table ${JOB_SCHEMA}.mine (id int)`, `truncate ${JOB_SCHEMA}.job`]) {
      const error = await query(db.url, ddl).then(() => null, (e: Error) => e);
      expect(error?.message, ddl).to.match(/permission denied|must be owner/);
    }
  });

  it('registers the nightly tidy on its cron schedule once, however many times the app starts', async () => {
    runner = await startJobRunner({ url: db.url, orm: db.orm, log: (l) => logs.push(l), pollingIntervalSeconds: 1 });
    await runner.stop();
    runner = await startJobRunner({ url: db.url, orm: db.orm, log: (l) => logs.push(l), pollingIntervalSeconds: 1 });
    const rows = await query<{ name: string; cron: string; timezone: string }>(db.url, `select name, cron, timezone from ${JOB_SCHEMA}.schedule`);
    expect(rows).to.deep.equal([{ name: 'tidy', cron: QUEUES.tidy.cron, timezone: 'UTC' }]);
  });

  it('tidies old form keys, sign-in counters and links that expired a week ago, and keeps what is still in use', async () => {
    const user = await makeUser(db.orm, 'Vera');
    const now = Date.now();
    const at = (msAgo: number) => new Date(now - msAgo).toISOString();
    const [oldKey, newKey] = [randomUUID(), randomUUID()];
    await query(db.url, 'insert into form_submissions (key, user_id, created_at) values ($1, $3, $4), ($2, $3, $5)', [oldKey, newKey, user.id, at(31 * DAY), at(DAY)]);
    await query(db.url, "insert into auth_attempts (key, window_started_at, attempts) values ('login:old', $1, 5), ('login:new', $2, 2)", [at(2 * DAY), at(60_000)]);
    await query(
      db.url,
      `insert into user_tokens (id, user_id, kind, token_hash, expires_at, created_at) values
       ($1, $3, 'reset', 'h1', $4, $4), ($2, $3, 'invite', 'h2', $5, $5)`,
      [randomUUID(), randomUUID(), user.id, at(8 * DAY), at(-DAY)],
    );

    runner = await startJobRunner({ url: db.url, orm: db.orm, log: (l) => logs.push(l), pollingIntervalSeconds: 1 });
    await runner.enqueue('tidy');
    expect(await waitForLog(/^job tidy:/)).to.equal('job tidy: tidied 1 old form keys, 1 sign-in counters, 1 expired links, 0 old webhook deliveries');
    expect((await query<{ key: string }>(db.url, 'select key from form_submissions')).map((r) => r.key)).to.deep.equal([newKey]);
    expect((await query<{ key: string }>(db.url, 'select key from auth_attempts')).map((r) => r.key)).to.deep.equal(['login:new']);
    expect((await query<{ kind: string }>(db.url, 'select kind from user_tokens')).map((r) => r.kind)).to.deep.equal(['invite']);

    // Run twice (as after a lost process), it finds nothing more to do.
    await runner.enqueue('tidy');
    expect(await waitForLog(/^job tidy:/, 2)).to.equal('job tidy: tidied 0 old form keys, 0 sign-in counters, 0 expired links, 0 old webhook deliveries');
  });
});
