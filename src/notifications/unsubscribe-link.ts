// The one-click unsubscribe address of a notification e-mail: person and kind, signed with a secret
// kept in the database, so it works without signing in and cannot be made for anyone else.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Orm } from '../db/orm.ts';

/** Made once per database, shared by every process, kept across restarts (like the session secret). */
export async function unsubscribeSecret(orm: Orm): Promise<string> {
  const conn = orm.em.fork().getConnection();
  await conn.execute(`insert into app_settings (key, value) values ('unsubscribe_secret', ?) on conflict (key) do nothing`, [randomBytes(32).toString('base64url')]);
  const [row] = (await conn.execute(`select value from app_settings where key = 'unsubscribe_secret'`)) as { value: string }[];
  return row!.value;
}

export function unsubscribeSignature(secret: string, userId: string, kind: string): string {
  return createHmac('sha256', secret).update(`unsubscribe\n${userId}\n${kind}`).digest('base64url');
}

export function isValidUnsubscribeSignature(secret: string, userId: string, kind: string, signature: string): boolean {
  const expected = Buffer.from(unsubscribeSignature(secret, userId, kind));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const unsubscribePath = (secret: string, userId: string, kind: string) => `/unsubscribe/${userId}/${kind}/${unsubscribeSignature(secret, userId, kind)}`;
