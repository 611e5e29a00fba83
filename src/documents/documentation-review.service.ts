// The owner confirms that a project document's latest approved version needs no changes, in the stage that corrects the documentation.
import { ProjectDocument } from './document.entity.ts';
import { runCommand, isUuid, type ServiceDeps } from '../engagement/command.ts';
import { reviewedInCurrentStage, syncCorrectionTask } from '../engagement/correction-task.ts';
import { correctionStageOf, reviewStateOf } from '../engagement/documentation-review.ts';
import type { LocalizedText } from '../methodology/methodology.schema.ts';
import { BlockedError, ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';

export interface Confirmation {
  documentId: string;
  typeId: string;
  version: number;
  contentHash: string;
  /** The document type's title in each language, for the notice. */
  title: LocalizedText;
}

/**
 * Names the version by its hash, as an approval does, so the owner confirms exactly what they read.
 * Recorded as a `document.confirm` event: the document itself does not change.
 */
export async function confirmDocumentUnchanged(deps: ServiceDeps, actorId: string, engagementId: string, documentId: string, versionHash: string): Promise<Confirmation> {
  return runCommand(deps, engagementId, actorId, { roles: ['owner', 'consultant', 'staff'] }, async (ctx) => {
    if (!ctx.actsAsOwner) throw new ForbiddenError('Only the owner confirms project documents');
    const document = isUuid(documentId) ? await ctx.em.findOne(ProjectDocument, { id: documentId, engagement: ctx.engagement }) : null;
    if (!document) throw new NotFoundError('Document');
    const review = await reviewedInCurrentStage(ctx);
    if (!review) {
      const reason = correctionStageOf(ctx.methodology) ? 'documents are confirmed only during the stage that corrects the documentation' : "this engagement's methodology has no correction of the documentation";
      throw new BlockedError('The document cannot be confirmed', [reason]);
    }
    const reviewed = review.documents.find((d) => d.documentId === document.id);
    if (!reviewed) throw new InvalidInputError([{ field: 'documentId', message: 'this document is not among the project documents to correct' }]);
    if (versionHash !== document.latestHash) {
      throw new ConflictError(`The version you confirmed is not the latest version of this document (version ${document.latestVersion}); read the latest one first`);
    }
    const state = reviewStateOf(reviewed);
    if (state === 'inProgress') throw new BlockedError('The document cannot be confirmed', [`its version ${document.latestVersion} is not approved: approve it instead`]);
    if (state === 'confirmed') throw new ConflictError(`Version ${document.latestVersion} is already confirmed`);
    if (state === 'approvedAnew') throw new ConflictError(`Version ${document.latestVersion} is already approved in this stage`);
    const confirmation = { documentId: document.id, typeId: document.typeId, version: document.latestVersion, contentHash: versionHash };
    ctx.record('document.confirm', { ...confirmation, stageId: ctx.engagement.state });
    await syncCorrectionTask(ctx);
    const title = ctx.methodology.documentTypes.find((d) => d.id === document.typeId)?.title ?? { en: document.typeId, ru: document.typeId };
    return { ...confirmation, title };
  });
}
