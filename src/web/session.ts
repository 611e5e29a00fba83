// Sessions live in PostgreSQL, so any web process can serve any request.
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import pg from 'pg';
import type { RequestHandler } from 'express';

export interface SessionStore {
  middleware: RequestHandler;
  close(): Promise<void>;
}

declare module 'express-session' {
  interface SessionData {
    locale?: 'en' | 'ru';
    flash?: { kind: 'notice' | 'error'; text: string; details?: string[] }[];
  }
}

export function createSessionStore(databaseUrl: string, secret: string, options: { secureCookies: boolean }): SessionStore {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
  const PgStore = connectPgSimple(session);
  const store = new PgStore({ pool, tableName: 'sessions', createTableIfMissing: false, pruneSessionInterval: 15 * 60 });
  const middleware = session({
    name: 'troika.sid',
    store,
    secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, maxAge: 12 * 60 * 60 * 1000 },
  });
  return {
    middleware,
    async close() {
      store.close();
      await pool.end();
    },
  };
}
