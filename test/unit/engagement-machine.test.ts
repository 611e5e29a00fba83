import { expect } from 'chai';
import { getSimplePaths } from '@xstate/graph';
import { buildEngagementMachine, startSnapshot, applyEvent, restore, type EngagementEvent, type PersistedEngagement, type StagePlan } from '../../src/engagement/engagement.machine.ts';
import { loadMethodologies } from '../../src/methodology/methodology.loader.ts';
import { METHODOLOGY_DIR, VARIANTS_DIR } from '../helpers/factories.ts';

const e1t = loadMethodologies(METHODOLOGY_DIR).get('e1t@1')!.definition.stages;
const variant = loadMethodologies(VARIANTS_DIR).get('e1t-telegram@1')!.definition.stages;
const DAY = 86_400_000;
const T0 = '2026-03-02T09:00:00.000Z';
const day = (n: number) => new Date(Date.parse(T0) + n * DAY).toISOString();

function run(stages: StagePlan[], events: EngagementEvent[]): { snapshot: PersistedEngagement; refused: string[] } {
  const machine = buildEngagementMachine(stages);
  let snapshot = startSnapshot(machine, stages);
  const refused: string[] = [];
  for (const event of events) {
    const { next, changed } = applyEvent(machine, snapshot, event);
    if (!changed) refused.push(event.type);
    snapshot = next;
  }
  return { snapshot, refused };
}

describe('engagement machine', () => {
  it('walks draft -> each stage in order -> completed when every gate is open', () => {
    const advance = (n: number): EngagementEvent => ({ type: 'stage.advance', at: day(n), blockers: [] });
    const states: string[] = [];
    const machine = buildEngagementMachine(e1t);
    let s = startSnapshot(machine, e1t);
    for (const event of [{ type: 'engagement.start', at: day(0) } as EngagementEvent, advance(30), advance(60), advance(90)]) {
      s = applyEvent(machine, s, event).next;
      states.push(s.value);
    }
    expect(states).to.deep.equal(['preparation', 'formatting', 'launch', 'completed']);
    expect(s.context.endedAt).to.equal(day(90));
  });

  it('plans each stage deadline a stage duration after the previous one', () => {
    const { snapshot } = run(e1t, [{ type: 'engagement.start', at: day(0) }]);
    expect(snapshot.context.stages.map((s) => s.deadline)).to.deep.equal([day(30), day(60), day(90)]);
  });

  it('stays in the stage when the gate reports blockers', () => {
    const { snapshot, refused } = run(e1t, [
      { type: 'engagement.start', at: day(0) },
      { type: 'stage.advance', at: day(5), blockers: ['prep.competitors'] },
    ]);
    expect(snapshot.value).to.equal('preparation');
    expect(refused).to.deep.equal(['stage.advance']);
  });

  it('resumes into the paused stage and shifts every open deadline by the pause', () => {
    const { snapshot } = run(e1t, [
      { type: 'engagement.start', at: day(0) },
      { type: 'stage.advance', at: day(20), blockers: [] },
      { type: 'engagement.pause', at: day(25) },
      { type: 'engagement.resume', at: day(35) },
    ]);
    expect(snapshot.value).to.equal('formatting');
    expect(snapshot.context.stages.map((s) => s.deadline)).to.deep.equal([day(30), day(70), day(100)]);
    expect(snapshot.context.pausedAt).to.equal(null);
  });

  it('cancels from draft, any stage, or a pause, and then accepts nothing', () => {
    for (const prefix of [[], [{ type: 'engagement.start', at: day(0) }], [{ type: 'engagement.start', at: day(0) }, { type: 'engagement.pause', at: day(1) }]] as EngagementEvent[][]) {
      const { snapshot, refused } = run(e1t, [...prefix, { type: 'engagement.cancel', at: day(2) }, { type: 'engagement.resume', at: day(3) }, { type: 'engagement.start', at: day(3) }]);
      expect(snapshot.value).to.equal('cancelled');
      expect(refused).to.deep.equal(['engagement.resume', 'engagement.start']);
    }
  });

  it('builds a four-stage machine from the variant', () => {
    const advance = (n: number): EngagementEvent => ({ type: 'stage.advance', at: day(n), blockers: [] });
    const { snapshot } = run(variant, [{ type: 'engagement.start', at: day(0) }, advance(1), advance(2), advance(3)]);
    expect(snapshot.value).to.equal(variant[3]!.id);
  });

  it('restores a stored snapshot that answers events as the original would', () => {
    const machine = buildEngagementMachine(e1t);
    const { snapshot } = run(e1t, [{ type: 'engagement.start', at: day(0) }, { type: 'engagement.pause', at: day(3) }]);
    const stored = JSON.parse(JSON.stringify(snapshot));
    const restored = restore(machine, stored);
    expect(restored.value).to.equal('paused');
    expect(restored.can({ type: 'engagement.resume', at: day(4) })).to.equal(true);
    expect(restored.can({ type: 'stage.advance', at: day(4), blockers: [] })).to.equal(false);
  });
});

describe('engagement machine, every generated path', () => {
  for (const [name, stages] of [['E1T', e1t], ['the four-stage variant', variant]] as const) {
    it(`keeps its invariants on every simple path of ${name}`, () => {
      const machine = buildEngagementMachine(stages);
      const ids = stages.map((s) => s.id);
      // Time moves one day per step, so pauses have a length and deadlines really shift.
      const nextAt = (s: { context: { stages: { startedAt: string | null }[]; pausedAt: string | null; startedAt: string | null } }) => {
        const times = [s.context.startedAt, s.context.pausedAt, ...s.context.stages.map((c) => c.startedAt)].filter(Boolean) as string[];
        return new Date(Math.max(Date.parse(T0), ...times.map(Date.parse)) + DAY).toISOString();
      };
      const paths = getSimplePaths(machine, {
        input: { stages },
        events: (s): EngagementEvent[] => [
          { type: 'engagement.start', at: nextAt(s) },
          { type: 'stage.advance', at: nextAt(s), blockers: [] },
          { type: 'stage.advance', at: nextAt(s), blockers: ['held'] },
          { type: 'engagement.pause', at: nextAt(s) },
          { type: 'engagement.resume', at: nextAt(s) },
          { type: 'engagement.cancel', at: nextAt(s) },
        ],
        // The state value and the pause are what matter; timestamps would make the graph endless.
        serializeState: (s) => `${String(s.value)}|${s.context.pausedStage ?? ''}`,
      });
      expect(paths.length).to.be.greaterThan(stages.length * 3);
      for (const path of paths) {
        let highestStage = -1;
        for (const step of [...path.steps.map((st) => st.state)]) {
          const value = String(step.value);
          const { context } = step;
          const index = ids.indexOf(value);
          // Stages are visited in order, never backwards.
          if (index >= 0) {
            expect(index, `path ${path.steps.map((x) => x.event.type).join(' > ')}`).to.be.at.least(highestStage);
            highestStage = index;
            expect(context.stages[index]!.startedAt, 'the current stage has started').to.be.a('string');
            expect(context.stages[index]!.completedAt, 'the current stage is not completed').to.equal(null);
            context.stages.slice(0, index).forEach((c) => expect(c.completedAt, `${c.id} before ${value} is completed`).to.be.a('string'));
          }
          // A pause remembers a real stage; outside a pause nothing is remembered.
          if (value === 'paused') expect(ids).to.include(context.pausedStage);
          else expect([context.pausedAt, context.pausedStage]).to.deep.equal([null, null]);
          // Deadlines follow each other in stage order.
          const deadlines = context.stages.map((c) => c.deadline);
          if (value !== 'draft' && !(value === 'cancelled' && !context.startedAt)) {
            deadlines.slice(1).forEach((d, i) => expect(Date.parse(d!)).to.be.greaterThan(Date.parse(deadlines[i]!)));
          }
          if (value === 'completed') expect(context.stages.every((c) => c.completedAt)).to.equal(true);
          if (value === 'completed' || value === 'cancelled') expect(context.endedAt).to.be.a('string');
          // A closed gate never moves the engagement.
          const resolved = machine.resolveState({ value, context } as never);
          expect(resolved.can({ type: 'stage.advance', at: T0, blockers: ['held'] })).to.equal(false);
        }
      }
    });
  }
});
