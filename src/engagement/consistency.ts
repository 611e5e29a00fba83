// Checks that an engagement's stored snapshot is exactly what replaying its event log gives.
import { isDeepStrictEqual } from 'node:util';
import type { EntityManager } from '@mikro-orm/core';
import { Engagement, EngagementEvent } from './engagement.entity.ts';
import { applyEvent, buildEngagementMachine, startSnapshot, type EngagementEvent as MachineEvent } from './engagement.machine.ts';

export interface ConsistencyReport {
  engagementId: string;
  isConsistent: boolean;
  problems: string[];
}

export async function verifyEngagement(em: EntityManager, engagementId: string): Promise<ConsistencyReport> {
  const engagement = await em.findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] });
  const events = await em.find(EngagementEvent, { engagement }, { orderBy: { seq: 'asc' } });
  const stages = engagement.methodology.definition.stages;
  const machine = buildEngagementMachine(stages);
  let replayed = startSnapshot(machine, stages);
  const problems: string[] = [];
  events.forEach((event, i) => {
    if (event.seq !== i + 1) problems.push(`event ${i + 1} is numbered ${event.seq}: the log has a gap`);
    const machineEvent = event.payload.machineEvent as MachineEvent | undefined;
    if (machineEvent) {
      const { next, changed } = applyEvent(machine, replayed, machineEvent);
      if (!changed) problems.push(`event ${event.seq} (${event.type}) does not apply in state ${replayed.value}`);
      replayed = next;
    }
    if (event.toState !== replayed.value) problems.push(`event ${event.seq} says the state became ${event.toState}, replay gives ${replayed.value}`);
  });
  if (engagement.eventSeq !== events.length) problems.push(`the engagement counts ${engagement.eventSeq} events, the log holds ${events.length}`);
  // jsonb keeps keys in its own order, so compare values, not texts.
  if (!isDeepStrictEqual(replayed, engagement.snapshot)) problems.push('the stored snapshot differs from the replayed one');
  if (engagement.state !== engagement.snapshot.value) problems.push(`the state column says ${engagement.state}, the snapshot ${engagement.snapshot.value}`);
  return { engagementId, isConsistent: problems.length === 0, problems };
}
