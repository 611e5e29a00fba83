// Working-day arithmetic in an engagement's time zone, pure: Monday to Friday count, Saturday and
// Sunday do not, and a day is the local calendar day (so a DST change makes a day 23 or 25 hours).
// "Waited more than one working day" is measured as the working time elapsed, in days: a document
// sent on Friday at 15:00 has waited one working day on Monday at 15:00, not three.

const DAY_MS = 24 * 3_600_000;

/** True when the name is a time zone the runtime knows (IANA, such as Europe/Moscow). */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

function localParts(at: Date, timeZone: string) {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** The calendar day an instant falls on in the zone. */
export function localDate(at: Date, timeZone: string): LocalDate {
  const { year, month, day } = localParts(at, timeZone);
  return { year, month, day };
}

/** "2026-12-07": a key for "once a day" that means the zone's day, not UTC's. */
export function localDateKey(at: Date, timeZone: string): string {
  const d = localDate(at, timeZone);
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** The hour (0-23) on the zone's clock. */
export function localHour(at: Date, timeZone: string): number {
  return localParts(at, timeZone).hour;
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
  const p = localParts(new Date(at), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

/** The instant the local day begins (midnight, or the first moment after a DST gap). */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  return atLocalTime(date, 0, 0, timeZone);
}

/** The instant the zone's clock shows hour:minute on the local day (the desk's end of the working day). */
export function atLocalTime(date: LocalDate, hour: number, minute: number, timeZone: string): Date {
  return fromWallTime(Date.UTC(date.year, date.month - 1, date.day, hour, minute), timeZone);
}

/**
 * The instant whose clock in the zone reads `wall` (wall-clock milliseconds written as if UTC). Where
 * daylight saving repeats an hour, the earlier of the two instants; where it skips one, the time read
 * with the offset before the change, so it lands just after the gap (02:30 on a spring-forward night in
 * New York is 03:30 EDT), as Temporal's "compatible" does.
 */
export function fromWallTime(wall: number, timeZone: string): Date {
  // The offsets a day before and a day after: at most one change lies between them.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const matches = [wall - before, wall - after].filter((at) => at + offsetAt(at, timeZone) === wall).sort((a, b) => a - b);
  return new Date(matches[0] ?? wall - before);
}

/** "23:30": the zone's clock at an instant, hours and minutes. */
export function localClock(at: Date, timeZone: string): string {
  const { hour, minute } = localParts(at, timeZone);
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

export const nextDate = (d: LocalDate): LocalDate => {
  const n = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: n.getUTCFullYear(), month: n.getUTCMonth() + 1, day: n.getUTCDate() };
};
const weekday = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();

export function isWorkingDate(date: LocalDate): boolean {
  const w = weekday(date);
  return w !== 0 && w !== 6;
}

/** Is the instant on a Monday to Friday in the zone? */
export function isWorkingDay(at: Date, timeZone: string): boolean {
  return isWorkingDate(localDate(at, timeZone));
}

/** The working time between two instants, in working days (fractions included); 0 if `to` is not later. */
export function workingDaysBetween(from: Date, to: Date, timeZone: string): number {
  if (to <= from) return 0;
  let total = 0;
  let date = localDate(from, timeZone);
  let start = startOfLocalDay(date, timeZone).getTime();
  // Bounded: a waiting thing older than ten years is not worth counting day by day.
  for (let i = 0; i < 3_660 && start < to.getTime(); i++) {
    const following = nextDate(date);
    const end = startOfLocalDay(following, timeZone).getTime();
    if (isWorkingDate(date)) {
      const overlap = Math.min(end, to.getTime()) - Math.max(start, from.getTime());
      if (overlap > 0) total += overlap / (end - start);
    }
    date = following;
    start = end;
  }
  return total;
}

/** How many calendar days `date` is after `base` (negative before). */
export function daysFrom(base: LocalDate, date: LocalDate): number {
  return Math.round((Date.UTC(date.year, date.month - 1, date.day) - Date.UTC(base.year, base.month - 1, base.day)) / DAY_MS);
}
