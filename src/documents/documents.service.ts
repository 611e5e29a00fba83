// Project documents: submit a version, approve it or ask for changes; an approval names the version's hash.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ProjectDocument, DocumentVersion, Approval } from './document.entity.ts';
import { nextDocumentStatus, type DocumentEvent, type DocumentStatus } from './document.machine.ts';
import { Task } from '../engagement/task.entity.ts';
import { runCommand, isUuid, type CommandContext, type ServiceDeps } from '../engagement/command.ts';
import { parseInput } from '../validation.ts';
import { BlockedError, ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';

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

function stageOfDocumentType(ctx: CommandContext, typeId: string): string {
  const stage = ctx.methodology.stages.find((s) => s.tasks.some((t) => t.documentType === typeId));
  if (!ctx.methodology.documentTypes.some((d) => d.id === typeId) || !stage) {
    throw new InvalidInputError([{ field: 'typeId', message: `the methodology has no document type "${typeId}"` }]);
  }
  return stage.id;
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

/** Consultant or staff submit a new version for the owner's review. */
export async function submitDocumentVersion(deps: ServiceDeps, actorId: string, engagementId: string, typeId: string, rawContent: unknown): Promise<DocumentVersion> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant', 'staff'] }, async (ctx) => {
    const content = parseInput(contentInput, rawContent);
    if (!['draft', ...ctx.methodology.stages.map((s) => s.id)].includes(ctx.engagement.state)) {
      throw new BlockedError('The document cannot be changed', [`the engagement is ${ctx.engagement.state}`]);
    }
    const stageId = stageOfDocumentType(ctx, typeId);
    const document =
      (await ctx.em.findOne(ProjectDocument, { engagement: ctx.engagement, typeId })) ??
      ctx.em.create(ProjectDocument, { engagement: ctx.engagement, typeId, stageId, status: 'draft', latestVersion: 0, latestHash: null, approvedHash: null });
    const contentHash = hashContent(content);
    if (contentHash === document.latestHash) {
      throw new InvalidInputError([{ field: 'content', message: `nothing changed since version ${document.latestVersion}` }]);
    }
    const from = document.status;
    move(document, { type: 'document.submit' }, 'The document cannot be submitted');
    document.latestVersion += 1;
    document.latestHash = contentHash;
    const version = ctx.em.create(DocumentVersion, { document, number: document.latestVersion, content, contentHash, author: ctx.actor });
    await syncDocumentTasks(ctx, document);
    ctx.record('document.submit', { documentId: document.id, typeId, version: version.number, contentHash, from, to: document.status });
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
    if (ctx.participant.role !== 'owner') throw new ForbiddenError('Only the owner approves project documents');
    const document = await findDocument(ctx, documentId);
    if (document.latestHash !== versionHash) {
      throw new ConflictError(`Version ${versionHash.slice(0, 12)} is not the latest version of this document; read the latest one first`);
    }
    const from = document.status;
    const event: DocumentEvent = decision === 'approved' ? { type: 'document.approve' } : { type: 'document.requestChanges' };
    move(document, event, decision === 'approved' ? 'The document cannot be approved' : 'Changes cannot be requested');
    document.approvedHash = decision === 'approved' ? versionHash : document.approvedHash;
    const version = await ctx.em.findOneOrFail(DocumentVersion, { document, number: document.latestVersion });
    const approval = ctx.em.create(Approval, { document, version, contentHash: versionHash, decision, comment: comment?.trim() || null, decidedBy: ctx.actor, decidedAt: ctx.now });
    await syncDocumentTasks(ctx, document);
    ctx.record(decision === 'approved' ? 'document.approve' : 'document.requestChanges', {
      documentId: document.id,
      typeId: document.typeId,
      version: version.number,
      contentHash: versionHash,
      comment: approval.comment,
      from,
      to: document.status,
    });
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
