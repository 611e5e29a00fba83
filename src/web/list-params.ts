// Reads a list page's filters from its address (the query string) and writes them back into links,
// so every filtered, searched or paged view has a stable address a person can bookmark.
import type { Request, Response } from 'express';
import { translator, type Params } from './i18n/i18n.ts';
import { localeOf } from './context.ts';

/** A value the address holds that the list cannot use: a catalog key under lists.bad and its parameters. */
export interface ListProblem {
  key: string;
  params: Params;
}

export const MAX_SEARCH_LENGTH = 100;
const MAX_PAGE = 100_000;

/** Reads a list's parameters one by one, noting each problem instead of stopping at the first. */
export class ListQuery {
  readonly problems: ListProblem[] = [];
  readonly #query: Record<string, unknown>;

  constructor(req: Request) {
    this.#query = (req.query ?? {}) as Record<string, unknown>;
  }

  /** One value, or undefined when absent or empty; a repeated parameter is a problem. */
  text(name: string): string | undefined {
    const raw = this.#query[name];
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') {
      this.problems.push({ key: 'repeated', params: { name } });
      return undefined;
    }
    const value = raw.trim();
    return value === '' ? undefined : value;
  }

  /** A value from a fixed list. */
  oneOf(name: string, allowed: Iterable<string>): string | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const options = [...allowed];
    if (options.includes(value)) return value;
    this.problems.push({ key: 'notOneOf', params: { name, value: value.slice(0, 60), allowed: options.join(', ') } });
    return undefined;
  }

  /** A checkbox: "1" when ticked, absent otherwise. */
  flag(name: string): boolean {
    const value = this.text(name);
    if (value === undefined) return false;
    if (value === '1') return true;
    this.problems.push({ key: 'flag', params: { name, value: value.slice(0, 60) } });
    return false;
  }

  /** A page number from 1; absent is 1. */
  page(name = 'page'): number {
    return this.whole(name, MAX_PAGE) ?? 1;
  }

  /** A whole number from 1 (an event's number, say). */
  whole(name: string, max = 2_000_000_000): number | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (/^\d{1,9}$/.test(value) && Number(value) >= 1 && Number(value) <= max) return Number(value);
    this.problems.push({ key: 'whole', params: { name, value: value.slice(0, 60) } });
    return undefined;
  }

  /** A search typed by a person: one line, not too long. */
  search(name = 'q'): string | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (value.length > MAX_SEARCH_LENGTH) this.problems.push({ key: 'searchTooLong', params: { max: MAX_SEARCH_LENGTH } });
    else if (/[\u0000-\u001f\u007f]/.test(value)) this.problems.push({ key: 'searchControl', params: {} });
    else return value;
    return undefined;
  }

  /** An id (a person's, say) in the form ids take. */
  uuid(name: string): string | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return value.toLowerCase();
    this.problems.push({ key: 'unknownId', params: { name, value: value.slice(0, 60) } });
    return undefined;
  }
}

/** The list's address with the given parameters; empty and false ones are left out, so each view has one address. */
export function listHref(path: string, params: Record<string, string | number | boolean | undefined | null>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === false || value === '') continue;
    if (name === 'page' && value === 1) continue;
    query.set(name, value === true ? '1' : String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * An address with filters the list cannot use answers 400 with every problem named in the person's
 * language, and a link to the same list without filters; nothing is guessed.
 */
export function renderBadListAddress(req: Request, res: Response, log: (line: string) => void, problems: ListProblem[], plainHref: string): void {
  const t = translator(localeOf(req));
  log(`${req.method} ${req.path} 400: list filters not understood (${problems.map((p) => p.key).join(', ')})`);
  res.status(400).render('lists/bad-address', {
    title: t('lists.bad.title'),
    // The parameter as the address writes it, after its name in the person's words: «этап» (stage).
    problems: problems.map((p) => t(`lists.bad.${p.key}`, { ...p.params, ...(p.params.name ? { name: `${t(`lists.param.${p.params.name}`)} (${p.params.name})` } : {}) })),
    plainHref,
  });
}
