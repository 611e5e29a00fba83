// The desk's commands: staff log what a customer wrote and draft the answer, the owner (or delegate) or
// the consultant approves where the engagement asks for it, staff mark it sent. One event per change.
import { runCommand, isUuid, type CommandContext, type ServiceDeps } from '../engagement/command.ts';
import { parseInput } from '../validation.ts';
import { BlockedError, ForbiddenError, InvalidInputError, NotFoundError, type FieldProblem } from '../errors.ts';
import type { DeskKind, ReviewDesk } from '../methodology/review-desk.schema.ts';
import { readChannels } from '../content/channels.queries.ts';
import { refuseUnlessActive } from '../content/content-plan.service.ts';
import { DeskEntry, DeskSettings } from './desk.entity.ts';
import { nextDeskStatus, type DeskEvent, type DeskStatus } from './desk-entry.machine.ts';
import { answerInput, localMoment, logInput, sendInput, settingsInput } from './desk-input.ts';
import { answerWarnings } from './answer-warnings.ts';
import { judge, normFor } from './response-norms.ts';

type Raw = Record<string, unknown>;
const WRITERS = { roles: ['staff' as const] };
/** The owner's delegate passes as the owner. */
const APPROVERS = { roles: ['consultant' as const, 'owner' as const] };
const FUTURE_SLACK = 60_000;

/** The methodology's desk; one frozen before the desk existed has none. */
export function deskOf(ctx: Pick<CommandContext, 'methodology'>, action: string): ReviewDesk {
  const desk = ctx.methodology.reviewDesk;
  if (!desk) throw new BlockedError(action, ['the methodology this engagement was started from has no review desk']);
  return desk;
}

export async function approvalRequired(ctx: Pick<CommandContext, 'em' | 'engagement'>, desk: ReviewDesk): Promise<boolean> {
  const settings = await ctx.em.findOne(DeskSettings, { engagement: ctx.engagement });
  return settings?.approvalRequired ?? desk.approvalByDefault;
}

async function findEntry(ctx: CommandContext, entryId: string): Promise<DeskEntry> {
  const entry = isUuid(entryId) ? await ctx.em.findOne(DeskEntry, { id: entryId, engagement: ctx.engagement }, { populate: ['answeredBy'] }) : null;
  if (!entry) throw new NotFoundError('Desk entry');
  return entry;
}

function move(ctx: CommandContext, entry: DeskEntry, event: DeskEvent, needsApproval: boolean, refusal: string, payload: Raw = {}): void {
  const from = entry.status as DeskStatus;
  const next = nextDeskStatus(from, event, needsApproval);
  if (!next) throw new BlockedError(refusal, [event === 'desk.send' && needsApproval && from !== 'sent' ? 'the answer is not approved yet' : `the entry is ${from.replace('_', ' ')}`]);
  entry.status = next;
  ctx.record(event, { entryId: entry.id, kind: entry.kind, from, to: next, ...payload });
}

function refuseFuture(ctx: CommandContext, field: string, at: Date, problems: FieldProblem[]): void {
  if (at.getTime() > ctx.now.getTime() + FUTURE_SLACK) problems.push({ field, message: 'the moment cannot be in the future' });
}

/** Staff log what a customer wrote, on one of the engagement's channels. */
export async function logEntry(deps: ServiceDeps, actorId: string, engagementId: string, raw: Raw): Promise<DeskEntry> {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    refuseUnlessActive(ctx, 'The entry cannot be logged');
    deskOf(ctx, 'The entry cannot be logged');
    // Every field is judged at once, the checks that need the clock and the channels too, so one refusal names them all.
    const zone = ctx.engagement.timeZone;
    const parsed = logInput(zone).safeParse(raw);
    const problems: FieldProblem[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'input', message: i.message }));
    const has = (field: string) => problems.some((p) => p.field === field);
    const channel = (await readChannels(ctx.em, ctx.engagement, ctx.methodology)).find((c) => c.key === raw.channel);
    if (!channel && !has('channel')) problems.push({ field: 'channel', message: 'choose channels from the accounts register or the client chat' });
    if (raw.kind === 'review' && !String(raw.link ?? '').trim() && !has('link')) problems.push({ field: 'link', message: 'give the address of the review' });
    const receivedAt = localMoment(zone).safeParse(raw.receivedAt);
    if (receivedAt.success) refuseFuture(ctx, 'receivedAt', receivedAt.data, problems);
    if (problems.length || !parsed.success) throw new InvalidInputError(problems);
    const input = parsed.data;
    const entry = ctx.em.create(DeskEntry, {
      engagement: ctx.engagement, kind: input.kind, channel: channel!.key, network: channel!.network, accountAddress: channel!.address, link: input.link,
      receivedAt: input.receivedAt, customerText: input.customerText, sentiment: input.sentiment, status: 'new', answer: '', checkedRules: [], loggedBy: ctx.actor,
    });
    ctx.em.persist(entry);
    ctx.record('desk.log', { entryId: entry.id, kind: entry.kind, channel: entry.channel, sentiment: entry.sentiment, receivedAt: input.receivedAt.toISOString() });
    return entry;
  });
}

/** Writes (or rewords) the answer with the rules ticked; a reworded approved answer needs approval again. */
export async function saveAnswer(deps: ServiceDeps, actorId: string, engagementId: string, entryId: string, raw: Raw): Promise<DeskEntry> {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    refuseUnlessActive(ctx, 'The answer cannot be saved');
    const desk = deskOf(ctx, 'The answer cannot be saved');
    const entry = await findEntry(ctx, entryId);
    const input = parseInput(answerInput, raw);
    const unknown = input.checkedRules.filter((id) => !desk.rules.some((r) => r.id === id));
    if (unknown.length) throw new InvalidInputError([{ field: 'checkedRules', message: 'tick only the rules shown beside the answer' }]);
    const warnings = answerWarnings({ answer: input.answer, sentiment: entry.sentiment as 'positive' | 'negative', kind: entry.kind as DeskKind }, desk.phrases);
    move(ctx, entry, 'desk.draft', await approvalRequired(ctx, desk), 'The answer cannot be saved', { warnings: warnings.map((w) => w.code) });
    Object.assign(entry, { answer: input.answer, checkedRules: [...new Set(input.checkedRules)], answeredBy: ctx.actor });
    return entry;
  });
}

export async function submitAnswer(deps: ServiceDeps, actorId: string, engagementId: string, entryId: string): Promise<DeskEntry> {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    refuseUnlessActive(ctx, 'The answer cannot be sent for approval');
    const desk = deskOf(ctx, 'The answer cannot be sent for approval');
    const entry = await findEntry(ctx, entryId);
    move(ctx, entry, 'desk.submit', await approvalRequired(ctx, desk), 'The answer cannot be sent for approval');
    return entry;
  });
}

/** Whoever approves is not the one who wrote the answer: the approval is a second pair of eyes. */
async function decide(deps: ServiceDeps, actorId: string, engagementId: string, entryId: string, approve: boolean, comment: string): Promise<DeskEntry> {
  const refusal = approve ? 'The answer cannot be approved' : 'Changes to the answer cannot be requested';
  return runCommand(deps, engagementId, actorId, APPROVERS, async (ctx) => {
    if (ctx.participant.role !== 'consultant') ctx.requireOwner('Only the owner, the owner’s delegate or the consultant approves answers');
    refuseUnlessActive(ctx, refusal);
    const desk = deskOf(ctx, refusal);
    const entry = await findEntry(ctx, entryId);
    if (entry.answeredBy?.id === ctx.actor.id) throw new ForbiddenError('An answer is approved by someone other than its writer');
    const text = comment.trim().slice(0, 4000);
    if (!approve && !text) throw new InvalidInputError([{ field: 'comment', message: 'say what should change' }]);
    move(ctx, entry, approve ? 'desk.approve' : 'desk.requestChanges', await approvalRequired(ctx, desk), refusal, { comment: text || null });
    Object.assign(entry, { decisionComment: text || null, decidedBy: ctx.actor, decidedAt: ctx.now });
    return entry;
  });
}

export const approveAnswer = (deps: ServiceDeps, actorId: string, engagementId: string, entryId: string, comment = '') => decide(deps, actorId, engagementId, entryId, true, comment);
export const requestAnswerChanges = (deps: ServiceDeps, actorId: string, engagementId: string, entryId: string, comment: string) => decide(deps, actorId, engagementId, entryId, false, comment ?? '');

/** Marks the answer sent at the moment it went out: after the customer wrote, not ahead of now. */
export async function markSent(deps: ServiceDeps, actorId: string, engagementId: string, entryId: string, raw: Raw): Promise<DeskEntry> {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    refuseUnlessActive(ctx, 'The answer cannot be marked sent');
    const desk = deskOf(ctx, 'The answer cannot be marked sent');
    const entry = await findEntry(ctx, entryId);
    const { sentAt } = parseInput(sendInput(ctx.engagement.timeZone), raw);
    const problems: FieldProblem[] = [];
    if (sentAt.getTime() < entry.receivedAt.getTime()) problems.push({ field: 'sentAt', message: 'the answer cannot go out before the customer wrote' });
    refuseFuture(ctx, 'sentAt', sentAt, problems);
    if (problems.length) throw new InvalidInputError(problems);
    const { verdict, minutes } = judge(normFor(desk, entry.kind as DeskKind), desk.workingDay, { receivedAt: entry.receivedAt, sentAt }, ctx.now, ctx.engagement.timeZone);
    move(ctx, entry, 'desk.send', await approvalRequired(ctx, desk), 'The answer cannot be marked sent', { sentAt: sentAt.toISOString(), minutes, verdict });
    Object.assign(entry, { sentAt, sentBy: ctx.actor });
    return entry;
  });
}

/** Whether answers need approval before they go out, for this engagement. */
export async function setApprovalRequired(deps: ServiceDeps, actorId: string, engagementId: string, raw: Raw): Promise<DeskSettings> {
  return runCommand(deps, engagementId, actorId, APPROVERS, async (ctx) => {
    if (ctx.participant.role !== 'consultant') ctx.requireOwner('Only the owner, the owner’s delegate or the consultant changes the desk’s approval');
    deskOf(ctx, 'The setting cannot be changed');
    const { approvalRequired: wanted } = parseInput(settingsInput, raw);
    let settings = await ctx.em.findOne(DeskSettings, { engagement: ctx.engagement });
    if (!settings) ctx.em.persist((settings = ctx.em.create(DeskSettings, { engagement: ctx.engagement, approvalRequired: wanted })));
    settings.approvalRequired = wanted;
    ctx.record('desk.settings', { approvalRequired: wanted });
    return settings;
  });
}
