// A living method: the review of a document after one it builds on was approved in a new version, and /verify/<hash>.
import { Router, type Request } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { getReviewPage } from '../../documents/review-flags.queries.ts';
import { confirmStillHolds, requestReviewChanges, type ReviewDecision } from '../../documents/review-flags.service.ts';
import { verifyHash } from '../../verify/verify.queries.ts';

export function livingRoutes(deps: WebDeps): Router {
  const router = Router();
  const reviewUrl = (req: Request) => `/engagements/${String(req.params.id)}/reviews/${String(req.params.flagId)}`;

  router.get('/engagements/:id/reviews/:flagId', async (req, res) => {
    const r = await getReviewPage(deps, req.user!.id, String(req.params.id), String(req.params.flagId), localeOf(req));
    res.render('living/review', { r });
  });

  /** The notice names the document in the reader's language, from the methodology the engagement runs on. */
  async function noticeFor(req: Request, key: string, decision: ReviewDecision): Promise<void> {
    const r = await getReviewPage(deps, req.user!.id, String(req.params.id), decision.flagId, localeOf(req));
    flash(req, 'notice', translate(localeOf(req), key, { document: r.document.title }));
  }

  router.post('/engagements/:id/reviews/:flagId/confirm', async (req, res) => {
    const seen = { documentHash: field(req, 'documentHash'), upstreamHash: field(req, 'upstreamHash') };
    const decision = await confirmStillHolds(once(deps, req), req.user!.id, String(req.params.id), String(req.params.flagId), seen);
    await noticeFor(req, 'living.review.confirmed', decision);
    res.redirect(303, reviewUrl(req));
  });

  router.post('/engagements/:id/reviews/:flagId/request-changes', async (req, res) => {
    const decision = await requestReviewChanges(once(deps, req), req.user!.id, String(req.params.id), String(req.params.flagId), field(req, 'comment').slice(0, 4000));
    await noticeFor(req, 'living.review.changesRequested', decision);
    res.redirect(303, reviewUrl(req));
  });

  // What a SHA-256 names: an approved version or a printed PDF, in the reader's own engagements only.
  router.get('/verify/:hash', async (req, res) => {
    res.render('living/verify', { v: await verifyHash(deps, req.user!.id, String(req.params.hash), localeOf(req)) });
  });

  return router;
}
