// Content items through their lifecycle: staff write their own, the owner decides, the consultant can do
// everything but decide. Each change is a command on the engagement with its event in the same transaction.
import { z } from 'zod';
import { runCommand, isUuid, type CommandContext, type ServiceDeps } from '../engagement/command.ts';
import { Participant } from '../engagement/engagement.entity.ts';
import { planWindow } from '../engagement/engagement.machine.ts';
import { parseInput } from '../validation.ts';
import { BlockedError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import { ContentItem } from './content.entity.ts';
import { nextContentStatus, type ContentEvent, type ContentStatus } from './content-item.machine.ts';
import { itemFields, measureInput, moveInput, newItemInput, publishInput, scheduleInput } from './content-input.ts';
import { allowedHosts, formatsOf, isOnHosts, isWeek, weekDays } from './content-rules.ts';
import { readChannels } from './channels.queries.ts';
import { refuseUnlessActive } from './content-plan.service.ts';

type Raw = Record<string, unknown>;
const WRITERS = { roles: ['consultant' as const, 'staff' as const] };
const EVERYONE = { roles: ['consultant' as const, 'owner' as const, 'staff' as const] };

async function findItem(ctx: CommandContext, itemId: string): Promise<ContentItem> {
  const item = isUuid(itemId) ? await ctx.em.findOne(ContentItem, { id: itemId, engagement: ctx.engagement }, { populate: ['author'] }) : null;
  if (!item) throw new NotFoundError('Content item');
  return item;
}

/** Staff work on their own items (and may take an idea nobody writes yet); the consultant on any. */
function refuseUnlessWriter(ctx: CommandContext, item: ContentItem, mayTakeIdea = false): void {
  if (ctx.participant.role === 'consultant') return;
  if (item.author?.id === ctx.actor.id) return;
  if (mayTakeIdea && !item.author) return;
  throw new ForbiddenError('Only the author or the consultant may change this item');
}

function move(ctx: CommandContext, item: ContentItem, event: ContentEvent, refusal: string, payload: Raw = {}): void {
  const from = item.status as ContentStatus;
  const next = nextContentStatus(from, event);
  if (!next) throw new BlockedError(refusal, [`the item is ${from.replace('_', ' ')}`]);
  item.status = next;
  ctx.record(event.type, { itemId: item.id, from, to: next, ...payload });
}

function refuseOutsidePlan(ctx: CommandContext, field: string, day: string): void {
  const { first, last } = planWindow(ctx.engagement.plannedStart, ctx.engagement.snapshot.context);
  if (day < first || day > last) throw new InvalidInputError([{ field, message: "the date must fall inside the engagement's plan: from its start to the end of its last stage" }]);
}

/** The author a draft gets: a staff member of this engagement (a staff writer is the author themself). */
async function authorFor(ctx: CommandContext, item: ContentItem | null, authorId: string | undefined) {
  if (ctx.participant.role === 'staff') return ctx.actor;
  if (!authorId) {
    if (item?.author) return item.author;
    throw new InvalidInputError([{ field: 'authorId', message: 'choose the staff member who writes it' }]);
  }
  const author = isUuid(authorId) ? await ctx.em.findOne(Participant, { engagement: ctx.engagement, user: authorId, role: 'staff' }, { populate: ['user'] }) : null;
  if (!author) throw new InvalidInputError([{ field: 'authorId', message: 'the author must be a staff member of this engagement' }]);
  return author.user;
}

function refuseUnknownFormat(ctx: CommandContext, format: string): void {
  if (!formatsOf(ctx.methodology).some((f) => f.id === format)) throw new InvalidInputError([{ field: 'format', message: 'choose one of the formats offered' }]);
}

/** A new item on a channel and day: an idea, or a draft when someone writes it (a staff writer always does). */
export async function createItem(deps: ServiceDeps, actorId: string, engagementId: string, raw: Raw): Promise<ContentItem> {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    refuseUnlessActive(ctx, 'The item cannot be added');
    const input = parseInput(newItemInput, raw);
    refuseUnknownFormat(ctx, input.format);
    const channel = (await readChannels(ctx.em, ctx.engagement, ctx.methodology)).find((c) => c.key === input.channel);
    if (!channel) throw new InvalidInputError([{ field: 'channel', message: 'choose channels from the accounts register or the client chat' }]);
    refuseOutsidePlan(ctx, 'plannedOn', input.plannedOn);
    const author = ctx.participant.role === 'staff' || input.authorId ? await authorFor(ctx, null, input.authorId) : null;
    const item = ctx.em.create(ContentItem, {
      engagement: ctx.engagement, channel: channel.key, network: channel.network, accountAddress: channel.address, format: input.format, title: input.title,
      theme: null, body: input.body, mediaLinks: input.mediaLinks, plannedOn: input.plannedOn, status: author ? 'draft' : 'idea', author, createdBy: ctx.actor,
    });
    ctx.em.persist(item);
    ctx.record('content.create', { itemId: item.id, channel: channel.key, plannedOn: item.plannedOn, status: item.status });
    return item;
  });
}

/** Writing an item: an idea becomes a draft with its author; an approved or scheduled one needs approval again. */
export async function editItem(deps: ServiceDeps, actorId: string, engagementId: string, itemId: string, raw: Raw): Promise<ContentItem> {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    refuseUnlessActive(ctx, 'The item cannot be changed');
    const item = await findItem(ctx, itemId);
    refuseUnlessWriter(ctx, item, true);
    const input = parseInput(itemFields, raw);
    refuseUnknownFormat(ctx, input.format);
    const author = await authorFor(ctx, item, input.authorId);
    move(ctx, item, { type: 'content.draft' }, 'The item cannot be edited', { authorId: author.id });
    Object.assign(item, { title: input.title, format: input.format, body: input.body, mediaLinks: input.mediaLinks, author, scheduledAt: null });
    return item;
  });
}

export async function submitItem(deps: ServiceDeps, actorId: string, engagementId: string, itemId: string): Promise<ContentItem> {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    refuseUnlessActive(ctx, 'The item cannot be submitted');
    const item = await findItem(ctx, itemId);
    refuseUnlessWriter(ctx, item);
    if (!item.body.trim()) throw new InvalidInputError([{ field: 'body', message: 'write the text before sending it for approval' }]);
    move(ctx, item, { type: 'content.submit' }, 'The item cannot be submitted');
    return item;
  });
}

function refuseUnlessOwner(ctx: CommandContext): void {
  if (!ctx.actsAsOwner) throw new ForbiddenError('Only the owner approves content');
}

function decide(ctx: CommandContext, item: ContentItem, approve: boolean, comment: string | null): void {
  move(ctx, item, { type: approve ? 'content.approve' : 'content.requestChanges' }, approve ? 'The item cannot be approved' : 'Changes to the item cannot be requested', { comment });
  Object.assign(item, { decisionComment: comment, decidedBy: ctx.actor, decidedAt: ctx.now });
}

export async function approveItem(deps: ServiceDeps, actorId: string, engagementId: string, itemId: string, comment = ''): Promise<ContentItem> {
  return runCommand(deps, engagementId, actorId, EVERYONE, async (ctx) => {
    refuseUnlessOwner(ctx);
    refuseUnlessActive(ctx, 'The item cannot be approved');
    const item = await findItem(ctx, itemId);
    decide(ctx, item, true, comment.trim().slice(0, 4000) || null);
    return item;
  });
}

export async function requestItemChanges(deps: ServiceDeps, actorId: string, engagementId: string, itemId: string, comment: string): Promise<ContentItem> {
  return runCommand(deps, engagementId, actorId, EVERYONE, async (ctx) => {
    refuseUnlessOwner(ctx);
    refuseUnlessActive(ctx, 'Changes to the item cannot be requested');
    const item = await findItem(ctx, itemId);
    if (!comment?.trim()) throw new InvalidInputError([{ field: 'comment', message: 'say what should change' }]);
    decide(ctx, item, false, comment.trim().slice(0, 4000));
    return item;
  });
}

/** The owner approves every item waiting in one week (Monday to Sunday, by planned day) at once. */
export async function approveWeek(deps: ServiceDeps, actorId: string, engagementId: string, week: string, comment = ''): Promise<ContentItem[]> {
  return runCommand(deps, engagementId, actorId, EVERYONE, async (ctx) => {
    refuseUnlessOwner(ctx);
    refuseUnlessActive(ctx, 'The week cannot be approved');
    if (!isWeek(week)) throw new InvalidInputError([{ field: 'week', message: 'must be a week such as 2026-W19' }]);
    const { first, last } = weekDays(week);
    const items = await ctx.em.find(ContentItem, { engagement: ctx.engagement, status: 'submitted', plannedOn: { $gte: first, $lte: last } }, { orderBy: { plannedOn: 'asc' } });
    if (!items.length) throw new BlockedError('The week cannot be approved', ['no item of this week waits for approval']);
    for (const item of items) decide(ctx, item, true, comment.trim().slice(0, 4000) || null);
    return items;
  });
}

/** Moves the planned day, before the item is out. */
export async function moveItem(deps: ServiceDeps, actorId: string, engagementId: string, itemId: string, raw: Raw): Promise<ContentItem> {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    refuseUnlessActive(ctx, 'The item cannot be moved');
    const item = await findItem(ctx, itemId);
    refuseUnlessWriter(ctx, item);
    const { plannedOn } = parseInput(moveInput, raw);
    if (['published', 'measured'].includes(item.status)) throw new BlockedError('The item cannot be moved', ['the item is already published']);
    refuseOutsidePlan(ctx, 'plannedOn', plannedOn);
    ctx.record('content.move', { itemId: item.id, from: item.plannedOn, to: plannedOn });
    item.plannedOn = plannedOn;
    return item;
  });
}

export async function scheduleItem(deps: ServiceDeps, actorId: string, engagementId: string, itemId: string, raw: Raw): Promise<ContentItem> {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    refuseUnlessActive(ctx, 'The item cannot be scheduled');
    const item = await findItem(ctx, itemId);
    refuseUnlessWriter(ctx, item);
    const { scheduledAt } = parseInput(scheduleInput, raw);
    refuseOutsidePlan(ctx, 'scheduledAt', scheduledAt.toISOString().slice(0, 10));
    move(ctx, item, { type: 'content.schedule' }, 'The item cannot be scheduled', { scheduledAt: scheduledAt.toISOString() });
    item.scheduledAt = scheduledAt;
    return item;
  });
}

/** Marks it out: the public address must be on the channel's network (or the chat's messenger), the moment not ahead. */
export async function publishItem(deps: ServiceDeps, actorId: string, engagementId: string, itemId: string, raw: Raw): Promise<ContentItem> {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    refuseUnlessActive(ctx, 'The item cannot be marked published');
    const item = await findItem(ctx, itemId);
    refuseUnlessWriter(ctx, item);
    const input = parseInput(publishInput, raw);
    const problems = [];
    const hosts = allowedHosts({ key: item.channel, network: item.network, address: item.accountAddress ?? null }, ctx.methodology.contentPlan);
    if (!isOnHosts(input.publishedUrl, hosts)) problems.push({ field: 'publishedUrl', message: `the address must be on "${hosts.join(', ')}" or a subdomain` });
    if (input.publishedAt.getTime() > ctx.now.getTime() + 60_000) problems.push({ field: 'publishedAt', message: 'the moment of publication cannot be in the future' });
    if (problems.length) throw new InvalidInputError(problems);
    move(ctx, item, { type: 'content.publish' }, 'The item cannot be marked published', { publishedUrl: input.publishedUrl, publishedAt: input.publishedAt.toISOString() });
    Object.assign(item, { publishedUrl: input.publishedUrl, publishedAt: input.publishedAt });
    return item;
  });
}

export async function measureItem(deps: ServiceDeps, actorId: string, engagementId: string, itemId: string, raw: z.input<typeof measureInput>): Promise<ContentItem> {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    refuseUnlessActive(ctx, 'The results cannot be entered');
    const item = await findItem(ctx, itemId);
    refuseUnlessWriter(ctx, item);
    const metrics = parseInput(measureInput, raw);
    move(ctx, item, { type: 'content.measure' }, 'The results cannot be entered', { metrics });
    Object.assign(item, { metrics, measuredAt: ctx.now });
    return item;
  });
}
