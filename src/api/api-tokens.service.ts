// Personal access tokens: made on the account page and shown once, read back only as their hash, revoked by their owner.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Orm } from '../db/orm.ts';
import { parseInput, oneLine } from '../validation.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import { isUuid } from '../engagement/command.ts';
import { claimFormKey } from '../forms/form-submission.ts';
import { ApiToken, tokenScopes, type TokenScope } from './api-token.entity.ts';

export interface TokenDeps {
  orm: Orm;
  clock: () => Date;
  /** The form's key: the same form sent twice makes one token (src/forms). */
  formKey?: string;
}

/** The lifetimes offered: every token ends; a year is the longest. */
export const TOKEN_LIFETIMES_DAYS = [7, 30, 90, 365] as const;
export const MAX_ACTIVE_TOKENS = 20;
/** The last use is written at most once a minute per token, so a busy program does not write on every read. */
const LAST_USED_RESOLUTION_MS = 60_000;
const PREFIX = 'trk_';

export const newTokenInput = z.object({
  name: oneLine(100, 'give the token a name'),
  scope: z.enum(tokenScopes, 'choose read or read and write'),
  expiresInDays: z.coerce.number('choose how long the token lasts').refine((n) => (TOKEN_LIFETIMES_DAYS as readonly number[]).includes(n), 'choose how long the token lasts'),
});

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  isActive: boolean;
}

/** A new token for the person; the secret is returned here and never again (only its hash is kept). */
export async function createApiToken(deps: TokenDeps, userId: string, raw: Record<string, unknown>): Promise<{ token: TokenRow; secret: string }> {
  const input = parseInput(newTokenInput, raw);
  const now = deps.clock();
  // 32 random bytes: a secret nobody guesses, so a fast unsalted hash is enough to keep it.
  const secret = PREFIX + randomBytes(32).toString('base64url');
  const token = await deps.orm.em.fork().transactional(async (em) => {
    await claimFormKey(em, deps.formKey, userId, null);
    const active = await em.count(ApiToken, { user: userId, revokedAt: null, expiresAt: { $gt: now } });
    if (active >= MAX_ACTIVE_TOKENS) throw new InvalidInputError([{ field: 'name', message: `revoke a token first: at most ${MAX_ACTIVE_TOKENS} may be active at once` }]);
    return em.create(ApiToken, {
    user: userId,
    name: input.name,
    prefix: secret.slice(0, PREFIX.length + 6),
    tokenHash: hashSecret(secret),
    scope: input.scope,
    expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
    lastUsedAt: null,
    revokedAt: null,
    createdAt: now,
    });
  });
  return { token: toRow(token, now), secret };
}

export async function listApiTokens(deps: TokenDeps, userId: string): Promise<TokenRow[]> {
  const now = deps.clock();
  const tokens = await deps.orm.em.fork().find(ApiToken, { user: userId }, { orderBy: { createdAt: 'desc' } });
  return tokens.map((t) => toRow(t, now));
}

/** Only the token's owner revokes it; anyone else's token is "not found". Revoking twice changes nothing. */
export async function revokeApiToken(deps: TokenDeps, userId: string, tokenId: string): Promise<void> {
  const em = deps.orm.em.fork();
  const token = isUuid(tokenId) ? await em.findOne(ApiToken, { id: tokenId, user: userId }) : null;
  if (!token) throw new NotFoundError('Token');
  token.revokedAt ??= deps.clock();
  await em.flush();
}

export interface TokenHolder {
  tokenId: string;
  userId: string;
  locale: 'en' | 'ru';
  scope: TokenScope;
}

/**
 * The person behind a bearer secret, or null for a malformed, unknown, expired or revoked one (all
 * answer alike). One statement reads it; a second notes the use, at most once a minute.
 */
export async function authenticateApiToken(deps: TokenDeps, secret: string): Promise<TokenHolder | null> {
  if (!/^trk_[A-Za-z0-9_-]{43}$/.test(secret)) return null;
  const now = deps.clock();
  const connection = deps.orm.em.getConnection();
  const [row] = (await connection.execute(
    `select t.id, t.scope, u.id as user_id, u.locale from api_tokens t join users u on u.id = t.user_id
      where t.token_hash = ? and t.revoked_at is null and t.expires_at > ?`,
    [hashSecret(secret), now],
  )) as { id: string; scope: TokenScope; user_id: string; locale: string }[];
  if (!row) return null;
  await connection.execute(`update api_tokens set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)`, [
    now,
    row.id,
    new Date(now.getTime() - LAST_USED_RESOLUTION_MS),
  ]);
  return { tokenId: row.id, userId: row.user_id, locale: row.locale === 'ru' ? 'ru' : 'en', scope: row.scope };
}

function toRow(token: ApiToken, now: Date): TokenRow {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    scope: token.scope,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt ?? null,
    revokedAt: token.revokedAt ?? null,
    isActive: !token.revokedAt && token.expiresAt.getTime() > now.getTime(),
  };
}
