// Project documents: submit a version, approve it or ask for changes; an approval names the version's hash.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ProjectDocument, DocumentVersion, Approval } from './document.entity.ts';
import { nextDocumentStatus, type DocumentEvent, type DocumentStatus } from './document.machine.ts';
import { contentSchemaFor } from './document-fields.ts';
import { assignFromProgramme } from '../training/training.service.ts';
import { syncKpisFromTargets } from '../kpi/kpi-sync.ts';
import type { DocumentType } from '../methodology/methodology.schema.ts';
import { Task } from '../engagement/task.entity.ts';
import { syncCorrectionTask } from '../engagement/correction-task.ts';
import { raiseReviewFlags, supersedeReviewFlags } from './review-flags.service.ts';
import { runCommand, isUuid, type CommandContext, type ServiceDeps } from '../engagement/command.ts';
import { parseInput } from '../validation.ts';
import { BlockedError, ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';

/** Key order never changes the hash: the same content always names the same version. */
export function hashContent(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const contentInput = z.record(z.string(), z.unknown(), 'the content must be an object of fields');

function documentTypeOf(ctx: CommandContext, typeId: string): { type: DocumentType; stageId: string } {
  const type = ctx.methodology.documentTypes.find((d) => d.id === typeId);
  const stage = ctx.methodology.stages.find((s) => s.tasks.some((t) => t.documentType === typeId));
  if (!type || !stage) throw new InvalidInputError([{ field: 'typeId', message: `the methodology has no document type "${typeId}"` }]);
  return { type, stageId: stage.id };
}

/** The content checked against its type's fields; each problem names the field path, such as kpis[1].target. */
function validContent(type: DocumentType, raw: unknown, moduleIds: string[]): Record<string, unknown> {
  const parsed = contentSchemaFor(type, { moduleIds }).safeParse(parseInput(contentInput, raw));
  if (parsed.success) return parsed.data as Record<string, unknown>;
  throw new InvalidInputError(
    parsed.error.issues.map((issue) => ({
      field: issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || 'content',
      message: issue.message,
    })),
  );
}

function move(document: ProjectDocument, event: DocumentEvent, refusal: string): DocumentStatus {
  const next = nextDocumentStatus(document.status as DocumentStatus, event);
  if (!next) throw new BlockedError(refusal, [`the document is ${document.status.replace('_', ' ')}`]);
  document.status = next;
  return next;
}

/** The document task follows its document: done when approved at the latest version, open otherwise. */
async function syncDocumentTasks(ctx: CommandContext, document: ProjectDocument): Promise<void> {
  const defs = ctx.methodology.stages.flatMap((s) => s.tasks.filter((t) => t.documentType === document.typeId).map((t) => t.id));
  const tasks = await ctx.em.find(Task, { engagement: ctx.engagement, key: { $in: defs } });
  const isDone = document.status === 'approved';
  for (const task of tasks) {
    if (isDone) Object.assign(task, { status: 'done', completedAt: ctx.now, completedBy: ctx.actor });
    else if (task.status === 'done') Object.assign(task, { status: 'open', completedAt: null, completedBy: null });
  }
}

const EDITABLE = (ctx: CommandContext) => ['draft', ...ctx.methodology.stages.map((s) => s.id)].includes(ctx.engagement.state);

/**
 * Saves the content as the document's draft. A draft nobody has seen yet is overwritten; a document
 * that was submitted or approved gets a new version, so what was reviewed never changes.
 */
export async function saveDraft(ctx: CommandContext, typeId: string, rawContent: unknown): Promise<{ document: ProjectDocument; version: DocumentVersion; isUnchanged: boolean }> {
  if (!EDITABLE(ctx)) throw new BlockedError('The document cannot be changed', [`the engagement is ${ctx.engagement.state}`]);
  const { type, stageId } = documentTypeOf(ctx, typeId);
  const content = validContent(type, rawContent, ctx.methodology.trainingModules.map((m) => m.id));
  const document =
    (await ctx.em.findOne(ProjectDocument, { engagement: ctx.engagement, typeId })) ??
    ctx.em.create(ProjectDocument, { engagement: ctx.engagement, typeId, stageId, status: 'draft', latestVersion: 0, latestHash: null, approvedHash: null });
  const contentHash = hashContent(content);
  if (contentHash === document.latestHash) {
    const latest = await ctx.em.findOneOrFail(DocumentVersion, { document, number: document.latestVersion });
    return { document, version: latest, isUnchanged: true };
  }
  const from = document.status;
  let version: DocumentVersion;
  if (document.status === 'draft' && document.latestVersion > 0) {
    version = await ctx.em.findOneOrFail(DocumentVersion, { document, number: document.latestVersion });
    Object.assign(version, { content, contentHash, author: ctx.actor, createdAt: ctx.now });
  } else {
    move(document, { type: 'document.edit' }, 'The document cannot be edited');
    document.latestVersion += 1;
    version = ctx.em.create(DocumentVersion, { document, number: document.latestVersion, content, contentHash, author: ctx.actor, createdAt: ctx.now });
  }
  document.latestHash = contentHash;
  await syncDocumentTasks(ctx, document);
  ctx.record('document.save', { documentId: document.id, typeId, version: version.number, contentHash, from, to: document.status });
  // After the event: an approval or confirmation in the correcting stage is read from the log.
  await syncCorrectionTask(ctx);
  return { document, version, isUnchanged: false };
}

async function submit(ctx: CommandContext, document: ProjectDocument, version: DocumentVersion): Promise<void> {
  const from = document.status;
  if (from === 'in_review') throw new ConflictError(`Version ${version.number} is already in review`);
  if (from === 'approved') throw new ConflictError(`Version ${version.number} is already approved`);
  move(document, { type: 'document.submit' }, 'The document cannot be submitted');
  await syncDocumentTasks(ctx, document);
  ctx.record('document.submit', { documentId: document.id, typeId: document.typeId, version: version.number, contentHash: version.contentHash, from, to: document.status });
  await syncCorrectionTask(ctx);
}

/** Consultant or staff save a draft of a document (a new version when the last one was submitted). */
export async function saveDocumentDraft(deps: ServiceDeps, actorId: string, engagementId: string, typeId: string, rawContent: unknown): Promise<DocumentVersion> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant', 'staff'] }, async (ctx) => (await saveDraft(ctx, typeId, rawContent)).version);
}

/** Sends the current draft to the owner for review. */
export async function submitDocument(deps: ServiceDeps, actorId: string, engagementId: string, documentId: string): Promise<DocumentVersion> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant', 'staff'] }, async (ctx) => {
    if (!EDITABLE(ctx)) throw new BlockedError('The document cannot be submitted', [`the engagement is ${ctx.engagement.state}`]);
    const document = await findDocument(ctx, documentId);
    const version = await ctx.em.findOneOrFail(DocumentVersion, { document, number: document.latestVersion });
    await submit(ctx, document, version);
    return version;
  });
}

/** Saves and submits in one step: a new version goes to the owner for review. */
export async function submitDocumentVersion(deps: ServiceDeps, actorId: string, engagementId: string, typeId: string, rawContent: unknown): Promise<DocumentVersion> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant', 'staff'] }, async (ctx) => {
    const { document, version, isUnchanged } = await saveDraft(ctx, typeId, rawContent);
    if (isUnchanged && document.status !== 'draft') {
      throw new InvalidInputError([{ field: 'content', message: `nothing changed since version ${document.latestVersion}` }]);
    }
    await submit(ctx, document, version);
    return version;
  });
}

async function findDocument(ctx: CommandContext, documentId: string): Promise<ProjectDocument> {
  const document = isUuid(documentId) ? await ctx.em.findOne(ProjectDocument, { id: documentId, engagement: ctx.engagement }) : null;
  if (!document) throw new NotFoundError('Document');
  return document;
}

async function decide(
  deps: ServiceDeps,
  actorId: string,
  engagementId: string,
  documentId: string,
  versionHash: string,
  decision: 'approved' | 'changes_requested',
  comment: string | undefined,
): Promise<Approval> {
  return runCommand(deps, engagementId, actorId, { roles: ['owner', 'consultant', 'staff'] }, async (ctx) => {
    ctx.requireOwner('Only the owner approves project documents');
    const document = await findDocument(ctx, documentId);
    if (document.latestHash !== versionHash) {
      throw new ConflictError(`Version ${versionHash.slice(0, 12)} is not the latest version of this document; read the latest one first`);
    }
    const from = document.status;
    const event: DocumentEvent = decision === 'approved' ? { type: 'document.approve' } : { type: 'document.requestChanges' };
    move(document, event, decision === 'approved' ? 'The document cannot be approved' : 'Changes cannot be requested');
    const approvedBefore = document.approvedHash ?? null;
    document.approvedHash = decision === 'approved' ? versionHash : document.approvedHash;
    const version = await ctx.em.findOneOrFail(DocumentVersion, { document, number: document.latestVersion });
    const approval = ctx.em.create(Approval, { document, version, contentHash: versionHash, decision, comment: comment?.trim() || null, decidedBy: ctx.actor, decidedAt: ctx.now });
    await syncDocumentTasks(ctx, document);
    // Approving the training programme assigns its modules, in the same transaction as the approval.
    if (decision === 'approved' && document.typeId === ctx.methodology.training.programmeDocument) await assignFromProgramme(ctx, version.content);
    // Approving the target criteria makes its rows the KPIs the engagement tracks (src/kpi).
    const kpis = decision === 'approved' && document.typeId === ctx.methodology.kpis?.targets.documentType ? await syncKpisFromTargets(ctx, version.content) : null;
    ctx.record(decision === 'approved' ? 'document.approve' : 'document.requestChanges', {
      documentId: document.id,
      typeId: document.typeId,
      version: version.number,
      contentHash: versionHash,
      comment: approval.comment,
      from,
      to: document.status,
      ...(kpis ? { kpis } : {}),
    });
    // After the approval's event: the documents built on this one are flagged for review in its wake.
    if (decision === 'approved' && approvedBefore !== versionHash) {
      await supersedeReviewFlags(ctx, document);
      if (approvedBefore) await raiseReviewFlags(ctx, document, approvedBefore, versionHash);
    }
    await syncCorrectionTask(ctx);
    return approval;
  });
}

export function approveDocument(deps: ServiceDeps, actorId: string, engagementId: string, documentId: string, versionHash: string, comment?: string) {
  return decide(deps, actorId, engagementId, documentId, versionHash, 'approved', comment);
}

export async function requestChanges(deps: ServiceDeps, actorId: string, engagementId: string, documentId: string, versionHash: string, comment: string) {
  if (!comment?.trim()) throw new InvalidInputError([{ field: 'comment', message: 'say what should change' }]);
  return decide(deps, actorId, engagementId, documentId, versionHash, 'changes_requested', comment);
}
