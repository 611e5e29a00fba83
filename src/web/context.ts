// What every page needs: the person, their language, the CSRF token, messages carried over a redirect.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { isLocale, pickLocale, translator, type Locale } from './i18n/i18n.ts';
import { formatDateWith } from '../intl-formats.ts';

const DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' };
const DATE_TIME: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' };

export function localeOf(req: Request): Locale {
  if (req.user) return req.user.locale;
  if (isLocale(req.session?.locale)) return req.session.locale;
  return pickLocale(req.headers['accept-language']);
}

/**
 * The CSRF token as a value templates print (`<%= csrfToken %>` turns it into text): the token is
 * made, and so the session stored, only when a page really prints a form. A redirect or a page
 * without a form leaves an anonymous visitor without a session row.
 */
export function lazyCsrfToken(req: Request, generateToken: (req: Request) => string): { toString(): string } {
  let token: string | undefined;
  return {
    toString() {
      // A request that never got a session (one failed before the session middleware) cannot hold a token.
      if (token === undefined) token = req.session ? generateToken(req) : '';
      return token;
    },
  };
}

export function pageContext(generateToken: (req: Request) => string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const locale = localeOf(req);
    const t = translator(locale);
    res.locals.locale = locale;
    res.locals.t = t;
    res.locals.user = req.user ?? null;
    res.locals.path = req.path;
    res.locals.csrfToken = lazyCsrfToken(req, generateToken);
    res.locals.newFormKey = () => randomUUID();
    // Messages are taken only when a page really shows them, not by any request that passes by.
    res.locals.takeFlash = () => {
      const messages = req.session?.flash ?? [];
      if (req.session?.flash) delete req.session.flash;
      return messages;
    };
    res.locals.formatDate = (d: Date | string | null) => (d ? formatDateWith(locale, DATE, new Date(d)) : '—');
    res.locals.formatDateTime = (d: Date | string | null) => (d ? formatDateWith(locale, DATE_TIME, new Date(d)) + ' UTC' : '—');
    next();
  };
}

export function flash(req: Request, kind: 'notice' | 'error', text: string, details?: string[]): void {
  req.session.flash = [...(req.session.flash ?? []), { kind, text, ...(details?.length ? { details } : {}) }];
}

/** Only signed-in people get past this; others go to the login page and come back after. */
export function requireSignIn(req: Request, res: Response, next: NextFunction): void {
  if (req.user) return next();
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
}
