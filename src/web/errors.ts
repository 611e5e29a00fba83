// One place turns errors into pages: the person reads what happened; the log keeps the detail.
import type { NextFunction, Request, Response } from 'express';
import { AppError, BlockedError, InvalidInputError } from '../errors.ts';
import { translateMessage, translator } from './i18n/i18n.ts';
import { localeOf, flash, lazyCsrfToken } from './context.ts';
import { describeBlockersIn } from './presenters/blockers.ts';
import { DuplicateSubmissionError } from '../forms/form-submission.ts';
import { createOutageWatch, isDatabaseUnreachable, RETRY_AFTER_SECONDS } from './database-outage.ts';

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

/** A request refused before any route sees it (a NUL character, say), with the page that says why. */
export class UnreadableRequestError extends Error {
  readonly status = 400;
  readonly pageKey: string;
  constructor(pageKey: string, reason: string) {
    super(reason);
    this.name = 'UnreadableRequestError';
    this.pageKey = pageKey;
  }
}

/** The page for each status a client's own mistake carries; any other 4xx gets the "bad request" page. */
const CLIENT_PAGES: Record<number, string> = {
  400: 'errors.badRequest',
  404: 'errors.notFound',
  413: 'errors.tooLarge',
  415: 'errors.unsupportedEncoding',
};

/**
 * The 4xx status of a request Troika could not read: the body parser (413, 415, 400), URL decoding
 * (400) and the static files (404) set one. PostgreSQL's class 22 ("data exception": a number out of
 * range, an impossible date, a NUL byte) means a value from the request that no schema stopped;
 * it is the client's value, so a 400, though the log line names it for the schema to be tightened.
 */
function clientStatusOf(error: unknown): number | null {
  if (error instanceof AppError || !error || typeof error !== 'object') return null;
  const { status, statusCode, code } = error as { status?: unknown; statusCode?: unknown; code?: unknown };
  const given = typeof status === 'number' ? status : statusCode;
  if (typeof given === 'number' && given >= 400 && given < 500) return given;
  if (typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code)) return 400;
  return null;
}

/** "GET /engagements/x": the query is left out, it can hold what the log should not keep. */
const requestLine = (req: Request) => `${req.method} ${req.originalUrl.split('?')[0]!.slice(0, 300)}`;

function shortReason(error: unknown): string {
  const { message, code, type } = (error ?? {}) as { message?: unknown; code?: unknown; type?: unknown };
  const tag = typeof type === 'string' ? type : typeof code === 'string' ? code : '';
  const text = typeof message === 'string' ? message.split('\n')[0]!.slice(0, 200) : String(error);
  return tag ? `${tag}: ${text}` : text;
}

/**
 * A refused form is answered with its refusal's status (409, 422) and the page it was sent from,
 * showing why: the page is rendered again by running the app once more as a GET of that page.
 * The status stays the refusal's whatever the page's own handler would set, and what was typed
 * is offered to the page as `typed`.
 */
function showRefusalOn(req: Request, res: Response, status: number, replay: (req: Request, res: Response) => void): void {
  const typed = (req.body ?? {}) as Record<string, unknown>;
  const back = backTo(req);
  res.status(status);
  res.status = () => res;
  res.locals.typed = Object.fromEntries(Object.entries(typed).filter(([k, v]) => typeof v === 'string' && !k.startsWith('_')));
  req.method = 'GET';
  req.url = back;
  req.originalUrl = back;
  req.body = {};
  replay(req, res);
}

export function createErrorPages(log: (line: string) => void, generateToken: (req: Request) => string, replay?: (req: Request, res: Response) => void) {
  // Lazy as on every page: an error page shown to an anonymous visitor stores no session.
  const tokenFor = (req: Request) =>
    lazyCsrfToken(req, (r) => {
      try {
        return generateToken(r);
      } catch {
        return '';
      }
    });

  const outage = createOutageWatch(log);

  function render(req: Request, res: Response, status: number, key: string, details: string[] = [], overrides: Record<string, unknown> = {}): void {
    const locale = localeOf(req);
    const t = translator(locale);
    // An error raised before the page context (a bad CSRF token, say) still gets a whole page.
    const defaults = { t, locale, user: req.user ?? null, path: req.path, takeFlash: () => [], csrfToken: tokenFor(req) };
    res.status(status).render('errors/error', { ...defaults, ...res.locals, ...overrides, status, title: t(`${key}.title`), message: t(`${key}.text`), details });
  }

  // A missing page keeps the messages waiting for the next real page (a stray favicon request must not eat them).
  const notFound = (req: Request, res: Response) => {
    res.locals.takeFlash = () => [];
    log(`${requestLine(req)} 404: no such page`);
    render(req, res, 404, 'errors.notFound');
  };

  /**
   * Mounted after the signed-in person is read: a request that got this far with a person read the
   * session and the user from the database, which therefore answers. (Anonymous requests may never
   * touch the database, so they prove nothing and do not end an outage.)
   */
  const noteDatabaseAnswered = (req: Request, _res: Response, next: NextFunction): void => {
    if (req.user) outage.noteAnswered();
    next();
  };

  /** The answer already went out (a session stored after the page, say): only the log can be told. */
  const reportAfterAnswer = (error: unknown, req: Request, res: Response): void => {
    if (isDatabaseUnreachable(error)) outage.noteUnreachable(error);
    else log(`${requestLine(req)} ${res.statusCode}, then failed: ${shortReason(error)}`);
    if (!res.writableEnded) res.destroy();
  };

  const errorHandler = (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) return reportAfterAnswer(error, req, res);
    const locale = localeOf(req);
    if ((error as { code?: string }).code === 'EBADCSRFTOKEN') return render(req, res, 403, 'errors.csrf');
    if (isDatabaseUnreachable(error)) {
      outage.noteUnreachable(error);
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      // No form token: making one would store the session, and the store is the database that is away.
      return render(req, res, 503, 'errors.databaseUnavailable', [], { csrfToken: '' });
    }
    const clientStatus = clientStatusOf(error);
    if (clientStatus !== null) {
      log(`${requestLine(req)} ${clientStatus}: ${shortReason(error)}`);
      const key = error instanceof UnreadableRequestError ? error.pageKey : (CLIENT_PAGES[clientStatus] ?? 'errors.badRequest');
      return render(req, res, clientStatus, key);
    }
    if (!(error instanceof AppError)) {
      log(`error on ${req.method} ${req.originalUrl}: ${(error as Error)?.stack ?? String(error)}`);
      return render(req, res, 500, 'errors.internal');
    }
    if (error instanceof DuplicateSubmissionError) {
      // The first submission did the work: show its result, not a refusal.
      flash(req, 'notice', translateMessage(locale, error.message));
      // Back to the page the form was on, unless that was the form that made the engagement.
      const back = backTo(req);
      const madeHere = back === '/' || back.startsWith('/engagements/new');
      return res.redirect(303, error.engagementId && madeHere ? `/engagements/${error.engagementId}` : back);
    }
    if (error.code === 'NOT_FOUND') return render(req, res, 404, 'errors.notFound');
    if (error.code === 'FORBIDDEN') return render(req, res, 403, 'errors.forbidden');
    // A refused form goes back where it came from and says why, keeping the page's context.
    if (req.method === 'POST') {
      const headline = error instanceof InvalidInputError ? translator(locale)('form.fixErrors') : translateMessage(locale, error.message.split(':')[0]!);
      flash(req, 'error', headline, detailsOf(error, locale));
      if (replay) return showRefusalOn(req, res, error.status, replay);
      return res.redirect(303, backTo(req));
    }
    render(req, res, error.status, 'errors.refused', [translateMessage(locale, error.message)]);
  };

  return { notFound, noteDatabaseAnswered, errorHandler, reportAfterAnswer };
}
