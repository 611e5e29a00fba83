// Start-up: configuration, methodology, database, demo workspace, web server, and a clean shutdown.
import { createServer, type Server } from 'node:http';
import { loadConfig } from './config.ts';
import { loadMethodologies, MethodologyInvalidError } from './methodology/methodology.loader.ts';
import { MethodologyRegistry } from './methodology/methodology.registry.ts';
import { openDatabase, type Database } from './db/database.ts';
import { seedDemoWorkspace, readDemoPassword, demoAccounts } from './db/seed.ts';
import { createApp } from './app.ts';
import { createSessionStore } from './web/session.ts';
import { sessionSecret } from './db/app-settings.ts';
import { createFolderMailer } from './mail/mailer.ts';
import { createLoginLimiter } from './web/login-limit.ts';
import { createBrowserPool } from './pdf/browser-pool.ts';
import { createPdfRenderer } from './pdf/pdf-renderer.ts';
import { createHtmlRenderer, hashTemplates } from './pdf/render-html.ts';
import { resolve } from 'node:path';

const log = (line: string) => console.log(`[troika] ${line}`);

function fail(message: string): never {
  console.error(`[troika] ${message}`);
  process.exit(1);
}

// npm install with --ignore-scripts leaves no Node 24 binary and scripts fall back to the system Node.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) fail(`Troika needs Node 24 or newer, this is ${process.version}. Run "npm install" (with scripts) so the project's own Node 24 is used.`);

let database: Database | undefined;
async function main(): Promise<void> {
  const config = loadConfig();
  let registry: MethodologyRegistry;
  try {
    registry = new MethodologyRegistry(loadMethodologies(config.methodologyDir));
  } catch (error) {
    if (error instanceof MethodologyInvalidError) fail(`${error.message}\nFix the file(s) above; Troika does not start on an invalid methodology.`);
    throw error;
  }
  log(`Methodologies: ${registry.list().map((m) => m.key).join(', ')}`);

  database = await openDatabase(config, log);
  const deps = { orm: database.orm, methodologies: registry, clock: () => new Date() };
  if (config.seedDemo) {
    const seeded = await seedDemoWorkspace(deps, { dataDir: config.dataDir, password: config.demoPassword });
    if (seeded) log('Seeded the demo workspace.');
  }

  const baseUrl = config.baseUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const sessions = createSessionStore(database.url, await sessionSecret(database.orm), { secureCookies: config.secureCookies, log });
  const mailer = createFolderMailer(config.mailDir, log);
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
    limiter: createLoginLimiter(database.orm, deps.clock),
    log,
    pdf,
    templatesHash: hashTemplates(templates),
  });
  let isDraining = false;
  const server = createServer((req, res) => {
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log(`Listening on http://${config.host}:${port}`);
  log(`E-mail is written to ${config.mailDir} (no SMTP configured)`);
  const reason = await printer.unavailableReason();
  log(reason ? `PDFs are unavailable: ${reason}` : 'PDFs: a browser was found; it starts with the first PDF');
  printDemoLogins(config.dataDir);

  const shutdown = async (signal: string) => {
    log(`${signal}: finishing the requests in flight, then shutting down`);
    // A second signal means "now": the person or supervisor will not wait any longer.
    process.once(signal as NodeJS.Signals, () => process.exit(1));
    isDraining = true;
    await stopServing(server, SHUTDOWN_GRACE_MS, log);
    // Only when no request can still need them do the browser, the sessions and the database go.
    await step('the PDF browser', () => printer.close());
    await step('the session store', () => sessions.close());
    await step('the database', async () => database?.close());
    log('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

const SHUTDOWN_GRACE_MS = 10_000;
const DRAIN_DELAY_MS = 500;

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

async function step(what: string, close: () => Promise<unknown>): Promise<void> {
  try {
    await close();
  } catch (error) {
    log(`closing ${what}: ${(error as Error).message}`);
  }
}

function printDemoLogins(dataDir: string): void {
  const password = readDemoPassword(dataDir) ?? '(printed when the demo workspace was created)';
  log('Demo logins:');
  for (const account of demoAccounts) log(`  ${account.role.padEnd(10)} ${account.email.padEnd(24)} password: ${password}`);
}

main().catch(async (error: unknown) => {
  await database?.close().catch(() => {});
  fail(error instanceof Error ? error.message : String(error));
});
