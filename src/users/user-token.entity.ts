// One-time links: an invitation to set a first password, or a password reset. Only the hash is stored.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

const UserTokenSchema = defineEntity({
  name: 'UserToken',
  tableName: 'user_tokens',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    user: () => p.manyToOne(User),
    kind: p.string(),
    tokenHash: p.string().unique(),
    /** The engagement the invitation came from, to greet the person with it. */
    engagementId: p.uuid().nullable(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class UserToken extends UserTokenSchema.class {}
UserTokenSchema.setClass(UserToken);
