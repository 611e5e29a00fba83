// Developer tool: writes a migration for the difference between the entities and a fresh database.
import { openOrm } from './orm.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'troika-migration-'));
chmodSync(dir, 0o755);
const db = await startEmbeddedPostgres({ dataDir: dir, port: 54399 });
const orm = await openOrm(db.url);
try {
  await orm.migrator.up();
  const result = await orm.migrator.create('src/db/migrations', false, false, process.argv[2]);
  console.log(
    result.fileName
      ? `wrote ${result.fileName}: add it to src/db/migrations/index.ts, and delete any lines that drop the hand-written event-log trigger`
      : 'no schema changes',
  );
} finally {
  await orm.close();
  await db.stop();
}
