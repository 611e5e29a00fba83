// /verify/<hash>: what a SHA-256 names among the engagements the reader may read (their own; a firm
// administrator's, every one): an approved document version, or a printed PDF.
import type { EntityManager } from '@mikro-orm/core';
import { Approval, DocumentVersion, ProjectDocument } from '../documents/document.entity.ts';
import { GeneratedPdf } from '../pdf/generated-pdf.entity.ts';
import { Engagement } from '../engagement/engagement.entity.ts';
import { readableEngagementIds } from '../engagement/engagement-access.ts';
import type { ServiceDeps } from '../engagement/command.ts';
import { participantNames } from '../engagement/participant-names.ts';
import { NotFoundError } from '../errors.ts';

type Language = 'en' | 'ru';

export interface VerifiedVersion {
  engagementId: string;
  clientName: string;
  documentId: string;
  title: string;
  version: number;
  /** Each approval of exactly this content, oldest first; none means the version exists but was never approved. */
  approvals: { by: string; at: Date }[];
}

export interface VerifiedPdf {
  engagementId: string;
  clientName: string;
  kind: 'document' | 'dossier' | 'stage-report';
  /** The document's or the stage's title; empty for the dossier. */
  title: string;
  printedAt: Date;
}

export interface Verification {
  hash: string;
  versions: VerifiedVersion[];
  pdfs: VerifiedPdf[];
}

export const isSha256 = (value: string) => /^[0-9a-f]{64}$/.test(value);

/**
 * Only engagements the reader may read are searched (engagement-access.ts): to anyone else the hash names
 * nothing, and the answer is the same "not found" as for a hash nobody knows.
 */
export async function verifyHash(deps: ServiceDeps, readerId: string, rawHash: string, language: Language): Promise<Verification> {
  const hash = rawHash.trim().toLowerCase();
  if (!isSha256(hash)) throw new NotFoundError('Hash');
  const em = deps.orm.em.fork();
  const readable = await readableEngagementIds(em, readerId);
  if (readable !== 'every' && !readable.length) throw new NotFoundError('Hash');
  const within = readable === 'every' ? {} : { engagement: { $in: readable } };
  const [versions, pdfs] = await Promise.all([
    em.find(DocumentVersion, { contentHash: hash, document: within }, { populate: ['document'], orderBy: { number: 'asc' } }),
    em.find(GeneratedPdf, { sha256: hash, ...within }, { fields: ['id', 'kind', 'sources', 'createdAt', 'engagement'], orderBy: { createdAt: 'asc' } }),
  ]);
  if (!versions.length && !pdfs.length) throw new NotFoundError('Hash');
  const found = [...new Set([...versions.map((v) => v.document.engagement.id), ...pdfs.map((p) => p.engagement.id)])];
  const engagements = new Map((await em.find(Engagement, { id: { $in: found } }, { fields: ['clientName', 'methodology'] })).map((e) => [e.id, e]));
  const approvals = versions.length ? await em.find(Approval, { contentHash: hash, decision: 'approved', document: { $in: versions.map((v) => v.document.id) } }, { orderBy: { decidedAt: 'asc' } }) : [];
  const titles = await titlesFor(deps, em, found.map((id) => engagements.get(id)!), language);
  const names = new Map<string, Awaited<ReturnType<typeof participantNames>>>();
  for (const id of new Set(versions.map((v) => v.document.engagement.id))) names.set(id, await participantNames(em, id));
  return {
    hash,
    versions: versions.map((v) => {
      const engagementId = v.document.engagement.id;
      const nameOf = names.get(engagementId)!;
      return {
        engagementId,
        clientName: engagements.get(engagementId)!.clientName,
        documentId: v.document.id,
        title: titles.documentTitle(engagementId, v.document.typeId),
        version: v.number,
        approvals: approvals.filter((a) => a.document.id === v.document.id && a.version.id === v.id).map((a) => ({ by: nameOf(a.decidedBy) ?? '—', at: a.decidedAt })),
      };
    }),
    pdfs: await Promise.all(pdfs.map(async (p): Promise<VerifiedPdf> => {
      const engagementId = p.engagement.id;
      const sources = p.sources as { document?: string; stageId?: string };
      let title = '';
      if (p.kind === 'document' && sources.document) {
        const document = await em.findOne(ProjectDocument, { id: sources.document, engagement: engagementId });
        title = document ? titles.documentTitle(engagementId, document.typeId) : '';
      } else if (p.kind === 'stage-report' && sources.stageId) title = titles.stageTitle(engagementId, sources.stageId);
      return { engagementId, clientName: engagements.get(engagementId)!.clientName, kind: p.kind as VerifiedPdf['kind'], title, printedAt: p.createdAt };
    })),
  };
}

/** Titles from the frozen methodology each engagement runs on. */
async function titlesFor(deps: ServiceDeps, em: EntityManager, engagements: { id: string; methodology: { hash: string } }[], language: Language) {
  const defs = await deps.methodologies.frozenMany(em, engagements.map((e) => e.methodology.hash));
  const methodologyOf = (engagementId: string) => defs.get(engagements.find((e) => e.id === engagementId)!.methodology.hash)?.definition;
  return {
    documentTitle: (engagementId: string, typeId: string) => methodologyOf(engagementId)?.documentTypes.find((d) => d.id === typeId)?.title[language] ?? typeId,
    stageTitle: (engagementId: string, stageId: string) => methodologyOf(engagementId)?.stages.find((s) => s.id === stageId)?.title[language] ?? stageId,
  };
}
