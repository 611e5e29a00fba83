// Each person's home: the consultant's engagements, what waits for the owner, the staff member's tasks.
import { Router } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { listEngagementSummaries, listMyTasks } from '../../engagement/overview.ts';
import { listAwaitingApproval } from '../../documents/document.queries.ts';
import { localeOf } from '../context.ts';

export function homeRoutes(deps: WebDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const locale = localeOf(req);
    const userId = req.user!.id;
    const [engagements, awaiting, tasks] = await Promise.all([
      listEngagementSummaries(deps, userId, locale),
      listAwaitingApproval(deps, userId, locale),
      listMyTasks(deps, userId, locale),
    ]);
    res.render('home/index', {
      consulting: engagements.filter((e) => e.role === 'consultant'),
      owning: engagements.filter((e) => e.role === 'owner'),
      awaiting,
      tasks: tasks.filter((t) => t.status === 'open'),
      isStaff: engagements.some((e) => e.role === 'staff'),
    });
  });

  router.get('/tasks', async (req, res) => {
    const tasks = await listMyTasks(deps, req.user!.id, localeOf(req));
    res.render('tasks/mine', { tasks });
  });

  return router;
}
