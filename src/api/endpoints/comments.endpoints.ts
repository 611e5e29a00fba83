// Comments through the API: the threads the task, document and content pages show, and the same command as their comment form.
import { readThread, type ThreadComment } from '../../comments/comments.queries.ts';
import { addComment } from '../../comments/comments.service.ts';
import type { ThreadKey } from '../../comments/thread.sql.ts';
import { NotFoundError } from '../../errors.ts';
import { endpoint, type ApiCall, type Endpoint } from '../endpoint.ts';
import * as s from '../api.schemas.ts';

const presentReply = (c: ThreadComment) => ({
  id: c.id,
  authorId: c.authorId,
  authorName: c.authorName,
  body: c.body,
  bodyHtml: c.bodyHtml,
  field: c.field,
  createdAt: c.createdAt.toISOString(),
  editedAt: c.editedAt?.toISOString() ?? null,
  taskId: c.task?.id ?? null,
});
const presentComment = (c: ThreadComment) => ({ ...presentReply(c), replies: c.replies.map(presentReply) });

/** A subject's thread, read with the same rules as its page: a staff member's thread on someone else's task is "not found". */
const threadOf = (call: ApiCall<unknown, unknown>, key: ThreadKey) => readThread(call.deps, call.holder.userId, call.params.engagementId!, key, call.locale);

interface SubjectAddress {
  path: string;
  name: string;
  what: string;
  key(params: Record<string, string>): ThreadKey;
}

const SUBJECTS: SubjectAddress[] = [
  { path: '/engagements/{engagementId}/tasks/{taskId}/comments', name: 'Task', what: 'a task', key: (p) => ({ type: 'task', id: p.taskId! }) },
  { path: '/engagements/{engagementId}/content-items/{itemId}/comments', name: 'ContentItem', what: 'a content item', key: (p) => ({ type: 'contentItem', id: p.itemId! }) },
  {
    path: '/engagements/{engagementId}/documents/{documentId}/versions/{versionNumber}/comments',
    name: 'DocumentVersion',
    what: 'a version of a document (a field of it, when field is given)',
    key(p) {
      if (!/^[1-9]\d{0,8}$/.test(p.versionNumber!)) throw new NotFoundError('Document version');
      return { type: 'documentNumber', documentId: p.documentId!, number: Number(p.versionNumber) };
    },
  },
];

const tag = 'Comments';

export const commentEndpoints: Endpoint[] = SUBJECTS.flatMap((subject) => [
  endpoint({
    method: 'get',
    path: subject.path,
    operationId: `list${subject.name}Comments`,
    summary: `The comments on ${subject.what}, in threads`,
    tag,
    writes: false,
    success: { status: 200, schema: s.CommentThread, description: 'The thread' },
    async handle(call) {
      const thread = await threadOf(call, subject.key(call.params));
      return { subject: thread.subject, count: thread.count, canComment: thread.canComment, fields: thread.fields, items: thread.comments.map(presentComment) };
    },
  }),
  endpoint({
    method: 'post',
    path: subject.path,
    operationId: `add${subject.name}Comment`,
    summary: `Comment on ${subject.what}, or answer a comment (parentId); participants mentioned are told`,
    tag,
    writes: true,
    body: s.NewCommentBody,
    success: { status: 201, schema: s.CommentReply, description: 'The new comment' },
    async handle(call) {
      const key = subject.key(call.params);
      // Reading the thread first finds the subject (a version by its number) with the page's rules.
      const { subject: found } = await threadOf(call, key);
      const { comment } = await addComment(call.deps, call.holder.userId, call.params.engagementId!, { subjectType: found.type, subjectId: found.id, ...call.body });
      const written = (await threadOf(call, key)).comments.flatMap((c) => [c, ...c.replies]).find((c) => c.id === comment.id);
      if (!written) throw new NotFoundError('Comment');
      return presentReply(written);
    },
  }),
]);
