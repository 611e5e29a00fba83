// Start-up: configuration, methodology, database, demo workspace, web server, and a clean shutdown.
import { createServer } from 'node:http';
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
  const sessions = createSessionStore(database.url, await sessionSecret(database.orm), { secureCookies: config.secureCookies });
  const mailer = createFolderMailer(config.mailDir, log);
  const printer = createBrowserPool({ log });
  const templates = resolve('templates');
  const pdf = createPdfRenderer(createHtmlRenderer(templates), printer);
  const app = createApp({ ...deps, mailer, baseUrl, sessions, limiter: createLoginLimiter(database.orm), log, pdf, templatesHash: hashTemplates(templates) });
  const server = createServer(app);
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
    log(`${signal}: shutting down`);
    server.close();
    await printer.close();
    await sessions.close();
    await database?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
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
