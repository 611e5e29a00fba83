// The e-mail side of notifications, run by the job queue: one e-mail per "at once" entry, and the
// daily digest of the entries a person chose to read once a day. Each checks the person's choice
// when it runs (a kind turned off after the job was queued sends nothing) and sends by a key.
import type { EntityManager } from '@mikro-orm/core';
import type { Orm } from '../db/orm.ts';
import type { Mailer } from '../mail/mailer.ts';
import { isLocale } from '../web/i18n/i18n.ts';
import { deliverOnce } from './mail-delivery.ts';
import { digestMail, notificationMail, type NotificationMailFacts } from './notification-mail.ts';
import type { NotificationKind } from './notification-rules.ts';
import { modesFor } from './preferences.ts';
import { unsubscribePath, unsubscribeSecret } from './unsubscribe-link.ts';

export interface MailJobDeps {
  orm: Orm;
  mailer: Mailer;
  /** Where people reach Troika, for the links (no trailing slash). */
  baseUrl: string;
  clock: () => Date;
}

interface EntryRow {
  id: string;
  user_id: string;
  kind: NotificationKind;
  params: NotificationMailFacts['params'];
  email: string;
  locale: string;
  client_name: string;
}

const ENTRY_SQL = `select n.id, n.user_id, n.kind, n.params, u.email, u.locale, g.client_name
  from notifications n join users u on u.id = n.user_id join engagements g on g.id = n.engagement_id`;

const read = <T>(em: EntityManager, sql: string, params: unknown[]) => em.getConnection().execute(sql, params, 'all', em.getTransactionContext()) as Promise<T[]>;

/** The job of queue notification-mail: the e-mail of one inbox entry, if its kind is still "at once". */
export async function mailNotification(deps: MailJobDeps, notificationId: string): Promise<string> {
  const em = deps.orm.em.fork();
  const [entry] = await read<EntryRow>(em, `${ENTRY_SQL} where n.id = ?`, [notificationId]);
  if (!entry) return `notification ${notificationId} is gone; nothing sent`;
  const mode = (await modesFor(em, [entry.user_id], [entry.kind]))(entry.user_id, entry.kind);
  if (mode !== 'now') return `${entry.kind} is "${mode}" for this person; nothing sent now`;
  const secret = await unsubscribeSecret(deps.orm);
  const message = notificationMail({
    to: entry.email,
    locale: isLocale(entry.locale) ? entry.locale : 'en',
    kind: entry.kind,
    params: entry.params,
    clientName: entry.client_name,
    openUrl: `${deps.baseUrl}/notifications/${entry.id}/open`,
    preferencesUrl: `${deps.baseUrl}/notifications/preferences`,
    unsubscribeUrl: `${deps.baseUrl}${unsubscribePath(secret, entry.user_id, entry.kind)}`,
    messageKey: `notification-${entry.id}`,
  });
  const outcome = await deliverOnce(deps.orm, deps.mailer, `notification-${entry.id}`, entry.user_id, message, deps.clock());
  return `${entry.kind} to ${entry.email}: ${outcome}`;
}

/**
 * The job of queue digest: for each person with waiting entries of "daily digest" kinds, one
 * e-mail of them all, keyed by person and day, and the entries marked as digested with it.
 * Entries older than a week are left out: a digest is about the day, not a backlog.
 */
export async function sendDigests(deps: MailJobDeps): Promise<string> {
  const now = deps.clock();
  const day = now.toISOString().slice(0, 10);
  const em = deps.orm.em.fork();
  const rows = await read<EntryRow>(
    em,
    `${ENTRY_SQL} join notification_preferences p on p.user_id = n.user_id and p.kind = n.kind and p.mode = 'digest'
     where n.digest_sent_at is null and n.created_at > ?::timestamptz - interval '7 days' and n.created_at <= ? order by n.user_id, n.created_at`,
    [now.toISOString(), now.toISOString()],
  );
  const people = Map.groupBy(rows, (r) => r.user_id);
  let sent = 0;
  for (const [userId, entries] of people) {
    const first = entries[0]!;
    const key = `digest-${userId}-${day}`;
    const message = digestMail({
      to: first.email,
      locale: isLocale(first.locale) ? first.locale : 'en',
      entries: entries.map((e) => ({ kind: e.kind, params: e.params, clientName: e.client_name, openUrl: `${deps.baseUrl}/notifications/${e.id}/open` })),
      preferencesUrl: `${deps.baseUrl}/notifications/preferences`,
      messageKey: key,
    });
    if ((await deliverOnce(deps.orm, deps.mailer, key, userId, message, now)) === 'sent') sent++;
    await em.getConnection().execute(`update notifications set digest_sent_at = ? where id in (${entries.map(() => '?').join(', ')})`, [now.toISOString(), ...entries.map((e) => e.id)]);
  }
  return `${sent} digests sent to ${people.size} people`;
}
