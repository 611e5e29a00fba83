// Pure: when an answer is due by the methodology's norms (sources 004 and 001), whether one met them,
// and the shares a KPI reads ("share of reviews answered the same day"). Every time is UTC.
import type { DeskKind, ResponseNorm, ReviewDesk, WorkingDay } from '../methodology/review-desk.schema.ts';
import { DESK_KINDS } from '../methodology/review-desk.schema.ts';

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
const DAY = 86_400_000;

const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const clockOf = (at: Date) => at.toISOString().slice(11, 16);
const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
const nextDay = (day: string) => dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + DAY));

/**
 * The end of the working day an e-mail came on; one that came after the end of a working day, or on a
 * day off, is due by the end of the next working day. Came before the start: still that day's end.
 */
export function workingDayDeadline(receivedAt: Date, workingDay: WorkingDay): Date {
  const isWorking = (day: string) => workingDay.weekdays.includes(weekdayOf(day));
  let day = dayOf(receivedAt);
  if (!isWorking(day) || clockOf(receivedAt) >= workingDay.end) {
    do day = nextDay(day);
    while (!isWorking(day));
  }
  return new Date(`${day}T${workingDay.end}:00.000Z`);
}

/** The last moment an answer meets the norm. */
export function dueBy(norm: Pick<ResponseNorm, 'limit'>, receivedAt: Date, workingDay: WorkingDay | undefined): Date {
  if (norm.limit === 'same-day') return new Date(Date.parse(`${dayOf(receivedAt)}T00:00:00Z`) + DAY - 1);
  if (norm.limit === 'working-day') {
    if (!workingDay) throw new Error('a working-day norm needs the working day (the loader refuses a methodology without one)');
    return workingDayDeadline(receivedAt, workingDay);
  }
  return new Date(receivedAt.getTime() + norm.limit.minutes * MINUTE);
}

export function judge(norm: Pick<ResponseNorm, 'limit' | 'ideal'>, workingDay: WorkingDay | undefined, entry: { receivedAt: Date; sentAt: Date | null }, now: Date): Judgement {
  const due = dueBy(norm, entry.receivedAt, workingDay);
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
export function responseShares(entries: { kind: DeskKind; receivedAt: Date; sentAt: Date | null }[], desk: Pick<ReviewDesk, 'responseNorms' | 'workingDay'>, now: Date): KindShare[] {
  return DESK_KINDS.map((kind) => {
    const norm = normFor(desk, kind);
    const verdicts = entries.filter((e) => e.kind === kind).map((e) => judge(norm, desk.workingDay, e, now).verdict);
    const count = (...of: Verdict[]) => verdicts.filter((v) => of.includes(v)).length;
    const [withinNorm, ideal, missed] = [count('ideal', 'met'), count('ideal'), count('missed', 'overdue')];
    const decided = withinNorm + missed;
    const percent = (n: number) => (decided ? Math.round((n * 100) / decided) : null);
    return { kind, received: verdicts.length, answered: count('ideal', 'met', 'missed'), withinNorm, ideal, missed, waiting: count('waiting'), share: percent(withinNorm), idealShare: percent(ideal) };
  });
}
