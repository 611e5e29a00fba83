// The people of an engagement as the project manager runs them: removing a staff member, naming and withdrawing the owner's delegate.
import { Router, type Request } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { removeParticipant } from '../../engagement/participants.service.ts';
import { nameOwnerDelegate, withdrawOwnerDelegate } from '../../engagement/owner-delegate.service.ts';

export function peopleRoutes(deps: WebDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);
  const me = (req: Request) => req.user!.id;
  const notice = (req: Request, key: string, params = {}) => flash(req, 'notice', translate(localeOf(req), key, params));
  const people = (req: Request) => `/engagements/${id(req)}#people`;

  // Refusals (the owner, the consultant, someone not taking part) go to the error pages, which say why on this page.
  router.post('/engagements/:id/participants/remove', async (req, res) => {
    const removal = await removeParticipant(once(deps, req), me(req), id(req), field(req, 'userId'));
    notice(req, 'peopleManagement.removed', { name: removal.name, count: removal.unassignedTasks });
    res.redirect(303, people(req));
  });

  router.post('/engagements/:id/delegate', async (req, res) => {
    const delegate = await nameOwnerDelegate(once(deps, req), me(req), id(req), { userId: field(req, 'userId') });
    notice(req, 'peopleManagement.delegateNamed', { name: delegate.displayName });
    res.redirect(303, people(req));
  });

  router.post('/engagements/:id/delegate/withdraw', async (req, res) => {
    await withdrawOwnerDelegate(once(deps, req), me(req), id(req));
    notice(req, 'peopleManagement.delegateWithdrawn');
    res.redirect(303, people(req));
  });

  return router;
}
