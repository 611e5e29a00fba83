// Measures the home page's engagement list on a consultant with many engagements (BENCH_ENGAGEMENTS,
// default 1,000): the paged query's time against the old whole-list read in the same run, and the
// PostgreSQL plan of each of its statements (EXPLAIN ANALYZE), to see that the indexes are used.
// Run: node --import tsx test/bench/engagement-list.bench.ts
import { startTestPostgres, stopTestPostgres, createTestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement } from '../helpers/factories.ts';
import { contentOf } from '../helpers/content.ts';
import { submitDocumentVersion } from '../../src/documents/documents.service.ts';
import { listEngagementPage, type EngagementListFilter } from '../../src/engagement/engagement-list.queries.ts';
import { listEngagementSummaries } from '../../src/engagement/overview.ts';

const COUNT = Number(process.env.BENCH_ENGAGEMENTS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
async function timed(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

await startTestPostgres();
const db = await createTestDatabase();
try {
  const deps = makeDeps(db.orm);
  const { engagementId, cast } = await makeEngagement(deps);
  await submitDocumentVersion(deps, cast.consultant.id, engagementId, 'target-criteria', await contentOf('target-criteria'));
  // The rest are copies of this started engagement, made in SQL: the service would take minutes for a thousand.
  const connection = db.orm.em.getConnection();
  await connection.execute(
    `with made as (
       insert into engagements (id, client_name, site, industry, planned_start, fee_amount, fee_currency, methodology_hash, state, snapshot, event_seq, created_by_id, created_at, version)
       select gen_random_uuid(), 'Client ' || n, site, industry, planned_start, fee_amount, fee_currency, methodology_hash,
              case when n % 7 = 0 then 'draft' else state end, snapshot, event_seq, created_by_id, created_at, version
         from engagements, generate_series(2, ?) n where id = ?
       returning id, client_name
     ), people as (
       insert into participants (id, engagement_id, user_id, role, direction, display_name, added_at)
       select gen_random_uuid(), made.id, ?, 'consultant', null, 'Consultant', now() - (split_part(made.client_name, ' ', 2)::int * interval '1 second') from made
       returning engagement_id
     ), work as (
       insert into tasks (id, engagement_id, key, stage_id, position, kind, role, required, title, assignee_id, deadline, status, completed_at, completed_by_id, note)
       select gen_random_uuid(), made.id, t.key, t.stage_id, t.position, t.kind, t.role, t.required, t.title, null, t.deadline, t.status, null, null, null
         from made, tasks t where t.engagement_id = ?
       returning 1
     )
     insert into documents (id, engagement_id, type_id, stage_id, status, latest_version, updated_at)
     select gen_random_uuid(), made.id, 'target-criteria', 'preparation', 'in_review', 1, now() from made where split_part(made.client_name, ' ', 2)::int % 10 = 0`,
    [COUNT, engagementId, cast.consultant.id, engagementId],
  );
  await connection.execute('vacuum analyze');
  const [{ n: tasks }] = (await connection.execute('select count(*)::int as n from tasks')) as [{ n: number }];
  deps.time.advanceDays(40);
  console.log(`consultant with ${COUNT} engagements, ${tasks} tasks in the database`);

  const filters: [string, EngagementListFilter][] = [
    ['first page', { page: 1 }],
    ['page 20', { page: 20 }],
    ['stage=preparation&overdue=1', { page: 1, stage: 'preparation', isOverdue: true }],
    ['waiting=1', { page: 1, isWaitingForApproval: true }],
    ['q=client 5', { page: 1, search: 'client 5' }],
  ];
  // The old read takes seconds: once is enough to compare.
  const start = performance.now();
  await listEngagementSummaries(deps, cast.consultant.id, 'en');
  const baseline = performance.now() - start;
  console.log(`baseline, the whole list as the old home page read it: ${baseline.toFixed(1)} ms (once)`);
  // A shared machine's speed varies: the cheapest statement, measured alongside, says how busy it is.
  const roundTrip = await timed(() => connection.execute('select 1'));
  console.log(`one "select 1" round trip: ${roundTrip.toFixed(2)} ms (median of ${ROUNDS})`);
  for (const [name, filter] of filters) {
    const ms = await timed(() => listEngagementPage(deps, cast.consultant.id, 'consultant', filter, 'en'));
    console.log(`paged list, ${name}: ${ms.toFixed(1)} ms (${(ms / roundTrip).toFixed(0)} round trips), ${(baseline / ms).toFixed(0)}x faster than the baseline`);
  }

  // The plans: each statement the list runs, explained with its own parameters.
  const execute = connection.execute.bind(connection);
  const statements: [string, unknown[]][] = [];
  connection.execute = ((sql: string, params: unknown[] = []) => {
    statements.push([sql, params]);
    return execute(sql, params);
  }) as typeof connection.execute;
  await listEngagementPage(deps, cast.consultant.id, 'consultant', { page: 2, stage: 'preparation', isOverdue: true, search: 'client' }, 'en');
  connection.execute = execute;
  for (const [sql, params] of statements) {
    const plan = (await execute(`explain (analyze, costs off, timing off, summary on) ${sql}`, params)) as { 'QUERY PLAN': string }[];
    console.log(`\n${plan.map((row) => row['QUERY PLAN']).join('\n')}`);
  }
} finally {
  await db.drop();
  await stopTestPostgres();
}
