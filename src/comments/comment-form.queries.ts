// Read side of one comment's own pages: editing it, and the form that makes a task of it, prefilled.
import { Engagement, Participant } from '../engagement/engagement.entity.ts';
import { isUuid, type ServiceDeps } from '../engagement/command.ts';
import { refuseReadOnly, requireViewer } from '../engagement/engagement-access.ts';
import { planWindow } from '../engagement/engagement.machine.ts';
import { NotFoundError } from '../errors.ts';
import { Comment, type SubjectType } from './comment.entity.ts';
import { canRead, findSubject, type Reader } from './comment-subjects.ts';
import { deadlineFrom, editableUntil, isEditable, titleFrom } from './comment-rules.ts';

export interface CommentForm {
  engagement: { id: string; clientName: string };
  id: string;
  body: string;
  /** The comment in its thread. */
  link: string;
  canEdit: boolean;
  editableUntil: Date;
  canMakeTask: boolean;
  /** Who may carry a task made of it: participants who can read the thread. */
  candidates: { userId: string; name: string; role: string }[];
  plan: { first: string; last: string };
  /** The form's first values: the comment's first line, the first participant it mentions, the day it names (or a week from today). */
  prefill: { title: string; assigneeId: string; deadline: string };
  task: { id: string } | null;
}

export async function readCommentForm(deps: ServiceDeps, actorId: string, engagementId: string, commentId: string): Promise<CommentForm> {
  const em = deps.orm.em.fork();
  const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId) : null;
  if (!engagement) throw new NotFoundError('Engagement');
  const viewer = await requireViewer(em, engagement.id, actorId);
  // Both pages are forms: a firm administrator who takes no part reads the thread, and is refused these.
  refuseReadOnly(viewer);
  const { role, actsAsOwner } = viewer;
  const reader: Reader = { userId: actorId, role, actsAsOwner };
  const comment = isUuid(commentId) ? await em.findOne(Comment, { id: commentId, engagement }) : null;
  if (!comment) throw new NotFoundError('Comment');
  const { definition: methodology } = await deps.methodologies.frozen(em, engagement.methodology.hash);
  const subject = await findSubject(em, engagement, methodology, { type: comment.subjectType as SubjectType, id: comment.subjectId }, reader);
  const participants = await em.find(Participant, { engagement }, { populate: ['user'], orderBy: { addedAt: 'asc' } });
  const candidates = participants
    .filter((p) => canRead(subject, { userId: p.user.id, role: p.role, actsAsOwner: p.actsAsOwner }))
    .map((p) => ({ userId: p.user.id, name: p.displayName, role: p.role }));
  const isActive = engagement.state === 'draft' || methodology.stages.some((s) => s.id === engagement.state);
  const plan = planWindow(engagement.plannedStart, engagement.snapshot.context);
  const now = deps.clock();
  const mentioned = comment.mentions.find((id) => candidates.some((c) => c.userId === id));
  return {
    engagement: { id: engagement.id, clientName: engagement.clientName },
    id: comment.id,
    body: comment.body,
    link: `${subject.link}#comment-${comment.id}`,
    canEdit: isActive && isEditable({ createdAt: comment.createdAt, authorId: comment.author.id }, actorId, now),
    editableUntil: editableUntil(comment.createdAt),
    canMakeTask: isActive && (role === 'consultant' || actsAsOwner) && !comment.task,
    candidates,
    plan,
    prefill: { title: titleFrom(comment.body), assigneeId: mentioned ?? '', deadline: deadlineFrom(comment.body, now.toISOString().slice(0, 10), plan) },
    task: comment.task ? { id: comment.task.id } : null,
  };
}
