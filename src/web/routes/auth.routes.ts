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
import type { SessionStore } from '../session.ts';

/** Only a path on this site: "//evil.example" or "https://…" would send the person elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

export function authRoutes(deps: WebDeps, auth: passport.PassportStatic, sessions: Pick<SessionStore, 'clearCookie'>): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, '/');
    res.render('auth/login', { email: typeof req.query.email === 'string' ? req.query.email : '', next: safeNext(req.query.next), error: null });
  });

  /*
   * The attempt is counted before the password is checked (see login-limit.ts), so parallel guesses
   * cannot all get under the limit. Five failures lock the account for everyone, its owner too; the
   * owner's way past the lock is "Forgot your password?": a password set by the e-mailed link clears
   * the account's count (below) and ends every other session. Sessions already signed in are not
   * touched by the lock, so a browser that has proved itself keeps working. A "known device" cookie
   * that skips the lock was left out on purpose: one more secret to steal, and the link suffices.
   */
  router.post('/login', async (req: Request, res: Response, next: NextFunction) => {
    const email = field(req, 'email');
    const ip = req.ip ?? 'unknown';
    const locale = localeOf(req);
    const again = (status: number, error: string, isLocked = false) =>
      res.status(status).render('auth/login', { email, next: safeNext(field(req, 'next')), error, isLocked });
    const allowance = await deps.limiter.beginSignIn(email, ip);
    if (allowance.waitMinutes > 0) return again(429, translate(locale, 'auth.tooMany', { count: allowance.waitMinutes }), allowance.isAccountLocked);
    auth.authenticate('local', (error: unknown, user: SignedInUser | false) => {
      if (error) return next(error);
      if (!user) return again(401, translate(locale, 'auth.wrong'));
      // passport's login regenerates the session: the id an attacker planted before sign-in is dropped.
      req.login(user, (loginError) => {
        if (loginError) return next(loginError);
        req.session.signedInAt = deps.clock().toISOString();
        req.session.passwordStamp = user.passwordStamp;
        void deps.limiter.signedIn(email, ip).then(() => res.redirect(303, safeNext(field(req, 'next'))), next);
      });
    })(req, res, next);
  });

  router.post('/logout', (req, res, next) => {
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy(() => {
        sessions.clearCookie(res);
        res.redirect(303, '/login');
      });
    });
  });

  // Not signed in, the header's switch is a GET form: it carries no CSRF token, so a page with no other
  // form stores no session for a passer-by. It changes only this browser's pages; a forged one does no
  // harm. Signed in, only the POST form (with its token) changes the account's language.
  router.get('/language', (req, res) => {
    const locale = req.query.locale;
    if (!req.user && isLocale(locale)) req.session.locale = locale;
    res.redirect(303, safeNext(req.query.back));
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
        // Holding the link proves the mailbox: a sign-in lock others caused on the account is lifted.
        await deps.limiter.clearAccount(user.email);
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

  router.get('/password/forgot', (_req, res) => res.render('auth/forgot', { sent: false, error: null }));
  /*
   * The answer must not tell who has an account, by its words or by its time. Both kinds of request
   * do the same work before answering (one count per address and per account, the same page); the
   * look-up, the new link and the e-mail happen only after the answer has gone out. Padding to a
   * fixed time was the other choice, but a slow mail server would then show through the pad.
   */
  router.post('/password/forgot', async (req, res) => {
    const email = field(req, 'email');
    const wait = await deps.limiter.beginPasswordReset(email, req.ip ?? 'unknown');
    if (wait > 0) return res.status(429).render('auth/forgot', { sent: false, error: translate(localeOf(req), 'auth.resetTooMany', { count: wait }) });
    res.once('close', () => {
      requestPasswordReset(deps, email).catch((error: unknown) => deps.log(`password reset e-mail not sent: ${(error as Error).message}`));
    });
    res.render('auth/forgot', { sent: true });
  });

  return router;
}
