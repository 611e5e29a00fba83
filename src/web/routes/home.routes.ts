// Each person's home: what waits for them, the consultant's engagements, the owner's progress, the staff member's tasks.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { listEngagementSummaries, listMyTasks } from '../../engagement/overview.ts';
import { listWaitingForMe, countWaitingForMe } from '../../queue/waiting.queries.ts';
import { localeOf } from '../context.ts';

/** The top bar's "waiting for me" count: one query, only for pages a signed-in person reads. */
export function countWaitingForTopBar(deps: WebDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' && req.user && !req.path.endsWith('.pdf')) res.locals.waitingCount = await countWaitingForMe(deps, req.user.id);
    next();
  };
}

export function homeRoutes(deps: WebDeps): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const locale = localeOf(req);
    const userId = req.user!.id;
    const [engagements, waiting] = await Promise.all([listEngagementSummaries(deps, userId, locale), listWaitingForMe(deps, userId, locale)]);
    res.render('home/index', {
      consulting: engagements.filter((e) => e.role === 'consultant'),
      owning: engagements.filter((e) => e.role === 'owner'),
      waiting,
      isStaff: engagements.some((e) => e.role === 'staff'),
    });
  });

  router.get('/tasks', async (req, res) => {
    const tasks = await listMyTasks(deps, req.user!.id, localeOf(req));
    res.render('tasks/mine', { tasks });
  });

  return router;
}
