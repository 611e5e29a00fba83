// Pure: the desk's moments on the engagement's clock. Pages show them in the engagement's time zone, and
// a datetime-local value a person typed ("2026-03-02T10:00") is that zone's wall time, not UTC's.
import { formatDateWith } from '../intl-formats.ts';
import { fromWallTime, localClock, localDateKey } from '../reminders/working-days.ts';

type Language = 'en' | 'ru';

const INPUT = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)?$/;

/** "2026-03-02T10:00": the value a datetime-local input shows for the instant, on the zone's clock. */
export function toLocalInput(at: Date, timeZone: string): string {
  return `${localDateKey(at, timeZone)}T${localClock(at, timeZone)}`;
}

/**
 * The instant a typed moment stands for. A value with its own offset (or Z) keeps it; a bare one is the
 * zone's wall time, read across a daylight-saving change as fromWallTime says.
 * Null for anything that is not a real date and time (30 February, 25:00).
 */
export function fromLocalInput(text: string, timeZone: string): Date | null {
  const m = INPUT.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (m[7]) {
    const at = new Date(text.trim());
    return Number.isNaN(at.getTime()) ? null : at;
  }
  return fromWallTime(wall, timeZone);
}

const DATE_TIME: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/** "2 Mar, 10:00": the instant on the zone's clock, in the reader's language; "—" for none. */
export function formatDeskTime(language: Language, at: Date | string | null | undefined, timeZone: string): string {
  return at ? formatDateWith(language, { ...DATE_TIME, timeZone }, new Date(at)) : '—';
}
