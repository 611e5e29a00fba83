// Opens MikroORM on PostgreSQL and brings the schema up to date, only ever through migrations.
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities.ts';
import { migrations } from './migrations/index.ts';
import { releaseClientsWhoseConnectionEnded } from './pool-guard.ts';

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
    migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, snapshot: false },
  });
}

export async function migrate(orm: Orm): Promise<string[]> {
  const done = await orm.migrator.up();
  return done.map((m) => m.name);
}
