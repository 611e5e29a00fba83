// One PostgreSQL per test run (embedded, or DATABASE_URL's server), migrated once into a template.
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.ts';
import { openOrm, type Orm } from '../../src/db/orm.ts';
import { migrateAsOwner } from '../../src/db/database.ts';
import { APP_ROLE, OWNER_ROLE } from '../../src/db/database-roles.ts';

const TEMPLATE = 'troika_test_template';
/** Where databases are made (a superuser), where migrations run (the owner), where the app connects. */
let serverUrl: string | undefined;
let ownerServerUrl: string | undefined;
let appServerUrl: string | undefined;
let embedded: EmbeddedDatabase | undefined;
let clusterRoot: string | undefined;
let counter = 0;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl!, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function startTestPostgres(): Promise<void> {
  if (process.env.DATABASE_URL) serverUrl = ownerServerUrl = appServerUrl = process.env.DATABASE_URL;
  else {
    clusterRoot = mkdtempSync(join(tmpdir(), 'troika-test-'));
    chmodSync(clusterRoot, 0o755); // the postgres user must reach it when tests run as root
    embedded = await startEmbeddedPostgres({ dataDir: clusterRoot, port: await freePort() });
    [serverUrl, ownerServerUrl, appServerUrl] = [embedded.superuserUrl, embedded.ownerUrl, embedded.url];
  }
  await admin(async (c) => {
    await c.query(`drop database if exists ${TEMPLATE}`);
    await c.query(`create database ${TEMPLATE}${embedded ? ` owner ${OWNER_ROLE}` : ''}`);
  });
  // The tests work as the app does: migrated by the owner, used through the app's own role.
  await migrateAsOwner(withDatabase(ownerServerUrl!, TEMPLATE), embedded ? APP_ROLE : null);
}

/** The owner's connection to a test database, for what only the owner may do. */
export function ownerUrlOf(url: string): string {
  return withDatabase(ownerServerUrl!, new URL(url).pathname.slice(1));
}

export async function stopTestPostgres(): Promise<void> {
  if (serverUrl) await admin((c) => c.query(`drop database if exists ${TEMPLATE}`)).catch(() => {});
  await embedded?.stop();
  if (clusterRoot) rmSync(clusterRoot, { recursive: true, force: true });
}

export interface TestDatabase {
  url: string;
  orm: Orm;
  /** Another ORM on the same database: a second process's connection pool. */
  openAnother(): Promise<Orm>;
  drop(): Promise<void>;
}

/** A fresh, migrated database copied from the template: isolated and fast. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `troika_test_${process.pid}_${++counter}`;
  await admin((c) => c.query(`create database ${name} template ${TEMPLATE}${embedded ? ` owner ${OWNER_ROLE}` : ''}`));
  const url = withDatabase(appServerUrl!, name);
  const orm = await openOrm(url);
  const others: Orm[] = [];
  return {
    url,
    orm,
    async openAnother() {
      const other = await openOrm(url);
      others.push(other);
      return other;
    },
    async drop() {
      await Promise.all([orm, ...others].map((o) => o.close(true)));
      await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
