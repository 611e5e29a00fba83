// A person who signs in: consultant, business owner, staff member or admin.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

export const firmRoles = ['admin', 'consultant'] as const;
export type FirmRole = (typeof firmRoles)[number];

const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    email: p.string().unique(),
    name: p.string(),
    /** argon2id hash; null until the invited person sets a password. */
    passwordHash: p.text().nullable(),
    locale: p.string().default('en'),
    /** Firm administrators create consultant accounts; both may create engagements. Owners and staff have none. */
    firmRole: p.string().$type<FirmRole>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class User extends UserSchema.class {}
UserSchema.setClass(User);
