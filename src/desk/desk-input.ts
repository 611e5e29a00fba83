// What people type into the desk's forms, checked at the boundary: each problem names its field.
import { z } from 'zod';
import { DESK_KINDS } from '../methodology/review-desk.schema.ts';
import { EARLIEST_YEAR, LATEST_YEAR, DATE_RANGE_MESSAGE } from '../validation.ts';
import { fromLocalInput } from './desk-time.ts';

export const MAX_TEXT = 10_000;
export const SENTIMENTS = ['positive', 'negative'] as const;

const optionalLink = z
  .string()
  .trim()
  .max(2000, 'use at most 2000 characters')
  .refine((text) => text === '' || (/^https?:\/\/[^\s/?#]+\.[^\s]*$/i.test(text) && URL.canParse(text)), 'must be a web address starting with http:// or https://')
  .default('')
  .transform((text) => text || null);

/** A moment typed on the engagement's clock (a datetime-local value), or a full ISO moment with its offset. */
export const localMoment = (timeZone: string) =>
  z
    .string('must be a date and time')
    .transform((text, ctx) => {
      const at = fromLocalInput(text, timeZone);
      if (!at) ctx.addIssue({ code: 'custom', message: 'must be a date and time' });
      return at ?? z.NEVER;
    })
    .refine((at) => at.getUTCFullYear() >= EARLIEST_YEAR && at.getUTCFullYear() <= LATEST_YEAR, DATE_RANGE_MESSAGE);

export const logInput = (timeZone: string) => z.object({
  kind: z.enum(DESK_KINDS, 'choose a review, a messenger message or an e-mail'),
  channel: z.string('choose a channel').min(1, 'choose a channel'),
  link: optionalLink,
  receivedAt: localMoment(timeZone),
  customerText: z.string('copy in what the customer wrote').trim().min(1, 'copy in what the customer wrote').max(MAX_TEXT, `use at most ${MAX_TEXT} characters`),
  sentiment: z.enum(SENTIMENTS, 'choose positive or negative'),
});

export const answerInput = z.object({
  answer: z.string('write the answer').trim().min(1, 'write the answer').max(MAX_TEXT, `use at most ${MAX_TEXT} characters`),
  checkedRules: z.array(z.string()).default([]),
});

export const sendInput = (timeZone: string) => z.object({ sentAt: localMoment(timeZone) });

export const settingsInput = z.object({ approvalRequired: z.boolean('choose whether answers need approval') });
