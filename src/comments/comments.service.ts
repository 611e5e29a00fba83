// The only writer of comments: add one (a reply joins its thread) and let the author correct it for
// ten minutes. Each is a command on the engagement with its event, which the notifier turns into
// "mention" notifications for the participants the text names and who may read the thread.
import { z } from 'zod';
import { Participant } from '../engagement/engagement.entity.ts';
import { runCommand, isUuid, type CommandContext, type ServiceDeps } from '../engagement/command.ts';
import { parseInput } from '../validation.ts';
import { BlockedError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import { Comment, SUBJECT_TYPES } from './comment.entity.ts';
import { canRead, findSubject, type Subject } from './comment-subjects.ts';
import { resolveMentions } from './mentions.ts';
import { BODY_MAX, isEditable } from './comment-rules.ts';

const body = z.string('write the comment').trim().min(1, 'write the comment').max(BODY_MAX, `use at most ${BODY_MAX} characters`);

export const addCommentInput = z.object({
  subjectType: z.enum(SUBJECT_TYPES, 'choose what the comment is about'),
  subjectId: z.string('choose what the comment is about'),
  field: z.string().optional(),
  parentId: z.string().optional(),
  body,
});

export const editCommentInput = z.object({ body });

const EVERYONE = ['consultant', 'owner', 'staff'] as const;

/** A finished or cancelled engagement is a record: its discussions are read, not added to. */
function refuseWhenClosed(ctx: CommandContext): void {
  if (ctx.engagement.state === 'completed' || ctx.engagement.state === 'cancelled') {
    throw new BlockedError('The discussion is closed', [`the engagement is ${ctx.engagement.state}`]);
  }
}

const readerOf = (ctx: CommandContext) => ({ userId: ctx.actor.id, role: ctx.participant.role, actsAsOwner: ctx.actsAsOwner });

/** The participants the text names who may also read the thread: nobody else is told of it. */
async function mentionsIn(ctx: CommandContext, subject: Subject, text: string): Promise<string[]> {
  const participants = await ctx.em.find(Participant, { engagement: ctx.engagement }, { populate: ['user'] });
  const readers = participants.filter((p) => canRead(subject, { userId: p.user.id, role: p.role, actsAsOwner: p.actsAsOwner }));
  return resolveMentions(text, readers.map((p) => ({ userId: p.user.id, email: p.user.email })));
}

const excerpt = (text: string) => (text.length > 300 ? `${text.slice(0, 299)}…` : text);

export async function addComment(deps: ServiceDeps, actorId: string, engagementId: string, raw: z.input<typeof addCommentInput>): Promise<{ comment: Comment; link: string }> {
  return runCommand(deps, engagementId, actorId, { roles: [...EVERYONE] }, async (ctx) => {
    const input = parseInput(addCommentInput, raw);
    const subject = await findSubject(ctx.em, ctx.engagement, ctx.methodology, { type: input.subjectType, id: input.subjectId }, readerOf(ctx));
    refuseWhenClosed(ctx);
    const field = input.field?.trim() || null;
    if (field && !subject.fields.some((f) => f.id === field)) throw new InvalidInputError([{ field: 'field', message: 'choose one of the fields of this document' }]);
    const parent = input.parentId ? await findParent(ctx, subject, input.parentId) : null;
    const mentions = await mentionsIn(ctx, subject, input.body);
    const comment = ctx.em.create(Comment, {
      engagement: ctx.engagement,
      subjectType: subject.type,
      subjectId: subject.id,
      // A reply to a field's comment is about the same field.
      field: parent ? parent.field : field,
      parent,
      author: ctx.actor,
      body: input.body,
      mentions,
      createdAt: ctx.now,
      editedAt: null,
      task: null,
    });
    const made = facts(subject, comment);
    ctx.record('comment.add', { ...made, parentId: parent?.id ?? null, mentionedIds: mentions, excerpt: excerpt(input.body) });
    return { comment, link: made.link };
  });
}

/** The first comment of the thread a reply answers: a reply to a reply joins the same thread. */
async function findParent(ctx: CommandContext, subject: Subject, parentId: string): Promise<Comment> {
  const parent = isUuid(parentId) ? await ctx.em.findOne(Comment, { id: parentId, engagement: ctx.engagement, subjectType: subject.type, subjectId: subject.id }, { populate: ['parent'] }) : null;
  if (!parent) throw new InvalidInputError([{ field: 'parentId', message: 'the comment you answer is not in this discussion' }]);
  return parent.parent ?? parent;
}

const facts = (subject: Subject, comment: Comment) => ({
  commentId: comment.id,
  subjectType: subject.type,
  subjectId: subject.id,
  field: comment.field ?? null,
  link: `${subject.link}#comment-${comment.id}`,
  title: subject.title,
});

/** The author corrects the text within ten minutes; only people newly mentioned are told. */
export async function editComment(deps: ServiceDeps, actorId: string, engagementId: string, commentId: string, raw: z.input<typeof editCommentInput>): Promise<Comment> {
  return runCommand(deps, engagementId, actorId, { roles: [...EVERYONE] }, async (ctx) => {
    const { comment, subject } = await findComment(ctx, commentId);
    if (comment.author.id !== ctx.actor.id) throw new ForbiddenError('Only the author may edit a comment');
    if (!isEditable({ createdAt: comment.createdAt, authorId: comment.author.id }, ctx.actor.id, ctx.now)) {
      throw new BlockedError('The comment can no longer be edited', ['a comment may be edited for 10 minutes after it is written']);
    }
    refuseWhenClosed(ctx);
    const input = parseInput(editCommentInput, raw);
    const mentions = await mentionsIn(ctx, subject, input.body);
    const added = mentions.filter((m) => !comment.mentions.includes(m));
    Object.assign(comment, { body: input.body, mentions, editedAt: ctx.now });
    ctx.record('comment.edit', { ...facts(subject, comment), mentionedIds: added, excerpt: excerpt(input.body) });
    return comment;
  });
}

/** A comment of this engagement on something the actor may read; anything else is "not found". */
export async function findComment(ctx: CommandContext, commentId: string): Promise<{ comment: Comment; subject: Subject }> {
  const comment = isUuid(commentId) ? await ctx.em.findOne(Comment, { id: commentId, engagement: ctx.engagement }, { populate: ['author', 'task'] }) : null;
  if (!comment) throw new NotFoundError('Comment');
  const subject = await findSubject(ctx.em, ctx.engagement, ctx.methodology, { type: comment.subjectType as Subject['type'], id: comment.subjectId }, readerOf(ctx));
  return { comment, subject };
}
