// What a comment is about, found inside one engagement and seen by the same role rules as the thing
// itself: a staff member reads only the tasks given to them (unless acting for the owner), so a
// thread on anyone else's task is "not found" to them, as the task is; documents and content items
// are read by every participant, and so are their threads.
import type { EntityManager } from '@mikro-orm/core';
import type { Engagement } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';
import { isUuid } from '../engagement/command.ts';
import { taskTitle } from '../engagement/timeline.ts';
import { DocumentVersion } from '../documents/document.entity.ts';
import { ContentItem } from '../content/content.entity.ts';
import type { Methodology } from '../methodology/methodology.schema.ts';
import { NotFoundError } from '../errors.ts';
import type { SubjectType } from './comment.entity.ts';

export interface Reader {
  userId: string;
  role: string;
  actsAsOwner: boolean;
}

export interface Subject {
  type: SubjectType;
  id: string;
  /** The page the thread is on. */
  link: string;
  /** The subject's title in both languages, for the notifications its comments make. */
  title: { en: string; ru: string };
  /** The fields of a document version a comment may single out; empty for the others. */
  fields: { id: string; label: { en: string; ru: string } }[];
  /** The task's assignee, for the rule that staff read only their own tasks. */
  assigneeId: string | null;
}

export type SubjectRef = { type: 'task'; id: string } | { type: 'contentItem'; id: string } | { type: 'documentVersion'; id: string };

/** The same rule the task page keeps (task-page.queries.ts): staff read the tasks given to them. */
export function canRead(subject: Pick<Subject, 'type' | 'assigneeId'>, reader: Reader): boolean {
  if (subject.type !== 'task') return true;
  return reader.role !== 'staff' || reader.actsAsOwner || subject.assigneeId === reader.userId;
}

export async function findSubject(em: EntityManager, engagement: Engagement, methodology: Methodology, ref: SubjectRef, reader: Reader): Promise<Subject> {
  const subject = isUuid(ref.id) ? await load(em, engagement, methodology, ref) : null;
  if (!subject || !canRead(subject, reader)) throw new NotFoundError('Comment subject');
  return subject;
}

async function load(em: EntityManager, engagement: Engagement, methodology: Methodology, ref: SubjectRef): Promise<Subject | null> {
  const base = `/engagements/${engagement.id}`;
  if (ref.type === 'task') {
    const task = await em.findOne(Task, { id: ref.id, engagement });
    if (!task) return null;
    const title = { en: taskTitle(methodology, task, 'en'), ru: taskTitle(methodology, task, 'ru') };
    return { type: 'task', id: task.id, link: `${base}/tasks/${task.id}`, title, fields: [], assigneeId: task.assignee?.id ?? null };
  }
  if (ref.type === 'contentItem') {
    const item = await em.findOne(ContentItem, { id: ref.id, engagement });
    if (!item) return null;
    return { type: 'contentItem', id: item.id, link: `${base}/content/items/${item.id}`, title: { en: item.title, ru: item.title }, fields: [], assigneeId: null };
  }
  const version = await em.findOne(DocumentVersion, { id: ref.id, document: { engagement } }, { populate: ['document'] });
  if (!version) return null;
  const type = methodology.documentTypes.find((t) => t.id === version.document.typeId);
  const name = (language: 'en' | 'ru') => `${type?.title[language] ?? version.document.typeId}, ${language === 'ru' ? 'версия' : 'version'} ${version.number}`;
  return {
    type: 'documentVersion',
    id: version.id,
    link: `${base}/documents/${version.document.id}?version=${version.number}`,
    title: { en: name('en'), ru: name('ru') },
    fields: (type?.fields ?? []).map((f) => ({ id: f.id, label: f.label })),
    assigneeId: null,
  };
}
