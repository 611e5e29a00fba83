// Limits sign-ins and reset-link requests per account and per address, counted in PostgreSQL so every web process sees the same count.
//
// An attempt is counted before the password is checked, by one INSERT … ON CONFLICT DO UPDATE per
// request that returns the new counts: PostgreSQL serialises concurrent upserts of one key, so of N
// parallel attempts exactly the first `limit` get a count within the limit, and only those are checked.
// Reading the count first and recording a failure after the check (the old way) let every parallel
// request read the same low count.
import type { Orm } from '../db/orm.ts';

export const LOGIN_LIMIT = { failures: 5, windowMinutes: 15 };
/** The address limit is looser: several people may share one office address. */
export const ADDRESS_FACTOR = 4;
/**
 * Reset links: a few per account, more per address, in an hour. The person who owns the account
 * always holds the links the earlier requests sent to their mailbox, so an attacker who uses up
 * the account's quota cannot keep its owner out.
 */
export const RESET_LIMIT = { perAccount: 3, perAddress: 10, windowMinutes: 60 };

export interface SignInAllowance {
  /** Minutes to wait, or 0 when the password may be checked now. */
  waitMinutes: number;
  /** The account's own limit is reached (not only the address's): its owner can lift it with a reset link. */
  isAccountLocked: boolean;
}

export interface LoginLimiter {
  /** Counts a sign-in attempt before its password is checked. */
  beginSignIn(email: string, ip: string): Promise<SignInAllowance>;
  /** The password was right: the account starts afresh and the address gets its attempt back. */
  signedIn(email: string, ip: string): Promise<void>;
  /** Counts a request for a reset link: minutes to wait, or 0 when a link may be sent. */
  beginPasswordReset(email: string, ip: string): Promise<number>;
  /** The owner proved they hold the mailbox (a one-time link worked): the account's sign-in lock is lifted. */
  clearAccount(email: string): Promise<void>;
}

interface Counted {
  key: string;
  attempts: number;
  window_started_at: Date;
}

const accountKey = (purpose: string, email: string) => `${purpose}:email:${email.trim().toLowerCase()}`;
const addressKey = (purpose: string, ip: string) => `${purpose}:ip:${ip}`;

export function createLoginLimiter(orm: Orm, clock: () => Date = () => new Date()): LoginLimiter {
  const sql = (query: string, params: unknown[]) => orm.em.getConnection().execute(query, params);

  /**
   * Adds one attempt to each key and returns the counts after it. A window older than its length
   * starts again at 1. The keys are always given account first, address second, so two statements
   * take the row locks in the same order and cannot deadlock.
   */
  async function count(keys: string[], windowMinutes: number): Promise<Counted[]> {
    const now = clock().toISOString();
    const since = new Date(clock().getTime() - windowMinutes * 60_000).toISOString();
    const values = keys.map(() => '(?, ?::timestamptz, 1)').join(', ');
    return (await sql(
      `insert into auth_attempts as a (key, window_started_at, attempts) values ${values}
       on conflict (key) do update set
         attempts = case when a.window_started_at > ?::timestamptz then a.attempts + 1 else 1 end,
         window_started_at = case when a.window_started_at > ?::timestamptz then a.window_started_at else excluded.window_started_at end
       returning a.key, a.attempts, a.window_started_at`,
      [...keys.flatMap((key) => [key, now]), since, since],
    )) as Counted[];
  }

  /** Minutes until the earliest over-limit window ends, or 0 when no key is over its limit. */
  function waitFor(rows: Counted[], limitOf: (key: string) => number, windowMinutes: number): number {
    const over = rows.filter((r) => r.attempts > limitOf(r.key));
    if (!over.length) return 0;
    const endsAt = Math.max(...over.map((r) => new Date(r.window_started_at).getTime() + windowMinutes * 60_000));
    return Math.max(1, Math.ceil((endsAt - clock().getTime()) / 60_000));
  }

  return {
    async beginSignIn(email, ip) {
      const rows = await count([accountKey('login', email), addressKey('login', ip)], LOGIN_LIMIT.windowMinutes);
      const limitOf = (key: string) => LOGIN_LIMIT.failures * (key.startsWith('login:ip:') ? ADDRESS_FACTOR : 1);
      const isAccountLocked = rows.some((r) => r.key.startsWith('login:email:') && r.attempts > limitOf(r.key));
      return { waitMinutes: waitFor(rows, limitOf, LOGIN_LIMIT.windowMinutes), isAccountLocked };
    },
    async signedIn(email, ip) {
      // Only failures should use up the address's allowance: a busy office signing in is no attack.
      await sql('delete from auth_attempts where key = ?', [accountKey('login', email)]);
      await sql('update auth_attempts set attempts = greatest(attempts - 1, 0) where key = ?', [addressKey('login', ip)]);
    },
    async beginPasswordReset(email, ip) {
      const rows = await count([accountKey('reset', email), addressKey('reset', ip)], RESET_LIMIT.windowMinutes);
      const limitOf = (key: string) => (key.startsWith('reset:ip:') ? RESET_LIMIT.perAddress : RESET_LIMIT.perAccount);
      return waitFor(rows, limitOf, RESET_LIMIT.windowMinutes);
    },
    async clearAccount(email) {
      await sql('delete from auth_attempts where key = ?', [accountKey('login', email)]);
    },
  };
}
