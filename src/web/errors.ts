// One place turns errors into pages: the person reads what happened; the log keeps the detail.
import type { NextFunction, Request, Response } from 'express';
import { AppError, BlockedError, InvalidInputError } from '../errors.ts';
import { translateMessage, translator } from './i18n/i18n.ts';
import { localeOf, flash } from './context.ts';
import { describeBlockersIn } from './presenters/blockers.ts';

/** Where a refused form goes back to: the page it came from, if it is one of ours. */
function backTo(req: Request): string {
  try {
    const url = new URL(req.get('referer') ?? '', `http://${req.get('host')}`);
    if (url.host === req.get('host')) return url.pathname + url.search;
  } catch {
    // fall through to the home page
  }
  return '/';
}

function detailsOf(error: AppError, locale: 'en' | 'ru'): string[] {
  if (error instanceof BlockedError) {
    return error.blockers.length ? describeBlockersIn(locale, error.blockers) : error.reasons.map((r) => translateMessage(locale, r));
  }
  if (error instanceof InvalidInputError) return error.problems.map((p) => translateMessage(locale, p.message));
  return [];
}

export function createErrorPages(log: (line: string) => void, generateToken: (req: Request) => string) {
  const tokenFor = (req: Request) => {
    try {
      return req.session ? generateToken(req) : '';
    } catch {
      return '';
    }
  };

  function render(req: Request, res: Response, status: number, key: string, details: string[] = []): void {
    const locale = localeOf(req);
    const t = translator(locale);
    // An error raised before the page context (a bad CSRF token, say) still gets a whole page.
    const defaults = { t, locale, user: req.user ?? null, path: req.path, takeFlash: () => [], csrfToken: tokenFor(req) };
    res.status(status).render('errors/error', { ...defaults, ...res.locals, status, title: t(`${key}.title`), message: t(`${key}.text`), details });
  }

  // A missing page keeps the messages waiting for the next real page (a stray favicon request must not eat them).
  const notFound = (req: Request, res: Response) => {
    res.locals.takeFlash = () => [];
    render(req, res, 404, 'errors.notFound');
  };

  const errorHandler = (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const locale = localeOf(req);
    if ((error as { code?: string }).code === 'EBADCSRFTOKEN') return render(req, res, 403, 'errors.csrf');
    if (!(error instanceof AppError)) {
      log(`error on ${req.method} ${req.originalUrl}: ${(error as Error)?.stack ?? String(error)}`);
      return render(req, res, 500, 'errors.internal');
    }
    if (error.code === 'NOT_FOUND') return render(req, res, 404, 'errors.notFound');
    if (error.code === 'FORBIDDEN') return render(req, res, 403, 'errors.forbidden');
    // A refused form goes back where it came from and says why, keeping the page's context.
    if (req.method === 'POST') {
      const headline = error instanceof InvalidInputError ? translator(locale)('form.fixErrors') : translateMessage(locale, error.message.split(':')[0]!);
      flash(req, 'error', headline, detailsOf(error, locale));
      return res.redirect(303, backTo(req));
    }
    render(req, res, error.status, 'errors.refused', [translateMessage(locale, error.message)]);
  };

  return { notFound, errorHandler };
}
