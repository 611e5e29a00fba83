// Outgoing e-mail, built by nodemailer: it encodes every header, so text typed by a person (a
// client's name in a subject, say) can never break out of its header and add another one.
// Until SMTP is configured, each message is written to a private folder as an .eml file.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The name shown in From; the address stays the configured one. */
  senderName?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export const MAIL_FROM = 'Troika <no-reply@troika.invalid>';

/** The bare address of a "Name <address>" sender. */
function addressOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}

/**
 * Writes each message as an .eml file a person (or a test) can open and follow the links of.
 * One-time links are secrets: the folder is 0700 and each file 0600, whatever the umask.
 */
export function createFolderMailer(folder: string, log: (line: string) => void = () => {}, from = MAIL_FROM): Mailer & { folder: string } {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    folder,
    async send(message) {
      // An object, not a string we glue together: nodemailer encodes the name, whatever characters it holds.
      const sender = message.senderName ? { name: message.senderName, address: addressOf(from) } : from;
      const info = await transport.sendMail({ from: sender, to: message.to, subject: message.subject, text: message.text, date: new Date() });
      const file = join(folder, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      writeFileSync(file, info.message as Buffer, { mode: 0o600 });
      log(`mail to ${message.to} written to ${file}`);
    },
  };
}
