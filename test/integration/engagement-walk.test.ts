import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { makeDeps, makeEngagement, completeCurrentStage } from '../helpers/factories.ts';
import { advanceStage } from '../../src/engagement/engagement.service.ts';
import { getTimeline, getEventLog } from '../../src/engagement/timeline.ts';
import { verifyEngagement } from '../../src/engagement/consistency.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';

describe('a full engagement through the service API', () => {
  let db: TestDatabase;
  beforeEach(async () => (db = await createTestDatabase()));
  afterEach(async () => db.drop());

  it('walks E1T from draft to completed, stage by stage, with a consistent event log', async () => {
    const deps = makeDeps(db.orm);
    const { engagementId, cast } = await makeEngagement(deps);
    const visited: string[] = [];
    for (let i = 0; i < 3; i++) {
      deps.time.advanceDays(10);
      await completeCurrentStage(deps, engagementId, cast);
      const { from, to } = await advanceStage(deps, cast.consultant.id, engagementId);
      visited.push(`${from}->${to}`);
    }
    expect(visited).to.deep.equal(['preparation->formatting', 'formatting->launch', 'launch->completed']);
    const timeline = await getTimeline(deps, cast.owner.id, engagementId);
    expect(timeline.state).to.equal('completed');
    expect(timeline.progressPercent).to.equal(100);
    expect(timeline.stages.every((s) => s.completedAt)).to.equal(true);
    const log = await getEventLog(deps, cast.consultant.id, engagementId);
    expect(log.filter((e) => e.type === 'stage.advance').map((e) => `${e.fromState}->${e.toState}`)).to.deep.equal(visited);
    expect(log.map((e) => e.seq)).to.deep.equal(log.map((_, i) => i + 1));
    expect((await verifyEngagement(db.orm.em.fork(), engagementId)).problems).to.deep.equal([]);
  });

  it('walks the four-stage Telegram variant with the same code', async () => {
    const deps = makeDeps(db.orm);
    const { engagementId, cast } = await makeEngagement(deps, { methodology: 'e1t-telegram@1' });
    for (let i = 0; i < 4; i++) {
      await completeCurrentStage(deps, engagementId, cast);
      await advanceStage(deps, cast.consultant.id, engagementId);
    }
    const engagement = await db.orm.em.fork().findOneOrFail(Engagement, engagementId);
    expect(engagement.state).to.equal('completed');
    expect(engagement.snapshot.context.stages).to.have.length(4);
  });

  it('gives every methodology task a deadline inside its stage when the engagement starts', async () => {
    const deps = makeDeps(db.orm);
    const { engagementId, cast } = await makeEngagement(deps);
    const timeline = await getTimeline(deps, cast.consultant.id, engagementId);
    expect(timeline.stages.map((s) => s.deadline)).to.deep.equal(['2026-04-01T09:00:00.000Z', '2026-05-01T09:00:00.000Z', '2026-05-31T09:00:00.000Z']);
    expect(timeline.overdueTasks).to.deep.equal([]);
    deps.time.advanceDays(31);
    const later = await getTimeline(deps, cast.consultant.id, engagementId);
    expect(later.overdueTasks.length).to.be.greaterThan(0);
    expect(later.overdueTasks.every((t) => t.stageId === 'preparation')).to.equal(true);
  });
});
