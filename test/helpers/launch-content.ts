// Content work a stage's content gate rules ask for, done the way each role would: staff write (here the
// consultant for them), the owner approves, the item goes out on each mandatory network's account.
import type { ServiceDeps } from '../../src/engagement/command.ts';
import type { Methodology, Stage } from '../../src/methodology/methodology.schema.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { readChannels } from '../../src/content/channels.queries.ts';
import { approveItem, createItem, publishItem, scheduleItem, submitItem } from '../../src/content/content-items.service.ts';
import type { Cast } from './factories.ts';

/** Publishes on every mandatory network as many items as the stage's published-per-network rule asks; returns how many. */
export async function publishWhatTheGateAsks(deps: ServiceDeps, engagementId: string, cast: Cast, stage: Stage, methodology: Methodology): Promise<number> {
  const rule = stage.gate?.find((r) => r.rule === 'published-per-network');
  if (!rule || rule.rule !== 'published-per-network') return 0;
  const em = deps.orm.em.fork();
  const engagement = await em.findOneOrFail(Engagement, engagementId);
  const channels = await readChannels(em, engagement, methodology);
  const today = deps.clock().toISOString().slice(0, 10);
  let count = 0;
  for (const network of methodology.networks.filter((n) => n.mandatory)) {
    const channel = channels.find((c) => c.network === network.id);
    if (!channel) throw new Error(`no account for mandatory network ${network.id} in the accounts register`);
    for (let i = 0; i < rule.atLeast; i++) count += await publishOne(deps, engagementId, cast, channel.key, `${new URL(channel.address!).origin}/post/${i}`, today);
  }
  return count;
}

async function publishOne(deps: ServiceDeps, engagementId: string, cast: Cast, channel: string, publishedUrl: string, day: string): Promise<number> {
  const { consultant, owner, staff } = cast;
  const item = await createItem(deps, consultant.id, engagementId, { channel, format: 'post', title: `Post ${publishedUrl}`, plannedOn: day, body: 'Fresh bread today.', authorId: staff[0]!.id });
  await submitItem(deps, consultant.id, engagementId, item.id);
  await approveItem(deps, owner.id, engagementId, item.id);
  await scheduleItem(deps, consultant.id, engagementId, item.id, { scheduledAt: `${day}T00:00` });
  await publishItem(deps, consultant.id, engagementId, item.id, { publishedUrl, publishedAt: deps.clock().toISOString() });
  return 1;
}
