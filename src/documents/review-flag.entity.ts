// "Review needed": an approved document whose upstream document (methodology dependsOn) was approved in a new version.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from '../users/user.entity.ts';
import { Engagement } from '../engagement/engagement.entity.ts';
import { ProjectDocument } from './document.entity.ts';

/**
 * open: nobody has looked yet; changesRequested: the owner said the document must change, and it holds
 * until a new version of it is approved; confirmed: the owner said it still holds; superseded: a new
 * version of the document was approved, which settles the question.
 */
export const reviewFlagStatuses = ['open', 'changesRequested', 'confirmed', 'superseded'] as const;
export type ReviewFlagStatus = (typeof reviewFlagStatuses)[number];
/** The statuses that hold the gate. */
export const UNSETTLED: ReviewFlagStatus[] = ['open', 'changesRequested'];

const ReviewFlagSchema = defineEntity({
  name: 'ReviewFlag',
  tableName: 'review_flags',
  indexes: [{ properties: ['engagement', 'status'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    /** The downstream document to review, and the approved version of it the flag is about. */
    document: () => p.manyToOne(ProjectDocument),
    documentHash: p.string(),
    /** The upstream document, the version approved before and the one approved since. */
    upstream: () => p.manyToOne(ProjectDocument),
    upstreamFromHash: p.string(),
    upstreamToHash: p.string(),
    status: p.string(),
    raisedAt: p.datetime(),
    resolvedAt: p.datetime().nullable(),
    resolvedBy: () => p.manyToOne(User).nullable(),
    comment: p.text().nullable(),
  },
});

export class ReviewFlag extends ReviewFlagSchema.class {}
ReviewFlagSchema.setClass(ReviewFlag);
