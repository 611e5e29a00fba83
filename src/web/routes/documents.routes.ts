// Project documents: draft and submit a version, read it with what changed, approve or ask for changes.
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, fieldErrors } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { getDocumentPage } from '../../documents/document.queries.ts';
import { getEngagementOverview } from '../../engagement/overview.ts';
import { submitDocumentVersion, approveDocument, requestChanges } from '../../documents/documents.service.ts';
import { NotFoundError } from '../../errors.ts';

export function documentRoutes(deps: WebDeps): Router {
  const router = Router();
  const base = (req: Request) => `/engagements/${String(req.params.id)}`;

  const renderEditor = async (req: Request, res: Response, typeId: string, values: { title: string; text: string }, errors: Record<string, string>) => {
    const overview = await getEngagementOverview(deps, req.user!.id, String(req.params.id), localeOf(req));
    const type = overview.documentTypes.find((d) => d.id === typeId);
    if (!type || overview.role === 'owner') throw new NotFoundError('Document type');
    res.status(Object.keys(errors).length ? 422 : 200).render('documents/edit', { e: overview, type, values, errors });
  };

  router.get('/engagements/:id/documents/new', async (req, res) => {
    await renderEditor(req, res, String(req.query.type ?? ''), { title: '', text: '' }, {});
  });

  router.post('/engagements/:id/documents', async (req, res) => {
    const typeId = field(req, 'typeId');
    const values = { title: field(req, 'title').trim(), text: field(req, 'text') };
    if (!values.text.trim()) {
      return renderEditor(req, res, typeId, values, { text: translate(localeOf(req), 'document.textRequired') });
    }
    try {
      const version = await submitDocumentVersion(deps, req.user!.id, String(req.params.id), typeId, { title: values.title, text: values.text });
      flash(req, 'notice', translate(localeOf(req), 'document.submitted', { number: version.number }));
      res.redirect(303, `${base(req)}/documents/${version.document.id}`);
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await renderEditor(req, res, typeId, values, { text: Object.values(errors).join('; ') });
    }
  });

  router.get('/engagements/:id/documents/:documentId', async (req, res) => {
    const raw = Number(req.query.version);
    const page = await getDocumentPage(deps, req.user!.id, String(req.params.id), String(req.params.documentId), localeOf(req), Number.isInteger(raw) && raw > 0 ? raw : undefined);
    res.render('documents/show', { d: page });
  });

  router.post('/engagements/:id/documents/:documentId/approve', async (req, res) => {
    await approveDocument(deps, req.user!.id, String(req.params.id), String(req.params.documentId), field(req, 'hash'), field(req, 'comment').slice(0, 4000));
    flash(req, 'notice', translate(localeOf(req), 'document.approved'));
    res.redirect(303, `${base(req)}/documents/${req.params.documentId}`);
  });

  router.post('/engagements/:id/documents/:documentId/request-changes', async (req, res) => {
    await requestChanges(deps, req.user!.id, String(req.params.id), String(req.params.documentId), field(req, 'hash'), field(req, 'comment').slice(0, 4000));
    flash(req, 'notice', translate(localeOf(req), 'document.changesRequested'));
    res.redirect(303, `${base(req)}/documents/${req.params.documentId}`);
  });

  return router;
}
