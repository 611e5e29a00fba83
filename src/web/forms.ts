// Form helpers: field errors for re-rendering, reading plain strings out of a posted body, refusing NUL characters.
import type { NextFunction, Request, Response } from 'express';
import { InvalidInputError } from '../errors.ts';
import { formKeyFrom } from '../forms/form-submission.ts';
import { UnreadableRequestError } from './errors.ts';
import { translateMessage, type Locale } from './i18n/i18n.ts';

export function fieldErrors(error: unknown, locale: Locale): Record<string, string> | null {
  if (!(error instanceof InvalidInputError)) return null;
  return Object.fromEntries(error.problems.map((p) => [p.field, translateMessage(locale, p.message)]));
}

/** Only string fields are taken: arrays and objects from crafted bodies become empty. */
export function field(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

export function fields<K extends string>(req: Request, names: readonly K[]): Record<K, string> {
  return Object.fromEntries(names.map((n) => [n, field(req, n)])) as Record<K, string>;
}

const hasNul = (value: unknown): boolean =>
  typeof value === 'string' ? value.includes('\u0000') : Array.isArray(value) ? value.some(hasNul) : !!value && typeof value === 'object' && Object.values(value).some(hasNul);

/**
 * Refuses, before any route runs, a form or an address that holds a NUL character (U+0000). Nobody
 * types one and browsers never send one, and PostgreSQL can store it neither in text nor in JSON.
 * It is refused rather than stripped: stripping would quietly save something other than what was
 * sent, and whatever sends NUL bytes is a broken or hostile client that a clear 400 serves better.
 */
export function refuseNulCharacters(req: Request, _res: Response, next: NextFunction): void {
  if (/%00/.test(req.originalUrl) || hasNul(req.body)) return next(new UnreadableRequestError('errors.nulCharacter', 'NUL character in the request'));
  next();
}

/** The service dependencies for a command asked for by this form: with its key, so a resent form does nothing twice. */
export function once<D extends object>(deps: D, req: Request): D & { formKey?: string } {
  return { ...deps, formKey: formKeyFrom(req.body) };
}
