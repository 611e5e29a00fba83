// The webhooks pages: an engagement's (its consultant) and the firm's (firm administrators). A new
// subscription's secret is shown in the answer to the form that made it, and never again.
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, fieldErrors, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import type { TargetRules } from '../../webhooks/address-guard.ts';
import { WEBHOOK_EVENT_KINDS } from '../../webhooks/event-kinds.ts';
import { Engagement } from '../../engagement/engagement.entity.ts';
import { requireViewer } from '../../engagement/engagement-access.ts';
import {
  listSubscriptions, subscribeEngagement, subscribeFirm, unsubscribeEngagement, unsubscribeFirm, type SubscriptionInput,
} from '../../webhooks/subscriptions.service.ts';

/** Checkboxes come as one string or several; anything else a crafted body sends is dropped. */
function chosenKinds(req: Request): string[] {
  const value = (req.body as Record<string, unknown> | undefined)?.eventTypes;
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

export function webhookRoutes(deps: WebDeps & { webhooks?: TargetRules }): Router {
  const router = Router();

  const render = async (req: Request, res: Response, engagementId: string | null, extra: { values?: Partial<SubscriptionInput>; errors?: Record<string, string>; created?: { secret: string } } = {}) => {
    const subscriptions = await listSubscriptions(deps, req.user!.id, engagementId);
    // An engagement's list is read only to a firm administrator who takes no part in it.
    const { readOnly } = engagementId ? await requireViewer(deps.orm.em.fork(), engagementId, req.user!.id, ['consultant']) : { readOnly: false };
    const locale = localeOf(req);
    const client = engagementId ? (await deps.orm.em.fork().findOne(Engagement, engagementId))?.clientName ?? '' : '';
    const errors = extra.errors ?? {};
    if (extra.created) res.setHeader('Cache-Control', 'no-store');
    res.status(Object.keys(errors).length ? 422 : 200).render('webhooks/index', {
      title: engagementId ? translate(locale, 'webhooks.titleEngagement', { client }) : translate(locale, 'webhooks.titleFirm'),
      engagementId,
      readOnly,
      action: engagementId ? `/engagements/${engagementId}/webhooks` : '/firm/webhooks',
      subscriptions,
      kinds: WEBHOOK_EVENT_KINDS,
      values: extra.values ?? {},
      errors,
      created: extra.created ?? null,
    });
  };

  const post = async (req: Request, res: Response, engagementId: string | null) => {
    const back = engagementId ? `/engagements/${engagementId}/webhooks` : '/firm/webhooks';
    if (field(req, 'intent') === 'remove') {
      const id = field(req, 'subscriptionId');
      await (engagementId ? unsubscribeEngagement(once(deps, req), req.user!.id, engagementId, id) : unsubscribeFirm(deps, req.user!.id, id));
      flash(req, 'notice', translate(localeOf(req), 'webhooks.removed'));
      return res.redirect(303, back);
    }
    const values = { targetUrl: field(req, 'targetUrl'), eventTypes: chosenKinds(req) };
    try {
      const created = await (engagementId ? subscribeEngagement(once(deps, req), req.user!.id, engagementId, values) : subscribeFirm(once(deps, req), req.user!.id, values));
      await render(req, res, engagementId, { created });
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await render(req, res, engagementId, { values, errors });
    }
  };

  router.get('/engagements/:id/webhooks', (req, res) => render(req, res, String(req.params.id)));
  router.post('/engagements/:id/webhooks', (req, res) => post(req, res, String(req.params.id)));
  router.get('/firm/webhooks', (req, res) => render(req, res, null));
  router.post('/firm/webhooks', (req, res) => post(req, res, null));
  return router;
}
