// Opens MikroORM on PostgreSQL and brings the schema up to date, only ever through migrations.
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities.ts';
import { migrations } from './migrations/index.ts';

export type Orm = MikroORM;

export async function openOrm(url: string, options: { debug?: boolean; poolMax?: number } = {}): Promise<Orm> {
  return MikroORM.init({
    clientUrl: url,
    entities,
    extensions: [Migrator],
    debug: options.debug ?? false,
    pool: { min: 0, max: options.poolMax ?? 10 },
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
