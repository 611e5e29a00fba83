// Reads the "review needed" flags: the unsettled ones of any number of engagements in one query, and one review's page.
import type { EntityManager } from '@mikro-orm/core';
import { ReviewFlag, UNSETTLED } from './review-flag.entity.ts';
import type { UnsettledFlag } from './review-flags.ts';
import { ProjectDocument, DocumentVersion } from './document.entity.ts';
import { Engagement } from '../engagement/engagement.entity.ts';
import { isUuid, type ServiceDeps } from '../engagement/command.ts';
import { requireViewer } from '../engagement/engagement-access.ts';
import { participantNames } from '../engagement/participant-names.ts';
import { documentSections } from './document-view.ts';
import { markChanges, type MarkedSection } from './review-marks.ts';
import { NotFoundError } from '../errors.ts';

export async function loadUnsettledFlags(em: EntityManager, engagementIds: string[]): Promise<Map<string, UnsettledFlag[]>> {
  const byEngagement = new Map<string, UnsettledFlag[]>(engagementIds.map((id) => [id, []]));
  if (!engagementIds.length) return byEngagement;
  const flags = await em.find(ReviewFlag, { engagement: { $in: engagementIds }, status: { $in: UNSETTLED } }, { populate: ['document', 'upstream'], orderBy: { raisedAt: 'asc' } });
  for (const f of flags) {
    byEngagement.get(f.engagement.id)?.push({
      flagId: f.id,
      documentId: f.document.id,
      typeId: f.document.typeId,
      stageId: f.document.stageId,
      upstreamTypeId: f.upstream.typeId,
      status: f.status as UnsettledFlag['status'],
    });
  }
  return byEngagement;
}

/** One review as its page shows it: the document to review, what changed upstream, and who settled it. */
export interface ReviewPage {
  engagementId: string;
  clientName: string;
  flagId: string;
  status: ReviewFlag['status'];
  document: { id: string; title: string; version: number; hash: string };
  upstream: { id: string; title: string; fromVersion: number; toVersion: number; fromHash: string; toHash: string };
  /** The upstream's newer approved version marked against the one the document was approved on. */
  changes: MarkedSection[];
  raisedAt: Date;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  comment: string | null;
  /** The owner or the delegate, while the review is open. */
  canDecide: boolean;
  /** A firm administrator who takes no part (engagement-access.ts). */
  readOnly: boolean;
}

/** Participants of the engagement only: anyone else, and any other engagement's flag, meets "not found". */
export async function getReviewPage(deps: ServiceDeps, actorId: string, engagementId: string, flagId: string, language: 'en' | 'ru'): Promise<ReviewPage> {
  if (!isUuid(engagementId) || !isUuid(flagId)) throw new NotFoundError('Review');
  const em = deps.orm.em.fork();
  const engagement = await em.findOne(Engagement, engagementId);
  if (!engagement) throw new NotFoundError('Review');
  const { actsAsOwner, readOnly } = await requireViewer(em, engagement.id, actorId);
  const flag = await em.findOne(ReviewFlag, { id: flagId, engagement }, { populate: ['document', 'upstream'] });
  if (!flag) throw new NotFoundError('Review');
  const versions = await em.find(DocumentVersion, { $or: [
    { document: flag.upstream, contentHash: { $in: [flag.upstreamFromHash, flag.upstreamToHash] } },
    { document: flag.document, contentHash: flag.documentHash },
  ] }, { orderBy: { number: 'desc' } });
  // An approval names a hash; a content that came back after a change has several versions: the newest is read.
  const versionOf = (document: ProjectDocument, hash: string) => versions.find((v) => v.document.id === document.id && v.contentHash === hash);
  const [from, to, mine] = [versionOf(flag.upstream, flag.upstreamFromHash), versionOf(flag.upstream, flag.upstreamToHash), versionOf(flag.document, flag.documentHash)];
  const { definition: methodology } = await deps.methodologies.frozen(em, engagement.methodology.hash);
  const typeOf = (typeId: string) => methodology.documentTypes.find((d) => d.id === typeId);
  const upstreamType = typeOf(flag.upstream.typeId);
  const modules = methodology.trainingModules.map((m) => ({ id: m.id, title: m.title }));
  const sectionsOf = (content: Record<string, unknown> | undefined) => (upstreamType && content ? documentSections(upstreamType, content, language, modules) : []);
  const nameOf = await participantNames(em, engagementId);
  return {
    engagementId,
    clientName: engagement.clientName,
    flagId: flag.id,
    status: flag.status,
    document: { id: flag.document.id, title: typeOf(flag.document.typeId)?.title[language] ?? flag.document.typeId, version: mine?.number ?? 0, hash: flag.documentHash },
    upstream: { id: flag.upstream.id, title: upstreamType?.title[language] ?? flag.upstream.typeId, fromVersion: from?.number ?? 0, toVersion: to?.number ?? 0, fromHash: flag.upstreamFromHash, toHash: flag.upstreamToHash },
    changes: markChanges(sectionsOf(from?.content), sectionsOf(to?.content)),
    raisedAt: flag.raisedAt,
    resolvedBy: nameOf(flag.resolvedBy),
    resolvedAt: flag.resolvedAt ?? null,
    comment: flag.comment ?? null,
    canDecide: actsAsOwner && flag.status === 'open',
    readOnly,
  };
}
