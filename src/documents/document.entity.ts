// Project documents, their immutable versions and the approvals that name a version's hash.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from '../users/user.entity.ts';
import { Engagement } from '../engagement/engagement.entity.ts';

const ProjectDocumentSchema = defineEntity({
  name: 'ProjectDocument',
  tableName: 'documents',
  uniques: [{ properties: ['engagement', 'typeId'] }],
  // "Waiting for approval" in the engagement lists.
  indexes: [{ name: 'documents_in_review_index', expression: `create index "documents_in_review_index" on "documents" ("engagement_id") where "status" = 'in_review'` }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    typeId: p.string(),
    stageId: p.string(),
    status: p.string(),
    latestVersion: p.integer().default(0),
    latestHash: p.string().nullable(),
    approvedHash: p.string().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class ProjectDocument extends ProjectDocumentSchema.class {}
ProjectDocumentSchema.setClass(ProjectDocument);

const DocumentVersionSchema = defineEntity({
  name: 'DocumentVersion',
  tableName: 'document_versions',
  uniques: [{ properties: ['document', 'number'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    document: () => p.manyToOne(ProjectDocument),
    number: p.integer(),
    content: p.json<Record<string, unknown>>(),
    contentHash: p.string(),
    author: () => p.manyToOne(User),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class DocumentVersion extends DocumentVersionSchema.class {}
DocumentVersionSchema.setClass(DocumentVersion);

const ApprovalSchema = defineEntity({
  name: 'Approval',
  tableName: 'approvals',
  indexes: [{ name: 'approvals_document_id_index', properties: ['document'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    document: () => p.manyToOne(ProjectDocument),
    version: () => p.manyToOne(DocumentVersion),
    contentHash: p.string(),
    decision: p.string(),
    comment: p.text().nullable(),
    decidedBy: () => p.manyToOne(User),
    decidedAt: p.datetime(),
  },
});

export class Approval extends ApprovalSchema.class {}
ApprovalSchema.setClass(Approval);
