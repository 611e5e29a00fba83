// A task's own page and the task forms: assigning one task, completing it, assigning several at once.
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, fields, fieldErrors, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate, translateMessage } from '../i18n/i18n.ts';
import { getTaskPage } from '../../engagement/task-page.queries.ts';
import { assignTask, completeTask } from '../../engagement/tasks.service.ts';
import { recordStudySession } from '../../training/study.service.ts';
import { assignTasks, TaskRefusedError } from '../../engagement/assign-tasks.ts';
import { getEngagementOverview } from '../../engagement/overview.ts';
import { InvalidInputError } from '../../errors.ts';
import { renderEngagementPage } from './engagement-page.ts';
import { readThread } from '../../comments/comments.queries.ts';

const ASSIGN_FIELDS = ['assigneeId', 'deadline'] as const;
const SESSION_FIELDS = ['participantId', 'heldOn', 'note'] as const;

/** Every value a field was sent with: a row of ticked boxes arrives as one value or several. */
function fieldList(req: Request, name: string): string[] {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

export function taskRoutes(deps: WebDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);
  const me = (req: Request) => req.user!.id;
  const notice = (req: Request, key: string, params = {}) => flash(req, 'notice', translate(localeOf(req), key, params));
  const checklist = (engagementId: string, stageId: string, taskId?: string) => `/engagements/${engagementId}?stage=${encodeURIComponent(stageId)}#${taskId ? `task-${taskId}` : 'checklist'}`;

  const renderTask = async (req: Request, res: Response, values: Record<string, string> = {}, errors: Record<string, string> = {}) => {
    const page = await getTaskPage(deps, me(req), id(req), String(req.params.taskId), localeOf(req));
    const thread = await readThread(deps, me(req), id(req), { type: 'task', id: page.task.id }, localeOf(req));
    // A refusal replayed from elsewhere (a completed task, say) brings what was typed as `typed`.
    res.status(Object.keys(errors).length ? 422 : 200).render('tasks/show', { p: page, thread, values: { ...(res.locals.typed ?? {}), ...values }, errors });
  };

  router.get('/engagements/:id/tasks/:taskId', (req, res) => renderTask(req, res));

  router.post('/engagements/:id/tasks/:taskId/assign', async (req, res) => {
    const values = fields(req, ASSIGN_FIELDS);
    try {
      const task = await assignTask(once(deps, req), me(req), id(req), String(req.params.taskId), { assigneeId: values.assigneeId, deadline: values.deadline || undefined });
      notice(req, 'tasks.assigned');
      res.redirect(303, checklist(id(req), task.stageId, task.id));
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await renderTask(req, res, values, errors);
    }
  });

  router.post('/engagements/:id/tasks/:taskId/complete', async (req, res) => {
    const task = await completeTask(once(deps, req), me(req), id(req), String(req.params.taskId), field(req, 'note').slice(0, 2000));
    notice(req, 'tasks.completed');
    res.redirect(303, field(req, 'back') === 'tasks' ? '/tasks' : checklist(id(req), task.stageId, task.id));
  });

  // The study of the methods kit: the consultant records a one-to-one session with one participant.
  router.post('/engagements/:id/tasks/:taskId/sessions', async (req, res) => {
    const values = fields(req, SESSION_FIELDS);
    try {
      await recordStudySession(once(deps, req), me(req), id(req), values);
      notice(req, 'study.recorded');
      res.redirect(303, `/engagements/${id(req)}/tasks/${encodeURIComponent(String(req.params.taskId))}#study`);
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await renderTask(req, res, values, errors);
    }
  });

  router.post('/engagements/:id/tasks/assign', async (req, res) => {
    const locale = localeOf(req);
    const values = { ...fields(req, ASSIGN_FIELDS), taskIds: fieldList(req, 'taskIds') };
    const stage = field(req, 'stage');
    try {
      const tasks = await assignTasks(once(deps, req), me(req), id(req), { ...values, deadline: values.deadline || undefined });
      notice(req, 'bulkAssign.done', { count: tasks.length });
      res.redirect(303, checklist(id(req), stage || tasks[0]!.stageId));
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      await renderEngagementPage(deps, req, res, { stage, bulk: await describeBulkRefusal(error) });
    }
    /** The refused task by its title in the reader's language, and the reason in words. */
    async function describeBulkRefusal(error: InvalidInputError) {
      if (!(error instanceof TaskRefusedError)) return { values, errors: fieldErrors(error, locale)! };
      const overview = await getEngagementOverview(deps, me(req), id(req), locale);
      const title = overview.stages.flatMap((s) => s.tasks).find((t) => t.id === error.taskId)?.title ?? error.taskTitle;
      const reasons = error.reasons.map((p) => translateMessage(locale, p.message)).join('; ');
      return { values, errors: {}, summary: translate(locale, 'bulkAssign.refused', { title, reasons }) };
    }
  });

  return router;
}
