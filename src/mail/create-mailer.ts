// Which mailer the configuration asks for: SMTP when SMTP_URL is set, the private folder otherwise.
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { createFolderMailer, type Mailer } from './mailer.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

export function createMailer(config: Pick<Config, 'smtp' | 'mailFrom' | 'smtpCa' | 'mailDir'>, log: (line: string) => void): Mailer {
  if (!config.smtp) return createFolderMailer(config.mailDir, log, config.mailFrom);
  log(`mail goes over SMTP to ${config.smtp.host}:${config.smtp.port} (${config.smtp.secure ? 'TLS' : 'STARTTLS required'}${config.smtp.auth ? `, as ${config.smtp.auth.user}` : ''}); waiting messages are kept in ${join(config.mailDir, 'outbox')}`);
  return createSmtpMailer({ settings: config.smtp, from: config.mailFrom, ca: config.smtpCa, outbox: join(config.mailDir, 'outbox'), log });
}
