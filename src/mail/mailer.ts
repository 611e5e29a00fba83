// Outgoing e-mail. Until SMTP is configured, messages go to the log and to a folder as .eml files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Writes each message as an .eml file a person (or a test) can open and follow the links of. */
export function createFolderMailer(folder: string, log: (line: string) => void = () => {}): Mailer & { folder: string } {
  mkdirSync(folder, { recursive: true });
  return {
    folder,
    async send(message) {
      const file = join(folder, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      const body = [`To: ${message.to}`, `Subject: ${message.subject}`, 'Content-Type: text/plain; charset=utf-8', '', message.text, ''].join('\n');
      writeFileSync(file, body, 'utf8');
      log(`mail to ${message.to}: "${message.subject}" written to ${file}`);
    },
  };
}
