// Project documents through the API: the document pages' read model and the same commands as the editor and the review.
import { getDocumentPage, type DocumentPage } from '../../documents/document.queries.ts';
import { getEngagementOverview } from '../../engagement/overview.ts';
import { approveDocument, requestChanges, saveDocumentDraft, submitDocument, submitDocumentVersion } from '../../documents/documents.service.ts';
import { NotFoundError } from '../../errors.ts';
import { endpoint, type ApiCall } from '../endpoint.ts';
import * as s from '../api.schemas.ts';

const presentDocument = (d: DocumentPage) => ({
  id: d.id,
  typeId: d.typeId,
  title: d.title,
  stageId: d.stageId,
  status: d.status,
  latestVersion: d.latestVersion,
  latestHash: d.latestHash,
  approvedHash: d.approvedHash,
  versions: d.versions.map((v) => ({ number: v.number, hash: v.hash, author: v.author, createdAt: v.createdAt.toISOString() })),
  approvals: d.approvals.map((a) => ({ version: a.version, hash: a.hash, decision: a.decision, comment: a.comment, by: a.by, at: a.at.toISOString() })),
});

const documentOf = async (call: ApiCall<unknown, unknown>, documentId = call.params.documentId!) =>
  presentDocument(await getDocumentPage(call.deps, call.holder.userId, call.params.engagementId!, documentId, call.locale));

const base = '/engagements/{engagementId}/documents';
const tag = 'Documents';
const documentAnswer = (description: string) => ({ status: 200 as const, schema: s.Document, description });

export const documentEndpoints = [
  endpoint({
    method: 'get',
    path: base,
    operationId: 'listDocuments',
    summary: "The engagement's project documents, and the document types its methodology defines",
    tag,
    writes: false,
    success: { status: 200, schema: s.DocumentList, description: 'The documents written so far' },
    async handle(call) {
      const o = await getEngagementOverview(call.deps, call.holder.userId, call.params.engagementId!, call.locale);
      return { items: o.documents, documentTypes: o.documentTypes };
    },
  }),
  endpoint({
    method: 'post',
    path: base,
    operationId: 'saveDocument',
    summary: 'Save a new version of a document as a draft, or save and send it for approval (submit: true)',
    tag,
    writes: true,
    body: s.SaveDocumentBody,
    success: { status: 201, schema: s.Document, description: 'The document with its new version' },
    async handle(call) {
      const { typeId, content, submit } = call.body;
      const run = submit ? submitDocumentVersion : saveDocumentDraft;
      const version = await run(call.deps, call.holder.userId, call.params.engagementId!, typeId, content);
      return documentOf(call, version.document.id);
    },
  }),
  endpoint({
    method: 'get',
    path: `${base}/{documentId}`,
    operationId: 'getDocument',
    summary: 'One document: its status, its versions and the decisions on them',
    tag,
    writes: false,
    success: documentAnswer('The document'),
    handle: (call) => documentOf(call),
  }),
  endpoint({
    method: 'get',
    path: `${base}/{documentId}/versions/{versionNumber}`,
    operationId: 'getDocumentVersion',
    summary: "One version's content",
    tag,
    writes: false,
    success: { status: 200, schema: s.DocumentVersion, description: 'The version' },
    async handle(call) {
      const number = Number(call.params.versionNumber);
      if (!/^[1-9]\d{0,8}$/.test(call.params.versionNumber!)) throw new NotFoundError('Document version');
      const page = await getDocumentPage(call.deps, call.holder.userId, call.params.engagementId!, call.params.documentId!, call.locale, number);
      const v = page.version;
      return { documentId: page.id, number: v.number, hash: v.hash, author: v.author, createdAt: v.createdAt.toISOString(), content: v.content };
    },
  }),
  endpoint({
    method: 'post',
    path: `${base}/{documentId}/submit`,
    operationId: 'submitDocument',
    summary: 'Send the current draft to the owner for approval',
    tag,
    writes: true,
    body: s.EmptyBody,
    success: documentAnswer('The document, in review'),
    async handle(call) {
      await submitDocument(call.deps, call.holder.userId, call.params.engagementId!, call.params.documentId!);
      return documentOf(call);
    },
  }),
  endpoint({
    method: 'post',
    path: `${base}/{documentId}/approve`,
    operationId: 'approveDocument',
    summary: 'The owner (or their delegate) approves the version named by its hash',
    tag,
    writes: true,
    body: s.ApproveDocumentBody,
    success: documentAnswer('The document, approved'),
    async handle(call) {
      await approveDocument(call.deps, call.holder.userId, call.params.engagementId!, call.params.documentId!, call.body.hash, call.body.comment);
      return documentOf(call);
    },
  }),
  endpoint({
    method: 'post',
    path: `${base}/{documentId}/request-changes`,
    operationId: 'requestDocumentChanges',
    summary: 'The owner (or their delegate) asks for changes to the version named by its hash, saying what should change',
    tag,
    writes: true,
    body: s.RequestDocumentChangesBody,
    success: documentAnswer('The document, back with its writers'),
    async handle(call) {
      await requestChanges(call.deps, call.holder.userId, call.params.engagementId!, call.params.documentId!, call.body.hash, call.body.comment);
      return documentOf(call);
    },
  }),
];
