// Connects to the configured PostgreSQL (embedded by default) and brings its schema up to date.
import pg from 'pg';
import { openOrm, migrate, type Orm } from './orm.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import type { Config } from '../config.ts';

export interface Database {
  orm: Orm;
  url: string;
  isEmbedded: boolean;
  close(): Promise<void>;
}

export async function openDatabase(config: Config, log: (line: string) => void = () => {}): Promise<Database> {
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  const url = config.databaseUrl ?? embedded!.url;
  if (embedded) log(`Embedded PostgreSQL running on 127.0.0.1:${config.embeddedPgPort}, data in ${embedded.dataDir}`);
  try {
    await checkReachable(url);
    const orm = await openOrm(url);
    const applied = await migrate(orm);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
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
