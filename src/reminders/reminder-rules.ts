// Who is reminded of what today, pure: approvals that have waited too long, tasks due tomorrow and
// overdue tasks, measured in working days in the engagement's time zone (working-days.ts) against
// the methodology's thresholds. Each reminder carries a key naming its item, person and day, so
// the schedule may look as often as it likes and a person still hears once a day at most.
import type { ReminderThresholds } from '../methodology/reminders.schema.ts';
import type { NotificationKind, Title } from '../notifications/notification-rules.ts';
import { daysFrom, isWorkingDay, localDate, localDateKey, localHour, startOfLocalDay, workingDaysBetween, type LocalDate } from './working-days.ts';

/** Reminders go out from this hour of the engagement's morning, not at one past midnight. */
export const REMIND_FROM_HOUR = 9;

export interface WaitingApproval {
  documentId: string;
  title?: Title;
  submittedAt: Date;
}

export interface OpenTask {
  taskId: string;
  title?: Title;
  deadline: Date;
  assigneeId: string;
  assigneeName: string;
}

export interface EngagementFacts {
  id: string;
  timeZone: string;
  thresholds: ReminderThresholds;
  ownerIds: string[];
  consultantIds: string[];
  approvals: WaitingApproval[];
  tasks: OpenTask[];
}

export interface Reminder {
  key: string;
  userId: string;
  kind: Extract<NotificationKind, 'reminder' | 'taskDueTomorrow' | 'taskOverdue'>;
  link: string;
  params: { title?: Title; escalated?: boolean; days?: number; person?: string };
}

/** A deadline given as a day is stored as 23:59:59 UTC of that day; any other is a moment in the zone. */
export function dueDateOf(deadline: Date, timeZone: string): LocalDate {
  if (deadline.toISOString().endsWith('T23:59:59.000Z')) return localDate(deadline, 'UTC');
  return localDate(deadline, timeZone);
}

export function remindersFor(e: EngagementFacts, now: Date): Reminder[] {
  const tz = e.timeZone;
  if (localHour(now, tz) < REMIND_FROM_HOUR) return [];
  const today = localDateKey(now, tz);
  const isWorkday = isWorkingDay(now, tz);
  const base = `/engagements/${e.id}`;
  const out: Reminder[] = [];

  if (isWorkday) {
    for (const a of e.approvals) {
      const waited = workingDaysBetween(a.submittedAt, now, tz);
      const params = { title: a.title, days: Math.floor(waited) };
      const link = `${base}/documents/${a.documentId}`;
      const item = `approval:${a.documentId}:${a.submittedAt.getTime()}`;
      if (waited > e.thresholds.approval.remindOwnerAfter) for (const u of e.ownerIds) out.push({ key: `${item}:${u}:${today}`, userId: u, kind: 'reminder', link, params });
      if (waited > e.thresholds.approval.tellConsultantAfter) for (const u of e.consultantIds) out.push({ key: `${item}:${u}:${today}`, userId: u, kind: 'reminder', link, params: { ...params, escalated: true } });
    }
  }
  for (const t of e.tasks) {
    const due = dueDateOf(t.deadline, tz);
    const link = `${base}/tasks/${t.taskId}`;
    const untilDue = daysFrom(localDate(now, tz), due);
    if (untilDue === 1) out.push({ key: `due:${t.taskId}:${t.assigneeId}:${today}`, userId: t.assigneeId, kind: 'taskDueTomorrow', link, params: { title: t.title } });
    if (untilDue >= 0 || !isWorkday) continue;
    const overdueSince = startOfLocalDay({ ...due, day: due.day + 1 }, tz);
    const overdueFor = workingDaysBetween(overdueSince, now, tz);
    const overdue = Math.floor(overdueFor);
    out.push({ key: `overdue:${t.taskId}:${t.assigneeId}:${today}`, userId: t.assigneeId, kind: 'taskOverdue', link, params: { title: t.title, days: overdue } });
    // The consultant hears once, when the task has been overdue longer than the threshold: they see it on the page after that.
    if (overdueFor > e.thresholds.overdueTask.tellConsultantAfter) {
      for (const u of e.consultantIds) out.push({ key: `overdue:${t.taskId}:${u}:escalated`, userId: u, kind: 'taskOverdue', link, params: { title: t.title, days: overdue, escalated: true, person: t.assigneeName } });
    }
  }
  return out;
}
