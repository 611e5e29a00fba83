// One web process: the Express app on an HTTP server, and its drain for a clean shutdown.
// The database is not its to open or close: in several-process mode the primary owns it.
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import type { Config } from '../config.ts';
import type { Orm } from '../db/orm.ts';
import type { MethodologyRegistry } from '../methodology/methodology.registry.ts';
import { createApp } from '../app.ts';
import { createSessionStore } from './session.ts';
import { sessionSecret } from '../db/app-settings.ts';
import { createMailer } from '../mail/create-mailer.ts';
import { createLoginLimiter } from './login-limit.ts';
import { createBrowserPool } from '../pdf/browser-pool.ts';
import { createPdfRenderer } from '../pdf/pdf-renderer.ts';
import { createHtmlRenderer, hashTemplates } from '../pdf/render-html.ts';
import { listenForChanges } from '../cache/change-feed.ts';

export interface WebServer {
  port: number;
  /** Why PDFs cannot be printed here, or null when a browser was found (it starts with the first PDF). */
  pdfUnavailableReason(): Promise<string | null>;
  /** Stops taking requests, lets those in flight finish (bounded), then closes the browser and the sessions. */
  drain(): Promise<void>;
}

export interface WebServerOptions {
  config: Config;
  orm: Orm;
  databaseUrl: string;
  methodologies: MethodologyRegistry;
  log: (line: string) => void;
  /** Sent as X-Troika-Worker on every answer, so a test can tell which of several processes answered. */
  processTag?: string;
}

export const SHUTDOWN_GRACE_MS = 10_000;
const DRAIN_DELAY_MS = 500;

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { config, orm, log } = options;
  const deps = { orm, methodologies: options.methodologies, clock: () => new Date() };
  const baseUrl = config.baseUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const changes = listenForChanges(options.databaseUrl, log);
  const sessions = createSessionStore(options.databaseUrl, await sessionSecret(orm), { secureCookies: config.secureCookies, log, changes });
  const mailer = createMailer(config, log);
  // Each process has its own printer, and its browser starts only with that process's first PDF.
  const printer = createBrowserPool({ log, concurrency: config.pdfConcurrency });
  const templates = resolve('templates');
  const pdf = createPdfRenderer(createHtmlRenderer(templates), printer);
  const app = createApp({
    ...deps,
    mailer,
    baseUrl,
    sessions,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
    limiter: createLoginLimiter(orm, deps.clock),
    log,
    pdf,
    templatesHash: hashTemplates(templates),
    changes,
    webhooks: { allowPrivate: config.webhooksAllowPrivate },
  });
  let isDraining = false;
  const server = createServer((req, res) => {
    if (options.processTag) res.setHeader('x-troika-worker', options.processTag);
    if (isDraining) {
      // Every answer from now on ends its connection, so kept-alive clients come back to a new process;
      // a load balancer asking for readiness learns to send no more.
      res.setHeader('connection', 'close');
      if (req.url === '/readyz') {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' }).end('{"status":"shutting down"}');
        return;
      }
    }
    app(req, res);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(config.port, config.host, done);
  });
  const address = server.address();
  let drained: Promise<void> | undefined;
  return {
    port: typeof address === 'object' && address ? address.port : config.port,
    pdfUnavailableReason: () => printer.unavailableReason(),
    drain() {
      // A signal and the primary's message can both ask: the drain runs once.
      drained ??= (async () => {
        isDraining = true;
        await stopServing(server, SHUTDOWN_GRACE_MS, log);
        // Only when no request can still need them do the browser and the sessions go.
        await step('the PDF browser', () => printer.close(), log);
        await step('the session store', () => sessions.close(), log);
        await step('the mail outbox', async () => mailer.close?.(), log);
        await step('the change feed', () => changes.stop(), log);
      })();
      return drained;
    },
  };
}

/** Stops accepting connections, lets running requests finish (bounded), then drops what is left. */
async function stopServing(server: Server, graceMs: number, say: (line: string) => void): Promise<void> {
  // Connections the kernel has completed but Node has not yet taken would be reset by closing the
  // listener at once: keep taking them for a moment (each is answered and closed), then close.
  await new Promise((r) => setTimeout(r, DRAIN_DELAY_MS));
  const closed = new Promise<void>((done) => server.close(() => done()));
  // A connection whose request is still in the kernel's buffer looks idle to Node: give the
  // buffered requests a moment to be read before idle connections are closed.
  let sweep: NodeJS.Timeout | undefined;
  const settle = setTimeout(() => (sweep = setInterval(() => server.closeIdleConnections(), 50)), 1_000);
  const timer = setTimeout(() => {
    say(`requests still running after ${graceMs / 1000} s are cut off`);
    server.closeAllConnections();
  }, graceMs);
  await closed;
  clearTimeout(timer);
  clearTimeout(settle);
  clearInterval(sweep);
}

export async function step(what: string, close: () => Promise<unknown>, log: (line: string) => void): Promise<void> {
  try {
    await close();
  } catch (error) {
    log(`closing ${what}: ${(error as Error).message}`);
  }
}
