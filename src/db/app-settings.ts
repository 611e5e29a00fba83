// Settings shared by every process on one database, created on first use.
import { randomBytes } from 'node:crypto';
import type { Orm } from './orm.ts';

/** The session-signing secret: the same for every web process, and kept across restarts. */
export async function sessionSecret(orm: Orm): Promise<string> {
  const conn = orm.em.getConnection();
  await conn.execute(`insert into app_settings (key, value) values ('session_secret', ?) on conflict (key) do nothing`, [randomBytes(32).toString('base64url')]);
  const [row] = (await conn.execute(`select value from app_settings where key = 'session_secret'`)) as { value: string }[];
  return row!.value;
}
