// Sessions live in PostgreSQL, so any web process can serve any request.
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import pg from 'pg';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { noteLocalSessionChange, type ChangeFeed } from '../cache/change-feed.ts';

export interface SessionStore {
  middleware: RequestHandler;
  /** The cookie's name: `__Host-` with secure cookies, so no sub-domain or plain-HTTP page can set or shadow it. */
  cookieName: string;
  /** Removes the session cookie with the attributes it was set with (a `__Host-` cookie is only removed that way). */
  clearCookie(res: Response): void;
  close(): Promise<void>;
}

declare module 'express-session' {
  interface SessionData {
    locale?: 'en' | 'ru';
    flash?: { kind: 'notice' | 'error'; text: string; details?: string[] }[];
    /** When the person signed in (ISO): the session ends a fixed time after it, however busy it is. */
    signedInAt?: string;
    /** The password's stamp at sign-in (see passwordStamp in auth.ts): a new password ends the session. */
    passwordStamp?: string;
  }
}

/** Idle timeout: every request pushes it on (rolling cookie and store expiry). */
export const SESSION_IDLE_HOURS = 12;
/**
 * How often a busy session's expiry is pushed on in the database. Without this every page view
 * writes a row; the idle timeout is hours, so a few minutes' lag in pushing it changes nothing.
 */
export const TOUCH_EVERY_MS = 5 * 60 * 1000;
/** Absolute lifetime: a stolen or forgotten session cannot be kept alive for ever by using it. */
export const SESSION_MAX_DAYS = 7;

export interface SessionOptions {
  secureCookies: boolean;
  /** One line per problem; the pool's connection errors land here instead of killing the process. */
  log?: (line: string) => void;
  /** Heard changes: with it a session is read from the database once, not on every request. */
  changes?: ChangeFeed;
}

export function createSessionStore(databaseUrl: string, secret: string, options: SessionOptions): SessionStore {
  const log = options.log ?? ((line: string) => console.error(`[troika] ${line}`));
  // application_name lets an operator (and a test) tell these connections from the ORM's.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5, application_name: 'troika-web-sessions' });
  // An idle connection dropped by the server (a PostgreSQL restart) is reported here; without a
  // listener the event would be thrown and end the process. The pool reconnects on the next query.
  pool.on('error', (error) => log(`web sessions: a database connection was lost (${error.message})`));
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool,
    tableName: 'sessions',
    createTableIfMissing: false,
    pruneSessionInterval: 15 * 60,
    // The store's own default prints whole error objects to the console; the request that met the
    // error answers 503 and the outage is logged once, so a short line is all this needs.
    errorLog: (...args: unknown[]) => log(`web sessions: ${args.map((a) => (a instanceof Error ? a.message.split('\n')[0] : String(a))).join(' ')}`),
  });
  pushExpiryAtMostEvery(store, TOUCH_EVERY_MS);
  if (options.changes) keepSessionsInMemory(store, options.changes);
  const cookieName = options.secureCookies ? '__Host-troika.sid' : 'troika.sid';
  const cookie = { httpOnly: true, sameSite: 'lax' as const, secure: options.secureCookies, path: '/' };
  const middleware = session({
    name: cookieName,
    store,
    secret,
    resave: false,
    // Nothing is stored (and no cookie sent) until a session holds something: a CSRF token, a message, a sign-in.
    saveUninitialized: false,
    rolling: true,
    cookie: { ...cookie, maxAge: SESSION_IDLE_HOURS * 60 * 60 * 1000 },
  });
  return {
    middleware,
    cookieName,
    clearCookie: (res) => res.clearCookie(cookieName, cookie),
    async close() {
      store.close();
      await pool.end();
    },
  };
}

/**
 * Ends a signed-in session SESSION_MAX_DAYS after its sign-in, and a signed-in session that has
 * no sign-in time (made before the time was kept). The request goes on as an anonymous one.
 */
export function endOldSessions(clock: () => Date): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) return next();
    const signedInAt = Date.parse(req.session.signedInAt ?? '');
    const isFresh = Number.isFinite(signedInAt) && clock().getTime() - signedInAt < SESSION_MAX_DAYS * 24 * 60 * 60 * 1000;
    if (isFresh) return next();
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.user = undefined;
      next();
    });
  };
}

/**
 * Lets the store's touch (the UPDATE of a session's expiry that a rolling session makes on each
 * request) through once per interval per session and process. A changed session is still saved at
 * once by express-session's own set(), which counts as a push.
 */
function pushExpiryAtMostEvery(store: session.Store, intervalMs: number): void {
  const touch = store.touch?.bind(store);
  if (!touch) return;
  const touchedAt = new Map<string, number>();
  // A save writes the expiry too, so it counts as the latest push.
  const set = store.set.bind(store);
  store.set = (sid, sess, callback) => {
    touchedAt.set(sid, Date.now());
    set(sid, sess, callback);
  };
  store.touch = (sid, sess, callback) => {
    const now = Date.now();
    if (now - (touchedAt.get(sid) ?? 0) < intervalMs) return callback?.();
    // Forget sessions not seen for an interval, so the map holds only the sessions in use.
    if (touchedAt.size > 10_000) for (const [id, at] of touchedAt) if (now - at >= intervalMs) touchedAt.delete(id);
    touchedAt.set(sid, now);
    touch(sid, sess, callback);
  };
}

/** How long a session read is reused at most, even when nothing was heard: its expiry moves on in the database. */
export const SESSION_READ_REUSE_MS = 60_000;
const MAX_SESSIONS_KEPT = 10_000;

/**
 * Every request reads its session, and a session changes only when it is saved or destroyed: keep
 * what was read, as text (express-session changes the object it is given), until the change feed
 * hears that session's row move, in this process or another. While the feed is deaf nothing is
 * reused, and no read is reused for longer than SESSION_READ_REUSE_MS.
 */
function keepSessionsInMemory(store: session.Store, feed: ChangeFeed): void {
  const kept = new Map<string, { generation: string; at: number; text: string | null }>();
  const get = store.get.bind(store);
  const set = store.set.bind(store);
  const destroy = store.destroy.bind(store);
  store.get = (sid, callback) => {
    // Read before the database is: a save that commits meanwhile moves it, and the read is not kept.
    const generation = feed.sessionGeneration(sid);
    const found = kept.get(sid);
    if (generation !== null && found && found.generation === generation && Date.now() - found.at < SESSION_READ_REUSE_MS) {
      return callback(null, found.text === null ? null : JSON.parse(found.text));
    }
    get(sid, (error, data) => {
      if (!error && generation !== null) {
        kept.delete(sid);
        kept.set(sid, { generation, at: Date.now(), text: data ? JSON.stringify(data) : null });
        if (kept.size > MAX_SESSIONS_KEPT) kept.delete(kept.keys().next().value!);
      }
      callback(error, data);
    });
  };
  store.set = (sid, data, callback) => {
    kept.delete(sid);
    set(sid, data, (error) => {
      noteLocalSessionChange(sid);
      callback?.(error);
    });
  };
  store.destroy = (sid, callback) => {
    kept.delete(sid);
    destroy(sid, (error) => {
      noteLocalSessionChange(sid);
      callback?.(error);
    });
  };
}

/**
 * A redirect waits until the session is stored. express-session saves as the answer ends but sends
 * the headers first, and a browser follows a 303 as soon as it has them: the next page then read the
 * session as it was before this request (a sign-in without its time, so signed out again; a notice
 * lost). Saving first closes that race; the end of the answer then finds nothing left to save.
 */
export function saveSessionBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    // After a sign-out the session is gone: nothing to wait for.
    // An empty session is not stored at all (saveUninitialized: false), so a passer-by gets no row.
    if (!req.session || !Object.keys(req.session).some((key) => key !== 'cookie')) return redirect(...args);
    req.session.save((error) => (error ? next(error) : redirect(...args)));
  }) as Response['redirect'];
  next();
}
