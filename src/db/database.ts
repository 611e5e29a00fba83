// Connects to the configured PostgreSQL (embedded by default) and brings its schema up to date.
import pg from 'pg';
import { openOrm, migrate, type Orm } from './orm.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { APP_ROLE, grantAppRole, withClient } from './database-roles.ts';
import { installJobQueue } from '../jobs/job-schema.ts';
import type { Config } from '../config.ts';

export interface Database {
  orm: Orm;
  url: string;
  isEmbedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(config: Config, log: (line: string) => void = () => {}): Promise<Database> {
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
  const url = config.databaseUrl ?? embedded!.url;
  if (embedded) log(`Embedded PostgreSQL running on 127.0.0.1:${config.embeddedPgPort}, data in ${embedded.dataDir}`);
  try {
    await checkReachable(url);
    const applied = await migrateAsOwner(config.migrationDatabaseUrl ?? embedded?.ownerUrl ?? url, embedded ? APP_ROLE : externalAppRole(config));
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
    const orm = await openOrm(url);
    return {
      orm,
      url,
      isEmbedded: embedded !== null,
      async close() {
        await orm.close(true);
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/**
 * Migrations run as the schema's owner; the app then works as a role that owns nothing, and that
 * role is granted rows (not the event log's history) on every table the migrations made.
 */
export async function migrateAsOwner(ownerUrl: string, appRole: string | null): Promise<string[]> {
  const owner = await openOrm(ownerUrl, { poolMax: 1 });
  let applied: string[];
  try {
    applied = await migrate(owner);
  } finally {
    await owner.close(true);
  }
  await withClient(ownerUrl, async (client) => {
    // Tables made by this run's migrations tell the pages' caches when they change (src/cache).
    await client.query('select watch_tables_for_changes()');
    if (appRole) await grantAppRole(client, appRole);
  });
  await installJobQueue(ownerUrl, appRole);
  return applied;
}

/** With a separate migration URL, the role of DATABASE_URL is the app's and gets the grants. */
function externalAppRole(config: Config): string | null {
  if (!config.databaseUrl || !config.migrationDatabaseUrl) return null;
  const app = decodeURIComponent(new URL(config.databaseUrl).username);
  return app && app !== decodeURIComponent(new URL(config.migrationDatabaseUrl).username) ? app : null;
}

/** Fails early with the server's own words when the database cannot be reached. */
async function checkReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    const safe = url.replace(/:[^:@/]*@/, ':***@');
    throw new Error(`Cannot reach PostgreSQL at ${safe}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}
