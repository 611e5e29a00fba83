// The KPI page of an engagement: each KPI's chart and status, the week's actuals form, the CSV import and
// the fills of the quarterly plan and the final evaluation.
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, fieldErrors, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate, translateMessage } from '../i18n/i18n.ts';
import { InvalidInputError } from '../../errors.ts';
import { kpiSummaries, readKpiContext } from '../../kpi/kpi.queries.ts';
import { enterWeeklyActuals, importActualsCsv, currentWeek } from '../../kpi/kpi.service.ts';
import { fillFinalEvaluation, fillQuarterlyPlan, fillTypeOf } from '../../kpi/kpi-fill.service.ts';
import { ProjectDocument } from '../../documents/document.entity.ts';
import { presentKpis } from '../presenters/kpi-view.ts';
import { uploadedFile } from '../form-upload.ts';
import { MAX_CSV_FILE_BYTES, readCsvFile } from '../../kpi/kpi-csv-file.ts';

interface KpiForm {
  name: string;
  values: Record<string, unknown>;
  errors: Record<string, string>;
  csvReport?: { line: number; message: string }[];
}

export function kpiRoutes(deps: WebDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);
  const me = (req: Request) => req.user!.id;
  const page = (req: Request) => `/engagements/${id(req)}/kpis`;

  async function renderKpis(req: Request, res: Response, form: KpiForm = { name: '', values: {}, errors: {} }) {
    const c = await readKpiContext(deps, me(req), id(req));
    const kpis = await kpiSummaries(c.em, { id: c.engagement.id, methodology: c.methodology }, c.today, c.now);
    const locale = localeOf(req);
    const canFill = !c.readOnly && (c.role === 'consultant' || c.role === 'staff');
    res.status(Object.keys(form.errors).length ? 422 : 200).render('kpi/index', {
      c, header: { id: c.engagement.id, clientName: c.engagement.clientName },
      kpis: presentKpis(kpis, c.methodology, locale, c.today, res.locals.formatDate as (d: string) => string),
      week: currentWeek(c.today), form, csvFileKb: MAX_CSV_FILE_BYTES / 1024,
      fills: canFill ? (['quarterly-plan', 'final-evaluation'] as const).filter((k) => fillTypeOf(c.methodology, k)) : [],
    });
  }

  router.get('/engagements/:id/kpis', (req, res) => renderKpis(req, res));

  router.post('/engagements/:id/kpis/actuals', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const values = Object.fromEntries(Object.entries(body).filter(([k, v]) => k.startsWith('value.') && typeof v === 'string').map(([k, v]) => [k.slice(6), v as string]));
    try {
      const saved = await enterWeeklyActuals(once(deps, req), me(req), id(req), { week: field(req, 'week'), values });
      flash(req, 'notice', translate(localeOf(req), 'kpi.saved', { count: saved.length }));
      res.redirect(303, page(req));
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await renderKpis(req, res, { name: 'actuals', values: { week: field(req, 'week'), ...Object.fromEntries(Object.entries(values).map(([k, v]) => [`values.${k}`, v])) }, errors });
    }
  });

  /** The lines to import: pasted, or from the file chosen (one or the other); a problem names its field. */
  function csvOf(req: Request): { text: string; field: 'csv' | 'csvFile' } | { field: 'csv' | 'csvFile'; problem: string } {
    const pasted = field(req, 'csv');
    const file = uploadedFile(req, 'csvFile');
    if (!file) return { text: pasted, field: 'csv' };
    if (pasted.trim()) return { field: 'csvFile', problem: 'paste the lines or choose a file, not both' };
    const read = readCsvFile(file);
    return 'text' in read ? { text: read.text, field: 'csvFile' } : { field: 'csvFile', problem: read.problem };
  }

  router.post('/engagements/:id/kpis/import', async (req, res) => {
    const csv = csvOf(req);
    const locale = localeOf(req);
    // What goes back into the textarea: what was pasted, never a file's text.
    const values = { csv: field(req, 'csv') };
    if ('problem' in csv) return renderKpis(req, res, { name: 'import', values, errors: { [csv.field]: translateMessage(locale, csv.problem) } });
    try {
      const { count } = await importActualsCsv(once(deps, req), me(req), id(req), csv.text);
      flash(req, 'notice', translate(locale, 'kpi.imported', { count }));
      res.redirect(303, page(req));
    } catch (error) {
      const errors = fieldErrors(error, locale);
      if (!errors || !(error instanceof InvalidInputError)) throw error;
      const csvReport = Object.entries(errors).filter(([k]) => /^csv\.\d+$/.test(k)).map(([k, message]) => ({ line: Number(k.slice(4)), message }));
      const whole = csvReport.length ? translate(locale, 'kpi.csvReport') : (errors.csv ?? Object.values(errors)[0]!);
      await renderKpis(req, res, { name: 'import', values, errors: { [csv.field]: whole }, csvReport });
    }
  });

  const fill = (path: string, run: typeof fillQuarterlyPlan) =>
    router.post(`/engagements/:id/kpis/fill/${path}`, async (req, res) => {
      const version = await run(once(deps, req), me(req), id(req));
      flash(req, 'notice', translate(localeOf(req), 'kpi.filled'));
      const document = await deps.orm.em.fork().findOneOrFail(ProjectDocument, version.document.id);
      res.redirect(303, `/engagements/${id(req)}/documents/new?type=${encodeURIComponent(document.typeId)}`);
    });
  fill('quarterly-plan', fillQuarterlyPlan);
  fill('final-evaluation', fillFinalEvaluation);

  return router;
}
