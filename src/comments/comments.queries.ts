// Read side of a thread: its comments as the reader may see them (Markdown rendered safely, mentions
// marked), what they may do with each, and the tasks made of them with their status.
import { isUuid, type ServiceDeps } from '../engagement/command.ts';
import { taskTitle } from '../engagement/timeline.ts';
import { renderMarkdown } from '../documents/markdown.ts';
import type { Methodology } from '../methodology/methodology.schema.ts';
import { NotFoundError } from '../errors.ts';
import type { SubjectType } from './comment.entity.ts';
import { canRead, type Reader } from './comment-subjects.ts';
import { editableUntil, isEditable, BODY_MAX } from './comment-rules.ts';
import { handleOf, markMentions } from './mentions.ts';
import { readThreadRows, type ThreadKey, type ThreadRows } from './thread.sql.ts';

type Language = 'en' | 'ru';

export interface ThreadTask {
  id: string;
  title: string;
  status: string;
  isOverdue: boolean;
  deadline: Date | null;
  assigneeName: string | null;
  /** Staff read only their own tasks: for anyone else's the thread shows the status without a link. */
  isReadable: boolean;
}

export interface ThreadComment {
  id: string;
  authorId: string;
  authorName: string;
  /** The text as written, for readers that render it themselves (the API). */
  body: string;
  bodyHtml: string;
  /** The document field's id the comment is about; fieldLabel is its name. */
  field: string | null;
  createdAt: Date;
  editedAt: Date | null;
  fieldLabel: string | null;
  canEdit: boolean;
  editableUntil: Date;
  task: ThreadTask | null;
  canMakeTask: boolean;
  replies: ThreadComment[];
}

export interface Thread {
  engagementId: string;
  subject: { type: SubjectType; id: string };
  /** The fields of a document version a new comment may be about. */
  fields: { id: string; label: string }[];
  comments: ThreadComment[];
  count: number;
  /** A firm administrator who takes no part: the thread without its actions. */
  readOnly: boolean;
  canComment: boolean;
  /** The handles a comment may mention, with the name each stands for. */
  handles: { handle: string; name: string }[];
  /** On a task made of a comment: where that comment is. */
  origin: { link: string } | null;
  bodyMax: number;
}

/** The thread of a task or a content item by its id, or of a document version by the document and its number. */
export async function readThread(deps: ServiceDeps, actorId: string, engagementId: string, key: ThreadKey, language: Language): Promise<Thread> {
  const ids = [engagementId, actorId, key.type === 'documentNumber' ? key.documentId : key.id];
  const rows = ids.every(isUuid) ? await readThreadRows(deps.orm.em.fork(), engagementId, actorId, key) : null;
  if (!rows) throw new NotFoundError('Comment subject');
  const reader: Reader = { userId: actorId, role: rows.reader.role, actsAsOwner: rows.reader.actsAsOwner };
  const subject = { type: rows.subject.type, assigneeId: rows.subject.assigneeId };
  if (!canRead(subject, reader)) throw new NotFoundError('Comment subject');
  const { definition: methodology } = await deps.methodologies.frozen(deps.orm.em.fork(), rows.engagement.methodologyHash);
  const fields = rows.subject.typeId ? (methodology.documentTypes.find((t) => t.id === rows.subject.typeId)?.fields ?? []) : [];
  const isClosed = ['completed', 'cancelled'].includes(rows.engagement.state);
  return {
    engagementId,
    subject: { type: rows.subject.type, id: rows.subject.id },
    fields: fields.map((f) => ({ id: f.id, label: f.label[language] })),
    comments: commentViews(rows, methodology, reader, deps.clock(), language),
    count: rows.comments.length,
    readOnly: rows.reader.readOnly,
    canComment: !isClosed && !rows.reader.readOnly,
    handles: rows.participants.filter((p) => canRead(subject, p)).map((p) => ({ handle: handleOf(p.email), name: p.displayName })),
    origin: rows.origin ? { link: `${pageOf(engagementId, rows.origin.type, rows.origin.subjectId, rows.origin.documentId, rows.origin.number)}#comment-${rows.origin.id}` } : null,
    bodyMax: BODY_MAX,
  };
}

export function pageOf(engagementId: string, type: SubjectType, id: string, documentId: string | null, number: number | null): string {
  const base = `/engagements/${engagementId}`;
  if (type === 'task') return `${base}/tasks/${id}`;
  if (type === 'contentItem') return `${base}/content/items/${id}`;
  return `${base}/documents/${documentId}?version=${number}`;
}

/** The comments in threads: each first comment with its replies, oldest first. */
function commentViews(rows: ThreadRows, methodology: Methodology, reader: Reader, now: Date, language: Language): ThreadComment[] {
  const names = new Map(rows.participants.map((p) => [p.userId, p.displayName]));
  const known = new Set(rows.participants.map((p) => handleOf(p.email)));
  // A firm administrator reading a thread they take no part in is offered nothing to do there.
  const isActive = !rows.reader.readOnly && (rows.engagement.state === 'draft' || methodology.stages.some((s) => s.id === rows.engagement.state));
  const mayAssign = reader.role === 'consultant' || reader.actsAsOwner;
  const fieldLabels = new Map((rows.subject.typeId ? (methodology.documentTypes.find((t) => t.id === rows.subject.typeId)?.fields ?? []) : []).map((f) => [f.id, f.label[language]]));
  const roots: ThreadComment[] = [];
  const byId = new Map<string, ThreadComment>();
  // First comments before replies: a reply written in the same instant as its thread still finds it.
  const ordered = [...rows.comments.filter((c) => !c.parentId), ...rows.comments.filter((c) => c.parentId)];
  for (const c of ordered) {
    const view: ThreadComment = {
      id: c.id,
      authorId: c.authorId,
      authorName: names.get(c.authorId) ?? '—',
      body: c.body,
      field: c.field,
      bodyHtml: markMentions(renderMarkdown(c.body), known),
      createdAt: c.createdAt,
      editedAt: c.editedAt,
      fieldLabel: c.field ? (fieldLabels.get(c.field) ?? c.field) : null,
      canEdit: isActive && isEditable({ createdAt: c.createdAt, authorId: c.authorId }, reader.userId, now),
      editableUntil: editableUntil(c.createdAt),
      task: c.task
        ? {
            id: c.task.id,
            title: taskTitle(methodology, c.task, language),
            status: c.task.status,
            isOverdue: c.task.status === 'open' && !!c.task.deadline && c.task.deadline.getTime() < now.getTime(),
            deadline: c.task.deadline,
            assigneeName: c.task.assigneeId ? (names.get(c.task.assigneeId) ?? null) : null,
            isReadable: canRead({ type: 'task', assigneeId: c.task.assigneeId }, reader),
          }
        : null,
      canMakeTask: mayAssign && isActive && !c.task,
      replies: [],
    };
    byId.set(c.id, view);
    const parent = c.parentId ? byId.get(c.parentId) : undefined;
    if (parent) parent.replies.push(view);
    else roots.push(view);
  }
  return roots;
}
