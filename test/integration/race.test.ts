import { contentOf } from '../helpers/content.ts';
import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement, completeCurrentStage } from '../helpers/factories.ts';
import { advanceStage, signStageOff } from '../../src/engagement/engagement.service.ts';
import { completeTask } from '../../src/engagement/tasks.service.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { getEventLog } from '../../src/engagement/timeline.ts';
import { verifyEngagement } from '../../src/engagement/consistency.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { AppError } from '../../src/errors.ts';

/** Two connection pools on one database: what two web processes would be. */
async function twoProcesses(db: TestDatabase) {
  const first = makeDeps(db.orm);
  const second = { ...makeDeps(await db.openAnother()), clock: first.clock, time: first.time };
  return [first, second] as const;
}

describe('two people acting on one engagement at once', () => {
  let db: TestDatabase;
  beforeEach(async () => (db = await createTestDatabase()));
  afterEach(async () => db.drop());

  it('advances the stage exactly once when two advance requests race after the last gate item', async () => {
    const [a, b] = await twoProcesses(db);
    for (let round = 0; round < 3; round++) {
      const { engagementId, cast } = await makeEngagement(a);
      await completeCurrentStage(a, engagementId, cast);
      const results = await Promise.allSettled([advanceStage(a, cast.consultant.id, engagementId), advanceStage(b, cast.consultant.id, engagementId)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won, `round ${round}`).to.have.length(1);
      expect(lost[0]!.reason).to.be.instanceOf(AppError);
      const log = await getEventLog(a, cast.consultant.id, engagementId);
      expect(log.filter((e) => e.type === 'stage.advance')).to.have.length(1);
      expect((await verifyEngagement(db.orm.em.fork(), engagementId)).problems).to.deep.equal([]);
    }
  });

  it('records one sign-off when the owner signs from two tabs at once', async () => {
    const [a, b] = await twoProcesses(db);
    const { engagementId, cast } = await makeEngagement(a);
    await completeCurrentStage(a, engagementId, cast, { signOff: false });
    const results = await Promise.allSettled([
      signStageOff(a, cast.owner.id, engagementId, 'preparation'),
      signStageOff(b, cast.owner.id, engagementId, 'preparation'),
    ]);
    expect(results.map((r) => r.status).sort()).to.deep.equal(['fulfilled', 'rejected']);
    const log = await getEventLog(a, cast.owner.id, engagementId);
    expect(log.filter((e) => e.type === 'stage.signoff')).to.have.length(1);
  });

  it('loses no update when two people complete different tasks and approve the last document at the same moment', async () => {
    const [a, b] = await twoProcesses(db);
    const { engagementId, cast } = await makeEngagement(a);
    // Tasks closed by hand: Preparation's training tasks (the study of the methods kit, its modules) close by themselves.
    const tasks = await db.orm.em.fork().find(Task, { engagement: engagementId, stageId: 'preparation', kind: { $in: ['work', 'meeting'] } });
    const versions = await Promise.all(
      ['competitor-analysis', 'target-criteria', 'content-concept'].map(async (type) => submitDocumentVersion(a, cast.consultant.id, engagementId, type, await contentOf(type))),
    );
    const before = (await getEventLog(a, cast.consultant.id, engagementId)).length;
    const commands = [
      ...tasks.map((t, i) => () => completeTask(i % 2 ? a : b, cast.consultant.id, engagementId, t.id)),
      ...versions.map((v, i) => () => approveDocument(i % 2 ? b : a, cast.owner.id, engagementId, v.document.id, v.contentHash)),
    ];
    const results = await Promise.allSettled(commands.map((run) => run()));
    expect(results.filter((r) => r.status === 'rejected')).to.deep.equal([]);
    const log = await getEventLog(a, cast.consultant.id, engagementId);
    expect(log.length - before).to.equal(commands.length);
    const after = await db.orm.em.fork().find(Task, { engagement: engagementId, id: { $in: tasks.map((t) => t.id) } });
    expect(after.every((t) => t.status === 'done')).to.equal(true);
    expect((await verifyEngagement(db.orm.em.fork(), engagementId)).problems).to.deep.equal([]);
  });
});
