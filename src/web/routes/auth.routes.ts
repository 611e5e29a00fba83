// Sign-in, sign-out, invitations, password reset and the language switch.
import { Router, type Request, type Response, type NextFunction } from 'express';
import type passport from 'passport';
import type { WebDeps } from '../web-deps.ts';
import { field, fieldErrors } from '../forms.ts';
import { flash, localeOf } from '../context.ts';
import { translate, isLocale } from '../i18n/i18n.ts';
import { findUsableToken, setPasswordWithToken, requestPasswordReset } from '../../users/invitations.service.ts';
import { setUserLocale } from '../../users/users.service.ts';
import type { SignedInUser } from '../auth.ts';

/** Only a path on this site: "//evil.example" or "https://…" would send the person elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

export function authRoutes(deps: WebDeps, auth: passport.PassportStatic): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, '/');
    res.render('auth/login', { email: typeof req.query.email === 'string' ? req.query.email : '', next: safeNext(req.query.next), error: null });
  });

  router.post('/login', async (req: Request, res: Response, next: NextFunction) => {
    const email = field(req, 'email');
    const ip = req.ip ?? 'unknown';
    const locale = localeOf(req);
    const wait = await deps.limiter.waitMinutes(email, ip);
    if (wait > 0) {
      return res.status(429).render('auth/login', { email, next: safeNext(field(req, 'next')), error: translate(locale, 'auth.tooMany', { count: wait }) });
    }
    auth.authenticate('local', (error: unknown, user: SignedInUser | false) => {
      if (error) return next(error);
      if (!user) {
        void deps.limiter.recordFailure(email, ip).then(
          () => res.status(401).render('auth/login', { email, next: safeNext(field(req, 'next')), error: translate(locale, 'auth.wrong') }),
          next,
        );
        return;
      }
      // passport's login regenerates the session: the id an attacker planted before sign-in is dropped.
      req.login(user, (loginError) => {
        if (loginError) return next(loginError);
        void deps.limiter.clear(email, ip).then(() => res.redirect(303, safeNext(field(req, 'next'))), next);
      });
    })(req, res, next);
  });

  router.post('/logout', (req, res, next) => {
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy(() => {
        res.clearCookie('troika.sid');
        res.redirect(303, '/login');
      });
    });
  });

  router.post('/language', async (req, res) => {
    const locale = field(req, 'locale');
    if (isLocale(locale)) {
      if (req.user) await setUserLocale(deps, req.user.id, locale);
      else req.session.locale = locale;
    }
    res.redirect(303, safeNext(field(req, 'back')));
  });

  for (const kind of ['invite', 'reset'] as const) {
    const path = kind === 'invite' ? '/invitations/:token' : '/password/reset/:token';
    router.get(path, async (req, res) => {
      const token = await findUsableToken(deps, String(req.params.token), kind);
      res.status(token ? 200 : 410).render('auth/set-password', { kind, isValid: !!token, email: token?.user.email ?? '', errors: {} });
    });
    router.post(path, async (req, res) => {
      const token = String(req.params.token);
      try {
        const user = await setPasswordWithToken(deps, token, kind, { password: field(req, 'password'), confirm: field(req, 'confirm') });
        flash(req, 'notice', translate(localeOf(req), kind === 'invite' ? 'auth.passwordSetWelcome' : 'auth.passwordChanged'));
        res.redirect(303, `/login?email=${encodeURIComponent(user.email)}`);
      } catch (error) {
        const errors = fieldErrors(error, localeOf(req));
        if (!errors) throw error;
        const stillValid = !!(await findUsableToken(deps, token, kind));
        res.status(422).render('auth/set-password', { kind, isValid: stillValid, email: '', errors });
      }
    });
  }

  router.get('/password/forgot', (_req, res) => res.render('auth/forgot', { sent: false }));
  router.post('/password/forgot', async (req, res) => {
    await requestPasswordReset(deps, field(req, 'email'));
    res.render('auth/forgot', { sent: true });
  });

  return router;
}
