// The review and message desk as methodology data: the twelve rules, the phrases the warnings look for,
// and the answer-time norms per kind of entry. Optional: methodologies frozen before it still load.
import { z } from 'zod';
import { localizedText } from './localized-text.ts';

/** The kinds of entry the desk logs; each has exactly one norm in the data. */
export const DESK_KINDS = ['review', 'messenger', 'email'] as const;
export type DeskKind = (typeof DESK_KINDS)[number];

const ruleId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and "-" (for example "no-template")');
const phrase = z.string().trim().min(2, 'a phrase needs at least two characters').max(200);
const phrases = z.strictObject({ en: z.array(phrase).min(1, 'give at least one English phrase'), ru: z.array(phrase).min(1, 'give at least one Russian phrase') });
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 09:00');
const minutes = z.strictObject({ minutes: z.number().int().min(1).max(7 * 24 * 60, 'must be at most a week (10080 minutes)') });

export const responseLimit = z.union([z.literal('same-day'), z.literal('working-day'), minutes], {
  error: 'must be "same-day", "working-day" or { minutes: N }',
});

export const reviewDeskSchema = z.strictObject({
  approvalByDefault: z.boolean(),
  rules: z.array(z.strictObject({ id: ruleId, kind: z.enum(['dont', 'do']), text: localizedText })).min(1, 'name at least one rule'),
  phrases: z.strictObject({ stock: phrases, otherChannel: phrases, thanks: phrases }),
  responseNorms: z.array(
    z.strictObject({ kind: z.enum(DESK_KINDS), ideal: minutes.optional(), limit: responseLimit, text: localizedText }),
  ),
  workingDay: z
    .strictObject({ weekdays: z.array(z.number().int().min(1).max(7)).min(1, 'name at least one working weekday'), start: clock, end: clock })
    .refine((d) => d.start < d.end, { message: 'the working day must end after it starts', path: ['end'] })
    .optional(),
});

export type ReviewDesk = z.infer<typeof reviewDeskSchema>;
export type ResponseNorm = ReviewDesk['responseNorms'][number];
export type WorkingDay = NonNullable<ReviewDesk['workingDay']>;

/** Cross-checks: rule ids once, one norm for each kind, an ideal within its limit, a working day where a norm needs it. */
export function checkReviewDesk(desk: ReviewDesk | undefined, ctx: z.RefinementCtx): void {
  if (!desk) return;
  const at = (...path: (string | number)[]) => ['reviewDesk', ...path];
  desk.rules.forEach((rule, i) => {
    if (desk.rules.findIndex((o) => o.id === rule.id) !== i) ctx.addIssue({ code: 'custom', path: at('rules', i, 'id'), message: `rule id "${rule.id}" is used twice` });
  });
  desk.responseNorms.forEach((norm, i) => {
    if (desk.responseNorms.findIndex((o) => o.kind === norm.kind) !== i) ctx.addIssue({ code: 'custom', path: at('responseNorms', i, 'kind'), message: `kind "${norm.kind}" has a norm already` });
    if (norm.ideal && typeof norm.limit === 'object' && norm.ideal.minutes > norm.limit.minutes) {
      ctx.addIssue({ code: 'custom', path: at('responseNorms', i, 'ideal'), message: `the ideal (${norm.ideal.minutes} minutes) is longer than the limit (${norm.limit.minutes} minutes)` });
    }
    if (norm.limit === 'working-day' && !desk.workingDay) ctx.addIssue({ code: 'custom', path: at('responseNorms', i, 'limit'), message: 'a "working-day" limit needs the working day: add workingDay { weekdays, start, end }' });
  });
  for (const kind of DESK_KINDS) {
    if (!desk.responseNorms.some((n) => n.kind === kind)) ctx.addIssue({ code: 'custom', path: at('responseNorms'), message: `give a norm for kind "${kind}"` });
  }
  desk.workingDay?.weekdays.forEach((day, i, all) => {
    if (all.indexOf(day) !== i) ctx.addIssue({ code: 'custom', path: at('workingDay', 'weekdays', i), message: `weekday ${day} is given twice` });
  });
}
