// The owner's "no changes needed" on a project document, sent from the review list of the task that corrects the documentation.
import { Router, type Request } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { confirmDocumentUnchanged } from '../../documents/documentation-review.service.ts';
import { isUuid } from '../../engagement/command.ts';

export function documentationReviewRoutes(deps: WebDeps): Router {
  const router = Router();

  router.post('/engagements/:id/documents/:documentId/confirm', async (req: Request, res) => {
    const engagementId = String(req.params.id);
    const confirmed = await confirmDocumentUnchanged(once(deps, req), req.user!.id, engagementId, String(req.params.documentId), field(req, 'hash'));
    const locale = localeOf(req);
    flash(req, 'notice', translate(locale, 'correction.confirmed', { document: confirmed.title[locale], number: confirmed.version }));
    // Back to the list the form was on, at the row just confirmed.
    const taskId = field(req, 'taskId');
    res.redirect(303, isUuid(taskId) ? `/engagements/${engagementId}/tasks/${taskId}#review-${confirmed.typeId}` : `/engagements/${engagementId}`);
  });

  return router;
}
