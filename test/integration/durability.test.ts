import { expect } from 'chai';
import { spawn, execFileSync } from 'node:child_process';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement, completeCurrentStage } from '../helpers/factories.ts';
import { advanceStage, pauseEngagement } from '../../src/engagement/engagement.service.ts';
import { verifyEngagement } from '../../src/engagement/consistency.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';

const NODE = process.execPath;

describe('durability', () => {
  let db: TestDatabase;
  beforeEach(async () => (db = await createTestDatabase()));
  afterEach(async () => db.drop());

  it('restores, in a new process, exactly the snapshot that was saved', async () => {
    const deps = makeDeps(db.orm);
    const { engagementId, cast } = await makeEngagement(deps);
    await completeCurrentStage(deps, engagementId, cast);
    await advanceStage(deps, cast.consultant.id, engagementId);
    deps.time.advanceDays(3);
    await pauseEngagement(deps, cast.consultant.id, engagementId);
    const before = await db.orm.em.fork().findOneOrFail(Engagement, engagementId);

    const script = `
      import { openOrm } from './src/db/orm.ts';
      import { Engagement } from './src/engagement/engagement.entity.ts';
      import { buildEngagementMachine, restore } from './src/engagement/engagement.machine.ts';
      const orm = await openOrm(process.argv[1]);
      const e = await orm.em.fork().findOneOrFail(Engagement, process.argv[2], { populate: ['methodology.definition'] });
      const s = restore(buildEngagementMachine(e.methodology.definition.stages), e.snapshot);
      console.log(JSON.stringify({ value: s.value, context: s.context, canResume: s.can({ type: 'engagement.resume', at: new Date().toISOString() }) }));
      await orm.close();`;
    const out = execFileSync(NODE, ['--import', 'tsx', '--input-type=module', '-e', script, db.url, engagementId], { encoding: 'utf8' });
    const restored = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(restored.value).to.equal('paused');
    expect(restored.context).to.deep.equal(before.snapshot.context);
    expect(restored.canResume).to.equal(true);
  });

  it('keeps every snapshot consistent with its event log when the process is killed mid-burst', async function () {
    this.timeout(90_000);
    const child = spawn(NODE, ['--import', 'tsx', 'test/helpers/command-burst.ts', db.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let ids: string[] = [];
    await new Promise<void>((resolve, reject) => {
      let ticks = 0;
      child.on('exit', (code) => reject(new Error(`the burst process exited early with ${code}`)));
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) {
          if (line.startsWith('ready ')) ids = line.slice(6).split(',');
          // Kill it in the middle of its third round, while transactions are in flight.
          if (line.startsWith('tick ') && ++ticks === 2) setTimeout(resolve, 37);
        }
      });
    });
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(ids).to.have.length(3);
    for (const id of ids) {
      const report = await verifyEngagement(db.orm.em.fork(), id);
      expect(report.problems, id).to.deep.equal([]);
      const engagement = await db.orm.em.fork().findOneOrFail(Engagement, id);
      expect(engagement.eventSeq).to.be.greaterThan(5);
    }
  });
});
