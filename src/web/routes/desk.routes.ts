// The review and message desk's pages and forms: the list with its filters and figures, one entry with its answer.
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, fields, fieldErrors, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { ListQuery, listHref, renderBadListAddress } from '../list-params.ts';
import { InvalidInputError } from '../../errors.ts';
import { DESK_KINDS } from '../../methodology/review-desk.schema.ts';
import { deskStatuses } from '../../desk/desk-entry.machine.ts';
import { SENTIMENTS } from '../../desk/desk-input.ts';
import { getDeskEntry, listDeskEntries, readDeskContext, type EntryFilter } from '../../desk/desk.queries.ts';
import * as desk from '../../desk/desk.service.ts';
import { formatDeskTime } from '../../desk/desk-time.ts';

/** The desk's pages show its moments on the engagement's clock. */
const deskTimeOf = (req: Request, timeZone: string) => (at: Date | string | null) => formatDeskTime(localeOf(req), at, timeZone);

const LOG_FIELDS = ['kind', 'channel', 'link', 'receivedAt', 'customerText', 'sentiment'] as const;

/** Every value a field was sent with: ticked boxes of one name arrive as one value or several. */
function fieldList(req: Request, name: string): string[] {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

export function deskRoutes(deps: WebDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);
  const me = (req: Request) => req.user!.id;
  const base = (req: Request) => `/engagements/${id(req)}/desk`;
  const context = (req: Request) => readDeskContext(deps, me(req), id(req), localeOf(req), translate(localeOf(req), 'content.chat'));
  const notice = (req: Request, key: string) => flash(req, 'notice', translate(localeOf(req), key));

  async function renderList(req: Request, res: Response, form: { values?: Record<string, string>; errors?: Record<string, string> } = {}) {
    const c = await context(req);
    const q = new ListQuery(req);
    const filter: EntryFilter = { type: q.oneOf('type', DESK_KINDS), status: q.oneOf('status', deskStatuses), sentiment: q.oneOf('sentiment', SENTIMENTS) };
    if (q.problems.length) return renderBadListAddress(req, res, deps.log, q.problems, base(req));
    const list = c.desk ? await listDeskEntries(c, filter) : { rows: [], shares: [] };
    res.status(form.errors ? 422 : 200).render('desk/list', {
      c, list, deskTime: deskTimeOf(req, c.timeZone), filter, kinds: DESK_KINDS, statuses: deskStatuses, sentiments: SENTIMENTS,
      isFiltered: Object.values(filter).some(Boolean), plainHref: listHref(base(req), {}),
      values: { receivedAt: c.nowLocal, ...(res.locals.typed ?? {}), ...(form.values ?? {}) }, errors: form.errors ?? {},
    });
  }

  router.get('/engagements/:id/desk', (req, res) => renderList(req, res));

  router.post('/engagements/:id/desk/entries', async (req, res) => {
    const values = fields(req, LOG_FIELDS);
    try {
      const entry = await desk.logEntry(once(deps, req), me(req), id(req), values);
      notice(req, 'desk.logged');
      res.redirect(303, `${base(req)}/entries/${entry.id}`);
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await renderList(req, res, { values, errors });
    }
  });

  router.post('/engagements/:id/desk/settings', async (req, res) => {
    await desk.setApprovalRequired(once(deps, req), me(req), id(req), { approvalRequired: field(req, 'approvalRequired') === '1' });
    notice(req, 'desk.settingsSaved');
    res.redirect(303, base(req));
  });

  async function renderEntry(req: Request, res: Response, form = '', values: Record<string, unknown> = {}, errors: Record<string, string> = {}) {
    const c = await context(req);
    const page = await getDeskEntry(c, String(req.params.entryId));
    res.status(Object.keys(errors).length ? 422 : 200).render('desk/entry', { c, p: page, deskTime: deskTimeOf(req, c.timeZone), form, values: { ...(res.locals.typed ?? {}), ...values }, errors });
  }

  router.get('/engagements/:id/desk/entries/:entryId', (req, res) => renderEntry(req, res));

  /** One entry form: run the command, or show the entry again with what was typed and why it was refused. */
  const entryForm = (name: string, read: (req: Request) => Record<string, unknown>, run: (req: Request, values: Record<string, unknown>) => Promise<unknown>, done: string) =>
    router.post(`/engagements/:id/desk/entries/:entryId/${name}`, async (req, res) => {
      const values = read(req);
      try {
        await run(req, values);
        notice(req, done);
        res.redirect(303, `${base(req)}/entries/${req.params.entryId}`);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        await renderEntry(req, res, name, values, fieldErrors(error, localeOf(req))!);
      }
    });

  const entry = (req: Request) => String(req.params.entryId);
  entryForm('answer', (req) => ({ answer: field(req, 'answer'), checkedRules: fieldList(req, 'checkedRules') }), (req, v) => desk.saveAnswer(once(deps, req), me(req), id(req), entry(req), v), 'desk.answerSaved');
  entryForm('submit', () => ({}), (req) => desk.submitAnswer(once(deps, req), me(req), id(req), entry(req)), 'desk.submitted');
  entryForm('approve', (req) => fields(req, ['comment']), (req, v) => desk.approveAnswer(once(deps, req), me(req), id(req), entry(req), String(v.comment)), 'desk.approved');
  entryForm('request-changes', (req) => fields(req, ['comment']), (req, v) => desk.requestAnswerChanges(once(deps, req), me(req), id(req), entry(req), String(v.comment)), 'desk.changesRequested');
  entryForm('send', (req) => fields(req, ['sentAt']), (req, v) => desk.markSent(once(deps, req), me(req), id(req), entry(req), v), 'desk.markedSent');

  return router;
}
