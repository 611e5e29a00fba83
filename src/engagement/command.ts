// Runs one command on one engagement: lock, authorize, change, and append the event, in one transaction.
// Input is validated inside the body, after authorization, so outsiders learn nothing from error messages.
import { LockMode, type EntityManager } from '@mikro-orm/core';
import type { Orm } from '../db/orm.ts';
import type { MethodologyRegistry } from '../methodology/methodology.registry.ts';
import type { Methodology, Role } from '../methodology/methodology.schema.ts';
import { Engagement, EngagementEvent, Participant } from './engagement.entity.ts';
import { applyEvent, type EngagementEvent as MachineEvent, type EngagementMachine } from './engagement.machine.ts';
import { User } from '../users/user.entity.ts';
import { noteLocalChange } from '../cache/change-feed.ts';
import { ConflictError, ForbiddenError, NotFoundError, BlockedError } from '../errors.ts';
import { claimFormKey } from '../forms/form-submission.ts';

export interface ServiceDeps {
  orm: Orm;
  methodologies: MethodologyRegistry;
  /** A clock the tests can set, so deadline rules are tested honestly. */
  clock: () => Date;
  /** The key of the form that asked for this command: a second command with it does nothing (src/forms). */
  formKey?: string;
}

export interface CommandContext {
  em: EntityManager;
  engagement: Engagement;
  methodology: Methodology;
  machine: EngagementMachine;
  actor: User;
  participant: Participant;
  /** The owner, or the delegate the owner named: the person who approves, signs off and runs the project. */
  actsAsOwner: boolean;
  /** Refuses anyone who does not act as owner; a delegate who passes is marked in the events they cause. */
  requireOwner(refusal: string): void;
  now: Date;
  /** Appends an event to the log; the state before and after are read from the engagement. */
  record(type: string, payload?: Record<string, unknown>, fromState?: string): void;
  /** Sends a lifecycle event to the machine, refusing it with a clear reason when the state forbids it. */
  transition(event: MachineEvent, refusal: string): void;
}

export interface CommandOptions {
  roles: Role[];
  /** The version the person saw; a different one means someone changed the engagement meanwhile. */
  expectedVersion?: number;
}

export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export async function runCommand<T>(
  deps: ServiceDeps,
  engagementId: string,
  actorId: string,
  options: CommandOptions,
  body: (ctx: CommandContext) => Promise<T> | T,
): Promise<T> {
  if (!isUuid(engagementId)) throw new NotFoundError('Engagement');
  const em = deps.orm.em.fork();
  return inTurn(deps.orm, engagementId, () => committed(em.transactional(async (tx) => {
    // The row lock serialises every command on this engagement: none reads a state another is changing.
    // The methodology is not joined: its definition comes from the registry's cache by hash.
    const engagement = await tx.findOne(Engagement, engagementId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!engagement) throw new NotFoundError('Engagement');
    const { actor, participant, actsAsOwner, isDelegateActing } = await authorize(tx, engagement, actorId, options.roles);
    await claimFormKey(tx, deps.formKey, actor.id, engagement.id);
    if (options.expectedVersion !== undefined && options.expectedVersion !== engagement.version) {
      throw new ConflictError('Someone changed this engagement since you opened it; reload and try again');
    }
    // From the registry's cache: the row's definition is never loaded, so flush has nothing big to compare.
    const { definition: methodology } = await deps.methodologies.frozen(tx, engagement.methodology.hash);
    const machine = deps.methodologies.machineFor(engagement.methodology.hash, methodology);
    const now = deps.clock();
    // Set when the delegate uses the owner's powers: every event they then cause says so.
    let asOwnerDelegate = isDelegateActing;
    const ctx: CommandContext = {
      em: tx,
      engagement,
      methodology,
      machine,
      actor,
      participant,
      actsAsOwner,
      requireOwner(refusal) {
        if (!actsAsOwner) throw new ForbiddenError(refusal);
        if (participant.role !== 'owner') asOwnerDelegate = true;
      },
      now,
      record(type, payload = {}, fromState = engagement.state) {
        engagement.eventSeq += 1;
        tx.persist(
          tx.create(EngagementEvent, {
            engagement,
            seq: engagement.eventSeq,
            actor,
            at: now,
            type,
            fromState,
            toState: engagement.state,
            payload: asOwnerDelegate ? { ...payload, asOwnerDelegate: true } : payload,
          }),
        );
      },
      transition(event, refusal) {
        const from = engagement.state;
        const { next, changed } = applyEvent(machine, engagement.snapshot, event);
        if (!changed) throw new BlockedError(refusal, [`the engagement is ${describeState(from)}`]);
        engagement.snapshot = next;
        engagement.state = next.value;
        ctx.record(event.type, { machineEvent: event }, from);
      },
    };
    const result = await body(ctx);
    await tx.flush();
    return result;
  })));
}

/** Once the transaction has ended (committed or not), what this process has cached may be outdated. */
export async function committed<T>(transaction: Promise<T>): Promise<T> {
  try {
    return await transaction;
  } finally {
    noteLocalChange();
  }
}

/** Per connection pool (one per web process), the tail of each engagement's queue of commands. */
const queues = new WeakMap<Orm, Map<string, Promise<unknown>>>();

/**
 * Commands on one engagement from this process wait here, in memory, for the one before them. The
 * row lock alone would serialise them too, but each waiter would hold a pooled connection while it
 * waits: a burst on one engagement would fill the pool, and requests for other engagements (or the
 * burst's own tail) would time out waiting for a connection. The row lock still serialises this
 * process against the others on the same database.
 */
function inTurn<T>(orm: Orm, engagementId: string, work: () => Promise<T>): Promise<T> {
  let byEngagement = queues.get(orm);
  if (!byEngagement) queues.set(orm, (byEngagement = new Map()));
  const mine = (byEngagement.get(engagementId) ?? Promise.resolve()).then(work);
  const tail = mine.catch(() => {});
  byEngagement.set(engagementId, tail);
  void tail.then(() => {
    if (byEngagement.get(engagementId) === tail) byEngagement.delete(engagementId);
  });
  return mine;
}

export interface Authorized {
  actor: User;
  participant: Participant;
  /** The owner, or the owner's delegate. */
  actsAsOwner: boolean;
  /** Let in only because the owner named them: their own role would not have been. */
  isDelegateActing: boolean;
}

/**
 * Another engagement's resources answer "not found"; a member without the role is refused. The
 * owner's delegate holds the owner's role beside their own, so wherever the owner is let in, so are they.
 */
export async function authorize(em: EntityManager, engagement: Engagement, actorId: string, roles: Role[]): Promise<Authorized> {
  // One query: no participant row means either no such person or not a member, and both answer the same.
  const participant = isUuid(actorId) ? await em.findOne(Participant, { engagement, user: actorId }, { populate: ['user'] }) : null;
  if (!participant) throw new NotFoundError('Engagement');
  const actor = participant.user;
  const isDelegate = participant.actsAsOwner && participant.role !== 'owner';
  const byOwnRole = roles.includes(participant.role as Role);
  const isDelegateActing = !byOwnRole && isDelegate && roles.includes('owner');
  if (!byOwnRole && !isDelegateActing) throw new ForbiddenError(`Only ${roles.join(' or ')} may do this`);
  return { actor, participant, actsAsOwner: participant.role === 'owner' || isDelegate, isDelegateActing };
}

export function describeState(state: string): string {
  return state === 'draft' ? 'still a draft' : state === 'paused' ? 'paused' : state === 'completed' ? 'completed' : state === 'cancelled' ? 'cancelled' : `in the ${state} stage`;
}
