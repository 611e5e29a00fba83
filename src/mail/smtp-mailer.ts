// Mail over SMTP, through an outbox folder so that nothing sent is lost and no page waits on a
// mail server. send() only writes the finished message to the outbox (atomically, 0600) and
// returns; delivery happens at once in the background and is retried with growing pauses while
// the server is down or refuses. A message the process was sending when it was killed is picked
// up again after a while, so delivery is at least once: a rare duplicate, never a lost invitation.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { addressOf, mailFileName, privateFolder, renderMail, type Mailer } from './mailer.ts';
import type { SmtpSettings } from './smtp-url.ts';

interface Queued {
  from: string;
  to: string;
  /** The whole message, base64: exactly the bytes the folder mailer would write. */
  raw: string;
  attempts: number;
  nextAttemptAt: number;
  firstQueuedAt: number;
}

export interface SmtpMailerOptions {
  settings: SmtpSettings;
  from: string;
  /** The outbox; messages that could not be sent for GIVE_UP_AFTER_MS move to its failed/ folder. */
  outbox: string;
  /** Extra certificate authorities to trust, for a relay with a private certificate (PEM). */
  ca?: string;
  log: (line: string) => void;
  clock?: () => number;
  /** How often waiting messages are looked at; tests make it short. */
  sweepEveryMs?: number;
}

/** Pauses between attempts: 30 s, 1, 2, 4 … minutes, at most an hour. */
export const retryDelayMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
export const GIVE_UP_AFTER_MS = 3 * 24 * 3_600_000;
/** A claimed message this old belonged to a process that died while sending it. */
const STALE_CLAIM_MS = 10 * 60_000;

export interface SmtpMailer extends Mailer {
  /** Tries every message that is due now; resolves when the attempts are over. */
  deliverDue(): Promise<void>;
  close(): Promise<void>;
}

export function createSmtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const { settings, from, log } = options;
  const clock = options.clock ?? Date.now;
  const outbox = privateFolder(options.outbox);
  const failed = join(outbox, 'failed');
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    requireTLS: settings.requireTLS,
    auth: settings.auth,
    tls: { ...(options.ca ? { ca: options.ca } : {}), minVersion: 'TLSv1.2' },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });

  const write = (file: string, queued: Queued) => {
    writeFileSync(`${file}.tmp`, JSON.stringify(queued), { mode: 0o600 });
    renameSync(`${file}.tmp`, file); // a reader sees the whole message or none of it
  };

  async function attempt(name: string): Promise<void> {
    const file = join(outbox, name);
    const claimed = `${file}.sending-${process.pid}`;
    try {
      renameSync(file, claimed); // only one process (of several on this folder) wins the rename
    } catch {
      return;
    }
    // A rename keeps the old time; the claim's age must count from now, or another sweep would take it over.
    const touched = new Date(clock());
    utimesSync(claimed, touched, touched);
    const queued = JSON.parse(readFileSync(claimed, 'utf8')) as Queued;
    try {
      await transport.sendMail({ envelope: { from: addressOf(queued.from), to: queued.to }, raw: Buffer.from(queued.raw, 'base64') });
      rmSync(claimed);
      log(`mail to ${queued.to} sent over SMTP to ${settings.host}:${settings.port}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const next = { ...queued, attempts: queued.attempts + 1, nextAttemptAt: clock() + retryDelayMs(queued.attempts + 1) };
      if (clock() - queued.firstQueuedAt > GIVE_UP_AFTER_MS) {
        privateFolder(failed);
        write(join(failed, name), next);
        rmSync(claimed);
        log(`mail to ${queued.to} given up after ${next.attempts} attempts (${reason}); kept in ${join(failed, name)}`);
      } else {
        write(file, next);
        rmSync(claimed);
        log(`mail to ${queued.to} not sent (${reason}); attempt ${next.attempts}, retried in ${Math.round(retryDelayMs(next.attempts) / 1000)} s`);
      }
    }
  }

  let sweeping: Promise<void> | null = null;
  async function sweep(): Promise<void> {
    const now = clock();
    for (const name of readdirSync(outbox)) {
      const path = join(outbox, name);
      const claim = /^(.+\.json)\.sending-\d+$/.exec(name);
      if (claim && now - statSync(path).mtimeMs > STALE_CLAIM_MS) renameSync(path, join(outbox, claim[1]!));
    }
    for (const name of readdirSync(outbox).filter((n) => n.endsWith('.json')).sort()) {
      const queued = JSON.parse(readFileSync(join(outbox, name), 'utf8')) as Queued;
      if (queued.nextAttemptAt <= now) await attempt(name);
    }
  }
  // One sweep at a time in this process; a call during a sweep waits for it and then sweeps again.
  const deliverDue = async (): Promise<void> => {
    while (sweeping) await sweeping;
    sweeping = sweep().finally(() => (sweeping = null));
    return sweeping;
  };
  const timer = setInterval(() => void deliverDue().catch((e) => log(`mail outbox: ${e instanceof Error ? e.message : e}`)), options.sweepEveryMs ?? 30_000);
  timer.unref();

  return {
    async send(message) {
      const raw = await renderMail(message, from);
      const now = clock();
      write(join(outbox, `${mailFileName()}.json`), { from, to: message.to, raw: raw.toString('base64'), attempts: 0, nextAttemptAt: now, firstQueuedAt: now });
      void deliverDue().catch((e) => log(`mail outbox: ${e instanceof Error ? e.message : e}`));
    },
    async deliverNow(message) {
      await transport.sendMail({ envelope: { from: addressOf(from), to: message.to }, raw: await renderMail(message, from) });
      log(`mail to ${message.to} sent over SMTP to ${settings.host}:${settings.port}`);
    },
    deliverDue,
    async close() {
      clearInterval(timer);
      while (sweeping) await sweeping.catch(() => {});
      transport.close();
    },
  };
}
