// The content plan's pages and forms: the plan, the list, the month calendar, one item, the CSV export.
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, fields, fieldErrors, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { ListQuery, listHref, renderBadListAddress } from '../list-params.ts';
import { InvalidInputError } from '../../errors.ts';
import { contentStatuses } from '../../content/content-item.machine.ts';
import { isMonth, isWeek, isoWeekOf } from '../../content/content-rules.ts';
import { METRICS } from '../../content/content-input.ts';
import { contentPlanCsv, getContentCalendar, getContentItem, listContentItems, monthsOfPlan, readContentContext, type ItemFilter } from '../../content/content.queries.ts';
import { readThread } from '../../comments/comments.queries.ts';
import { refuseReadOnly } from '../../engagement/engagement-access.ts';
import { fillMonth, saveWeekdayThemes } from '../../content/content-plan.service.ts';
import * as items from '../../content/content-items.service.ts';

const ITEM_FIELDS = ['title', 'format', 'body', 'mediaLinks', 'authorId'] as const;

/** Every value a field was sent with: ticked boxes of one name arrive as one value or several. */
function fieldList(req: Request, name: string): string[] {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

export function contentRoutes(deps: WebDeps): Router {
  const router = Router();
  const id = (req: Request) => String(req.params.id);
  const me = (req: Request) => req.user!.id;
  const base = (req: Request) => `/engagements/${id(req)}/content`;
  const context = (req: Request) => readContentContext(deps, me(req), id(req), localeOf(req), translate(localeOf(req), 'content.chat'));
  const notice = (req: Request, key: string, params = {}) => flash(req, 'notice', translate(localeOf(req), key, params));

  async function renderPlan(req: Request, res: Response, form: { name?: string; values?: Record<string, unknown>; errors?: Record<string, string> } = {}) {
    const c = await context(req);
    const months = monthsOfPlan(c.header.plan);
    res.status(form.errors ? 422 : 200).render('content/plan', { c, months, form: { name: form.name ?? '', values: form.values ?? {}, errors: form.errors ?? {} } });
  }

  router.get('/engagements/:id/content', (req, res) => renderPlan(req, res));

  router.post('/engagements/:id/content/themes', async (req, res) => {
    const themes = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, theme: field(req, `theme${weekday}`), brief: field(req, `brief${weekday}`) }));
    try {
      await saveWeekdayThemes(once(deps, req), me(req), id(req), { themes });
      notice(req, 'content.themesSaved');
      res.redirect(303, base(req));
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await renderPlan(req, res, { name: 'themes', values: req.body as Record<string, unknown>, errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.replace(/^themes\.(\d)\.(theme|brief)$/, (_, i: string, f: string) => `${f}${Number(i) + 1}`), v])) });
    }
  });

  router.post('/engagements/:id/content/fill', async (req, res) => {
    const values = { month: field(req, 'month'), channels: fieldList(req, 'channels'), weekdays: fieldList(req, 'weekdays') };
    try {
      const made = await fillMonth(once(deps, req), me(req), id(req), values);
      notice(req, 'content.filled', { count: made.length });
      res.redirect(303, `${base(req)}/calendar?month=${values.month}`);
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await renderPlan(req, res, { name: 'fill', values, errors });
    }
  });

  router.get('/engagements/:id/content/items', async (req, res) => {
    const c = await context(req);
    const q = new ListQuery(req);
    const filter: ItemFilter = {
      channel: q.oneOf('channel', c.channels.map((ch) => ch.key)),
      status: q.oneOf('status', contentStatuses),
      author: q.uuid('author'),
      week: q.text('week'),
    };
    if (filter.week && !isWeek(filter.week)) q.problems.push({ key: 'week', params: { name: 'week', value: filter.week.slice(0, 60) } });
    if (q.problems.length) return renderBadListAddress(req, res, deps.log, q.problems, `${base(req)}/items`);
    const list = await listContentItems(c, filter);
    const href = (over: Partial<ItemFilter>) => listHref(`${base(req)}/items`, { ...filter, ...over });
    res.render('content/list', { c, list, filter, href, statuses: contentStatuses, isFiltered: Object.values(filter).some(Boolean) });
  });

  router.post('/engagements/:id/content/weeks/:week/approve', async (req, res) => {
    const approved = await items.approveWeek(once(deps, req), me(req), id(req), String(req.params.week), field(req, 'comment'));
    notice(req, 'content.weekApproved', { count: approved.length });
    res.redirect(303, `${base(req)}/items?week=${encodeURIComponent(String(req.params.week))}`);
  });

  router.get('/engagements/:id/content/calendar', async (req, res) => {
    const c = await context(req);
    const q = new ListQuery(req);
    const asked = q.text('month');
    if (asked && !isMonth(asked)) q.problems.push({ key: 'month', params: { name: 'month', value: asked.slice(0, 60) } });
    if (q.problems.length) return renderBadListAddress(req, res, deps.log, q.problems, `${base(req)}/calendar`);
    const month = asked ?? (c.today >= c.header.plan.first && c.today <= c.header.plan.last ? c.today.slice(0, 7) : c.header.plan.first.slice(0, 7));
    res.render('content/calendar', { c, month, calendar: await getContentCalendar(c, month), weekOf: isoWeekOf });
  });

  router.get('/engagements/:id/content/plan.csv', async (req, res) => {
    const c = await context(req);
    const t = (key: string) => translate(c.language, key);
    const csv = await contentPlanCsv(c, ['day', 'theme', 'channel', 'format', 'title', 'status', 'author', 'address'].map((k) => t(`content.csv.${k}`)), (s) => t(`content.status.${s}`));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="content-plan.csv"');
    res.send(csv);
  });

  async function renderItemForm(req: Request, res: Response, values: Record<string, string> = {}, errors: Record<string, string> = {}) {
    const c = await context(req);
    refuseReadOnly(c);
    const day = values.plannedOn ?? (typeof req.query.day === 'string' ? req.query.day : '');
    res.status(Object.keys(errors).length ? 422 : 200).render('content/new', { c, values: { ...values, plannedOn: day }, errors });
  }

  router.get('/engagements/:id/content/items/new', (req, res) => renderItemForm(req, res));

  router.post('/engagements/:id/content/items', async (req, res) => {
    const values = fields(req, [...ITEM_FIELDS, 'channel', 'plannedOn']);
    try {
      const item = await items.createItem(once(deps, req), me(req), id(req), { ...values, authorId: values.authorId || undefined });
      notice(req, 'content.created');
      res.redirect(303, `${base(req)}/items/${item.id}`);
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await renderItemForm(req, res, values, errors);
    }
  });

  async function renderItem(req: Request, res: Response, form = '', values: Record<string, string> = {}, errors: Record<string, string> = {}) {
    const c = await context(req);
    const page = await getContentItem(c, String(req.params.itemId));
    const thread = await readThread(deps, req.user!.id, c.engagement.id, { type: 'contentItem', id: page.item.id }, localeOf(req));
    res.status(Object.keys(errors).length ? 422 : 200).render('content/item', { c, p: page, thread, form, values: { ...(res.locals.typed ?? {}), ...values }, errors, metrics: METRICS });
  }

  router.get('/engagements/:id/content/items/:itemId', (req, res) => renderItem(req, res));

  /** One item form: run the command, or show the item again with what was typed and why it was refused. */
  const itemForm = (name: string, names: readonly string[], run: (req: Request, values: Record<string, string>) => Promise<unknown>, done: string) =>
    router.post(`/engagements/:id/content/items/:itemId/${name}`, async (req, res) => {
      const values = fields(req, names);
      try {
        await run(req, values);
        notice(req, done);
        res.redirect(303, `${base(req)}/items/${req.params.itemId}`);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        await renderItem(req, res, name, values, fieldErrors(error, localeOf(req))!);
      }
    });

  const item = (req: Request) => String(req.params.itemId);
  itemForm('edit', ITEM_FIELDS, (req, v) => items.editItem(once(deps, req), me(req), id(req), item(req), { ...v, authorId: v.authorId || undefined }), 'content.saved');
  itemForm('submit', [], (req) => items.submitItem(once(deps, req), me(req), id(req), item(req)), 'content.submitted');
  itemForm('approve', ['comment'], (req, v) => items.approveItem(once(deps, req), me(req), id(req), item(req), v.comment), 'content.approved');
  itemForm('request-changes', ['comment'], (req, v) => items.requestItemChanges(once(deps, req), me(req), id(req), item(req), v.comment!), 'content.changesRequested');
  itemForm('schedule', ['scheduledAt'], (req, v) => items.scheduleItem(once(deps, req), me(req), id(req), item(req), v), 'content.scheduled');
  itemForm('publish', ['publishedUrl', 'publishedAt'], (req, v) => items.publishItem(once(deps, req), me(req), id(req), item(req), v), 'content.published');
  itemForm('measure', METRICS, (req, v) => items.measureItem(once(deps, req), me(req), id(req), item(req), v as never), 'content.measured');
  itemForm('move', ['plannedOn'], (req, v) => items.moveItem(once(deps, req), me(req), id(req), item(req), v), 'content.moved');

  return router;
}
