// Notification choices and reminders: a person's per-kind preferences, the one-click unsubscribe
// of the e-mails (signed, without signing in), and the consultant's page of an engagement's
// reminders: its time zone and the background jobs that failed for it.
import { Router, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { field, fieldErrors, once } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { pickLocale, translate, translator, isLocale } from '../i18n/i18n.ts';
import { NOTIFICATION_KINDS } from '../../notifications/notification-rules.ts';
import { DELIVERY_MODES, isDeliveryMode, isNotificationKind, readPreferences, savePreferences, type Preferences } from '../../notifications/preferences.ts';
import { isValidUnsubscribeSignature, unsubscribeSecret } from '../../notifications/unsubscribe-link.ts';
import { isUuid } from '../../engagement/command.ts';
import { requireViewer } from '../../engagement/engagement-access.ts';
import { readFailedJobs } from '../../reminders/failed-jobs.queries.ts';
import { setEngagementTimeZone } from '../../reminders/time-zone.service.ts';

/**
 * Before the CSRF check, on purpose: a mail program's one-click POST (RFC 8058) carries no token;
 * the signed address is the proof. Its pages stand alone (no session, no top bar).
 */
export function unsubscribeRoutes(deps: WebDeps): Router {
  const router = Router();
  const check = async (req: Request) => {
    const { userId, kind, signature } = req.params as Record<string, string>;
    if (!isUuid(userId!) || !isNotificationKind(kind) || !isValidUnsubscribeSignature(await unsubscribeSecret(deps.orm), userId!, kind, signature!)) return null;
    const [person] = (await deps.orm.em.fork().getConnection().execute('select locale from users where id = ?', [userId])) as { locale: string }[];
    return person ? { userId: userId!, kind, locale: isLocale(person.locale) ? person.locale : pickLocale(req.get('accept-language')) } : null;
  };
  const page = (res: Response, locale: 'en' | 'ru', status: number, locals: Record<string, unknown>) => res.status(status).render('reminders/unsubscribe', { locale, t: translator(locale), ...locals });

  router.get('/unsubscribe/:userId/:kind/:signature', async (req, res) => {
    const link = await check(req);
    if (!link) return page(res, pickLocale(req.get('accept-language')), 404, { state: 'invalid' });
    page(res, link.locale, 200, { state: 'confirm', kindName: translate(link.locale, `reminders.kindName.${link.kind}`), action: req.originalUrl });
  });

  router.post('/unsubscribe/:userId/:kind/:signature', async (req, res) => {
    const link = await check(req);
    if (!link) return page(res, pickLocale(req.get('accept-language')), 404, { state: 'invalid' });
    await savePreferences(deps.orm, link.userId, { [link.kind]: 'off' }, deps.clock());
    deps.log(`unsubscribe: ${link.kind} turned off for ${link.userId}`);
    page(res, link.locale, 200, { state: 'done', kindName: translate(link.locale, `reminders.kindName.${link.kind}`) });
  });
  return router;
}

export function reminderRoutes(deps: WebDeps): Router {
  const router = Router();
  const me = (req: Request) => req.user!.id;

  router.get('/notifications/preferences', async (req, res) => {
    res.render('reminders/preferences', { kinds: NOTIFICATION_KINDS, modes: DELIVERY_MODES, preferences: await readPreferences(deps.orm.em.fork(), me(req)), unknown: [] });
  });

  router.post('/notifications/preferences', async (req, res) => {
    const choices: Partial<Preferences> = {};
    const unknown = NOTIFICATION_KINDS.filter((kind) => field(req, kind) && !isDeliveryMode(field(req, kind)));
    if (unknown.length) {
      // Only a hand-made request gets here: nothing is saved, and the page says which rows to choose again.
      const preferences = await readPreferences(deps.orm.em.fork(), me(req));
      return res.status(422).render('reminders/preferences', { kinds: NOTIFICATION_KINDS, modes: DELIVERY_MODES, preferences, unknown });
    }
    for (const kind of NOTIFICATION_KINDS) {
      const mode = field(req, kind);
      if (isDeliveryMode(mode)) choices[kind] = mode;
    }
    await savePreferences(deps.orm, me(req), choices, deps.clock());
    flash(req, 'notice', translate(localeOf(req), 'reminders.preferences.saved'));
    res.redirect(303, '/notifications/preferences');
  });

  // The consultant's page; a firm administrator who takes no part reads it too, read only (engagement-access.ts).
  const consultantOf = async (req: Request) => {
    const id = String(req.params.id);
    const em = deps.orm.em.fork();
    const { readOnly } = await requireViewer(em, id, me(req), ['consultant']);
    const [row] = (await em.getConnection().execute(`select client_name, time_zone from engagements where id = ?`, [id])) as { client_name: string; time_zone: string }[];
    return { id, clientName: row!.client_name, timeZone: row!.time_zone, readOnly };
  };
  const renderPage = async (req: Request, res: Response, values: { timeZone: string }, errors: Record<string, string> | null = null) => {
    const engagement = await consultantOf(req);
    res.status(errors ? 422 : 200).render('reminders/engagement', { engagement, values, errors, failed: await readFailedJobs(deps.orm, engagement.id) });
  };

  router.get('/engagements/:id/reminders', async (req, res) => {
    const engagement = await consultantOf(req);
    await renderPage(req, res, { timeZone: engagement.timeZone });
  });

  router.post('/engagements/:id/time-zone', async (req, res) => {
    const zone = field(req, 'timeZone');
    try {
      const saved = await setEngagementTimeZone(once(deps, req), me(req), String(req.params.id), zone);
      flash(req, 'notice', translate(localeOf(req), 'reminders.engagement.saved', { zone: saved }));
      res.redirect(303, `/engagements/${String(req.params.id)}/reminders`);
    } catch (error) {
      const errors = fieldErrors(error, localeOf(req));
      if (!errors) throw error;
      await renderPage(req, res, { timeZone: zone }, errors);
    }
  });

  return router;
}
