// Counts failed sign-ins per e-mail and per address in PostgreSQL, so every web process sees the same count.
import type { Orm } from '../db/orm.ts';

export const LOGIN_LIMIT = { failures: 5, windowMinutes: 15 };

export interface LoginLimiter {
  /** Minutes until the next attempt is allowed, or 0 when it is allowed now. */
  waitMinutes(email: string, ip: string): Promise<number>;
  recordFailure(email: string, ip: string): Promise<void>;
  clear(email: string, ip: string): Promise<void>;
}

export function createLoginLimiter(orm: Orm): LoginLimiter {
  const keys = (email: string, ip: string) => [`email:${email.trim().toLowerCase()}`, `ip:${ip}`];
  const sql = (query: string, params: unknown[]) => orm.em.getConnection().execute(query, params);
  return {
    async waitMinutes(email, ip) {
      const rows = (await sql(
        `select key, count(*)::int as failures, min(failed_at) as first from login_failures
         where key in (?, ?) and failed_at > now() - make_interval(mins => ?) group by key`,
        [...keys(email, ip), LOGIN_LIMIT.windowMinutes],
      )) as { key: string; failures: number; first: Date }[];
      // The address limit is looser: several people may share one office address.
      const limited = rows.filter((r) => r.failures >= LOGIN_LIMIT.failures * (r.key.startsWith('ip:') ? 4 : 1));
      if (!limited.length) return 0;
      const firstAt = Math.min(...limited.map((r) => new Date(r.first).getTime()));
      return Math.max(1, Math.ceil((firstAt + LOGIN_LIMIT.windowMinutes * 60_000 - Date.now()) / 60_000));
    },
    async recordFailure(email, ip) {
      const [a, b] = keys(email, ip);
      await sql('insert into login_failures (key) values (?), (?)', [a, b]);
    },
    async clear(email) {
      await sql('delete from login_failures where key = ?', [keys(email, '')[0]]);
    },
  };
}
