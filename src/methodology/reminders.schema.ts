// The thresholds of reminders and escalation, as methodology data: how long an approval or an
// overdue task may wait (in working days, Monday to Friday in the engagement's time zone) before
// the person concerned is reminded, and before the consultant is told.
import { z } from 'zod';

const workingDays = z.number().int('must be a whole number of working days').min(0).max(60);

export const remindersSchema = z
  .strictObject({
    approval: z.strictObject({
      /** A document waiting for approval longer than this reminds the owner, then daily. */
      remindOwnerAfter: workingDays,
      /** Longer than this, each daily reminder also goes to the consultant. */
      tellConsultantAfter: workingDays,
    }),
    overdueTask: z.strictObject({
      /** An overdue task reminds its assignee every working day; longer than this, the consultant too. */
      tellConsultantAfter: workingDays,
    }),
  })
  .superRefine((r, ctx) => {
    if (r.approval.tellConsultantAfter < r.approval.remindOwnerAfter) {
      ctx.addIssue({ code: 'custom', path: ['approval', 'tellConsultantAfter'], message: 'the consultant is told after the owner is reminded, so this cannot be smaller than remindOwnerAfter' });
    }
  });

export type ReminderThresholds = z.output<typeof remindersSchema>;

/** What issue 14 asks for, used by methodologies frozen before the key existed. */
export const DEFAULT_REMINDERS: ReminderThresholds = { approval: { remindOwnerAfter: 1, tellConsultantAfter: 3 }, overdueTask: { tellConsultantAfter: 2 } };
