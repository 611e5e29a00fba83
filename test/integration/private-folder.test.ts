import { expect } from 'chai';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../helpers/postgres.ts';
import { startEmbeddedPostgres, EmbeddedPostgresError } from '../../src/db/embedded-postgres.ts';
import { binariesIn, packagedBinaries, runnableBinaries } from '../../src/db/postgres-binaries.ts';
import { withClient } from '../../src/db/database-roles.ts';

const tmpFiles = () => new Set(readdirSync(tmpdir()));

/** A clone in a folder only root may enter, the way `mktemp -d` or /root make one. */
function privateCopyOfBinaries(): { folder: string; binaries: ReturnType<typeof binariesIn> } {
  const folder = mkdtempSync(join(tmpdir(), 'troika-private-'));
  expect(statSync(folder).mode & 0o777, 'mkdtemp makes a private folder').to.equal(0o700);
  const packaged = packagedBinaries();
  const root = join(folder, 'clone', 'node_modules', 'native');
  cpSync(packaged.root, root, { recursive: true, verbatimSymlinks: true });
  return { folder, binaries: binariesIn(root, packaged.version) };
}

describe('the embedded PostgreSQL started from a private folder', function () {
  this.timeout(120_000);
  let folder: string | undefined;
  before(function () {
    if (userInfo().uid !== 0) {
      console.log('      (skipped: only root has a private folder the postgres user cannot enter)');
      this.skip();
    }
  });
  afterEach(() => folder && rmSync(folder, { recursive: true, force: true }));

  it('starts as root from a mode-700 folder, with its data and programs where the postgres user can reach them', async () => {
    const copy = privateCopyOfBinaries();
    folder = copy.folder;
    const before = tmpFiles();
    const db = await startEmbeddedPostgres({ dataDir: join(folder, 'clone', 'data'), port: await freePort(), binaries: copy.binaries });
    try {
      const version = await withClient(db.url, async (c) => (await c.query('select version() as v, current_user as u')).rows[0]);
      expect(version.v).to.match(/^PostgreSQL 18/);
      expect(version.u).to.equal('troika_app');
      expect(db.dataDir.startsWith('/var/lib/troika/'), db.dataDir).to.equal(true);
      expect(statSync(join(dirname(db.dataDir), 'cluster.json')).mode & 0o077, 'the passwords file is the owner\'s alone').to.equal(0);
    } finally {
      await db.stop();
      rmSync(dirname(db.dataDir), { recursive: true, force: true });
    }
    const leftovers = [...tmpFiles()].filter((f) => !before.has(f) && /pg|password/i.test(f));
    expect(leftovers, 'nothing secret is left in the shared temporary folder').to.deep.equal([]);
  });

  it('copies private binaries once into a folder the server user can run them from', () => {
    const copy = privateCopyOfBinaries();
    folder = copy.folder;
    const shared = join(folder, 'shared');
    chmodSync(folder, 0o755); // the copy's destination must itself be reachable
    chmodSync(join(folder, 'clone'), 0o700);
    const runnable = runnableBinaries(copy.binaries, shared);
    expect(runnable.root.startsWith(shared)).to.equal(true);
    expect(existsSync(runnable.postgres)).to.equal(true);
    expect(runnableBinaries(copy.binaries, shared).root, 'the second start reuses the copy').to.equal(runnable.root);
  });

  it('says in one sentence why it cannot start when the programs cannot run, and leaves no password file', async () => {
    const copy = privateCopyOfBinaries();
    folder = copy.folder;
    chmodSync(folder, 0o755);
    chmodSync(copy.binaries.initdb, 0o644); // not executable, as on a noexec mount
    const before = tmpFiles();
    const error = await startEmbeddedPostgres({ dataDir: join(folder, 'data'), port: await freePort(), binaries: copy.binaries }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(EmbeddedPostgresError);
    expect((error as Error).message).to.match(/could not run .*initdb/);
    const leftovers = [...tmpFiles()].filter((f) => !before.has(f) && /pg|password/i.test(f));
    expect(leftovers).to.deep.equal([]);
    expect(readdirSync(join(folder, 'data')).filter((f) => f !== 'cluster.json' && f !== 'postgres')).to.deep.equal([]);
  });
});
