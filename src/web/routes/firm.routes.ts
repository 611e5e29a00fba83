// The firm administrator's page: the firm's consultants and a form to add one.
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { fields, fieldErrors, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { createConsultantAccount, listFirmPeople } from '../../users/firm-accounts.service.ts';

const CONSULTANT_FIELDS = ['email', 'name'] as const;

export function firmRoutes(deps: WebDeps): Router {
  const router = Router();

  const render = async (req: Request, res: Response, values: Record<string, string> = {}, errors: Record<string, string> = {}) => {
    const people = await listFirmPeople(deps, req.user!.id);
    res.status(Object.keys(errors).length ? 422 : 200).render('firm/consultants', { people, values, errors });
  };

  router.get('/firm/consultants', (req, res) => render(req, res));

  router.post('/firm/consultants', async (req, res) => {
    const values = fields(req, CONSULTANT_FIELDS);
    try {
      await createConsultantAccount(once(deps, req), req.user!.id, values);
      flash(req, 'notice', translate(localeOf(req), 'firm.invited', { email: values.email }));
      res.redirect(303, '/firm/consultants');
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await render(req, res, values, errors);
    }
  });

  return router;
}
