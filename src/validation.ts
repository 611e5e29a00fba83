// Turns a Zod failure at a boundary into an InvalidInputError naming each field; shared limits for dates, numbers and links.
import { z } from 'zod';
import { InvalidInputError } from './errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || 'input', message: issue.message })),
  );
}

/**
 * Every date a person enters is a working date (a start, a deadline, "as of"): a year outside this
 * range is a typo, and PostgreSQL refuses some of them outright (year 0, five-digit years).
 */
export const EARLIEST_YEAR = 2000;
export const LATEST_YEAR = 2100;
export const DATE_RANGE_MESSAGE = `must be a date between ${EARLIEST_YEAR} and ${LATEST_YEAR}`;

const isWithinYears = (iso: string) => {
  const year = Number(iso.slice(0, 4));
  return year >= EARLIEST_YEAR && year <= LATEST_YEAR;
};

/** A calendar day such as 2026-12-01, in the working range. */
export function workingDate(message: string) {
  // abort: a value that is no date at all gets the format message alone, not the range one too.
  return z.iso.date({ message, abort: true }).refine(isWithinYears, DATE_RANGE_MESSAGE);
}

/** A day (2026-12-01) or a moment with its offset (2026-12-01T18:00:00+03:00), in the working range. */
export function workingDayOrMoment(message: string) {
  return z.union([z.iso.datetime({ offset: true }), z.iso.date()], { error: message }).refine(isWithinYears, DATE_RANGE_MESSAGE);
}

/** The schemes of a link a person may follow: a `javascript:` or `data:` address would run or show something. */
export const WEB_ADDRESS = /^https?$/;

/** A name, a title: one line of text. A line break in one would be a forged header in a mail or a broken line in a PDF. */
export function oneLine(max: number, emptyMessage: string) {
  return z.string(emptyMessage).trim().min(1, emptyMessage).max(max, `use at most ${max} characters`).refine((text) => !/[\u0000-\u001f\u007f]/.test(text), 'must be on one line, without control characters');
}

/**
 * A whole amount typed by a person: digits only (spaces between thousands allowed), so "0x10",
 * "1e3" or "1_000" are refused rather than read the way a programming language would.
 */
export function wholeAmount(max: number) {
  return z
    .string('must be a whole number, digits only')
    .trim()
    .refine((text) => /^\d[\d\s]*$/.test(text), 'must be a whole number, digits only')
    .transform((text) => Number(text.replace(/\s/g, '')))
    .refine((n) => n > 0, 'must be more than zero')
    .refine((n) => n <= max, `must be at most ${max}`);
}
