// PDFs of one document version, of a stage, and of the whole project dossier, each printed once per content.
import { participantNames, type NameOf } from '../engagement/participant-names.ts';
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { Engagement, StageSignoff } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';
import { ProjectDocument, DocumentVersion, Approval } from '../documents/document.entity.ts';
import { GeneratedPdf } from './generated-pdf.entity.ts';
import { isUuid, type ServiceDeps } from '../engagement/command.ts';
import { requireViewer } from '../engagement/engagement-access.ts';
import { taskTitle } from '../engagement/timeline.ts';
import { plannedStart } from '../engagement/engagement.service.ts';
import { buildDocumentPrint, buildDossierPrint, buildStageReportPrint, formatDay, type DocumentSource, type LogRow } from './print-models.ts';
import type { PdfRenderer } from './pdf-renderer.ts';
import { assembleDossier } from './dossier-assembly.ts';
import { PdfUnavailableError } from './browser-pool.ts';
import { NotFoundError, UnavailableError } from '../errors.ts';
import type { Methodology } from '../methodology/methodology.schema.ts';
import { kpiSummaries } from '../kpi/kpi.queries.ts';
import { kpiReportPart } from '../kpi/kpi-print.ts';

export interface PdfDeps extends ServiceDeps {
  pdf: PdfRenderer;
  /** Changes when the templates change, so old prints are not served for new templates. */
  templatesHash: string;
}

type Locale = 'en' | 'ru';

export interface PdfFile {
  bytes: Uint8Array;
  filename: string;
  isFromCache: boolean;
}

async function loadEngagement(deps: ServiceDeps, em: EntityManager, actorId: string, engagementId: string): Promise<Engagement> {
  const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId, { populate: ['methodology.definition'] }) : null;
  if (!engagement) throw new NotFoundError('Engagement');
  // Participants, and a firm administrator who takes no part (engagement-access.ts), read it.
  await requireViewer(em, engagement.id, actorId);
  return engagement;
}

const cacheKeyOf = (deps: PdfDeps, kind: string, sources: Record<string, unknown>) =>
  createHash('sha256').update(JSON.stringify({ kind, sources, templates: deps.templatesHash })).digest('hex');

/** The cached PDF for this key, or a new print stored under it. */
async function cached(deps: PdfDeps, em: EntityManager, engagement: Engagement, kind: string, sources: Record<string, unknown>, print: () => Promise<Uint8Array>) {
  const cacheKey = cacheKeyOf(deps, kind, sources);
  const hit = await em.findOne(GeneratedPdf, { cacheKey });
  if (hit) return { bytes: new Uint8Array(hit.bytes), isFromCache: true };
  let bytes: Uint8Array;
  try {
    bytes = await print();
  } catch (error) {
    if (error instanceof PdfUnavailableError) {
      const isPassing = error.code === 'busy' || error.code === 'timed-out';
      throw new UnavailableError(`PDFs cannot be made ${isPassing ? 'right now' : 'on this server'}: ${error.message}`);
    }
    throw error;
  }
  // Two people asking at once both print; the second insert finds the row taken and changes nothing.
  await em.getConnection().execute(
    'insert into generated_pdfs (id, engagement_id, kind, cache_key, sources, bytes, sha256, created_at) values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, now()) on conflict (cache_key) do nothing',
    [engagement.id, kind, cacheKey, JSON.stringify(sources), Buffer.from(bytes), createHash('sha256').update(bytes).digest('hex')],
  );
  return { bytes, isFromCache: false };
}

/** What a document print depends on: the same key for the document download and inside the dossier. */
const documentKey = (documentId: string, source: DocumentSource, locale: Locale) => ({ document: documentId, version: source.version.hash, approval: source.approval, locale, client: source.client });

/** The stored print of each document version, printing (and storing) only those never printed. */
async function documentPrints(deps: PdfDeps, em: EntityManager, engagement: Engagement, documents: { id: string; source: DocumentSource }[], locale: Locale): Promise<Uint8Array[]> {
  const keys = documents.map((d) => cacheKeyOf(deps, 'document', documentKey(d.id, d.source, locale)));
  const stored = keys.length ? await em.find(GeneratedPdf, { cacheKey: { $in: keys } }, { fields: ['cacheKey', 'bytes'] }) : [];
  const byKey = new Map(stored.map((row) => [row.cacheKey, new Uint8Array(row.bytes)]));
  const prints: Uint8Array[] = [];
  for (const [i, d] of documents.entries()) {
    // An older version approved before prints were stored, or printed under other templates: printed now, once.
    prints.push(byKey.get(keys[i]!) ?? (await cached(deps, em, engagement, 'document', documentKey(d.id, d.source, locale), () => deps.pdf.document(buildDocumentPrint(d.source, locale)))).bytes);
  }
  return prints;
}

const slug = (text: string) => text.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/\s+/g, '-').toLowerCase().slice(0, 60) || 'troika';

function approvalOf(approvals: Approval[], hash: string, nameOf: NameOf) {
  const approval = approvals.filter((a) => a.decision === 'approved' && a.contentHash === hash).at(-1);
  return approval ? { by: nameOf(approval.decidedBy) ?? '—', at: approval.decidedAt } : null;
}

export async function getDocumentPdf(deps: PdfDeps, actorId: string, engagementId: string, documentId: string, locale: Locale, versionNumber?: number): Promise<PdfFile> {
  const em = deps.orm.em.fork();
  const engagement = await loadEngagement(deps, em, actorId, engagementId);
  const nameOf = await participantNames(em, engagement.id);
  const document = isUuid(documentId) ? await em.findOne(ProjectDocument, { id: documentId, engagement }) : null;
  if (!document) throw new NotFoundError('Document');
  const version = await em.findOne(DocumentVersion, { document, number: versionNumber ?? document.latestVersion }, { populate: ['author'] });
  if (!version) throw new NotFoundError('Document version');
  const type = engagement.methodology.definition.documentTypes.find((t) => t.id === document.typeId);
  if (!type) throw new NotFoundError('Document type');
  const approvals = await em.find(Approval, { document }, { populate: ['decidedBy'], orderBy: { decidedAt: 'asc' } });
  const approval = approvalOf(approvals, version.contentHash, nameOf);
  const source: DocumentSource = {
    client: engagement.clientName,
    type,
    version: { number: version.number, hash: version.contentHash, content: version.content, author: nameOf(version.author) ?? '—', createdAt: version.createdAt },
    approval,
    modules: engagement.methodology.definition.trainingModules,
  };
  const file = await cached(deps, em, engagement, 'document', documentKey(document.id, source, locale), () => deps.pdf.document(buildDocumentPrint(source, locale)));
  return { ...file, filename: `${slug(engagement.clientName)}-${document.typeId}-v${version.number}.pdf` };
}

/** Document types in the order the methodology's stages produce them. */
function methodologyOrder(methodology: Methodology): string[] {
  const order = methodology.stages.flatMap((s) => s.tasks.flatMap((t) => (t.documentType ? [t.documentType] : [])));
  return [...new Set([...order, ...methodology.documentTypes.map((d) => d.id)])];
}

export async function getDossierPdf(deps: PdfDeps, actorId: string, engagementId: string, locale: Locale): Promise<PdfFile> {
  const em = deps.orm.em.fork();
  const engagement = await loadEngagement(deps, em, actorId, engagementId);
  const nameOf = await participantNames(em, engagement.id);
  const methodology = engagement.methodology.definition;
  const documents = await em.find(ProjectDocument, { engagement, approvedHash: { $ne: null } });
  const approvals = await em.find(Approval, { document: { engagement } }, { populate: ['decidedBy', 'version', 'document'], orderBy: { decidedAt: 'asc' } });
  const order = methodologyOrder(methodology);
  documents.sort((a, b) => order.indexOf(a.typeId) - order.indexOf(b.typeId));
  const versions = documents.length
    ? await em.find(DocumentVersion, { $or: documents.map((d) => ({ document: d, contentHash: d.approvedHash! })) }, { populate: ['author'] })
    : [];
  const printed = documents.flatMap((d) => {
    const type = methodology.documentTypes.find((t) => t.id === d.typeId);
    const version = versions.filter((v) => v.document.id === d.id).sort((a, b) => b.number - a.number)[0];
    if (!type || !version) return [];
    const own = approvals.filter((a) => a.document.id === d.id);
    const source: DocumentSource = { client: engagement.clientName, type, version: { number: version.number, hash: version.contentHash, content: version.content, author: nameOf(version.author) ?? '—', createdAt: version.createdAt }, approval: approvalOf(own, version.contentHash, nameOf), modules: methodology.trainingModules };
    return [{ id: d.id, source }];
  });
  const sources = printed.map((d) => d.source);
  const title = (typeId: string) => methodology.documentTypes.find((t) => t.id === typeId)?.title[locale] ?? typeId;
  const log: LogRow[] = approvals.map((a) => ({ document: title(a.document.typeId), version: a.version.number, hash: a.contentHash, decision: a.decision as LogRow['decision'], by: nameOf(a.decidedBy) ?? '—', at: a.decidedAt }));
  // Everything the dossier shows but its generation day: each document's print key (version, approval,
  // language, client), the log as printed and the methodology's name. Any change of these is a new dossier.
  const key = {
    documents: printed.map((d) => documentKey(d.id, d.source, locale)),
    log: log.map((row) => [row.document, row.version, row.hash, row.decision, row.by, row.at]),
    approvals: approvals.map((a) => a.id),
    methodology: methodology.name[locale],
    locale,
    client: engagement.clientName,
  };
  // The documents come from their stored prints: only the cover, the contents and the log are printed here.
  const file = await cached(deps, em, engagement, 'dossier', key, async () =>
    assembleDossier(
      deps.pdf,
      buildDossierPrint({ client: engagement.clientName, methodology: methodology.name[locale], generatedAt: deps.clock(), documents: sources, log }, locale),
      await documentPrints(deps, em, engagement, printed, locale),
    ),
  );
  return { ...file, filename: `${slug(engagement.clientName)}-dossier.pdf` };
}

export async function getStageReportPdf(deps: PdfDeps, actorId: string, engagementId: string, stageId: string, locale: Locale, statusLabel: (status: string) => string): Promise<PdfFile> {
  const em = deps.orm.em.fork();
  const engagement = await loadEngagement(deps, em, actorId, engagementId);
  const nameOf = await participantNames(em, engagement.id);
  const methodology = engagement.methodology.definition;
  const index = methodology.stages.findIndex((s) => s.id === stageId);
  const stage = methodology.stages[index];
  if (!stage) throw new NotFoundError('Stage');
  const clocks = engagement.snapshot.context.stages;
  const clock = clocks[index]!;
  const [tasks, documents, signoff] = await Promise.all([
    em.find(Task, { engagement, stageId, status: { $ne: 'archived' } }, { populate: ['assignee'], orderBy: { position: 'asc' } }),
    em.find(ProjectDocument, { engagement, stageId }),
    em.findOne(StageSignoff, { engagement, stageId }, { populate: ['signedBy'] }),
  ]);
  const source = {
    client: engagement.clientName,
    stage: { title: stage.title[locale], goal: stage.goal[locale], plannedStart: clock.deadline ? plannedStart(clocks, index) : null, deadline: clock.deadline, completedAt: clock.completedAt },
    tasks: tasks.map((t) => ({ title: taskTitle(methodology, t, locale), assignee: nameOf(t.assignee), deadline: t.deadline ?? null, status: t.status, note: t.note ?? null })),
    documents: documents.map((d) => ({ title: methodology.documentTypes.find((t) => t.id === d.typeId)?.title[locale] ?? d.typeId, version: d.latestVersion, status: d.status })),
    signoff: signoff ? { by: nameOf(signoff.signedBy) ?? '—', at: signoff.signedAt } : null,
  };
  // The last stage (Launch) works the KPIs: its report shows their standing today and their charts.
  const today = deps.clock().toISOString().slice(0, 10);
  const isKpiStage = !!methodology.kpis && index === methodology.stages.length - 1;
  const kpis = isKpiStage ? await kpiSummaries(em, { id: engagement.id, methodology }, today) : [];
  const report = kpis.length ? { ...source, kpis: kpiReportPart(kpis, methodology, locale, today, (iso) => formatDay(new Date(iso), locale)) } : source;
  // The engagement's version moves with every event, so a report is reprinted only after something changed
  // (and, with KPIs, on another day: their standing moves with the date).
  const file = await cached(deps, em, engagement, 'stage-report', { stageId, engagementVersion: engagement.version, locale, ...(kpis.length ? { today } : {}) }, () =>
    deps.pdf.stageReport(buildStageReportPrint(report, locale, statusLabel)),
  );
  return { ...file, filename: `${slug(engagement.clientName)}-${stageId}-report.pdf` };
}
