// Pure: when an answer is due by the methodology's norms (sources 004 and 001), whether one met them,
// and the shares a KPI reads ("share of reviews answered the same day"). Moments are instants; "the
// same day" and "the working day" are the days and hours of the engagement's time zone (UTC by default).
import type { DeskKind, ResponseNorm, ReviewDesk, WorkingDay } from '../methodology/review-desk.schema.ts';
import { DESK_KINDS } from '../methodology/review-desk.schema.ts';
import { atLocalTime, localClock, localDate, localDateKey, nextDate, startOfLocalDay, type LocalDate } from '../reminders/working-days.ts';
import { isoWeekOf } from '../content/content-rules.ts';

/** ideal: within the ideal time; met: within the norm; missed: answered late; overdue: unanswered past the norm; waiting: unanswered, still in time. */
export type Verdict = 'ideal' | 'met' | 'missed' | 'overdue' | 'waiting';

export interface Judgement {
  verdict: Verdict;
  /** Whole minutes from receipt to the answer; null while unanswered. */
  minutes: number | null;
  /** The last moment the norm allows (inclusive). */
  dueBy: Date;
}

const MINUTE = 60_000;

const weekdayOf = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() || 7;

/**
 * The end of the working day an e-mail came on, on the zone's clock; one that came after the end of a
 * working day, or on a day off, is due by the end of the next working day. Came before the start: still that day's end.
 */
export function workingDayDeadline(receivedAt: Date, workingDay: WorkingDay, timeZone = 'UTC'): Date {
  const isWorking = (day: LocalDate) => workingDay.weekdays.includes(weekdayOf(day));
  let day = localDate(receivedAt, timeZone);
  if (!isWorking(day) || localClock(receivedAt, timeZone) >= workingDay.end) {
    do day = nextDate(day);
    while (!isWorking(day));
  }
  const [hour, minute] = workingDay.end.split(':').map(Number) as [number, number];
  return atLocalTime(day, hour, minute, timeZone);
}

/** The last moment an answer meets the norm. */
export function dueBy(norm: Pick<ResponseNorm, 'limit'>, receivedAt: Date, workingDay: WorkingDay | undefined, timeZone = 'UTC'): Date {
  // The last millisecond before the next local midnight: 23:59:59.999 on the zone's clock.
  if (norm.limit === 'same-day') return new Date(startOfLocalDay(nextDate(localDate(receivedAt, timeZone)), timeZone).getTime() - 1);
  if (norm.limit === 'working-day') {
    if (!workingDay) throw new Error('a working-day norm needs the working day (the loader refuses a methodology without one)');
    return workingDayDeadline(receivedAt, workingDay, timeZone);
  }
  return new Date(receivedAt.getTime() + norm.limit.minutes * MINUTE);
}

export function judge(norm: Pick<ResponseNorm, 'limit' | 'ideal'>, workingDay: WorkingDay | undefined, entry: { receivedAt: Date; sentAt: Date | null }, now: Date, timeZone: string): Judgement {
  const due = dueBy(norm, entry.receivedAt, workingDay, timeZone);
  if (!entry.sentAt) return { verdict: now.getTime() > due.getTime() ? 'overdue' : 'waiting', minutes: null, dueBy: due };
  const taken = entry.sentAt.getTime() - entry.receivedAt.getTime();
  const minutes = Math.floor(taken / MINUTE);
  const inTime = entry.sentAt.getTime() <= due.getTime();
  const verdict = !inTime ? 'missed' : norm.ideal && taken <= norm.ideal.minutes * MINUTE ? 'ideal' : 'met';
  return { verdict, minutes, dueBy: due };
}

export function normFor(desk: Pick<ReviewDesk, 'responseNorms'>, kind: DeskKind): ResponseNorm {
  const norm = desk.responseNorms.find((n) => n.kind === kind);
  if (!norm) throw new Error(`no norm for kind "${kind}" (the loader refuses a methodology without one)`);
  return norm;
}

export interface KindShare {
  kind: DeskKind;
  received: number;
  answered: number;
  /** Answered within the norm (the ideal ones included). */
  withinNorm: number;
  ideal: number;
  /** Answered late, or still unanswered past the norm. */
  missed: number;
  /** Unanswered and still in time: not counted in the shares until decided. */
  waiting: number;
  /** withinNorm ÷ (withinNorm + missed) × 100, rounded to a whole per cent; null while nothing is decided. */
  share: number | null;
  /** ideal ÷ (withinNorm + missed) × 100, rounded; null while nothing is decided. */
  idealShare: number | null;
}

/** Per kind, how many entries met their norm: the figure a KPI such as "share of reviews answered the same day" reads. */
export function responseShares(entries: { kind: DeskKind; receivedAt: Date; sentAt: Date | null }[], desk: Pick<ReviewDesk, 'responseNorms' | 'workingDay'>, now: Date, timeZone: string): KindShare[] {
  return DESK_KINDS.map((kind) => {
    const norm = normFor(desk, kind);
    const verdicts = entries.filter((e) => e.kind === kind).map((e) => judge(norm, desk.workingDay, e, now, timeZone).verdict);
    const count = (...of: Verdict[]) => verdicts.filter((v) => of.includes(v)).length;
    const [withinNorm, ideal, missed] = [count('ideal', 'met'), count('ideal'), count('missed', 'overdue')];
    const decided = withinNorm + missed;
    const percent = (n: number) => (decided ? Math.round((n * 100) / decided) : null);
    return { kind, received: verdicts.length, answered: count('ideal', 'met', 'missed'), withinNorm, ideal, missed, waiting: count('waiting'), share: percent(withinNorm), idealShare: percent(ideal) };
  });
}

/** Which share of the desk a KPI reads (methodology kpis.deskShares): one kind, within its norm or its ideal time. */
export interface ShareMeasure {
  kind: DeskKind;
  within: 'norm' | 'ideal';
}

export interface WeekShare {
  /** An ISO week of the engagement's time zone, such as 2026-W10. */
  week: string;
  /** Whole per cent of the week's decided entries answered within the norm (or the ideal time). */
  value: number;
  decided: number;
}

/**
 * The weekly series of a desk share: each entry counts once, in the week (on the zone's calendar) it was
 * answered; one still unanswered past its norm counts as missed in the week its norm ran out, so that
 * not answering cannot raise the share (once answered, it counts in the week of the answer instead).
 * Entries still in time count nowhere yet. Only weeks with a decided entry have a value.
 */
export function weeklyResponseShares(entries: { kind: string; receivedAt: Date; sentAt: Date | null }[], desk: Pick<ReviewDesk, 'responseNorms' | 'workingDay'>, measure: ShareMeasure, now: Date, timeZone: string): WeekShare[] {
  const norm = normFor(desk, measure.kind);
  const weeks = new Map<string, { good: number; decided: number }>();
  for (const entry of entries) {
    if (entry.kind !== measure.kind) continue;
    const { verdict, dueBy: due } = judge(norm, desk.workingDay, entry, now, timeZone);
    if (verdict === 'waiting') continue;
    const week = isoWeekOf(localDateKey(entry.sentAt ?? due, timeZone));
    const tally = weeks.get(week) ?? { good: 0, decided: 0 };
    tally.decided += 1;
    if (verdict === 'ideal' || (verdict === 'met' && measure.within === 'norm')) tally.good += 1;
    weeks.set(week, tally);
  }
  return [...weeks].sort(([a], [b]) => (a < b ? -1 : 1)).map(([week, t]) => ({ week, value: Math.round((t.good * 100) / t.decided), decided: t.decided }));
}
