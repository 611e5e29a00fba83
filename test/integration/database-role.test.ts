import { expect } from 'chai';
import pg from 'pg';
import { createTestDatabase, ownerUrlOf, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement } from '../helpers/factories.ts';

async function tryAs(url: string, sql: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'error';
  } finally {
    await client.end();
  }
}

async function eventCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query('select count(*) from engagement_events')).rows[0].count);
  } finally {
    await client.end();
  }
}

describe("the app's database role", function () {
  let db: TestDatabase;
  before(function () {
    if (process.env.DATABASE_URL) {
      console.log('      (skipped: with DATABASE_URL the tests use that one role for everything)');
      this.skip();
    }
  });
  beforeEach(async () => (db = await createTestDatabase()));
  afterEach(async () => db?.drop());

  it('cannot rewrite the event log by any of the ways a table owner or superuser could', async () => {
    const deps = makeDeps(db.orm);
    await makeEngagement(deps);
    const before = await eventCount(db.url);
    expect(before).to.be.greaterThan(0);

    const attempts = {
      truncate: await tryAs(db.url, 'truncate engagement_events'),
      disableTrigger: await tryAs(db.url, 'alter table engagement_events disable trigger engagement_events_append_only'),
      replicationRole: await tryAs(db.url, "set session_replication_role = replica"),
      replicaDelete: await tryAs(db.url, "set session_replication_role = replica; delete from engagement_events"),
      update: await tryAs(db.url, "update engagement_events set type = 'forged'"),
      delete: await tryAs(db.url, 'delete from engagement_events'),
      dropTable: await tryAs(db.url, 'drop table engagement_events'),
      newTable: await tryAs(db.url, 'create table evil (id int)'),
      readMigrations: await tryAs(db.url, 'select * from mikro_orm_migrations'),
    };
    // 42501: insufficient privilege; each door is closed by the role, not by luck.
    for (const [what, code] of Object.entries(attempts)) expect(code, what).to.equal('42501');
    expect(await eventCount(db.url)).to.equal(before);
  });

  it('still lets the owner migrate: the schema belongs to the owner role, not to the app', async () => {
    expect(await tryAs(ownerUrlOf(db.url), 'create table owner_may (id int); drop table owner_may')).to.equal(null);
  });
});
