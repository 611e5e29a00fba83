// A comment in an engagement: on a task, a document version (optionally one of its fields) or a content item.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from '../users/user.entity.ts';
import { Engagement } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';

export const SUBJECT_TYPES = ['task', 'documentVersion', 'contentItem'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

const CommentSchema = defineEntity({
  name: 'Comment',
  tableName: 'comments',
  indexes: [{ name: 'comments_subject_index', properties: ['engagement', 'subjectType', 'subjectId', 'createdAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    subjectType: p.string(),
    /** The task, the document version or the content item; kept without a foreign key, as it points at three tables. */
    subjectId: p.uuid(),
    /** A field of the document version the comment is about; null for the whole thing. */
    field: p.string().nullable(),
    /** The first comment of the thread; replies to a reply join the same thread. */
    parent: () => p.manyToOne(Comment).nullable(),
    author: () => p.manyToOne(User),
    body: p.text(),
    /** The participants the text mentions, as they were resolved when it was written. */
    mentions: p.json<string[]>(),
    createdAt: p.datetime(),
    editedAt: p.datetime().nullable(),
    /** The task made of this comment. */
    task: () => p.manyToOne(Task).nullable(),
  },
});

export class Comment extends CommentSchema.class {}
CommentSchema.setClass(Comment);
