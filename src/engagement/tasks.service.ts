// The checklist: the consultant or the owner assigns tasks and moves their deadlines; the assignee (or the consultant) completes them.
import { z } from 'zod';
import { Participant } from './engagement.entity.ts';
import { Task } from './task.entity.ts';
import { TrainingAssignment } from '../training/training.entity.ts';
import { runCommand, isUuid, type CommandContext, type ServiceDeps } from './command.ts';
import { planWindow } from './engagement.machine.ts';
import { reviewedInCurrentStage } from './correction-task.ts';
import { findGateBlockers, describeBlockers } from './gate.ts';
import { documentationRuleOf } from './documentation-review.ts';
import { parseInput, workingDayOrMoment } from '../validation.ts';
import { BlockedError, ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { Role } from '../methodology/methodology.schema.ts';

export const assignTaskInput = z.object({
  assigneeId: z.string('choose a participant').uuid('choose a participant'),
  deadline: workingDayOrMoment('must be a date').optional(),
});

export async function findTask(ctx: CommandContext, taskId: string): Promise<Task> {
  const task = isUuid(taskId) ? await ctx.em.findOne(Task, { id: taskId, engagement: ctx.engagement }) : null;
  if (!task) throw new NotFoundError('Task');
  // An upgrade to a newer methodology version archived it: kept for the record, no longer work to do.
  if (task.status === 'archived') throw new ConflictError('This task was removed by a methodology upgrade and is archived: it can no longer be assigned or done');
  return task;
}

export const DEADLINE_OUTSIDE_PLAN = "the deadline must fall inside the engagement's plan: from its start to the end of its last stage";

/** Who may carry a task, by the role the methodology gives it. */
export const WRONG_ROLE: Record<string, string> = {
  consultant: 'this task is for the consultant',
  owner: 'this task is for the owner',
  staff: 'this task is for a staff member',
};

const ACTIVE = (state: string, stages: string[]) => state === 'draft' || stages.includes(state);

/** Who hands out tasks and sets their deadlines: the consultant, and the owner as the project manager (seed 002). */
export const ASSIGNERS = ['consultant', 'owner'] as const satisfies readonly Role[];

export async function assignTask(deps: ServiceDeps, actorId: string, engagementId: string, taskId: string, raw: z.input<typeof assignTaskInput>): Promise<Task> {
  return runCommand(deps, engagementId, actorId, { roles: [...ASSIGNERS] }, async (ctx) => {
    const input = parseInput(assignTaskInput, raw);
    const task = await findTask(ctx, taskId);
    const assignee = await findAssignee(ctx, input.assigneeId);
    refuseUnlessAssignable(ctx);
    assignWithinRules(ctx, task, assignee, input.deadline);
    return task;
  });
}

/** The person a task goes to: a participant of this engagement, or a refusal naming the field. */
export async function findAssignee(ctx: CommandContext, userId: string): Promise<Participant> {
  const assignee = await ctx.em.findOne(Participant, { engagement: ctx.engagement, user: userId }, { populate: ['user'] });
  if (!assignee) throw new InvalidInputError([{ field: 'assigneeId', message: 'the assignee must take part in this engagement' }]);
  return assignee;
}

/** Tasks are handed out while the engagement is a draft or in a stage, not paused or ended. */
export function refuseUnlessAssignable(ctx: CommandContext): void {
  if (!ACTIVE(ctx.engagement.state, ctx.methodology.stages.map((s) => s.id))) {
    throw new BlockedError('The task cannot be assigned', [`the engagement is ${ctx.engagement.state}`]);
  }
}

/**
 * The rules every assignment obeys, one task at a time (the methodology's role, a deadline inside the
 * plan), then the change and its event. Runs inside the caller's command, so a refusal undoes the lot.
 */
export function assignWithinRules(ctx: CommandContext, task: Task, assignee: Participant, deadline: string | undefined): void {
  if (assignee.role !== task.role) throw new InvalidInputError([{ field: 'assigneeId', message: WRONG_ROLE[task.role] ?? WRONG_ROLE.staff! }]);
  if (deadline) {
    const { first, last } = planWindow(ctx.engagement.plannedStart, ctx.engagement.snapshot.context);
    const day = deadline.slice(0, 10); // the day as the person wrote it, in their own time zone
    if (day < first || day > last) throw new InvalidInputError([{ field: 'deadline', message: DEADLINE_OUTSIDE_PLAN }]);
  }
  task.assignee = assignee.user;
  if (deadline) task.deadline = new Date(deadline.length === 10 ? `${deadline}T23:59:59Z` : deadline);
  // An added task has no methodology key: its own title goes with the event, for the notification.
  ctx.record('task.assign', { taskId: task.id, key: task.key, ...(task.title ? { title: task.title } : {}), assigneeId: assignee.user.id, deadline: task.deadline?.toISOString() ?? null });
}

/** Document and sign-off tasks complete by themselves, when the document is approved or the owner signs. */
export async function completeTask(deps: ServiceDeps, actorId: string, engagementId: string, taskId: string, note?: string): Promise<Task> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant', 'owner', 'staff'] }, async (ctx) => {
    const task = await findTask(ctx, taskId);
    const isAssignee = task.assignee?.id === ctx.actor.id;
    if (ctx.participant.role !== 'consultant' && !isAssignee) throw new ForbiddenError('Only the assignee or the consultant may complete this task');
    if (task.kind === 'document') throw new BlockedError('This task completes when its document is approved', []);
    if (task.kind === 'signoff') throw new BlockedError('This task completes when the owner signs the stage off', []);
    if (task.key?.startsWith('training:')) throw new BlockedError('This task completes when its module is completed', []);
    const def = ctx.methodology.stages.flatMap((s) => s.tasks).find((t) => t.id === task.key);
    // With modules assigned, the stage's training task follows them; with none, the consultant closes it by hand.
    if (def?.completion === 'study-sessions') {
      throw new BlockedError('This task completes when every participant has completed the methods kit module and has a recorded one-to-one session', []);
    }
    if (def?.completion === 'training-modules' && (await ctx.em.count(TrainingAssignment, { engagement: ctx.engagement, stageId: task.stageId })) > 0) {
      throw new BlockedError('This task completes when every training module assigned in its stage is completed', []);
    }
    if (task.status === 'done') throw new ConflictError('The task is already done');
    await refuseWhileDocumentsUnsettled(ctx, task);
    const stages = ctx.methodology.stages.map((s) => s.id);
    const current = stages.indexOf(ctx.engagement.state);
    if (current < 0) throw new BlockedError('The task cannot be completed', [`the engagement is ${ctx.engagement.state}`]);
    if (stages.indexOf(task.stageId) > current) throw new BlockedError('The task cannot be completed', [`its stage, ${task.stageId}, has not started`]);
    Object.assign(task, { status: 'done', completedAt: ctx.now, completedBy: ctx.actor, note: note?.trim() || null });
    ctx.record('task.complete', { taskId: task.id, key: task.key, note: task.note });
    return task;
  });
}

/**
 * The task that corrects the documentation closes by itself once every document is settled; while
 * some are not, completing it by hand is refused with their names. With none to review it is closed by hand.
 */
async function refuseWhileDocumentsUnsettled(ctx: CommandContext, task: Task): Promise<void> {
  const stage = ctx.methodology.stages.find((s) => s.id === task.stageId);
  if (documentationRuleOf(stage)?.task !== task.key || ctx.engagement.state !== task.stageId) return;
  const review = await reviewedInCurrentStage(ctx);
  if (!review?.documents.length) return;
  const language = ctx.actor.locale === 'ru' ? 'ru' : 'en';
  const gate = findGateBlockers({ stage: stage!, tasks: [], documents: [], signedOff: true, language, rules: { networks: [], documentTypes: ctx.methodology.documentTypes, approvedContent: {}, reviewed: review.documents } });
  const left = gate.filter((b) => b.kind === 'correction');
  if (!left.length) return;
  throw new BlockedError('This task completes when every project document is confirmed or approved again', describeBlockers(left), left);
}
