// Who takes part in an engagement: the consultant adds the owner and staff; the owner, as project manager, adds and removes staff.
import { z } from 'zod';
import { Participant } from './engagement.entity.ts';
import { Task } from './task.entity.ts';
import { User } from '../users/user.entity.ts';
import { TrainingAssignment, QuizAttempt } from '../training/training.entity.ts';
import { closeStageTrainingTask } from '../training/training.service.ts';
import { runCommand, isUuid, type CommandContext, type ServiceDeps } from './command.ts';
import { parseInput, oneLine } from '../validation.ts';
import { ConflictError, ForbiddenError, InvalidInputError } from '../errors.ts';
import { directions, roles, type Role } from '../methodology/methodology.schema.ts';
import { assignEveryoneModules, syncStudyTask } from '../training/study.service.ts';
import { everyoneModules } from '../training/study.queries.ts';

export const addParticipantInput = z
  .object({
    email: z.string('must be an e-mail address').trim().toLowerCase().max(254, 'use at most 254 characters').email('must be an e-mail address'),
    name: oneLine(200, 'enter the name'),
    role: z.enum(roles, 'must be consultant, owner or staff'),
    direction: z.enum(directions, 'must be sales, production, logistics, analysis or other').optional(),
  })
  .refine((p) => p.role !== 'staff' || p.direction, { path: ['direction'], message: 'a staff member needs a direction' });

export type AddParticipantInput = z.input<typeof addParticipantInput>;

/** Who changes the people: the consultant, and the owner (or their delegate) as the project manager. */
const PEOPLE_MANAGERS: Role[] = ['consultant', 'owner'];

function refuseOnceEnded(ctx: CommandContext): void {
  if (['completed', 'cancelled'].includes(ctx.engagement.state)) {
    throw new ConflictError('The engagement has ended; its people can no longer change');
  }
}

/** Adds a person by e-mail, creating their account (without a password) if they have none. */
export async function addParticipant(deps: ServiceDeps, actorId: string, engagementId: string, raw: AddParticipantInput): Promise<Participant> {
  return runCommand(deps, engagementId, actorId, { roles: PEOPLE_MANAGERS }, async (ctx) => {
    const input = parseInput(addParticipantInput, raw);
    // The owner brings in their own specialists; who advises them and who owns the business is the consultant's to set.
    if (ctx.participant.role !== 'consultant' && input.role !== 'staff') throw new ForbiddenError('Only the consultant adds an owner or a consultant');
    refuseOnceEnded(ctx);
    const user = (await ctx.em.findOne(User, { email: input.email })) ?? ctx.em.create(User, { email: input.email, name: input.name, passwordHash: null });
    if (await ctx.em.findOne(Participant, { engagement: ctx.engagement, user })) {
      throw new ConflictError(`${input.email} already takes part in this engagement`);
    }
    // The methodology's participants are the business's specialists: the staff.
    const staff = await ctx.em.count(Participant, { engagement: ctx.engagement, role: 'staff' });
    if (input.role === 'staff' && staff >= ctx.methodology.participants.max) {
      throw new InvalidInputError([{ field: 'email', message: `the methodology allows at most ${ctx.methodology.participants.max} staff participants` }]);
    }
    const participant = ctx.em.create(Participant, { engagement: ctx.engagement, user, role: input.role, direction: input.direction ?? null, displayName: input.name });
    ctx.record('participant.add', { userId: user.id, email: input.email, role: input.role, direction: input.direction ?? null });
    // Whoever joins during the first stage (paused or not) studies the kit too; before the start, the start gives it.
    const firstStage = ctx.methodology.stages[0]?.id;
    const stage = ctx.engagement.state === 'paused' ? ctx.engagement.snapshot.context.pausedStage : ctx.engagement.state;
    if (everyoneModules(ctx.methodology).length && stage === firstStage) {
      await assignEveryoneModules(ctx, [participant]);
      await syncStudyTask(ctx);
    }
    return participant;
  });
}

export interface Removal {
  name: string;
  /** Open tasks that were theirs and now wait for someone to be assigned. */
  unassignedTasks: number;
  /** Training modules they had not completed, withdrawn with them (completed ones stay on record). */
  withdrawnModules: number;
}

/**
 * Takes a staff member out of the engagement. What they did stays: completed tasks, approvals, their
 * events and completed training remain as they were (pages no longer name them: see participant-names.ts,
 * while this removal's event keeps the name they went by). What was still
 * theirs to do is freed: open tasks lose their assignee, and modules they had not completed are
 * withdrawn, so the stage's training does not wait for someone who has gone. The owner and the
 * consultant are never removed: the engagement cannot run without either.
 */
export async function removeParticipant(deps: ServiceDeps, actorId: string, engagementId: string, userId: string): Promise<Removal> {
  return runCommand(deps, engagementId, actorId, { roles: PEOPLE_MANAGERS }, async (ctx) => {
    const leaving = isUuid(userId) ? await ctx.em.findOne(Participant, { engagement: ctx.engagement, user: userId }) : null;
    if (!leaving) throw new InvalidInputError([{ field: 'userId', message: 'choose a person who takes part in this engagement' }]);
    if (leaving.role === 'owner') throw new ConflictError('The owner cannot be removed from the engagement');
    if (leaving.role === 'consultant') throw new ConflictError('The consultant cannot be removed from the engagement');
    refuseOnceEnded(ctx);
    const open = await ctx.em.find(Task, { engagement: ctx.engagement, assignee: userId, status: 'open' });
    const pending = await ctx.em.find(TrainingAssignment, { engagement: ctx.engagement, user: userId, completedAt: null }, { populate: ['task'] });
    const moduleTasks = new Set(pending.map((a) => a.task.id));
    const freed = open.filter((t) => !moduleTasks.has(t.id));
    for (const task of freed) task.assignee = null;
    for (const assignment of pending) {
      await ctx.em.nativeDelete(QuizAttempt, { assignment });
      ctx.em.remove(assignment);
      // A module task exists for one person's module only; with the module withdrawn it has nothing left to track.
      if (assignment.task.status === 'open') ctx.em.remove(assignment.task);
    }
    ctx.em.remove(leaving);
    ctx.record('participant.remove', {
      userId,
      name: leaving.displayName,
      role: leaving.role,
      wasOwnerDelegate: leaving.actsAsOwner,
      unassignedTasks: freed.map((t) => t.id),
      withdrawnModules: pending.map((a) => a.moduleId),
    });
    // Flushed first, so the stage's remaining modules are read without the withdrawn ones.
    await ctx.em.flush();
    for (const stageId of new Set(pending.map((a) => a.stageId))) {
      if ((await ctx.em.count(TrainingAssignment, { engagement: ctx.engagement, stageId })) > 0) await closeStageTrainingTask(ctx, stageId);
    }
    return { name: leaving.displayName, unassignedTasks: freed.length, withdrawnModules: pending.length };
  });
}
