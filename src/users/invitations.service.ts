// Invitations and password resets by one-time link; only a hash of each link's token is stored.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { LockMode, type EntityManager } from '@mikro-orm/core';
import { User } from './user.entity.ts';
import { UserToken } from './user-token.entity.ts';
import { hashPassword, isCommonPassword, isPersonalPassword } from './password.ts';
import type { Mailer } from '../mail/mailer.ts';
import { addedMail, invitationMail, mailLocale, passwordResetMail } from './account-mail.ts';
import type { ServiceDeps } from '../engagement/command.ts';
import { addParticipant, type AddParticipantInput } from '../engagement/participants.service.ts';
import { Engagement } from '../engagement/engagement.entity.ts';
import { parseInput } from '../validation.ts';
import { InvalidInputError } from '../errors.ts';

export interface AccountDeps extends ServiceDeps {
  mailer: Mailer;
  /** Where links in e-mails point, such as http://127.0.0.1:3000 */
  baseUrl: string;
}

const DAY = 24 * 60 * 60 * 1000;
export const INVITATION_DAYS = 7;
export const RESET_HOURS = 2;

export const COMMON_PASSWORD_MESSAGE = 'this password is one of the most common ones, which are guessed first: choose another';
export const PERSONAL_PASSWORD_MESSAGE = 'the password must not be your e-mail address or your name';

/** A new password for this person: long enough, not a common one, not their own address or name. */
export function passwordInput(person: { email: string; name: string }) {
  return z
    .object({
      password: z
        .string('use at least 10 characters')
        // A length problem is the one to show: the list checks run only on a password of a fitting length.
        .min(10, { message: 'use at least 10 characters', abort: true })
        .max(200, { message: 'use at most 200 characters', abort: true })
        .refine((password) => !isCommonPassword(password), COMMON_PASSWORD_MESSAGE)
        .refine((password) => !isPersonalPassword(password, person), PERSONAL_PASSWORD_MESSAGE),
      confirm: z.string('repeat the password'),
    })
    .refine((p) => p.password === p.confirm, { path: ['confirm'], message: 'the two passwords differ' });
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function issueToken(em: EntityManager, user: User, kind: 'invite' | 'reset', now: Date, engagementId: string | null): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const lifetime = kind === 'invite' ? INVITATION_DAYS * DAY : RESET_HOURS * 60 * 60 * 1000;
  em.create(UserToken, { user, kind, tokenHash: hashToken(token), engagementId, expiresAt: new Date(now.getTime() + lifetime), usedAt: null });
  await em.flush();
  return token;
}

/**
 * Adds the person to the engagement and e-mails them a link to set their password (or a note, if they
 * have one), in their language; a new account starts in the language of the consultant who invites.
 */
export async function inviteParticipant(deps: AccountDeps, actorId: string, engagementId: string, input: AddParticipantInput): Promise<User> {
  const email = String(input.email ?? '').trim().toLowerCase();
  const isNewAccount = !(await deps.orm.em.fork().findOne(User, { email }));
  const participant = await addParticipant(deps, actorId, engagementId, input);
  const em = deps.orm.em.fork();
  const [user, inviter, engagement] = await Promise.all([em.findOneOrFail(User, participant.user.id), em.findOneOrFail(User, actorId), em.findOneOrFail(Engagement, engagementId)]);
  if (isNewAccount) {
    user.locale = mailLocale(inviter.locale);
    await em.flush();
  }
  const facts = { to: user.email, inviter: inviter.name, clientName: engagement.clientName, role: input.role };
  const locale = mailLocale(user.locale);
  if (user.passwordHash) {
    await deps.mailer.send(addedMail(locale, { ...facts, link: `${deps.baseUrl}/login` }));
  } else {
    const token = await issueToken(em, user, 'invite', deps.clock(), engagementId);
    await deps.mailer.send(invitationMail(locale, { ...facts, link: `${deps.baseUrl}/invitations/${token}`, days: INVITATION_DAYS }));
  }
  return user;
}

/** The valid, unused token of this kind, or null: an expired or used link is simply not valid. */
export async function findUsableToken(deps: ServiceDeps, token: string, kind: 'invite' | 'reset'): Promise<UserToken | null> {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const found = await deps.orm.em.fork().findOne(UserToken, { tokenHash: hashToken(token), kind }, { populate: ['user'] });
  if (!found || found.usedAt || found.expiresAt.getTime() < deps.clock().getTime()) return null;
  return found;
}

const linkUsedUp = () => new InvalidInputError([{ field: 'token', message: 'this link has expired or was already used' }]);

/**
 * Sets the password behind a one-time link. In the same transaction the link is used up, every
 * other link of the person stops working, and every session signed in to the account ends: after a
 * reset, whoever knew the old password or held an old link or a stolen session is out.
 */
export async function setPasswordWithToken(deps: ServiceDeps, token: string, kind: 'invite' | 'reset', raw: unknown): Promise<User> {
  // The person is needed to judge the password (not their own name); the locked look-up below still decides.
  const usable = await findUsableToken(deps, token, kind);
  if (!usable) throw linkUsedUp();
  const input = parseInput(passwordInput(usable.user), raw);
  const passwordHash = await hashPassword(input.password);
  return deps.orm.em.fork().transactional(async (em) => {
    // The row lock makes a link followed twice at once set the password only once.
    const found = await em.findOne(UserToken, { tokenHash: hashToken(token), kind, usedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!found || found.expiresAt.getTime() < deps.clock().getTime()) throw linkUsedUp();
    const user = await em.findOneOrFail(User, found.user.id);
    const now = deps.clock();
    found.usedAt = now;
    user.passwordHash = passwordHash;
    await em.nativeUpdate(UserToken, { user: user.id, usedAt: null, id: { $ne: found.id } }, { usedAt: now });
    // Sessions are connect-pg-simple's rows (see the WebSessions migration): passport keeps the user id in sess.passport.user.
    await em.execute(`delete from sessions where sess -> 'passport' ->> 'user' = ?`, [user.id], 'run');
    return user;
  });
}

/** Sends a reset link if the address has an account, and nothing otherwise; the web answers before this runs (see auth.routes.ts). */
export async function requestPasswordReset(deps: AccountDeps, rawEmail: string): Promise<void> {
  const email = String(rawEmail ?? '').trim().toLowerCase();
  const em = deps.orm.em.fork();
  const user = email ? await em.findOne(User, { email }) : null;
  if (!user) return;
  const token = await issueToken(em, user, 'reset', deps.clock(), null);
  await deps.mailer.send(passwordResetMail(mailLocale(user.locale), { to: user.email, link: `${deps.baseUrl}/password/reset/${token}`, hours: RESET_HOURS }));
}
