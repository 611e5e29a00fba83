// A living method: the review of a document after one it builds on was approved in a new version, and /verify/<hash>.
import { Router, type Request } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate, translateMessage } from '../i18n/i18n.ts';
import { getReviewPage } from '../../documents/review-flags.queries.ts';
import { confirmStillHolds, requestReviewChanges, type ReviewDecision } from '../../documents/review-flags.service.ts';
import { verifyHash } from '../../verify/verify.queries.ts';
import { listUpgradeOffers, upgradeMethodology } from '../../engagement/methodology-upgrade.service.ts';

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

  // The consultant compares the newer versions of the methodology and moves the engagement to one.
  router.get('/engagements/:id/methodology', async (req, res) => {
    const u = await listUpgradeOffers(deps, req.user!.id, String(req.params.id));
    const locale = localeOf(req);
    res.render('living/upgrade', { u: { ...u, offers: u.offers.map((o) => ({ ...o, refusals: o.refusals.map((r) => translateMessage(locale, r)) })) } });
  });

  router.post('/engagements/:id/methodology/upgrade', async (req, res) => {
    const result = await upgradeMethodology(once(deps, req), req.user!.id, String(req.params.id), field(req, 'to'), field(req, 'fromHash'));
    flash(req, 'notice', translate(localeOf(req), 'living.upgrade.done', { from: result.from.key, to: result.to.key }));
    res.redirect(303, `/engagements/${String(req.params.id)}`);
  });

  return router;
}
