// Outgoing e-mail, built by nodemailer: it encodes every header, so text typed by a person (a
// client's name in a subject, say) can never break out of its header and add another one.
// Without SMTP_URL each message is written to a private folder as an .eml file; with it, each
// goes through a durable outbox to the SMTP server (see smtp-mailer.ts).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { htmlFromText } from './mail-html.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The name shown in From; the address stays the configured one. */
  senderName?: string;
  /** The recipient's language: the HTML part's lang and the Content-Language header. */
  language?: 'en' | 'ru';
  /** A signed address that turns this kind of mail off: List-Unsubscribe with one-click POST (RFC 8058). */
  unsubscribeUrl?: string;
  /** The send's idempotency key: it makes the Message-ID, so a mail program sees a repeat as the same message. */
  messageKey?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Delivers now and fails if the server refuses, so a job's own retries govern (src/notifications/mail-delivery.ts). */
  deliverNow?(message: MailMessage): Promise<void>;
  close?(): Promise<void>;
}

export const MAIL_FROM = 'Troika <no-reply@troika.invalid>';

/** The bare address of a "Name <address>" sender. */
export function addressOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}

/** What nodemailer is given: objects and fixed values only, never a header glued from typed text. */
export function composeMail(message: MailMessage, from: string): SendMailOptions {
  // An object, not a string we glue together: nodemailer encodes the name, whatever characters it holds.
  const sender = message.senderName ? { name: message.senderName, address: addressOf(from) } : from;
  const language = message.language ?? 'en';
  return {
    from: sender,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: htmlFromText(message.text, language),
    headers: { 'Content-Language': language, ...(message.unsubscribeUrl ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}) },
    // nodemailer writes List-Unsubscribe itself, in angle brackets, stripping anything that could end the header.
    ...(message.unsubscribeUrl ? { list: { unsubscribe: { url: message.unsubscribeUrl } } } : {}),
    ...(message.messageKey ? { messageId: `<${message.messageKey.replace(/[^A-Za-z0-9.-]/g, '.')}@${addressOf(from).split('@')[1] ?? 'troika.invalid'}>` } : {}),
    date: new Date(),
  };
}

/** The message as the bytes of an .eml file, which is also what goes over SMTP. */
export async function renderMail(message: MailMessage, from: string): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await transport.sendMail(composeMail(message, from));
  return info.message as Buffer;
}

/** A private folder: one-time links in the messages are secrets, so 0700 whatever the umask. */
export function privateFolder(folder: string): string {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  return folder;
}

export const mailFileName = () => `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;

/**
 * Writes each message as an .eml file a person (or a test) can open and follow the links of.
 * One-time links are secrets: the folder is 0700 and each file 0600, whatever the umask.
 */
export function createFolderMailer(folder: string, log: (line: string) => void = () => {}, from = MAIL_FROM): Mailer & { folder: string } {
  privateFolder(folder);
  const send = async (message: MailMessage) => {
    const file = join(folder, `${mailFileName()}.eml`);
    writeFileSync(file, await renderMail(message, from), { mode: 0o600 });
    log(`mail to ${message.to} written to ${file}`);
  };
  return { folder, send, deliverNow: send };
}
