// Forms that send a file (multipart/form-data), read with the runtime's own parser (the fetch API's
// Response.formData, no dependency): the text fields become req.body as urlencoded forms' do, before the
// CSRF check reads its token there, and the files wait for the route in memory. Only the routes named
// take multipart bodies, each up to a limit; a larger one is refused unread (413), a broken one is a 400.
import type { NextFunction, Request, Response } from 'express';
import { UnreadableRequestError } from './errors.ts';

export interface UploadedFile {
  /** The name the browser gave, such as "actuals.csv"; empty when no file was chosen. */
  name: string;
  type: string;
  size: number;
  bytes: Uint8Array;
}

const uploads = new WeakMap<Request, Map<string, UploadedFile>>();

/** The file a form sent under this field name, if one was chosen. */
export function uploadedFile(req: Request, field: string): UploadedFile | null {
  const file = uploads.get(req)?.get(field);
  return file && (file.size > 0 || file.name) ? file : null;
}

class TooLargeError extends Error {
  readonly status = 413;
  readonly type = 'entity.too.large';
}

async function readBody(req: Request, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return null;
  const chunks: Buffer[] = [];
  let total = 0;
  // A body sent without its length is read to its end, keeping nothing past the limit, so the answer can be heard.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total <= limit) chunks.push(chunk);
  }
  return total > limit ? null : Buffer.concat(chunks);
}

/** Reads multipart bodies posted to the paths given (each with its own byte limit); passes every other request on. */
export function readMultipartForms(routes: { path: RegExp; limit: number }[]) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const route = routes.find((r) => r.path.test(req.path));
    if (req.method !== 'POST' || !route || !req.is('multipart/form-data')) return next();
    const body = await readBody(req, route.limit);
    if (!body) {
      // A body declared too large is left unread: the connection closes after the answer.
      res.setHeader('Connection', 'close');
      return next(new TooLargeError(`a multipart body over ${route.limit} bytes`));
    }
    let form: FormData;
    try {
      form = await new globalThis.Response(new Uint8Array(body), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
    } catch {
      return next(new UnreadableRequestError('errors.badRequest', 'an unreadable multipart body'));
    }
    const fields: Record<string, string> = {};
    const files = new Map<string, UploadedFile>();
    for (const [name, value] of form) {
      if (typeof value === 'string') fields[name] = value;
      else files.set(name, { name: value.name, type: value.type, size: value.size, bytes: new Uint8Array(await value.arrayBuffer()) });
    }
    req.body = fields;
    uploads.set(req, files);
    next();
  };
}
