// "Review needed": raised when an upstream document is approved in a new version, settled by the owner or by a new approval.
import { ProjectDocument } from './document.entity.ts';
import { ReviewFlag, UNSETTLED } from './review-flag.entity.ts';
import { dependentsOf } from '../methodology/document-dependencies.ts';
import { runCommand, isUuid, type CommandContext, type ServiceDeps } from '../engagement/command.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';

/**
 * Inside the approval of `upstream` in a new version: each document built on it that has an approved
 * version is flagged, or its unsettled flag moves to the newest upstream version. One event per flag,
 * naming the downstream version and both upstream versions.
 */
export async function raiseReviewFlags(ctx: CommandContext, upstream: ProjectDocument, fromHash: string, toHash: string): Promise<ReviewFlag[]> {
  const types = dependentsOf(ctx.methodology.documentTypes, upstream.typeId);
  if (!types.length) return [];
  const downstream = await ctx.em.find(ProjectDocument, { engagement: ctx.engagement, typeId: { $in: types }, approvedHash: { $ne: null } });
  const flags: ReviewFlag[] = [];
  for (const document of downstream) {
    const existing = await ctx.em.findOne(ReviewFlag, { document, upstream, status: { $in: UNSETTLED } });
    const flag = existing ?? ctx.em.create(ReviewFlag, { engagement: ctx.engagement, document, documentHash: document.approvedHash!, upstream, upstreamFromHash: fromHash, upstreamToHash: toHash, status: 'open', raisedAt: ctx.now, resolvedAt: null, resolvedBy: null, comment: null });
    flag.upstreamToHash = toHash;
    flags.push(flag);
    ctx.record('document.reviewNeeded', {
      flagId: flag.id,
      documentId: document.id,
      typeId: document.typeId,
      contentHash: flag.documentHash,
      upstreamDocumentId: upstream.id,
      upstreamTypeId: upstream.typeId,
      upstreamFromHash: flag.upstreamFromHash,
      upstreamToHash: toHash,
    });
  }
  return flags;
}

/** Inside the approval of a new version of `document`: its unsettled flags are settled by that approval. */
export async function supersedeReviewFlags(ctx: CommandContext, document: ProjectDocument): Promise<void> {
  const flags = await ctx.em.find(ReviewFlag, { document, status: { $in: UNSETTLED }, documentHash: { $ne: document.approvedHash! } });
  for (const flag of flags) Object.assign(flag, { status: 'superseded', resolvedAt: ctx.now, resolvedBy: ctx.actor });
}

async function unsettledFlag(ctx: CommandContext, flagId: string): Promise<ReviewFlag> {
  const flag = isUuid(flagId) ? await ctx.em.findOne(ReviewFlag, { id: flagId, engagement: ctx.engagement }, { populate: ['document', 'upstream'] }) : null;
  if (!flag) throw new NotFoundError('Review');
  if (!UNSETTLED.includes(flag.status as never)) throw new ConflictError('This review is already settled');
  return flag;
}

export interface ReviewDecision {
  flagId: string;
  documentId: string;
  typeId: string;
  upstreamTypeId: string;
}

const decisionOf = (flag: ReviewFlag): ReviewDecision => ({ flagId: flag.id, documentId: flag.document.id, typeId: flag.document.typeId, upstreamTypeId: flag.upstream.typeId });

/**
 * The owner (or the delegate) says the downstream document still holds on the new upstream version.
 * Both hashes come from the page the owner read: a newer upstream approval since then is refused.
 */
export async function confirmStillHolds(deps: ServiceDeps, actorId: string, engagementId: string, flagId: string, seen: { documentHash: string; upstreamHash: string }): Promise<ReviewDecision> {
  return runCommand(deps, engagementId, actorId, { roles: ['owner', 'consultant', 'staff'] }, async (ctx) => {
    ctx.requireOwner('Only the owner confirms that a document still holds');
    const flag = await unsettledFlag(ctx, flagId);
    if (flag.status !== 'open') throw new ConflictError('Changes were asked for this document, so its new version settles the review');
    if (seen.documentHash !== flag.documentHash || seen.upstreamHash !== flag.upstreamToHash) {
      throw new ConflictError('The documents changed since you opened this review; read it again');
    }
    Object.assign(flag, { status: 'confirmed', resolvedAt: ctx.now, resolvedBy: ctx.actor });
    ctx.record('document.reviewConfirm', {
      flagId: flag.id,
      documentId: flag.document.id,
      typeId: flag.document.typeId,
      contentHash: flag.documentHash,
      upstreamDocumentId: flag.upstream.id,
      upstreamTypeId: flag.upstream.typeId,
      upstreamHash: flag.upstreamToHash,
    });
    return decisionOf(flag);
  });
}

/** The owner says the downstream document must change: the flag holds until a new version of it is approved. */
export async function requestReviewChanges(deps: ServiceDeps, actorId: string, engagementId: string, flagId: string, comment: string): Promise<ReviewDecision> {
  return runCommand(deps, engagementId, actorId, { roles: ['owner', 'consultant', 'staff'] }, async (ctx) => {
    ctx.requireOwner('Only the owner asks for changes after a review');
    const flag = await unsettledFlag(ctx, flagId);
    if (!comment?.trim()) throw new InvalidInputError([{ field: 'comment', message: 'say what should change' }]);
    if (flag.status === 'changesRequested') throw new ConflictError('Changes are already asked for this document');
    Object.assign(flag, { status: 'changesRequested', comment: comment.trim() });
    ctx.record('document.reviewRequestChanges', {
      flagId: flag.id,
      documentId: flag.document.id,
      typeId: flag.document.typeId,
      contentHash: flag.documentHash,
      upstreamTypeId: flag.upstream.typeId,
      upstreamHash: flag.upstreamToHash,
      comment: flag.comment,
    });
    return decisionOf(flag);
  });
}
