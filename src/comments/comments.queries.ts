// Read side of a thread: its comments as the reader may see them (Markdown rendered safely, mentions
// marked), what they may do with each, and the tasks made of them with their status.
import { Engagement, Participant } from '../engagement/engagement.entity.ts';
import { authorize, isUuid, type ServiceDeps } from '../engagement/command.ts';
import { taskTitle } from '../engagement/timeline.ts';
import { renderMarkdown } from '../documents/markdown.ts';
import { NotFoundError } from '../errors.ts';
import { Comment, type SubjectType } from './comment.entity.ts';
import { canRead, findSubject, type Reader, type SubjectRef } from './comment-subjects.ts';
import { editableUntil, isEditable, BODY_MAX } from './comment-rules.ts';
import { handleOf, markMentions } from './mentions.ts';

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
  authorName: string;
  bodyHtml: string;
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
  canComment: boolean;
  /** The handles a comment may mention, with the name each stands for. */
  handles: { handle: string; name: string }[];
  /** On a task made of a comment: where that comment is. */
  origin: { link: string } | null;
  bodyMax: number;
}

export async function readThread(deps: ServiceDeps, actorId: string, engagementId: string, ref: SubjectRef, language: Language): Promise<Thread> {
  const em = deps.orm.em.fork();
  const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId) : null;
  if (!engagement) throw new NotFoundError('Engagement');
  const { participant, actsAsOwner } = await authorize(em, engagement, actorId, ['consultant', 'owner', 'staff']);
  const reader: Reader = { userId: actorId, role: participant.role, actsAsOwner };
  const { definition: methodology } = await deps.methodologies.frozen(em, engagement.methodology.hash);
  const subject = await findSubject(em, engagement, methodology, ref, reader);
  const [rows, participants, origin] = await Promise.all([
    em.find(Comment, { engagement, subjectType: subject.type, subjectId: subject.id }, { populate: ['task', 'task.assignee'], orderBy: { createdAt: 'asc', id: 'asc' } }),
    em.find(Participant, { engagement }, { populate: ['user'], orderBy: { addedAt: 'asc' } }),
    subject.type === 'task' ? em.findOne(Comment, { engagement, task: subject.id }) : Promise.resolve(null),
  ]);
  const now = deps.clock();
  const names = new Map(participants.map((p) => [p.user.id, p.displayName]));
  const known = new Set(participants.map((p) => handleOf(p.user.email)));
  const isActive = engagement.state === 'draft' || methodology.stages.some((s) => s.id === engagement.state);
  const mayAssign = participant.role === 'consultant' || actsAsOwner;
  const fieldLabel = (id: string | null | undefined) => (id ? (subject.fields.find((f) => f.id === id)?.label[language] ?? id) : null);
  const toView = (c: Comment): ThreadComment => ({
    id: c.id,
    authorName: names.get(c.author.id) ?? '—',
    bodyHtml: markMentions(renderMarkdown(c.body), known),
    createdAt: c.createdAt,
    editedAt: c.editedAt ?? null,
    fieldLabel: fieldLabel(c.field),
    canEdit: isActive && isEditable({ createdAt: c.createdAt, authorId: c.author.id }, actorId, now),
    editableUntil: editableUntil(c.createdAt),
    task: c.task
      ? {
          id: c.task.id,
          title: taskTitle(methodology, c.task, language),
          status: c.task.status,
          isOverdue: c.task.status === 'open' && !!c.task.deadline && c.task.deadline.getTime() < now.getTime(),
          deadline: c.task.deadline ?? null,
          assigneeName: c.task.assignee ? (names.get(c.task.assignee.id) ?? null) : null,
          isReadable: canRead({ type: 'task', assigneeId: c.task.assignee?.id ?? null }, reader),
        }
      : null,
    canMakeTask: mayAssign && isActive && !c.task,
    replies: [],
  });
  const roots: ThreadComment[] = [];
  const byId = new Map<string, ThreadComment>();
  for (const c of rows) {
    const view = toView(c);
    byId.set(c.id, view);
    const parent = c.parent ? byId.get(c.parent.id) : undefined;
    if (parent) parent.replies.push(view);
    else roots.push(view);
  }
  const isClosed = engagement.state === 'completed' || engagement.state === 'cancelled';
  return {
    engagementId: engagement.id,
    subject: { type: subject.type, id: subject.id },
    fields: subject.fields.map((f) => ({ id: f.id, label: f.label[language] })),
    comments: roots,
    count: rows.length,
    canComment: !isClosed,
    handles: participants.filter((p) => canRead(subject, { userId: p.user.id, role: p.role, actsAsOwner: p.actsAsOwner })).map((p) => ({ handle: handleOf(p.user.email), name: p.displayName })),
    origin: origin ? { link: await linkOf(em, engagement, methodology, origin, reader) } : null,
    bodyMax: BODY_MAX,
  };
}

/** The page of the comment a task was made of, at the comment. */
async function linkOf(em: Parameters<typeof findSubject>[0], engagement: Engagement, methodology: Parameters<typeof findSubject>[2], comment: Comment, reader: Reader): Promise<string> {
  const subject = await findSubject(em, engagement, methodology, { type: comment.subjectType as SubjectType, id: comment.subjectId }, { ...reader, role: 'consultant' });
  return `${subject.link}#comment-${comment.id}`;
}
