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
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export const MAIL_FROM = 'Troika <no-reply@troika.invalid>';

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
      const info = await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
      const file = join(folder, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      writeFileSync(file, info.message as Buffer, { mode: 0o600 });
      log(`mail to ${message.to} written to ${file}`);
    },
  };
}
