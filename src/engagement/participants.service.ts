// Who takes part in an engagement: the consultant adds the owner (or their delegate) and staff.
import { z } from 'zod';
import { Participant } from './engagement.entity.ts';
import { User } from '../users/user.entity.ts';
import { runCommand, type ServiceDeps } from './command.ts';
import { parseInput, oneLine } from '../validation.ts';
import { ConflictError, InvalidInputError } from '../errors.ts';
import { directions, roles } from '../methodology/methodology.schema.ts';
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

/** Adds a person by e-mail, creating their account (without a password) if they have none. */
export async function addParticipant(deps: ServiceDeps, actorId: string, engagementId: string, raw: AddParticipantInput): Promise<Participant> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, async (ctx) => {
    const input = parseInput(addParticipantInput, raw);
    if (['completed', 'cancelled'].includes(ctx.engagement.state)) {
      throw new ConflictError('The engagement has ended; its people can no longer change');
    }
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
