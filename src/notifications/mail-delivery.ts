// Sends an e-mail at most once per key, whichever job, retry or process asks. The key's row is
// locked for the length of the send and marked sent in the same transaction: a second sender
// waits on the lock and then finds it sent; a process killed mid-send rolls back, so the retry
// sends. The one window left, the server accepting just before a kill, resends with the same
// Message-ID (made from the key), which mail programs show once.
import type { Orm } from '../db/orm.ts';
import type { MailMessage, Mailer } from '../mail/mailer.ts';

export type DeliveryOutcome = 'sent' | 'already sent';

export async function deliverOnce(orm: Orm, mailer: Mailer, key: string, userId: string | null, message: MailMessage, now: Date): Promise<DeliveryOutcome> {
  return orm.em.fork().transactional(async (em) => {
    const run = (sql: string, params: unknown[]) => em.getConnection().execute(sql, params, 'all', em.getTransactionContext()) as Promise<{ sent_at: Date | null }[]>;
    await run('insert into mail_sends (key, user_id, created_at) values (?, ?, ?) on conflict (key) do nothing', [key, userId, now.toISOString()]);
    const [row] = await run('select sent_at from mail_sends where key = ? for update', [key]);
    if (row?.sent_at) return 'already sent';
    await (mailer.deliverNow ?? mailer.send).call(mailer, { ...message, messageKey: key });
    await run('update mail_sends set sent_at = ? where key = ?', [now.toISOString(), key]);
    return 'sent';
  });
}
