// What a notification e-mail says, in the recipient's language: the same sentence as the inbox,
// the client, a link to the thing, and how to change or stop this kind of mail. Pure: the job
// reads the facts, this writes the words. The subject holds only the fixed sentence and names
// nodemailer encodes; line breaks are folded away first, so nothing typed can start a header.
import type { MailMessage } from '../mail/mailer.ts';
import { translate, type Locale } from '../web/i18n/i18n.ts';
import type { NotificationKind } from './notification-rules.ts';

export interface NotificationMailFacts {
  to: string;
  locale: Locale;
  kind: NotificationKind;
  params: { title?: { en: string; ru: string }; comment?: string | null; accepted?: boolean; escalated?: boolean; days?: number; person?: string };
  clientName: string;
  /** Absolute addresses: the entry (marks it read, then goes to the thing), the preferences, the unsubscribe. */
  openUrl: string;
  preferencesUrl: string;
  unsubscribeUrl: string;
  messageKey: string;
}

const oneLine = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();

/** The inbox's sentence for an entry, the same words the page shows. */
export function notificationSentence(locale: Locale, kind: NotificationKind, params: NotificationMailFacts['params']): string {
  let key: string = kind;
  if (kind === 'practicalReviewed') key = params.accepted ? 'practicalAccepted' : 'practicalReturned';
  else if (params.escalated) key = `${kind}Escalated`;
  return translate(locale, `notifications.kind.${key}`, { title: params.title?.[locale] ?? '', days: params.days ?? 0, person: params.person ?? '' });
}

export function notificationMail(f: NotificationMailFacts): MailMessage {
  const t = (key: string, params: Record<string, string> = {}) => translate(f.locale, `reminders.mail.${key}`, params);
  const sentence = oneLine(notificationSentence(f.locale, f.kind, f.params));
  const kindName = translate(f.locale, `reminders.kindName.${f.kind}`);
  const comment = f.params.comment ? `\n\n${t('comment')}\n${f.params.comment}` : '';
  return {
    to: f.to,
    language: f.locale,
    subject: `${sentence} · ${oneLine(f.clientName)}`,
    text:
      `${sentence}\n${t('engagement', { client: f.clientName })}${comment}\n\n${t('open')}\n${f.openUrl}\n\n` +
      `-- \n${t('why', { kind: kindName })}\n${t('preferences')}\n${f.preferencesUrl}\n${t('unsubscribe')}\n${f.unsubscribeUrl}\n`,
    unsubscribeUrl: f.unsubscribeUrl,
    messageKey: f.messageKey,
  };
}

export interface DigestFacts {
  to: string;
  locale: Locale;
  entries: { kind: NotificationKind; params: NotificationMailFacts['params']; clientName: string; openUrl: string }[];
  preferencesUrl: string;
  messageKey: string;
}

/** The daily digest: every entry of the kinds a person chose "daily digest" for, since the last one. */
export function digestMail(f: DigestFacts): MailMessage {
  const t = (key: string, params: Record<string, string | number> = {}) => translate(f.locale, `reminders.mail.${key}`, params);
  const lines = f.entries.map((e) => `- ${oneLine(notificationSentence(f.locale, e.kind, e.params))} (${oneLine(e.clientName)})\n  ${e.openUrl}`);
  return {
    to: f.to,
    language: f.locale,
    subject: t('digestSubject', { count: f.entries.length }),
    text: `${t('digestIntro')}\n\n${lines.join('\n\n')}\n\n-- \n${t('digestWhy')}\n${f.preferencesUrl}\n`,
    messageKey: f.messageKey,
  };
}
