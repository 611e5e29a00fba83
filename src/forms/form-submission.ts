// A form is done once: each rendered form carries a random key, and the command it triggers claims
// that key in its own transaction. A double click, a resend or a retry after a lost answer finds the
// key taken and does nothing twice; a command that fails gives its key back with its rollback.
import type { EntityManager } from '@mikro-orm/core';
import { ConflictError } from '../errors.ts';

export const FORM_KEY_FIELD = '_once';

const KEY_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The form's key, or undefined when there is none (a script, an old page): then nothing is deduplicated. */
export function formKeyFrom(body: unknown): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[FORM_KEY_FIELD];
  return typeof value === 'string' && KEY_PATTERN.test(value) ? value : undefined;
}

export class DuplicateSubmissionError extends ConflictError {
  /** The engagement the first submission worked on, so the person can be shown its result. */
  readonly engagementId: string | null;
  constructor(engagementId: string | null) {
    super('This form was already sent; what it asked for was done once');
    this.engagementId = engagementId;
  }
}

/**
 * Claims the key inside the command's transaction. A second claim of the same key waits for the
 * first transaction: if that one committed, this is a duplicate; if it rolled back, this one goes on.
 */
export async function claimFormKey(em: EntityManager, key: string | undefined, userId: string, engagementId: string | null): Promise<void> {
  if (!key) return;
  const claimed = await sql(em, 'insert into form_submissions (key, user_id, engagement_id) values (?, ?, ?) on conflict (key) do nothing returning key', [key, userId, engagementId]);
  if (claimed.length) return;
  const [first] = (await sql(em, 'select user_id, engagement_id from form_submissions where key = ?', [key])) as { user_id: string; engagement_id: string | null }[];
  // A key is only ever in the page of the person it was made for: someone else's is refused, and
  // learns nothing of what it did.
  if (first && first.user_id !== userId) throw new ConflictError('This form belongs to another sign-in; open the page again and send it from there');
  throw new DuplicateSubmissionError(first?.engagement_id ?? null);
}

/** For a command that makes its engagement: the key's record learns which engagement that was. */
export async function noteFormResult(em: EntityManager, key: string | undefined, engagementId: string): Promise<void> {
  if (key) await sql(em, 'update form_submissions set engagement_id = ? where key = ?', [engagementId, key]);
}

/** Plain SQL inside the caller's transaction. */
function sql(em: EntityManager, query: string, params: unknown[]): Promise<unknown[]> {
  return em.getConnection().execute(query, params, 'all', em.getTransactionContext()) as Promise<unknown[]>;
}
