// Tells a database that cannot be reached from other failures, and keeps an outage to two log lines.
import { ConnectionException } from '@mikro-orm/core';

/** Seconds a browser (or a proxy) is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * What pg and MikroORM 7 report when PostgreSQL is down, restarting or out of connections. MikroORM
 * passes pg's error on unchanged for a refused connection (ECONNREFUSED); a server that stops under
 * a connection ends it with 57P01; one still starting answers 57P03; class 08 is "connection exception".
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);

/** pg's own errors without a code: a connection lost mid-query, a pool that waited too long for one. */
const UNREACHABLE_MESSAGES = /connection terminated|timeout exceeded when trying to connect|is not queryable|terminating connection|the database system is (starting up|shutting down|in recovery)/i;

export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  if (error instanceof ConnectionException) return true;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  if (typeof message === 'string' && UNREACHABLE_MESSAGES.test(message)) return true;
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnreachable(e, depth + 1))) return true;
  return isDatabaseUnreachable(cause, depth + 1);
}

export interface OutageWatch {
  /** A request failed because the database is unreachable: logged only when an outage begins. */
  noteUnreachable(error: unknown): void;
  /** A request was answered by the database: logged only when it ends an outage. */
  noteAnswered(): void;
}

/**
 * One line when the database stops answering and one when it answers again, however many requests
 * come in between: during an outage every page fails the same way, and the log must stay readable.
 */
/** How long without a failure before an answer counts as the database being back. */
const SETTLED_MS = 100;

export function createOutageWatch(log: (line: string) => void, now: () => number = Date.now): OutageWatch {
  let since: number | null = null;
  let refused = 0;
  let lastFailureAt = 0;
  return {
    noteUnreachable(error) {
      refused++;
      lastFailureAt = now();
      if (since !== null) return;
      since = now();
      const { code, message } = error as { code?: unknown; message?: unknown };
      const reason = [code, typeof message === 'string' ? message.split('\n')[0]!.slice(0, 200) : String(error)].filter(Boolean).join(' ');
      log(`database unreachable (${reason}): pages answer 503 until it is back`);
    },
    noteAnswered() {
      if (since === null) return;
      // A server going down still answers a few queries between the refusals: an answer amid
      // failures is not the end of the outage, one after a quiet moment is.
      if (now() - lastFailureAt < SETTLED_MS) return;
      const seconds = Math.round((now() - since) / 1000);
      log(`database back after ${seconds} s; ${refused} request(s) were answered 503 meanwhile`);
      since = null;
      refused = 0;
    },
  };
}
