// Read side for document pages: one version, what changed since the one before, and the approval history.
import { namesOf, participantNames } from '../engagement/participant-names.ts';
import { readDocumentPageRows } from './document-page.queries.ts';
import { ProjectDocument, Approval } from './document.entity.ts';
import { Participant } from '../engagement/engagement.entity.ts';
import { isUuid, type ServiceDeps } from '../engagement/command.ts';
import { documentTitle } from '../engagement/overview.ts';
import { documentSections, type Section } from './document-view.ts';
import { markChanges, type MarkedSection } from './review-marks.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { Role } from '../methodology/methodology.schema.ts';

export interface DocumentPage {
  engagementId: string;
  clientName: string;
  role: Role;
  /** The owner, or the staff member the owner named to act for them: who may approve. */
  actsAsOwner: boolean;
  /** A firm administrator who takes no part (engagement-access.ts): nothing here is theirs to change. */
  readOnly: boolean;
  id: string;
  typeId: string;
  title: string;
  status: string;
  latestVersion: number;
  latestHash: string | null;
  approvedHash: string | null;
  version: { number: number; hash: string; content: Record<string, unknown>; author: string; createdAt: Date };
  sections: Section[];
  stageId: string;
  isEditable: boolean;
  versions: { number: number; hash: string; createdAt: Date; author: string }[];
  /** The shown version's sections marked against the version before it; null for a first version. */
  marked: MarkedSection[] | null;
  /** Whether anything differs from the previous version. */
  hasChanges: boolean;
  approvals: { version: number; hash: string; decision: string; comment: string | null; by: string; at: Date }[];
  /** Reviews still to settle because a document this one builds on was approved in a new version. */
  reviews: { flagId: string; status: string; upstreamTitle: string }[];
}

export async function getDocumentPage(
  deps: ServiceDeps,
  actorId: string,
  engagementId: string,
  documentId: string,
  language: 'en' | 'ru',
  versionNumber?: number,
): Promise<DocumentPage> {
  const em = deps.orm.em.fork();
  const rows = isUuid(engagementId) && isUuid(actorId) && isUuid(documentId) ? await readDocumentPageRows(em, engagementId, actorId, documentId, versionNumber ?? null) : null;
  if (!rows) throw new NotFoundError('Document');
  if (!READERS.includes(rows.role as Role)) throw new ForbiddenError(`Only ${READERS.join(' or ')} may do this`);
  const { engagement, document, versions, contents, approvals } = rows;
  const { definition: methodology } = await deps.methodologies.frozen(em, engagement.methodologyHash);
  // The history lists every version, but the page shows the content of two at most: only theirs is read.
  const shownListed = versions.find((v) => v.number === (versionNumber ?? document.latestVersion));
  if (!shownListed) throw new NotFoundError('Document version');
  const shown = { ...shownListed, content: contents.get(shownListed.number)! };
  const previous = contents.get(shownListed.number - 1);
  const nameOf = namesOf(rows.participants);
  const type = methodology.documentTypes.find((t) => t.id === document.typeId);
  const sectionsOf = (content: Record<string, unknown>) => (type ? documentSections(type, content, language, methodology.trainingModules) : []);
  const sections = sectionsOf(shown.content);
  const marked = previous ? markChanges(sectionsOf(previous), sections) : null;
  return {
    engagementId,
    clientName: engagement.clientName,
    role: rows.role as Role,
    actsAsOwner: rows.actsAsOwner,
    readOnly: rows.readOnly,
    id: document.id,
    typeId: document.typeId,
    title: documentTitle(methodology, document.typeId, language),
    status: document.status,
    latestVersion: document.latestVersion,
    latestHash: document.latestHash,
    approvedHash: document.approvedHash,
    version: { number: shown.number, hash: shown.hash, content: shown.content, author: nameOf(shown.author) ?? '—', createdAt: shown.createdAt },
    versions: versions.map((v) => ({ number: v.number, hash: v.hash, createdAt: v.createdAt, author: nameOf(v.author) ?? '—' })),
    sections,
    stageId: document.stageId,
    isEditable: !rows.readOnly && ['draft', ...methodology.stages.map((s) => s.id)].includes(engagement.state),
    marked,
    hasChanges: !!marked?.some((m) => m.isChanged),
    approvals: approvals.map((a) => ({ version: a.version, hash: a.hash, decision: a.decision, comment: a.comment, by: nameOf(a.decidedBy) ?? '—', at: a.at })),
    reviews: rows.reviewFlags.map((f) => ({ flagId: f.id, status: f.status, upstreamTitle: documentTitle(methodology, f.upstreamTypeId, language) })),
  };
}

const READERS: Role[] = ['consultant', 'owner', 'staff'];

/** Documents waiting for this person's approval, across the engagements they own. */
export async function listAwaitingApproval(deps: ServiceDeps, userId: string, language: 'en' | 'ru') {
  const em = deps.orm.em.fork();
  const owned = await em.find(Participant, { user: userId, role: 'owner' }, { populate: ['engagement'] });
  const engagements = owned.map((p) => p.engagement);
  if (!engagements.length) return [];
  const frozen = await deps.methodologies.frozenMany(em, engagements.map((e) => e.methodology.hash));
  const docs = await em.find(ProjectDocument, { engagement: { $in: engagements.map((e) => e.id) }, status: 'in_review' }, { orderBy: { updatedAt: 'asc' } });
  return docs.map((d) => {
    const engagement = engagements.find((e) => e.id === d.engagement.id)!;
    return { id: d.id, engagementId: engagement.id, clientName: engagement.clientName, title: documentTitle(frozen.get(engagement.methodology.hash)!.definition, d.typeId, language), version: d.latestVersion, since: d.updatedAt };
  });
}

/** The owner's comment when the document's latest decision asked for changes; null otherwise. */
export async function findLatestChangeRequest(deps: ServiceDeps, engagementId: string, typeId: string) {
  const em = deps.orm.em.fork();
  const document = isUuid(engagementId) ? await em.findOne(ProjectDocument, { engagement: engagementId, typeId }) : null;
  if (!document) return null;
  const latest = await em.findOne(Approval, { document }, { populate: ['version'], orderBy: { decidedAt: 'desc' } });
  if (!latest || latest.decision !== 'changes_requested') return null;
  const nameOf = await participantNames(em, engagementId);
  return { comment: latest.comment ?? null, by: nameOf(latest.decidedBy) ?? '—', at: latest.decidedAt, version: latest.version.number };
}
