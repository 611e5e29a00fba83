// Pure rules of comments: the author's edit window, and what a task made of a comment starts from.

/** The author may correct a comment this long after writing it; later, what others read stays as it was. */
export const EDIT_WINDOW_MS = 10 * 60_000;

export function isEditable(comment: { createdAt: Date; authorId: string }, readerId: string, now: Date): boolean {
  return comment.authorId === readerId && now.getTime() - comment.createdAt.getTime() < EDIT_WINDOW_MS;
}

export function editableUntil(createdAt: Date): Date {
  return new Date(createdAt.getTime() + EDIT_WINDOW_MS);
}

export const TITLE_MAX = 200;
export const BODY_MAX = 5000;

/** The first line of text of the comment, without Markdown marks, short enough for a task title. */
export function titleFrom(body: string): string {
  const line = body.split('\n').map((l) => l.replace(/^\s*(?:#{1,6}|[>*+-]|\d+[.)])\s*/, '').replace(/[*_`~]+/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim()).find(Boolean) ?? '';
  return line.length > 120 ? `${line.slice(0, 119).trimEnd()}…` : line;
}

/**
 * The deadline the comment names (2026-03-20 or 20.03.2026), else a week from today; either one is
 * kept inside the plan, so the form starts from a day it will accept.
 */
export function deadlineFrom(body: string, today: string, plan: { first: string; last: string }): string {
  const iso = /\b(20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b/.exec(body);
  const dotted = /\b(0[1-9]|[12]\d|3[01])\.(0[1-9]|1[0-2])\.(20\d\d)\b/.exec(body);
  const named = iso ? `${iso[1]}-${iso[2]}-${iso[3]}` : dotted ? `${dotted[3]}-${dotted[2]}-${dotted[1]}` : null;
  const inAWeek = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  const day = named && !Number.isNaN(Date.parse(`${named}T00:00:00Z`)) ? named : inAWeek;
  return day < plan.first ? plan.first : day > plan.last ? plan.last : day;
}
