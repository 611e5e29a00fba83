// How each person wants each kind of notification: at once (in the app and by e-mail), in the
// daily digest (in the app at once, by e-mail once a day), or off (neither). A kind nobody chose
// for is "at once": the inbox keeps working as before for everyone who never opens the page.
import type { EntityManager } from '@mikro-orm/core';
import type { Orm } from '../db/orm.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from './notification-rules.ts';

export const DELIVERY_MODES = ['now', 'digest', 'off'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const DEFAULT_MODE: DeliveryMode = 'now';

export const isNotificationKind = (v: unknown): v is NotificationKind => NOTIFICATION_KINDS.includes(v as NotificationKind);
export const isDeliveryMode = (v: unknown): v is DeliveryMode => DELIVERY_MODES.includes(v as DeliveryMode);

export type Preferences = Record<NotificationKind, DeliveryMode>;

const execute = <T>(em: EntityManager, sql: string, params: unknown[] = []) => em.getConnection().execute(sql, params, 'all', em.getTransactionContext()) as Promise<T[]>;

export async function readPreferences(em: EntityManager, userId: string): Promise<Preferences> {
  const rows = await execute<{ kind: string; mode: DeliveryMode }>(em, 'select kind, mode from notification_preferences where user_id = ?', [userId]);
  const chosen = new Map(rows.map((r) => [r.kind, r.mode]));
  return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, chosen.get(k) ?? DEFAULT_MODE])) as Preferences;
}

/** The modes of many people for one kind, read in one statement (the notifier's batch). */
export async function modesFor(em: EntityManager, userIds: string[], kinds: string[]): Promise<(userId: string, kind: string) => DeliveryMode> {
  if (!userIds.length) return () => DEFAULT_MODE;
  const rows = await execute<{ user_id: string; kind: string; mode: DeliveryMode }>(
    em,
    `select user_id, kind, mode from notification_preferences where user_id in (${userIds.map(() => '?').join(', ')}) and kind in (${kinds.map(() => '?').join(', ')})`,
    [...userIds, ...kinds],
  );
  const map = new Map(rows.map((r) => [`${r.user_id}/${r.kind}`, r.mode]));
  return (userId, kind) => map.get(`${userId}/${kind}`) ?? DEFAULT_MODE;
}

/** Saves a person's choices; only known kinds and modes reach here (the route validates). */
export async function savePreferences(orm: Orm, userId: string, choices: Partial<Preferences>, now: Date): Promise<void> {
  const entries = Object.entries(choices).filter(([k, m]) => isNotificationKind(k) && isDeliveryMode(m));
  if (!entries.length) return;
  await orm.em.fork().getConnection().execute(
    `insert into notification_preferences (user_id, kind, mode, updated_at) values ${entries.map(() => '(?, ?, ?, ?)').join(', ')}
     on conflict (user_id, kind) do update set mode = excluded.mode, updated_at = excluded.updated_at`,
    entries.flatMap(([kind, mode]) => [userId, kind, mode, now.toISOString()]),
  );
}
