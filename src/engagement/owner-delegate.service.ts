// The owner's delegate (seed 002: the owner "or a person they authorise"): one staff member the owner
// names to act as owner in this engagement, until the owner withdraws it. Only the owner names or withdraws.
import { z } from 'zod';
import { Participant } from './engagement.entity.ts';
import { runCommand, type CommandContext, type ServiceDeps } from './command.ts';
import { parseInput } from '../validation.ts';
import { ConflictError, ForbiddenError, InvalidInputError } from '../errors.ts';

export const nameDelegateInput = z.object({
  userId: z.string('choose a staff member of this engagement').uuid('choose a staff member of this engagement'),
});

/** The delegate acts as owner, but does not pass the authority on: naming is the owner's own. */
function requireTheOwner(ctx: CommandContext): void {
  if (ctx.participant.role !== 'owner') throw new ForbiddenError('Only the owner names or withdraws a delegate');
  if (['completed', 'cancelled'].includes(ctx.engagement.state)) throw new ConflictError('The engagement has ended; its people can no longer change');
}

async function currentDelegate(ctx: CommandContext): Promise<Participant | null> {
  return ctx.em.findOne(Participant, { engagement: ctx.engagement, actsAsOwner: true });
}

/** Names a staff member (active, or invited and not yet signed in) as the delegate; one named before is replaced. */
export async function nameOwnerDelegate(deps: ServiceDeps, actorId: string, engagementId: string, raw: z.input<typeof nameDelegateInput>): Promise<Participant> {
  return runCommand(deps, engagementId, actorId, { roles: ['owner'] }, async (ctx) => {
    requireTheOwner(ctx);
    const input = parseInput(nameDelegateInput, raw);
    const chosen = await ctx.em.findOne(Participant, { engagement: ctx.engagement, user: input.userId, role: 'staff' });
    if (!chosen) throw new InvalidInputError([{ field: 'userId', message: 'choose a staff member of this engagement' }]);
    const previous = await currentDelegate(ctx);
    if (previous?.id === chosen.id) throw new ConflictError('This staff member already acts for the owner');
    if (previous) {
      previous.actsAsOwner = false;
      // The unique index allows one delegate: the old one steps down before the new one steps in.
      await ctx.em.flush();
    }
    chosen.actsAsOwner = true;
    ctx.record('delegate.name', { userId: input.userId, name: chosen.displayName, replacedUserId: previous?.user.id ?? null });
    return chosen;
  });
}

/** Ends the delegation: from the next request on, the former delegate is a staff member like any other. */
export async function withdrawOwnerDelegate(deps: ServiceDeps, actorId: string, engagementId: string): Promise<void> {
  await runCommand(deps, engagementId, actorId, { roles: ['owner'] }, async (ctx) => {
    requireTheOwner(ctx);
    const delegate = await currentDelegate(ctx);
    if (!delegate) throw new ConflictError('No one acts for the owner in this engagement');
    delegate.actsAsOwner = false;
    ctx.record('delegate.withdraw', { userId: delegate.user.id, name: delegate.displayName });
  });
}
