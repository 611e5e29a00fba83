// The webhook delivery log is pruned by the nightly tidy job: rows older than a month go, and past the
// newest so many of a subscription finished rows go too; recent rows and unfinished ones stay.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement } from '../helpers/factories.ts';
import { pauseEngagement, resumeEngagement } from '../../src/engagement/engagement.service.ts';
import { startJobRunner, type JobRunner } from '../../src/jobs/job-runner.ts';
import { pruneDeliveryLog } from '../../src/webhooks/delivery-log.ts';

const DAY = 24 * 3_600_000;

describe('the webhook delivery log', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let runner: JobRunner | undefined;
  let events: number[];
  let engagementId: string;
  let consultantId: string;
  const sql = (text: string, params: unknown[] = []) => db.orm.em.getConnection().execute(text, params);

  beforeEach(async () => {
    db = await createTestDatabase();
    const deps = makeDeps(db.orm);
    const made = await makeEngagement(deps);
    engagementId = made.engagementId;
    consultantId = made.cast.consultant.id;
    // Enough events for one delivery row each.
    for (let i = 0; i < 4; i++) {
      await pauseEngagement(deps, consultantId, engagementId, `pause ${i}`);
      await resumeEngagement(deps, consultantId, engagementId);
    }
    events = ((await sql('select id from engagement_events where engagement_id = ? order by id', [engagementId])) as { id: number }[]).map((r) => r.id);
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await db.drop();
  });

  async function subscription(): Promise<string> {
    const id = randomUUID();
    await sql(`insert into webhook_subscriptions (id, engagement_id, created_by, target_url, event_types, secret, created_at) values (?, ?, ?, 'https://example.com/hooks', '["*"]', 's', now())`, [id, engagementId, consultantId]);
    return id;
  }
  /** A delivery of the n-th event, made daysAgo days ago, with its status. */
  async function delivery(subscriptionId: string, n: number, daysAgo: number, status: string): Promise<string> {
    const id = randomUUID();
    await sql(`insert into webhook_deliveries (id, subscription_id, event_id, status, attempts, created_at) values (?, ?, ?, ?, 1, ?)`, [id, subscriptionId, events[n], status, new Date(Date.now() - daysAgo * DAY)]);
    return id;
  }
  const kept = async () => ((await sql('select id from webhook_deliveries order by created_at')) as { id: string }[]).map((r) => r.id);

  it('lets rows older than 30 days go in the nightly tidy job, and keeps the recent ones', async () => {
    const sub = await subscription();
    await delivery(sub, 0, 45, 'delivered');
    await delivery(sub, 1, 31, 'retrying');
    const monthOld = await delivery(sub, 2, 29, 'failed');
    const yesterday = await delivery(sub, 3, 1, 'delivered');
    const justNow = await delivery(sub, 4, 0, 'pending');

    const logs: string[] = [];
    runner = await startJobRunner({ url: db.url, orm: db.orm, log: (l) => logs.push(l), pollingIntervalSeconds: 1 });
    await runner.enqueue('tidy');
    for (const end = Date.now() + 30_000; !logs.some((l) => /^job tidy:/.test(l)); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > end) throw new Error(`no tidy in:\n${logs.join('\n')}`);
    }
    expect(logs.find((l) => /^job tidy:/.test(l))).to.contain('2 old webhook deliveries');
    expect(await kept()).to.deep.equal([monthOld, yesterday, justNow]);
  });

  it('keeps at most so many rows a subscription, the newest, but never one still under way', async () => {
    const [chatty, quiet] = [await subscription(), await subscription()];
    const retrying = await delivery(chatty, 0, 6, 'retrying');
    await delivery(chatty, 1, 5, 'delivered');
    await delivery(chatty, 2, 4, 'refused');
    const newest = [await delivery(chatty, 3, 3, 'failed'), await delivery(chatty, 4, 2, 'delivered'), await delivery(chatty, 5, 1, 'delivered')];
    const theirs = [await delivery(quiet, 0, 20, 'delivered'), await delivery(quiet, 1, 10, 'delivered')];

    expect(await pruneDeliveryLog(db.orm, new Date(), { days: 30, perSubscription: 3 })).to.equal(2);
    expect(await kept()).to.deep.equal([theirs[0], theirs[1], retrying, ...newest]);
    // Run again (as after a lost process), it finds nothing more to do.
    expect(await pruneDeliveryLog(db.orm, new Date(), { days: 30, perSubscription: 3 })).to.equal(0);
  });
});
