// Opens MikroORM on PostgreSQL and brings the schema up to date, only ever through migrations.
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities.ts';
import { migrations } from './migrations/index.ts';
import { releaseClientsWhoseConnectionEnded } from './pool-guard.ts';
import { noteLocalChange } from '../cache/change-feed.ts';

export type Orm = MikroORM;

export async function openOrm(url: string, options: { debug?: boolean; poolMax?: number } = {}): Promise<Orm> {
  return MikroORM.init({
    clientUrl: url,
    entities,
    extensions: [Migrator],
    debug: options.debug ?? false,
    pool: { min: 0, max: options.poolMax ?? 10 },
    // A database host that stops answering (rather than refusing) must not hold requests for the
    // kernel's TCP timeout: five seconds to connect, then the request gets its 503.
    driverOptions: { connectionTimeoutMillis: 5_000, onPoolCreated: releaseClientsWhoseConnectionEnded },
    // Context comes from explicit forks (one per command or request), never from a global manager.
    allowGlobalContext: false,
    // Tables written by hand in migrations, not mapped to entities: the generator must leave them alone.
    schemaGenerator: { skipTables: ['sessions', 'auth_attempts', 'app_settings'] },
    // A write this process flushes counts for its caches at once, before its own notice comes back
    // from the database (src/cache/change-feed.ts): the page after a person's form is never stale.
    // A flush with nothing to write, or a transaction that only read (a poller's), moves nothing.
    subscribers: [{ afterFlush: ({ uow }) => void (uow.getChangeSets().length && noteLocalChange()) }],
    migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, snapshot: false },
  });
}

export async function migrate(orm: Orm): Promise<string[]> {
  const done = await orm.migrator.up();
  return done.map((m) => m.name);
}
