// Creating an engagement and moving it through its lifecycle: start, advance, pause, resume, cancel, sign-off.
import { z } from 'zod';
import { claimFormKey, noteFormResult } from '../forms/form-submission.ts';
import { Engagement, EngagementEvent, Participant, StageSignoff } from './engagement.entity.ts';
import { Task } from './task.entity.ts';
import { User } from '../users/user.entity.ts';
import { buildEngagementMachine, startSnapshot, addDays, type StageClock } from './engagement.machine.ts';
import { committed, runCommand, type CommandContext, type ServiceDeps } from './command.ts';
import { findGateBlockers, describeBlockers, type Blocker } from './gate.ts';
import { loadGateInput } from './gate.queries.ts';
import { assignEveryoneModules } from '../training/study.service.ts';
import { parseInput, workingDate, WEB_ADDRESS, oneLine, wholeAmount } from '../validation.ts';
import { BlockedError, ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';

const MAX_FEE = 1_000_000_000;

export const createEngagementInput = z.object({
  clientName: oneLine(200, 'enter the client name'),
  // The address becomes a link on the engagement page: only http(s), never javascript: or data:.
  site: z.string('must be a web address such as https://example.com').trim().max(500, 'use at most 500 characters').url({ protocol: WEB_ADDRESS, message: 'must be a web address such as https://example.com' }).optional().or(z.literal('').transform(() => undefined)),
  industry: z.string('must be text').trim().max(200, 'use at most 200 characters').optional(),
  plannedStart: workingDate('must be a date such as 2026-12-01'),
  // fee_amount is an int4 column (at most 2 147 483 647); a billion is already no fee anyone asks.
  // A number from the service API is judged like the same digits typed into the form.
  feeAmount: z.preprocess((value) => (typeof value === 'number' ? String(value) : value), wholeAmount(MAX_FEE)).optional(),
  methodology: z.string('choose one of the methodologies offered').trim().optional(),
});

export type CreateEngagementInput = z.input<typeof createEngagementInput>;

/** A consultant (or firm administrator) creates a draft engagement with every methodology task on its checklist. */
export async function createEngagement(deps: ServiceDeps, actorId: string, raw: CreateEngagementInput): Promise<Engagement> {
  const em = deps.orm.em.fork();
  // Only the firm's people open engagements: an owner or staff member who could would make
  // themselves its consultant and pull other accounts into it. Checked before the input is read.
  const person = await em.findOne(User, actorId);
  if (!person) throw new NotFoundError('User');
  if (!person.firmRole) throw new ForbiddenError('Only consultants and firm administrators create engagements');
  const input = parseInput(createEngagementInput, raw);
  return committed(em.transactional(async (tx) => {
    const actor = await tx.findOneOrFail(User, actorId);
    await claimFormKey(tx, deps.formKey, actor.id, null);
    const frozen = await deps.methodologies.freeze(tx, input.methodology || deps.methodologies.defaultKey());
    const { definition } = await deps.methodologies.frozen(tx, frozen.hash);
    const machine = buildEngagementMachine(definition.stages);
    const snapshot = startSnapshot(machine, definition.stages);
    const engagement = tx.create(Engagement, {
      clientName: input.clientName,
      site: input.site ?? null,
      industry: input.industry || null,
      plannedStart: input.plannedStart,
      feeAmount: input.feeAmount ?? definition.fee.amount,
      feeCurrency: definition.fee.currency,
      methodology: frozen,
      state: snapshot.value,
      snapshot,
      eventSeq: 1,
      createdBy: actor,
    });
    tx.create(Participant, { engagement, user: actor, role: 'consultant', direction: null, displayName: actor.name.slice(0, 200) });
    definition.stages.forEach((stage) =>
      stage.tasks.forEach((def, position) =>
        tx.create(Task, { engagement, key: def.id, stageId: stage.id, position, kind: def.kind, role: def.role, required: def.required, title: null }),
      ),
    );
    tx.create(EngagementEvent, {
      engagement,
      seq: 1,
      actor,
      at: deps.clock(),
      type: 'engagement.create',
      fromState: '',
      toState: snapshot.value,
      payload: { methodology: frozen.key, methodologyHash: frozen.hash, clientName: input.clientName },
    });
    await tx.flush();
    await noteFormResult(tx, deps.formKey, engagement.id);
    return engagement;
  }));
}

/** Starts the first stage now; every stage and task gets its deadline from the plan. */
export async function startEngagement(deps: ServiceDeps, actorId: string, engagementId: string): Promise<void> {
  await runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, async (ctx) => {
    ctx.transition({ type: 'engagement.start', at: ctx.now.toISOString() }, 'The engagement cannot be started');
    await setTaskDeadlines(ctx);
    // The methods kit is studied from the first day: everyone, the owner included, gets its modules.
    await assignEveryoneModules(ctx, await ctx.em.find(Participant, { engagement: ctx.engagement }, { populate: ['user'] }));
  });
}

async function setTaskDeadlines(ctx: CommandContext): Promise<void> {
  const clocks = ctx.engagement.snapshot.context.stages;
  const tasks = await ctx.em.find(Task, { engagement: ctx.engagement, key: { $ne: null } });
  for (const task of tasks) {
    const stageIndex = clocks.findIndex((c) => c.id === task.stageId);
    const clock = clocks[stageIndex];
    const def = ctx.methodology.stages[stageIndex]?.tasks.find((t) => t.id === task.key);
    if (!clock?.deadline || !def) continue;
    const stageStart = plannedStart(clocks, stageIndex);
    task.deadline = new Date(def.dueDay ? addDays(stageStart, def.dueDay) : clock.deadline);
  }
}

/** A stage is planned to start when the one before it is due, or when the engagement started. */
export function plannedStart(clocks: StageClock[], index: number): string {
  const previous = clocks[index - 1];
  return previous?.deadline ?? clocks[index]?.startedAt ?? clocks[0]!.startedAt!;
}

/** The consultant or the owner (the project manager) moves to the next stage; refused with every blocker while the gate is closed. */
export async function advanceStage(
  deps: ServiceDeps,
  actorId: string,
  engagementId: string,
  options: { fromStage?: string; expectedVersion?: number } = {},
): Promise<{ from: string; to: string }> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant', 'owner'], expectedVersion: options.expectedVersion }, async (ctx) => {
    const from = ctx.engagement.state;
    if (options.fromStage && options.fromStage !== from) {
      throw new ConflictError('The engagement has already moved to another stage');
    }
    const blockers = await currentBlockers(ctx);
    if (blockers === null) throw new BlockedError('The engagement cannot advance', [`it is ${describe(from)}`]);
    if (blockers.length > 0) throw new BlockedError('The stage cannot close yet', describeBlockers(blockers), blockers);
    ctx.transition({ type: 'stage.advance', at: ctx.now.toISOString(), blockers: [] }, 'The engagement cannot advance');
    return { from, to: ctx.engagement.state };
  });
}

const describe = (state: string) => (state === 'draft' ? 'still a draft: start it first' : state);

/** Blockers of the current stage, or null when the engagement is not in a stage. */
async function currentBlockers(ctx: CommandContext, options: { ignoreSignoff?: boolean } = {}): Promise<Blocker[] | null> {
  const stage = ctx.methodology.stages.find((s) => s.id === ctx.engagement.state);
  if (!stage) return null;
  const input = await loadGateInput(ctx.em, ctx.engagement, stage, ctx.actor.locale === 'ru' ? 'ru' : 'en', ctx.methodology, ctx.now);
  return findGateBlockers(input, options);
}

/** The owner signs the current stage off once everything else in it is done. */
export async function signStageOff(deps: ServiceDeps, actorId: string, engagementId: string, stageId: string): Promise<void> {
  await runCommand(deps, engagementId, actorId, { roles: ['owner', 'consultant'] }, async (ctx) => {
    ctx.requireOwner('Only the owner may sign a stage off');
    if (ctx.engagement.state !== stageId) {
      throw new BlockedError('The stage cannot be signed off', [`the engagement is ${describe(ctx.engagement.state)}`]);
    }
    const already = await ctx.em.findOne(StageSignoff, { engagement: ctx.engagement, stageId });
    if (already) throw new ConflictError('The stage is already signed off');
    const blockers = (await currentBlockers(ctx, { ignoreSignoff: true })) ?? [];
    if (blockers.length > 0) throw new BlockedError('The stage cannot be signed off yet', describeBlockers(blockers), blockers);
    ctx.em.create(StageSignoff, { engagement: ctx.engagement, stageId, signedBy: ctx.actor, signedAt: ctx.now });
    const task = await ctx.em.findOne(Task, { engagement: ctx.engagement, stageId, kind: 'signoff' });
    if (task) Object.assign(task, { status: 'done', completedAt: ctx.now, completedBy: ctx.actor });
    ctx.record('stage.signoff', { stageId });
  });
}

export async function pauseEngagement(deps: ServiceDeps, actorId: string, engagementId: string, reason?: string): Promise<void> {
  await runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, (ctx) => {
    ctx.transition({ type: 'engagement.pause', at: ctx.now.toISOString() }, 'The engagement cannot be paused');
    if (reason) ctx.record('engagement.note', { reason });
  });
}

/** Back to the paused stage; stage deadlines and open task deadlines move by the pause's length. */
export async function resumeEngagement(deps: ServiceDeps, actorId: string, engagementId: string): Promise<void> {
  await runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, async (ctx) => {
    const pausedAt = ctx.engagement.snapshot.context.pausedAt;
    ctx.transition({ type: 'engagement.resume', at: ctx.now.toISOString() }, 'The engagement cannot be resumed');
    const pausedMs = ctx.now.getTime() - Date.parse(pausedAt ?? ctx.now.toISOString());
    const open = await ctx.em.find(Task, { engagement: ctx.engagement, status: 'open', deadline: { $ne: null } });
    for (const task of open) task.deadline = new Date(task.deadline!.getTime() + pausedMs);
  });
}

export async function cancelEngagement(deps: ServiceDeps, actorId: string, engagementId: string, reason?: string): Promise<void> {
  await runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, (ctx) => {
    ctx.transition({ type: 'engagement.cancel', at: ctx.now.toISOString() }, 'The engagement cannot be cancelled');
    if (reason) ctx.record('engagement.note', { reason });
  });
}

