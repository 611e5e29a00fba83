// argon2id password hashes with Node's own implementation, stored in the PHC string format; and which passwords are too easy to guess.
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { dictionary } from '@zxcvbn-ts/language-common';

const derive = promisify(argon2);

// OWASP's minimum for argon2id: 19 MiB memory, 2 passes, 1 lane.
const PARAMS = { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 } as const;

export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const tag = await derive('argon2id', { message: password, nonce, ...PARAMS });
  return `$argon2id$v=19$m=${PARAMS.memory},t=${PARAMS.passes},p=${PARAMS.parallelism}$${nonce.toString('base64url')}$${tag.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([\w-]+)\$([\w-]+)$/.exec(stored);
  if (!match) return false;
  const [, memory, passes, parallelism, nonce, tag] = match;
  const expected = Buffer.from(tag!, 'base64url');
  const actual = await derive('argon2id', {
    message: password,
    nonce: Buffer.from(nonce!, 'base64url'),
    memory: Number(memory),
    passes: Number(passes),
    parallelism: Number(parallelism),
    tagLength: expected.length,
  });
  return timingSafeEqual(actual, expected);
}

let commonPasswords: Set<string> | undefined;

/** Lower case, compatibility forms folded (full-width letters and the like), so look-alikes compare equal. */
const fold = (text: string) => text.normalize('NFKC').toLowerCase();

/**
 * True for a password among the ~50,000 most used ones in leaks (the list zxcvbn ships), also when
 * only spaces, or digits and symbols at its ends, were added: "Password123!" is still "password".
 * Guessing attacks try exactly these first, whatever their length.
 */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(dictionary['passwords-common']);
  const plain = fold(password);
  const joined = plain.replace(/\s+/g, '');
  const core = joined.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return [plain, joined, core].some((candidate) => candidate !== '' && commonPasswords!.has(candidate));
}

/**
 * True when the password is little more than the person's own e-mail address or name: the first
 * thing someone who knows whose account it is will try. Punctuation, spaces, case and digits at
 * the ends do not count; a long local part or name inside the password counts too.
 */
export function isPersonalPassword(password: string, person: { email: string; name: string }): boolean {
  const squash = (text: string) => fold(text).replace(/[^\p{L}\p{N}]+/gu, '');
  const whole = squash(password);
  const core = whole.replace(/^\p{N}+|\p{N}+$/gu, '');
  const local = person.email.split('@')[0] ?? '';
  const exact = [person.email, local, person.name, ...person.name.split(/\s+/)].map(squash).filter((t) => t.length >= 3);
  if (exact.some((t) => t === whole || t === core)) return true;
  return [local, person.name].map(squash).some((t) => t.length >= 6 && whole.includes(t));
}
