// What people type into the content forms, checked at the boundary: each problem names its field.
import { z } from 'zod';
import { oneLine, workingDate, EARLIEST_YEAR, LATEST_YEAR, DATE_RANGE_MESSAGE } from '../validation.ts';

export const MAX_BODY = 20_000;
export const MAX_MEDIA_LINKS = 10;
export const METRICS = ['reach', 'reactions', 'comments', 'shares', 'newFollowers', 'leads'] as const;

const day = workingDate('must be a date');

/**
 * A moment: a day and a time as a datetime-local field sends it (read as UTC, the time every page
 * shows), or a full ISO moment with its offset. Impossible days (30 February) are refused.
 */
export const moment = z
  .string('must be a date and time')
  .trim()
  .refine((text) => /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)?$/.test(text), 'must be a date and time')
  .transform((text) => ({ text, at: new Date(/(Z|[+-]\d\d:\d\d)$/.test(text) ? text : `${text}Z`) }))
  .refine(({ text, at }) => !Number.isNaN(at.getTime()) && new Date(`${text.slice(0, 10)}T00:00:00Z`).toISOString().slice(0, 10) === text.slice(0, 10), 'must be a date and time')
  .refine(({ at }) => at.getUTCFullYear() >= EARLIEST_YEAR && at.getUTCFullYear() <= LATEST_YEAR, DATE_RANGE_MESSAGE)
  .transform(({ at }) => at);

const webLink = z
  .string()
  .trim()
  .max(2000, 'use at most 2000 characters')
  .refine((text) => /^https?:\/\/[^\s/?#]+\.[^\s]*$/i.test(text) && URL.canParse(text), 'must be a web address starting with http:// or https://');

export const itemFields = z.object({
  title: oneLine(200, 'give the item a title'),
  format: z.string('choose a format').min(1, 'choose a format'),
  body: z.string().max(MAX_BODY, `use at most ${MAX_BODY} characters`).default(''),
  /** One link a line, as a textarea sends them. */
  mediaLinks: z
    .string()
    .default('')
    .transform((text) => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))
    .pipe(z.array(webLink).max(MAX_MEDIA_LINKS, `give at most ${MAX_MEDIA_LINKS} links`)),
  authorId: z.string().optional(),
});

export const newItemInput = itemFields.extend({ channel: z.string('choose a channel').min(1, 'choose a channel'), plannedOn: day });

export const moveInput = z.object({ plannedOn: day });
export const scheduleInput = z.object({ scheduledAt: moment });
export const publishInput = z.object({ publishedUrl: webLink, publishedAt: moment });

const count = z
  .string('must be a whole number from 0, digits only')
  .trim()
  .refine((text) => /^\d{1,10}$/.test(text), 'must be a whole number from 0, digits only')
  .transform(Number)
  .refine((n) => n <= 1_000_000_000, 'must be at most 1000000000');
export const measureInput = z.object(Object.fromEntries(METRICS.map((m) => [m, count])) as Record<(typeof METRICS)[number], typeof count>);

export const fillMonthInput = z.object({
  month: z.string('choose a month').regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2026-05'),
  channels: z.array(z.string()).min(1, 'choose at least one channel'),
  weekdays: z.array(z.coerce.number().int().min(1).max(7)).min(1, 'choose at least one weekday'),
});

const themeText = (max: number) => z.string().trim().max(max, `use at most ${max} characters`);
export const themesInput = z.object({
  themes: z.array(z.object({ weekday: z.number().int().min(1).max(7), theme: themeText(200), brief: themeText(1000) })).length(7),
});
