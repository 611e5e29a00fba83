// Engagement pages and the consultant's, owner's and staff's actions on them; the services decide.
import { Router, type Request } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, fields, fieldErrors, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { renderEngagementPage } from './engagement-page.ts';
import {
  createEngagement,
  startEngagement,
  advanceStage,
  pauseEngagement,
  resumeEngagement,
  cancelEngagement,
  signStageOff,
} from '../../engagement/engagement.service.ts';
import { inviteParticipant } from '../../users/invitations.service.ts';
import { ForbiddenError } from '../../errors.ts';

const ENGAGEMENT_FIELDS = ['clientName', 'site', 'industry', 'plannedStart', 'feeAmount', 'methodology'] as const;
const INVITE_FIELDS = ['email', 'name', 'role', 'direction'] as const;

export function engagementRoutes(deps: WebDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);
  const me = (req: Request) => req.user!.id;
  const notice = (req: Request, key: string, params = {}) => flash(req, 'notice', translate(localeOf(req), key, params));

  const renderNew = (req: Request, res: import('express').Response, values: Record<string, string>, errors: Record<string, string>) =>
    res.status(Object.keys(errors).length ? 422 : 200).render('engagements/new', {
      values,
      errors,
      methodologies: deps.methodologies.list().map((m) => ({ key: m.key, name: m.definition.name[localeOf(req)], fee: m.definition.fee })),
    });

  router.get('/engagements/new', (req, res) => {
    if (!req.user!.firmRole) throw new ForbiddenError('Only consultants and firm administrators create engagements');
    renderNew(req, res, { plannedStart: deps.clock().toISOString().slice(0, 10), methodology: deps.methodologies.defaultKey() }, {});
  });

  router.post('/engagements', async (req, res) => {
    const values = fields(req, ENGAGEMENT_FIELDS);
    try {
      const engagement = await createEngagement(once(deps, req), me(req), { ...values, feeAmount: values.feeAmount || undefined, industry: values.industry || undefined, site: values.site || undefined });
      notice(req, 'engagement.created');
      res.redirect(303, `/engagements/${engagement.id}`);
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      renderNew(req, res, values, errors);
    }
  });

  router.get('/engagements/:id', (req, res) => renderEngagementPage(deps, req, res));

  router.post('/engagements/:id/participants', async (req, res) => {
    const values = fields(req, INVITE_FIELDS);
    try {
      await inviteParticipant(once(deps, req), me(req), id(req), { ...values, role: values.role as never, direction: (values.direction || undefined) as never });
      notice(req, 'engagement.invited', { email: values.email });
      res.redirect(303, `/engagements/${id(req)}#people`);
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await renderEngagementPage(deps, req, res, { invite: { values, errors } });
    }
  });

  const lifecycle = [
    ['start', startEngagement, 'engagement.started'],
    ['pause', pauseEngagement, 'engagement.paused'],
    ['resume', resumeEngagement, 'engagement.resumed'],
    ['cancel', cancelEngagement, 'engagement.cancelled'],
  ] as const;
  for (const [action, run, message] of lifecycle) {
    router.post(`/engagements/:id/${action}`, async (req, res) => {
      await run(once(deps, req), me(req), id(req));
      notice(req, message);
      res.redirect(303, `/engagements/${id(req)}`);
    });
  }

  router.post('/engagements/:id/advance', async (req, res) => {
    const version = Number(field(req, 'version'));
    const { to } = await advanceStage(once(deps, req), me(req), id(req), { fromStage: field(req, 'fromStage') || undefined, expectedVersion: Number.isInteger(version) && version > 0 ? version : undefined });
    notice(req, to === 'completed' ? 'engagement.completed' : 'engagement.advanced');
    res.redirect(303, `/engagements/${id(req)}`);
  });

  router.post('/engagements/:id/stages/:stageId/signoff', async (req, res) => {
    await signStageOff(once(deps, req), me(req), id(req), String(req.params.stageId));
    notice(req, 'engagement.signedOff');
    res.redirect(303, `/engagements/${id(req)}`);
  });

  return router;
}
