// The firm's own people: only a firm administrator makes consultant accounts (and so decides who
// may open engagements); owners and staff come in by invitation to one engagement and never get a firm role.
import { z } from 'zod';
import { User, type FirmRole } from './user.entity.ts';
import { issueToken, INVITATION_DAYS, type AccountDeps } from './invitations.service.ts';
import { parseInput } from '../validation.ts';
import { consultantAccountMail, mailLocale } from './account-mail.ts';
import { claimFormKey } from '../forms/form-submission.ts';
import { ForbiddenError, InvalidInputError } from '../errors.ts';

export const consultantInput = z.object({
  email: z.string('must be an e-mail address').trim().toLowerCase().max(254, 'use at most 254 characters').email('must be an e-mail address'),
  name: z.string('enter the name').trim().min(1, 'enter the name').max(200, 'use at most 200 characters'),
});

export interface FirmPerson {
  id: string;
  name: string;
  email: string;
  firmRole: FirmRole;
  hasPassword: boolean;
}

async function requireFirmAdmin(deps: AccountDeps, actorId: string): Promise<User> {
  const actor = await deps.orm.em.fork().findOne(User, actorId);
  if (actor?.firmRole !== 'admin') throw new ForbiddenError('Only a firm administrator manages consultant accounts');
  return actor;
}

export async function listFirmPeople(deps: AccountDeps, actorId: string): Promise<FirmPerson[]> {
  await requireFirmAdmin(deps, actorId);
  const people = await deps.orm.em.fork().find(User, { firmRole: { $ne: null } }, { orderBy: { name: 'asc' } });
  return people.map((u) => ({ id: u.id, name: u.name, email: u.email, firmRole: u.firmRole!, hasPassword: !!u.passwordHash }));
}

/** Makes a consultant account and e-mails a one-time link to set its password. */
export async function createConsultantAccount(deps: AccountDeps, actorId: string, raw: unknown): Promise<User> {
  const admin = await requireFirmAdmin(deps, actorId);
  const input = parseInput(consultantInput, raw);
  const { user, token } = await deps.orm.em.fork().transactional(async (em) => {
    await claimFormKey(em, deps.formKey, actorId, null);
    // An address already in use stays what it is: turning a client's account into a consultant's is not this form's job.
    if (await em.findOne(User, { email: input.email })) throw new InvalidInputError([{ field: 'email', message: 'this address already has a Troika account' }]);
    const made = em.create(User, { email: input.email, name: input.name, passwordHash: null, firmRole: 'consultant', locale: admin.locale });
    await em.flush();
    return { user: made, token: await issueToken(em, made, 'invite', deps.clock(), null) };
  });
  await deps.mailer.send(consultantAccountMail(mailLocale(user.locale), { to: user.email, admin: admin.name, link: `${deps.baseUrl}/invitations/${token}`, days: INVITATION_DAYS }));
  return user;
}
