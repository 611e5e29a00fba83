// Project documents: the typed editor, drafts and submission, reading with changes, decisions, and PDFs.
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate, translateMessage, type Locale } from '../i18n/i18n.ts';
import { getDocumentPage, findLatestChangeRequest } from '../../documents/document.queries.ts';
import { readThread } from '../../comments/comments.queries.ts';
import { getEngagementOverview } from '../../engagement/overview.ts';
import { saveDocumentDraft, submitDocument, submitDocumentVersion, approveDocument, requestChanges } from '../../documents/documents.service.ts';
import { formToContent, describePath, limitsOf, maxLengthOf, REMOVE_ROW, withMandatoryRows, withBaselineRow, isMandatoryRow, type Content } from '../../documents/document-fields.ts';
import { achievementOf, formatPercent } from '../../documents/achievement.ts';
import type { ColumnDefinition } from '../../methodology/methodology.schema.ts';
import { getDocumentPdf, getDossierPdf, getStageReportPdf, type PdfDeps, type PdfFile } from '../../pdf/pdf.service.ts';
import { InvalidInputError, NotFoundError } from '../../errors.ts';
import { trainingRecordRows } from '../../training/training.queries.ts';
import type { DocumentType, Methodology } from '../../methodology/methodology.schema.ts';
import { ProjectDocument, DocumentVersion } from '../../documents/document.entity.ts';
import { Engagement } from '../../engagement/engagement.entity.ts';
import { isUuid } from '../../engagement/command.ts';
import { refuseReadOnly } from '../../engagement/engagement-access.ts';

const BLANK_ROWS = 3;

/** Messages per field, and for each form control in error the id of its message (for aria-describedby). */
interface EditorErrors {
  byField: Record<string, string[]>;
  invalid: Record<string, string>;
}

/** "kpis[1].target" -> the field "kpis", a message naming the row and column in the reader's words, and the cell it is about. */
function errorsByField(type: DocumentType, error: InvalidInputError, locale: Locale): EditorErrors {
  const out: EditorErrors = { byField: {}, invalid: {} };
  for (const problem of error.problems) {
    const path = problem.field.split(/[.[\]]+/).filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const key = typeof path[0] === 'string' && type.fields.some((f) => f.id === path[0]) ? path[0] : '_';
    const list = (out.byField[key] ??= []);
    list.push(`${key === '_' ? '' : `${describePath(type, path, locale)}: `}${translateMessage(locale, problem.message)}`);
    if (key !== '_') out.invalid[['f', ...path.slice(0, 3)].join('.')] ??= errorId(key, list.length - 1);
  }
  return out;
}

const errorId = (fieldId: string, index: number) => `error-${fieldId}-${index}`;
const NO_ERRORS: EditorErrors = { byField: {}, invalid: {} };

function sendPdf(res: Response, file: PdfFile): void {
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
  res.setHeader('X-Troika-Pdf-Cache', file.isFromCache ? 'hit' : 'miss');
  res.send(Buffer.from(file.bytes));
}

export function documentRoutes(deps: WebDeps & PdfDeps): Router {
  const router = Router();
  const engagementOf = (req: Request) => String(req.params.id);
  const base = (req: Request) => `/engagements/${engagementOf(req)}`;

  async function renderEditor(req: Request, res: Response, typeId: string, values: Content | null, errors: EditorErrors, blankRows = BLANK_ROWS) {
    const locale = localeOf(req);
    const overview = await getEngagementOverview(deps, req.user!.id, engagementOf(req), locale);
    const methodology = await methodologyOf(req);
    const type = methodology?.documentTypes.find((d) => d.id === typeId);
    if (!methodology || !type || overview.role === 'owner') throw new NotFoundError('Document type');
    refuseReadOnly(overview);
    // A new editor starts from the latest version, so a correction changes only what needs changing.
    // The mandatory networks' rows are always on the form, even when a posted form left one out.
    const content = withBaselineRow(type, withMandatoryRows(type, values ?? (await latestContent(engagementOf(req), typeId)) ?? {}));
    const modules = methodology.trainingModules.map((m) => ({ id: m.id, title: m.title }));
    const canFillFromTraining = methodology.training.recordDocument === typeId;
    // The quarterly plan and the final evaluation are filled from the Launch month's work (src/kpi).
    const kpiFill = typeId === methodology.kpis?.quarterlyPlan?.documentType ? 'quarterly-plan' : typeId === methodology.kpis?.finalEvaluation?.documentType ? 'final-evaluation' : null;
    const changeRequest = await findLatestChangeRequest(deps, engagementOf(req), typeId);
    // A computed column shows what its row gives now; the server computes it again whenever it is read.
    const computed = (column: ColumnDefinition, row: Content) => formatPercent(achievementOf(column, row), locale, '');
    res.status(Object.keys(errors.byField).length ? 422 : 200).render('documents/edit', {
      e: overview, type, values: content, errors: errors.byField, invalid: errors.invalid, errorId, limitsOf, maxLengthOf, removeRow: REMOVE_ROW, isMandatoryRow, blankRows, modules, canFillFromTraining, kpiFill, changeRequest, computed,
    });
  }

  async function methodologyOf(req: Request): Promise<Methodology | null> {
    if (!isUuid(engagementOf(req))) return null;
    const em = deps.orm.em.fork();
    const engagement = await em.findOne(Engagement, engagementOf(req));
    return engagement ? (await deps.methodologies.frozen(em, engagement.methodology.hash)).definition : null;
  }

  async function latestContent(engagementId: string, typeId: string): Promise<Content | null> {
    const em = deps.orm.em.fork();
    const document = await em.findOne(ProjectDocument, { engagement: engagementId, typeId });
    if (!document) return null;
    return (await em.findOne(DocumentVersion, { document, number: document.latestVersion }))?.content ?? null;
  }

  router.get('/engagements/:id/documents/new', async (req, res) => {
    const typeId = String(req.query.type ?? '');
    const methodology = await methodologyOf(req);
    if (req.query.fill === 'training' && methodology?.training.recordDocument === typeId) {
      // The training record is filled from the completed modules; the rest of the draft stays as it was.
      const type = methodology.documentTypes.find((d) => d.id === typeId);
      const table = type?.fields.find((f) => f.type === 'table');
      const rows = await trainingRecordRows(deps, req.user!.id, engagementOf(req), localeOf(req));
      const current = (await latestContent(engagementOf(req), typeId)) ?? {};
      return renderEditor(req, res, typeId, table ? { ...current, [table.id]: rows } : current, NO_ERRORS);
    }
    await renderEditor(req, res, typeId, null, NO_ERRORS);
  });

  router.post('/engagements/:id/documents', async (req, res) => {
    const typeId = field(req, 'typeId');
    const intent = field(req, 'intent');
    const locale = localeOf(req);
    const type = (await methodologyOf(req))?.documentTypes.find((d) => d.id === typeId);
    if (!type) throw new NotFoundError('Document type');
    const content = formToContent(type, req.body as Record<string, unknown>);
    const blankRows = Math.min(Math.max(Number(field(req, 'blankRows')) || BLANK_ROWS, 1), 50);
    if (intent === 'rows') return renderEditor(req, res, typeId, content, NO_ERRORS, blankRows + 5);
    // Only the explicit button sends for approval: a form posted without it (Enter, an old page) is saved as a draft.
    const isSubmit = intent === 'submit';
    try {
      const version = isSubmit
        ? await submitDocumentVersion(once(deps, req), req.user!.id, engagementOf(req), typeId, content)
        : await saveDocumentDraft(once(deps, req), req.user!.id, engagementOf(req), typeId, content);
      flash(req, 'notice', translate(locale, isSubmit ? 'document.submitted' : 'document.saved', { number: version.number }));
      res.redirect(303, `${base(req)}/documents/${version.document.id}`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      await renderEditor(req, res, typeId, content, errorsByField(type, error, locale), blankRows);
    }
  });

  router.post('/engagements/:id/documents/:documentId/submit', async (req, res) => {
    const version = await submitDocument(once(deps, req), req.user!.id, engagementOf(req), String(req.params.documentId));
    flash(req, 'notice', translate(localeOf(req), 'document.submitted', { number: version.number }));
    res.redirect(303, `${base(req)}/documents/${req.params.documentId}`);
  });

  router.get('/engagements/:id/documents/:documentId', async (req, res) => {
    const raw = Number(req.query.version);
    const page = await getDocumentPage(deps, req.user!.id, engagementOf(req), String(req.params.documentId), localeOf(req), Number.isInteger(raw) && raw > 0 ? raw : undefined);
    // ?marks=off shows the whole document without the change marks; the marks are the default for review.
    const thread = await readThread(deps, req.user!.id, engagementOf(req), { type: 'documentNumber', documentId: page.id, number: page.version.number }, localeOf(req));
    res.render('documents/show', { d: page, thread, showMarks: req.query.marks !== 'off' });
  });

  router.get('/engagements/:id/documents/:documentId/pdf', async (req, res) => {
    const raw = Number(req.query.version);
    sendPdf(res, await getDocumentPdf(deps, req.user!.id, engagementOf(req), String(req.params.documentId), localeOf(req), Number.isInteger(raw) && raw > 0 ? raw : undefined));
  });

  router.get('/engagements/:id/dossier.pdf', async (req, res) => {
    sendPdf(res, await getDossierPdf(deps, req.user!.id, engagementOf(req), localeOf(req)));
  });

  router.get('/engagements/:id/stages/:stageId/report.pdf', async (req, res) => {
    const locale = localeOf(req);
    const label = (status: string) => translate(locale, ['open', 'done'].includes(status) ? `tasks.${status}` : `documentStatus.${status}`);
    sendPdf(res, await getStageReportPdf(deps, req.user!.id, engagementOf(req), String(req.params.stageId), locale, label));
  });

  router.post('/engagements/:id/documents/:documentId/approve', async (req, res) => {
    await approveDocument(once(deps, req), req.user!.id, engagementOf(req), String(req.params.documentId), field(req, 'hash'), field(req, 'comment').slice(0, 4000));
    flash(req, 'notice', translate(localeOf(req), 'document.approved'));
    res.redirect(303, `${base(req)}/documents/${req.params.documentId}`);
  });

  router.post('/engagements/:id/documents/:documentId/request-changes', async (req, res) => {
    await requestChanges(once(deps, req), req.user!.id, engagementOf(req), String(req.params.documentId), field(req, 'hash'), field(req, 'comment').slice(0, 4000));
    flash(req, 'notice', translate(localeOf(req), 'document.changesRequested'));
    res.redirect(303, `${base(req)}/documents/${req.params.documentId}`);
  });

  return router;
}
