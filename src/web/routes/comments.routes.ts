// Comment forms: add one (a refusal shows the page it was written on again, with the text kept),
// edit one's own for ten minutes, and make a task of a comment. Each works without scripts.
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, fields, fieldErrors, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { addComment, editComment } from '../../comments/comments.service.ts';
import { makeTaskOfComment } from '../../comments/comment-task.service.ts';
import { readCommentForm } from '../../comments/comment-form.queries.ts';
import { SUBJECT_TYPES, type SubjectType } from '../../comments/comment.entity.ts';

const TASK_FIELDS = ['title', 'assigneeId', 'deadline'] as const;

export function commentRoutes(deps: WebDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);
  const me = (req: Request) => req.user!.id;
  const commentId = (req: Request) => String(req.params.commentId);
  const notice = (req: Request, key: string) => flash(req, 'notice', translate(localeOf(req), key));

  router.post('/engagements/:id/comments', async (req, res) => {
    const subjectType = field(req, 'subjectType');
    const { link } = await addComment(once(deps, req), me(req), id(req), {
      subjectType: (SUBJECT_TYPES as readonly string[]).includes(subjectType) ? (subjectType as SubjectType) : ('' as SubjectType),
      subjectId: field(req, 'subjectId'),
      field: field(req, 'field') || undefined,
      parentId: field(req, 'parentId') || undefined,
      body: field(req, 'comment'),
    });
    notice(req, 'comments.added');
    res.redirect(303, link);
  });

  const renderEdit = async (req: Request, res: Response, values: Record<string, string> = {}, errors: Record<string, string> = {}) => {
    const form = await readCommentForm(deps, me(req), id(req), commentId(req));
    res.status(Object.keys(errors).length ? 422 : 200).render('comments/edit', { f: form, values, errors });
  };
  router.get('/engagements/:id/comments/:commentId/edit', (req, res) => renderEdit(req, res));
  router.post('/engagements/:id/comments/:commentId/edit', async (req, res) => {
    const values = { comment: field(req, 'comment') };
    try {
      await editComment(once(deps, req), me(req), id(req), commentId(req), { body: values.comment });
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      return renderEdit(req, res, values, { comment: errors.body ?? Object.values(errors)[0]! });
    }
    notice(req, 'comments.saved');
    res.redirect(303, (await readCommentForm(deps, me(req), id(req), commentId(req))).link);
  });

  const renderTaskForm = async (req: Request, res: Response, values: Record<string, string> | null = null, errors: Record<string, string> = {}) => {
    const form = await readCommentForm(deps, me(req), id(req), commentId(req));
    res.status(Object.keys(errors).length ? 422 : 200).render('comments/task', { f: form, values: values ?? form.prefill, errors });
  };
  router.get('/engagements/:id/comments/:commentId/task', (req, res) => renderTaskForm(req, res));
  router.post('/engagements/:id/comments/:commentId/task', async (req, res) => {
    const values = fields(req, TASK_FIELDS);
    try {
      await makeTaskOfComment(once(deps, req), me(req), id(req), commentId(req), values);
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      return renderTaskForm(req, res, values, errors);
    }
    notice(req, 'comments.taskMade');
    res.redirect(303, (await readCommentForm(deps, me(req), id(req), commentId(req))).link);
  });

  return router;
}
