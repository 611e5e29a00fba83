// Training pages: the progress matrix, a module with its reading, quiz and practical work, and the review.
import { Router, type Request } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { getModulePage, findAssignmentForTask, type ModuleStatus } from '../../training/training.queries.ts';
import { getTrainingMatrixPage, MODULE_STATUSES } from '../../training/training-matrix.queries.ts';
import { ListQuery, listHref, renderBadListAddress } from '../list-params.ts';
import { submitQuiz, submitPractical, reviewPractical } from '../../training/training.service.ts';

/** Radio buttons post one value, checkboxes several: both become a list of answer ids per question. */
function answersFrom(body: Record<string, unknown>): Record<string, string[]> {
  const answers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(body)) {
    const match = /^q\.([a-z][a-z0-9-]*)$/.exec(name);
    if (!match) continue;
    answers[match[1]!] = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  }
  return answers;
}

/** The review's ticked checklist boxes: "item" posted once per ticked item, each its position in the list. */
function checkedItems(body: Record<string, unknown>): number[] {
  const raw = body.item;
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string' && /^\d{1,3}$/.test(v)).map(Number);
}

export function trainingRoutes(deps: WebDeps): Router {
  const router = Router();
  const ids = (req: Request) => [String(req.params.id), String(req.params.assignmentId)] as const;
  const back = (req: Request) => `/engagements/${req.params.id}/training/${req.params.assignmentId}`;

  // Filters at stable addresses: /engagements/:id/training?person=…&module=…&status=submitted&page=2
  router.get('/engagements/:id/training', async (req, res) => {
    const path = `/engagements/${req.params.id}/training`;
    const query = new ListQuery(req);
    const filter = { personId: query.uuid('person'), moduleId: query.text('module'), status: query.oneOf('status', MODULE_STATUSES) as ModuleStatus | undefined, page: query.page() };
    const problems = query.problems;
    // The engagement is read, and the person's right to it checked, before any filter is judged.
    const m = await getTrainingMatrixPage(deps, req.user!.id, String(req.params.id), problems.length ? { page: 1 } : filter, localeOf(req));
    if (!problems.length && m.isUnknownPerson) problems.push({ key: 'unknownId', params: { name: 'person', value: filter.personId! } });
    if (!problems.length && m.isUnknownModule) problems.push({ key: 'notOneOf', params: { name: 'module', value: filter.moduleId!.slice(0, 60), allowed: m.choices.modules.map((x) => x.id).join(', ') } });
    if (problems.length) return renderBadListAddress(req, res, deps.log, problems, path);
    const addressOf = (page: number) => listHref(path, { person: filter.personId, module: filter.moduleId, status: filter.status, page });
    res.render('training/matrix', {
      m,
      filter,
      statuses: MODULE_STATUSES,
      isFiltered: !!(filter.personId || filter.moduleId || filter.status),
      requestedPage: filter.page,
      hrefs: { plain: path, previous: m.page > 1 ? addressOf(m.page - 1) : null, next: m.page < m.pageCount ? addressOf(m.page + 1) : null },
    });
  });

  // A training task opens its module: the assignment behind the task, if the person may see it.
  router.get('/engagements/:id/tasks/:taskId/module', async (req, res) => {
    const assignmentId = await findAssignmentForTask(deps, req.user!.id, String(req.params.id), String(req.params.taskId));
    res.redirect(303, `/engagements/${req.params.id}/training/${assignmentId}`);
  });

  router.get('/engagements/:id/training/:assignmentId', async (req, res) => {
    const [engagementId, assignmentId] = ids(req);
    res.render('training/module', { p: await getModulePage(deps, req.user!.id, engagementId, assignmentId, localeOf(req)) });
  });

  router.post('/engagements/:id/training/:assignmentId/quiz', async (req, res) => {
    const [engagementId, assignmentId] = ids(req);
    const outcome = await submitQuiz(once(deps, req), req.user!.id, engagementId, assignmentId, answersFrom(req.body as Record<string, unknown>));
    const locale = localeOf(req);
    flash(req, outcome.isPassed ? 'notice' : 'error', translate(locale, outcome.isPassed ? 'training.quizPassed' : 'training.quizFailed', { score: outcome.score, count: outcome.attemptsLeft }));
    res.redirect(303, `${back(req)}#result`);
  });

  router.post('/engagements/:id/training/:assignmentId/submission', async (req, res) => {
    const [engagementId, assignmentId] = ids(req);
    await submitPractical(once(deps, req), req.user!.id, engagementId, assignmentId, field(req, 'submission'));
    flash(req, 'notice', translate(localeOf(req), 'training.submitted'));
    res.redirect(303, back(req));
  });

  router.post('/engagements/:id/training/:assignmentId/review', async (req, res) => {
    const [engagementId, assignmentId] = ids(req);
    const decision = field(req, 'decision') === 'accept' ? 'accept' : 'return';
    await reviewPractical(once(deps, req), req.user!.id, engagementId, assignmentId, decision, field(req, 'comment').slice(0, 4000), checkedItems(req.body as Record<string, unknown>));
    flash(req, 'notice', translate(localeOf(req), decision === 'accept' ? 'training.accepted' : 'training.returned'));
    res.redirect(303, back(req));
  });

  return router;
}
