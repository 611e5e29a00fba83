// Form helpers: field errors for re-rendering, and reading plain strings out of a posted body.
import type { Request } from 'express';
import { InvalidInputError } from '../errors.ts';
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
