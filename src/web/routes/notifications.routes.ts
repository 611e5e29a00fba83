// The inbox: /notifications lists a person's notifications; opening one marks it read and goes to
// the thing it is about; "mark all read" empties the unread count. Each person sees only their own.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { NotFoundError } from '../../errors.ts';
import { countUnread, markAllRead, openEntry, readInbox } from '../../notifications/inbox.queries.ts';
import { ListQuery, listHref, renderBadListAddress } from '../list-params.ts';
import { localeOf } from '../context.ts';

/** The top bar's unread count, on every page a signed-in person opens. */
export function countUnreadForTopBar(deps: WebDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' && req.user && !req.path.endsWith('.pdf')) res.locals.unreadCount = await countUnread(deps.orm, req.user.id);
    next();
  };
}

export function notificationRoutes(deps: WebDeps): Router {
  const router = Router();

  router.get('/notifications', async (req, res) => {
    const query = new ListQuery(req);
    const number = query.page();
    if (query.problems.length) return renderBadListAddress(req, res, deps.log, query.problems, '/notifications');
    const page = await readInbox(deps.orm, req.user!.id, number);
    res.render('notifications/index', {
      page,
      language: localeOf(req),
      previous: number > 1 ? listHref('/notifications', { page: number > 2 ? number - 1 : undefined }) : null,
      next: page.hasOlder ? listHref('/notifications', { page: number + 1 }) : null,
    });
  });

  router.get('/notifications/:id/open', async (req, res) => {
    const link = await openEntry(deps.orm, req.user!.id, String(req.params.id), deps.clock());
    if (!link) throw new NotFoundError('No such notification');
    res.redirect(303, link);
  });

  router.post('/notifications/read-all', async (req, res) => {
    await markAllRead(deps.orm, req.user!.id, deps.clock());
    res.redirect(303, '/notifications');
  });

  return router;
}
