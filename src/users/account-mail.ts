// What account e-mails say, in the recipient's language: who sends them, for which engagement, and the link.
import type { MailMessage } from '../mail/mailer.ts';

export type MailLocale = 'en' | 'ru';

export const mailLocale = (value: string | null | undefined): MailLocale => (value === 'ru' ? 'ru' : 'en');

const roleWords = {
  en: { consultant: 'consultant', owner: 'business owner', staff: 'staff member' },
  ru: { consultant: 'консультант', owner: 'владелец бизнеса', staff: 'сотрудник' },
} as const;

type Role = keyof (typeof roleWords)['en'];
const roleName = (locale: MailLocale, role: string) => roleWords[locale][role as Role] ?? role;

/** The From name: the inviting consultant "via Troika", or Troika itself when no person writes. */
export const senderName = (inviter?: string) => (inviter ? `${inviter} via Troika` : 'Troika');

export interface InvitationFacts {
  to: string;
  inviter: string;
  clientName: string;
  role: string;
  link: string;
  days: number;
}

/** An invitation to set a password and join the engagement. */
export function invitationMail(locale: MailLocale, f: InvitationFacts): MailMessage {
  const role = roleName(locale, f.role);
  return locale === 'ru'
    ? {
        to: f.to,
        language: 'ru',
        senderName: senderName(f.inviter),
        subject: `${f.inviter} приглашает вас в проект «${f.clientName}»`,
        text:
          `Здравствуйте!\n\n${f.inviter} приглашает вас в проект «${f.clientName}» в Troika (роль: ${role}).\n\n` +
          `Задайте пароль по ссылке (она действует один раз, ${f.days} дн.):\n${f.link}\n\n` +
          `Если вы не ждали этого письма, просто удалите его.\n`,
      }
    : {
        to: f.to,
        language: 'en',
        senderName: senderName(f.inviter),
        subject: `${f.inviter} invites you to the engagement ${f.clientName}`,
        text:
          `Hello,\n\n${f.inviter} invites you to take part in the engagement "${f.clientName}" in Troika as ${role}.\n\n` +
          `Set your password here (the link works once, for ${f.days} days):\n${f.link}\n\n` +
          `If you did not expect this e-mail, you can simply delete it.\n`,
      };
}

/** A note to someone who already has an account: they were added to one more engagement. */
export function addedMail(locale: MailLocale, f: Omit<InvitationFacts, 'days'>): MailMessage {
  const role = roleName(locale, f.role);
  return locale === 'ru'
    ? {
        to: f.to,
        language: 'ru',
        senderName: senderName(f.inviter),
        subject: `${f.inviter} добавил(а) вас в проект «${f.clientName}»`,
        text: `Здравствуйте!\n\n${f.inviter} добавил(а) вас в проект «${f.clientName}» в Troika (роль: ${role}).\n\nВойти: ${f.link}\n`,
      }
    : {
        to: f.to,
        language: 'en',
        senderName: senderName(f.inviter),
        subject: `${f.inviter} added you to the engagement ${f.clientName}`,
        text: `Hello,\n\n${f.inviter} added you to the engagement "${f.clientName}" in Troika as ${role}.\n\nSign in: ${f.link}\n`,
      };
}

export function passwordResetMail(locale: MailLocale, f: { to: string; link: string; hours: number }): MailMessage {
  return locale === 'ru'
    ? {
        to: f.to,
        language: 'ru',
        senderName: senderName(),
        subject: 'Troika: новый пароль',
        text: `Задайте новый пароль по ссылке (она действует один раз, ${f.hours} ч.):\n${f.link}\n\nЕсли вы не запрашивали сброс пароля, просто удалите это письмо: старый пароль продолжит действовать.\n`,
      }
    : {
        to: f.to,
        language: 'en',
        senderName: senderName(),
        subject: 'Troika: reset your password',
        text: `Set a new password here (the link works once, for ${f.hours} hours):\n${f.link}\n\nIf you did not ask for a new password, delete this e-mail: your old password keeps working.\n`,
      };
}

export function consultantAccountMail(locale: MailLocale, f: { to: string; admin: string; link: string; days: number }): MailMessage {
  return locale === 'ru'
    ? {
        to: f.to,
        language: 'ru',
        senderName: senderName(),
        subject: 'Troika: ваша учётная запись консультанта',
        text: `Здравствуйте!\n\n${f.admin} создал(а) для вас учётную запись консультанта в Troika.\n\nЗадайте пароль по ссылке (она действует один раз, ${f.days} дн.):\n${f.link}\n`,
      }
    : {
        to: f.to,
        language: 'en',
        senderName: senderName(),
        subject: 'Troika: your consultant account',
        text: `Hello,\n\n${f.admin} made a consultant account for you in Troika.\n\nSet your password here (the link works once, for ${f.days} days):\n${f.link}\n`,
      };
}
