import { expect } from 'chai';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { freePort } from '../helpers/postgres.ts';
import { useDataDir } from '../helpers/app-process.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { serverProcessesOf } from '../../src/db/stale-cluster.ts';
import { withClient } from '../../src/db/database-roles.ts';

describe('the embedded PostgreSQL after a hard kill', function () {
  this.timeout(120_000);
  const data = useDataDir('troika-kill-');

  it('starts again when the postmaster was killed while a backend still ran a long statement, and keeps what was committed', async () => {
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir: data.path, port });
    await withClient(first.ownerUrl, (c) => c.query("create table kept (note text); insert into kept values ('committed before the kill')"));

    // A long statement keeps its backend attached to the server's shared memory.
    const busy = new pg.Client({ connectionString: first.ownerUrl });
    busy.on('error', () => {});
    await busy.connect();
    // CPU-bound, so it does not notice the postmaster's death the way a sleeping backend would.
    const running = busy.query('select sum(x) from generate_series(1, 3000000000) x').catch(() => null);
    await new Promise((r) => setTimeout(r, 300));
    const postmaster = Number(readFileSync(join(first.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const orphans = serverProcessesOf(first.dataDir);
    expect(orphans.length, 'a backend outlives its killed postmaster').to.be.greaterThan(0);
    expect(orphans).not.to.include(postmaster);

    const lines: string[] = [];
    const second = await startEmbeddedPostgres({ dataDir: data.path, port, log: (l) => lines.push(l) });
    try {
      const rows = await withClient(second.ownerUrl, async (c) => (await c.query('select note from kept')).rows);
      expect(rows).to.deep.equal([{ note: 'committed before the kill' }]);
      expect(lines.join('\n')).to.match(/killed run/);
    } finally {
      await busy.end().catch(() => {});
      await running;
      await second.stop();
      rmSync(dirname(second.dataDir), { recursive: true, force: true });
    }
  });
});
