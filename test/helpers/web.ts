// Boots the real app on a test database and talks to it over HTTP with real cookies and CSRF tokens.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { createSessionStore } from '../../src/web/session.ts';
import { sessionSecret } from '../../src/db/app-settings.ts';
import { createFolderMailer } from '../../src/mail/mailer.ts';
import libmime from 'libmime';
import { decode as decodeQuotedPrintable } from 'libqp';
import { createLoginLimiter } from '../../src/web/login-limit.ts';
import { hashPassword } from '../../src/users/password.ts';
import { User } from '../../src/users/user.entity.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';
import { makeDeps, makeEngagement, registryWith, type Cast } from './factories.ts';
import type { AppDeps } from '../../src/app.ts';
import type { TrustProxy } from '../../src/config.ts';
import { sharedPdf } from './pdf.ts';
import { listenForChanges } from '../../src/cache/change-feed.ts';

export const PASSWORD = 'correct horse battery';

export interface TestApp {
  url: string;
  deps: Omit<AppDeps, 'sessions'> & { time: ReturnType<typeof makeDeps>['time'] };
  mailDir: string;
  logs: string[];
  close(): Promise<void>;
}

/** Options as the environment would give them: secure cookies behind a TLS front, a trusted proxy. */
export interface TestAppOptions {
  secureCookies?: boolean;
  trustProxy?: TrustProxy;
  /** Methodologies beyond those on disk, such as a newer fixture version to upgrade to. */
  methodologies?: ReturnType<typeof registryWith>;
}

/** Any migrated database will do: the shared test cluster's, or one a test starts and stops itself. */
export async function startTestApp(db: Pick<TestDatabase, 'orm' | 'url'>, options: TestAppOptions = {}): Promise<TestApp> {
  const base = options.methodologies ? makeDeps(db.orm, options.methodologies) : makeDeps(db.orm);
  const mailDir = mkdtempSync(join(tmpdir(), 'troika-mail-'));
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const changes = listenForChanges(db.url, log);
  const sessions = createSessionStore(db.url, await sessionSecret(db.orm), { secureCookies: options.secureCookies ?? false, log, changes });
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { pdf, templatesHash } = sharedPdf();
  const deps = { ...base, mailer: createFolderMailer(mailDir, log), baseUrl: url, limiter: createLoginLimiter(db.orm, base.clock), log, pdf, templatesHash, changes };
  server.on('request', createApp({ ...deps, sessions, secureCookies: options.secureCookies, trustProxy: options.trustProxy }));
  return {
    url,
    deps,
    mailDir,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await sessions.close();
      await changes.stop();
      rmSync(mailDir, { recursive: true, force: true });
    },
  };
}

/** Gives an account a password so it can sign in. */
export async function setPassword(db: Pick<TestDatabase, 'orm'>, userId: string, password = PASSWORD): Promise<void> {
  const em = db.orm.em.fork();
  const user = await em.findOneOrFail(User, userId);
  user.passwordHash = await hashPassword(password);
  await em.flush();
}

/** A MIME entity's headers (unfolded) and its decoded body. */
function mimePart(raw: string): { headers: string; header: (name: string) => string; body: string } {
  const split = raw.indexOf('\n\n');
  const headers = raw.slice(0, split).replace(/\n[ \t]+/g, ' '); // unfold continued header lines
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(headers)?.[1] ?? '';
  const encoded = raw.slice(split + 2);
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const body = encoding === 'quoted-printable' ? decodeQuotedPrintable(encoded).toString('utf8') : encoding === 'base64' ? Buffer.from(encoded, 'base64').toString('utf8') : encoded;
  return { headers, header, body };
}

/** The parts of a multipart body, each as its own MIME entity. */
function mimeParts(body: string, boundary: string): string[] {
  return body.split(`--${boundary}`).slice(1, -1).map((p) => p.replace(/^\r?\n/, ''));
}

export interface ReadMail {
  to: string;
  subject: string;
  /** The plain-text part, decoded. */
  body: string;
  /** The HTML part, decoded ('' if none). */
  html: string;
  headers: string;
}

/** A message as a mail program reads it: headers decoded, the text and HTML parts apart. */
export function parseMail(raw: string): ReadMail {
  const top = mimePart(raw.replace(/\r\n/g, '\n'));
  const boundary = /boundary="?([^";]+)"?/i.exec(top.header('Content-Type'))?.[1];
  const parts = boundary ? mimeParts(top.body, boundary).map(mimePart) : [top];
  const ofType = (type: string) => parts.find((p) => p.header('Content-Type').toLowerCase().startsWith(type))?.body ?? '';
  return { to: top.header('To'), subject: libmime.decodeWords(top.header('Subject')), body: boundary ? ofType('text/plain') : top.body, html: ofType('text/html'), headers: top.headers };
}

/** The messages written so far, with headers and body decoded as a mail program would; headers keeps the raw header block. */
export function readMail(mailDir: string): ReadMail[] {
  return readdirSync(mailDir)
    .filter((f) => f.endsWith('.eml'))
    .sort()
    .map((f) => parseMail(readFileSync(join(mailDir, f), 'utf8')));
}

/** Mail sent after the answer (a reset link) arrives a moment later: waits for it, a few seconds at most. */
export async function waitForMail(mailDir: string, isWanted: (mail: { to: string; subject: string; body: string }) => boolean) {
  for (const until = Date.now() + 5_000; ; await new Promise((r) => setTimeout(r, 20))) {
    const found = readMail(mailDir).filter(isWanted);
    if (found.length || Date.now() > until) return found;
  }
}

export interface Response {
  status: number;
  location: string | null;
  text: string;
  headers: Headers;
}

/** One person's browser without JavaScript: a cookie jar, the last page's CSRF token, form posts. */
export class WebClient {
  readonly #base: string;
  #cookies = new Map<string, string>();
  csrf = '';

  constructor(base: string) {
    this.#base = base;
  }

  /** A field given as a list is sent once per value, as ticked boxes of one name are. */
  async request(method: 'GET' | 'POST', path: string, body?: Record<string, string | string[]> | FormData, extraHeaders: Record<string, string> = {}, referer = '/'): Promise<Response> {
    const isForm = body instanceof FormData;
    const res = await fetch(this.#base + path, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body && !isForm ? { 'content-type': 'application/x-www-form-urlencoded', referer: this.#base + String(body.__referer ?? '/') } : {}),
        ...(isForm ? { referer: this.#base + referer } : {}),
        ...extraHeaders,
      },
      body: isForm ? body : body ? new URLSearchParams(Object.entries(body).filter(([k]) => k !== '__referer').flatMap(([k, v]) => [v].flat().map((one) => [k, one]))).toString() : undefined,
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair!.split('=');
      if (/expires=Thu, 01 Jan 1970/i.test(cookie)) this.#cookies.delete(name!);
      else this.#cookies.set(name!, value!);
    }
    const text = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token) this.csrf = token[1]!;
    return { status: res.status, location: res.headers.get('location'), text, headers: res.headers };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  /** Posts a form with the CSRF token of the last page read, as a browser would. */
  post(path: string, fields: Record<string, string | string[]> = {}, options: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    return this.request('POST', path, options.csrf === false ? fields : { _csrf: this.csrf, ...fields }, options.headers);
  }

  /** Posts a form that sends files (multipart/form-data), with the CSRF token of the last page read. */
  postFiles(path: string, fields: Record<string, string>, files: Record<string, { name: string; type?: string; content: string | Uint8Array }>, referer = '/') {
    const form = new FormData();
    for (const [k, v] of Object.entries({ _csrf: this.csrf, ...fields })) form.append(k, v);
    for (const [k, f] of Object.entries(files)) form.append(k, new Blob([f.content as BlobPart], { type: f.type ?? 'text/csv' }), f.name);
    return this.request('POST', path, form, {}, referer);
  }

  async follow(res: Response): Promise<Response> {
    return res.location ? this.get(res.location) : res;
  }

  sessionId(): string | undefined {
    return this.#cookies.get('troika.sid');
  }

  async signIn(email: string, password = PASSWORD): Promise<Response> {
    await this.get('/login');
    return this.post('/login', { email, password });
  }
}

export interface WebSuite {
  db: TestDatabase;
  app: TestApp;
  engagementId: string;
  cast: Cast;
  /** A browser signed in as this person. */
  signedIn(person: { email: string }): Promise<WebClient>;
}

/** Each test gets a fresh database, the app on it, and a started engagement whose people can sign in. */
export function useWebApp(): WebSuite {
  const suite = {} as WebSuite;
  beforeEach(async () => {
    suite.db = await createTestDatabase();
    suite.app = await startTestApp(suite.db);
    Object.assign(suite, await makeEngagement(suite.app.deps));
    for (const person of [suite.cast.consultant, suite.cast.owner, ...suite.cast.staff]) await setPassword(suite.db, person.id);
  });
  afterEach(async () => {
    await suite.app.close();
    await suite.db.drop();
  });
  suite.signedIn = async (person) => {
    const client = new WebClient(suite.app.url);
    await client.signIn(person.email);
    return client;
  };
  return suite;
}
