// A personal access token for the REST API: only the SHA-256 of its secret is stored, never the secret.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from '../users/user.entity.ts';

export const tokenScopes = ['read', 'read-write'] as const;
export type TokenScope = (typeof tokenScopes)[number];

const ApiTokenSchema = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  indexes: [{ name: 'api_tokens_user_id_index', properties: ['user'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    user: () => p.manyToOne(User),
    /** The person's own label, so they know which program holds which token. */
    name: p.string().length(100),
    /** The first characters of the secret, shown in the list to tell tokens apart; too few to guess the rest. */
    prefix: p.string().length(16),
    tokenHash: p.string().length(64).unique(),
    scope: p.string().$type<TokenScope>(),
    expiresAt: p.datetime(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
});

export class ApiToken extends ApiTokenSchema.class {}
ApiTokenSchema.setClass(ApiToken);
