// Sign-in with passport's local strategy; the person is read fresh from the database on every request.
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Orm } from '../db/orm.ts';
import { User, type FirmRole } from '../users/user.entity.ts';
import { verifyPassword } from '../users/password.ts';
import type { ChangeFeed } from '../cache/change-feed.ts';

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  locale: 'en' | 'ru';
  /** admin or consultant for the firm's people; null for owners and staff. */
  firmRole: FirmRole | null;
  /** Only on the sign-in itself: the stamp the new session keeps. */
  passwordStamp?: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface User extends SignedInUser {}
  }
}

// Verifying against a fixed hash when the account is unknown keeps the answer time the same.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function configurePassport(orm: Orm, changes?: ChangeFeed): passport.PassportStatic {
  const people = rememberPeople(orm, changes);
  const instance = new passport.Passport();
  instance.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, async (email, password, done) => {
      try {
        const user = await orm.em.fork().findOne(User, { email: email.trim().toLowerCase() });
        const isValid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
        done(null, user && user.passwordHash && isValid ? { ...present(user), passwordStamp: passwordStamp(user) } : false);
      } catch (error) {
        done(error);
      }
    }),
  );
  instance.serializeUser((user, done) => done(null, user.id));
  // Three arguments: passport then hands over the request, whose session holds the password stamp.
  instance.deserializeUser(async (req: Request, id: string, done: (error: unknown, user?: SignedInUser | false) => void) => {
    try {
      const user = await people(id);
      // A session from before the last password change is over, even one a request in flight
      // wrote back after the reset deleted it.
      if (!user || req.session.passwordStamp !== passwordStamp(user)) return done(null, false);
      done(null, present(user));
    } catch (error) {
      done(error);
    }
  });
  return instance as unknown as passport.PassportStatic;
}

/** Changes whenever the password does; kept in the session at sign-in. */
export function passwordStamp(user: Pick<User, 'passwordHash'>): string {
  return createHash('sha256').update(user.passwordHash ?? '').digest('base64url').slice(0, 16);
}

type SignedInRow = Pick<User, 'id' | 'email' | 'name' | 'locale' | 'firmRole' | 'passwordHash'>;

/** How long one read of a person is reused at most, even when the change feed heard nothing. */
const PERSON_REUSE_MS = 60_000;

/**
 * The person behind each session, read once and reused while the change feed hears nothing (a
 * user's row moves: a new password, name or language), bounded in time and number.
 */
function rememberPeople(orm: Orm, changes: ChangeFeed | undefined): (id: string) => Promise<SignedInRow | null> {
  const kept = new Map<string, { generation: number; at: number; row: Promise<SignedInRow | null> }>();
  return (id) => {
    const generation = changes?.generation() ?? null;
    if (generation === null) return readSignedIn(orm, id);
    const found = kept.get(id);
    if (found && found.generation === generation && Date.now() - found.at < PERSON_REUSE_MS) return found.row;
    const row = readSignedIn(orm, id);
    const entry = { generation, at: Date.now(), row };
    kept.delete(id);
    kept.set(id, entry);
    if (kept.size > 10_000) kept.delete(kept.keys().next().value!);
    row.catch(() => kept.get(id) === entry && kept.delete(id));
    return row;
  };
}

/**
 * The person behind a session: one plain statement, without the ORM's
 * query building and hydration for a row that is only read.
 */
async function readSignedIn(orm: Orm, id: string): Promise<SignedInRow | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const [row] = (await orm.em.getConnection().execute('select id, email, name, locale, firm_role, password_hash from users where id = ?', [id])) as {
    id: string;
    email: string;
    name: string;
    locale: string;
    firm_role: FirmRole | null;
    password_hash: string | null;
  }[];
  return row ? { id: row.id, email: row.email, name: row.name, locale: row.locale, firmRole: row.firm_role, passwordHash: row.password_hash } : null;
}

export function present(user: Pick<User, 'id' | 'email' | 'name' | 'locale' | 'firmRole'>): SignedInUser {
  return { id: user.id, email: user.email, name: user.name, locale: user.locale === 'ru' ? 'ru' : 'en', firmRole: user.firmRole ?? null };
}
