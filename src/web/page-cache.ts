// Serves a signed-in person's page again, as it was rendered, while nothing it could show has moved
// (src/cache/page-store.ts). A page of a consultant with a thousand engagements costs tens of
// statements and a large template; the same page again costs a lookup. What makes one answer
// differ from the next is kept out of the stored page or in its key:
// - the form keys (one-time keys against double submission) are cut out and made fresh per answer;
// - the session's contents (its CSRF token, its language) and its id are in the key, so no page
//   is ever served to another session, and a session that changes meets its pages afresh;
// - a session that carries a message is not served from the store (the message is shown once);
// - only answers 200 to GET are kept, and never one marked `no-store` (a secret shown once).
import { randomBytes, randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { PageStore, type KeptPage } from '../cache/page-store.ts';
import { minuteStamp } from '../cache/change-cache.ts';
import type { ChangeFeed } from '../cache/change-feed.ts';

export interface PageCacheOptions {
  changes?: ChangeFeed;
  clock: () => Date;
  /** At most this much page text is kept per process. */
  maxBytes?: number;
}

export const PAGE_CACHE_BYTES = 64 * 1024 * 1024;

/** What the page's answer depends on beyond the data: the session (id and contents) and the address. */
function pageKey(req: Request): string {
  const { cookie: _cookie, ...contents } = req.session as unknown as Record<string, unknown>;
  return `${req.sessionID}\n${JSON.stringify(contents)}\n${req.protocol}://${req.get('host') ?? ''}${req.originalUrl}`;
}

/**
 * Writes the page with a fresh key in each form. The kept UTF-8 parts are written as they are, one
 * corked write, so an answer neither encodes the text again nor copies the page into a new buffer.
 */
function send(res: Response, page: Pick<KeptPage, 'parts'>): void {
  const keys = page.parts.slice(1).map(() => Buffer.from(randomUUID(), 'latin1'));
  const length = page.parts.reduce((sum, part) => sum + part.length, 0) + keys.reduce((sum, key) => sum + key.length, 0);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', length);
  if (res.req.method === 'HEAD') return void res.end();
  res.cork();
  res.write(page.parts[0]!);
  for (let i = 1; i < page.parts.length; i++) {
    res.write(keys[i - 1]!);
    res.write(page.parts[i]!);
  }
  res.end();
  res.uncork();
}

export function cachePages(options: PageCacheOptions) {
  const store = new PageStore(options.maxBytes ?? PAGE_CACHE_BYTES);
  // Stands for a form key in the stored text; nobody can guess it, so no page content can fake one.
  const formKey = `formkey-${randomBytes(16).toString('hex')}`;

  return async function pageCache(req: Request, res: Response, next: NextFunction): Promise<void> {
    const generation = options.changes?.generation() ?? null;
    if (req.method !== 'GET' || !req.user || !req.session || generation === null || req.session.flash?.length) return next();
    const stamp = minuteStamp(options.clock);
    const key = pageKey(req);
    let kept = store.get(key, generation, stamp);
    if (!kept) {
      const turn = store.makeOnce(key);
      if ('wait' in turn) {
        await turn.wait;
        kept = store.get(key, generation, stamp);
      } else {
        res.once('close', turn.done);
        return renderAndKeep(req, res, next, { store, formKey, generation, stamp, keyBefore: key });
      }
    }
    if (kept) return send(res, kept);
    next();
  };
}

/** Lets the route render as always, then keeps what it rendered and answers with fresh form keys. */
function renderAndKeep(req: Request, res: Response, next: NextFunction, at: { store: PageStore; formKey: string; generation: number; stamp: string; keyBefore: string }): void {
  res.locals.newFormKey = () => at.formKey;
  const render = res.render.bind(res) as (view: string, locals?: object, callback?: (error: Error | null, html?: string) => void) => void;
  type Done = (error: Error | null, html?: string) => void;
  res.render = ((view: string, locals?: object | Done, callback?: Done) => {
    if (typeof locals === 'function') [callback, locals] = [locals as Done, {}];
    // The route wants the text for itself: it gets it with real keys, and nothing is kept.
    if (callback) return render(view, locals, (error, html) => callback!(error, html?.split(at.formKey).map((part, i) => (i ? randomUUID() + part : part)).join('')));
    render(view, locals, (error, html) => {
      if (error) return req.next!(error);
      const parts = html!.split(at.formKey).map((part) => Buffer.from(part, 'utf8'));
      const cacheControl = String(res.getHeader('cache-control') ?? '');
      // The key is taken after rendering: a page that made the session's CSRF token is kept under the session that holds it.
      const keyAfter = pageKey(req);
      if (res.statusCode === 200 && !cacheControl.includes('no-store') && !req.session?.flash?.length) {
        at.store.set(keyAfter, { generation: at.generation, stamp: at.stamp, parts });
      }
      // express-session saves as the answer ends, but the page goes out in writes before that end:
      // a browser holding the whole page could post its form before the session that holds the
      // page's new CSRF token is stored, and be refused. A session the page changed is saved first.
      if (keyAfter === at.keyBefore || !req.session) return send(res, { parts });
      req.session.save((saveError) => (saveError ? req.next!(saveError) : send(res, { parts })));
    });
  }) as Response['render'];
  next();
}
