// The job queue's tables live in their own schema, made and migrated by pg-boss as the schema's
// owner at start, beside Troika's own migrations. The app's role then gets rows only: it can add,
// take and finish jobs but cannot change or drop the queue's tables, as for the rest of the data.
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { JOB_SCHEMA, QUEUES } from './queues.ts';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function installJobQueue(ownerUrl: string, appRole: string | null): Promise<void> {
  const boss = new PgBoss({ connectionString: ownerUrl, schema: JOB_SCHEMA, max: 2, supervise: false, schedule: false });
  let failure: unknown;
  boss.on('error', (error) => (failure ??= error));
  await boss.start();
  try {
    for (const spec of Object.values(QUEUES)) {
      const options = { retryLimit: spec.retryLimit, retryDelay: spec.retryDelaySeconds, retryBackoff: 'retryBackoff' in spec ? spec.retryBackoff : false, expireInSeconds: spec.expireInSeconds };
      if (await boss.getQueue(spec.name)) await boss.updateQueue(spec.name, options);
      else await boss.createQueue(spec.name, options);
    }
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
  if (failure) throw failure;
  if (appRole) await grantJobRows(ownerUrl, appRole);
}

async function grantJobRows(ownerUrl: string, appRole: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const [schema, app] = [ident(JOB_SCHEMA), ident(appRole)];
    await client.query(`grant usage on schema ${schema} to ${app}`);
    await client.query(`grant select, insert, update, delete on all tables in schema ${schema} to ${app}`);
    await client.query(`grant usage, select on all sequences in schema ${schema} to ${app}`);
    await client.query(`grant execute on all functions in schema ${schema} to ${app}`);
  } finally {
    await client.end();
  }
}
