// The change feed hears commits made by any connection (another web process), and only commits.
import { expect } from 'chai';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement } from '../helpers/factories.ts';
import { listenForChanges, type ChangeFeed } from '../../src/cache/change-feed.ts';

async function until(condition: () => boolean, ms = 5_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (condition()) return true;
  return condition();
}

describe('the change feed', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let feed: ChangeFeed;
  let other: pg.Client;
  let engagementId: string;
  let actorId: string;

  before(async () => {
    db = await createTestDatabase();
    const made = await makeEngagement(makeDeps(db.orm));
    engagementId = made.engagementId;
    actorId = made.cast.consultant.id;
    feed = listenForChanges(db.url, () => {});
    other = new pg.Client({ connectionString: db.url });
    await other.connect();
  });

  after(async () => {
    await feed?.stop();
    await other?.end();
    await db?.drop();
  });

  /** An event appended by a connection of its own, as another web process would. */
  let appended = 0;
  const appendEvent = (client: pg.Client, type = 'test.elsewhere') =>
    client.query(
      `insert into engagement_events (engagement_id, seq, actor_id, at, type, from_state, to_state, payload)
       select id, event_seq + $3, $2, now(), $4, state, state, '{}' from engagements where id = $1`,
      [engagementId, actorId, 1000 + ++appended, type],
    );

  it('moves its generation when another connection commits an event', async () => {
    expect(await until(() => feed.generation() !== null), 'listening').to.equal(true);
    const before = feed.generation()!;
    await appendEvent(other);
    expect(await until(() => feed.generation()! > before), 'the commit was heard').to.equal(true);
  });

  it('stays where it is when that transaction rolls back', async () => {
    const before = feed.generation()!;
    await other.query('begin');
    await appendEvent(other, 'test.rolled-back');
    await other.query('rollback');
    await new Promise((r) => setTimeout(r, 300));
    expect(feed.generation(), 'nothing committed, nothing heard').to.equal(before);
  });

  it('says it cannot hear (null) once its connection is gone, and hears again after it reconnects', async () => {
    await other.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query like 'listen%'`);
    expect(await until(() => feed.generation() === null, 3_000), 'the lost connection is noticed').to.equal(true);
    expect(await until(() => feed.generation() !== null, 10_000), 'listening again').to.equal(true);
    const before = feed.generation()!;
    await appendEvent(other);
    expect(await until(() => feed.generation()! > before), 'heard after the reconnect').to.equal(true);
  });
});
