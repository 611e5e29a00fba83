// A person's calendar feed: the page to make, replace or turn off its secret address, and the feed itself,
// read by calendar programs without a session (the secret in the address is the only key).
import { Router } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { NotFoundError } from '../../errors.ts';
import { calendarFeedFor, hasCalendarFeed, renewCalendarFeed, revokeCalendarFeed } from '../../calendar-feed/calendar-feed.service.ts';

export function calendarFeedRoutes(deps: WebDeps): Router {
  const router = Router();
  router.get('/feeds/:token.ics', async (req, res) => {
    const feed = await calendarFeedFor(deps, String(req.params.token), deps.baseUrl);
    if (!feed) throw new NotFoundError('Calendar feed');
    res.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    res.setHeader('Cache-Control', 'private, no-cache');
    res.send(feed);
  });
  return router;
}

/** Behind sign-in: the person manages their own feed only. */
export function calendarFeedPageRoutes(deps: WebDeps): Router {
  const router = Router();
  router.get('/calendar-feed', async (req, res) => {
    res.render('content/feed', { since: await hasCalendarFeed(deps, req.user!.id), feedUrl: null });
  });
  router.post('/calendar-feed', async (req, res) => {
    if (field(req, 'intent') === 'revoke') {
      await revokeCalendarFeed(deps, req.user!.id);
      flash(req, 'notice', translate(localeOf(req), 'content.feed.revoked'));
      return res.redirect(303, '/calendar-feed');
    }
    // Shown once, in this answer: only the hash is stored, so nobody can read the address back later.
    const token = await renewCalendarFeed(deps, req.user!.id);
    res.setHeader('Cache-Control', 'no-store');
    res.render('content/feed', { since: deps.clock(), feedUrl: `${deps.baseUrl}/feeds/${token}.ics` });
  });
  return router;
}
