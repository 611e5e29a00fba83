// Start-up: configuration, methodology, database, demo workspace, web process(es), and a clean shutdown.
import cluster from 'node:cluster';
import { loadConfig, type Config } from './config.ts';
import { loadMethodologies, MethodologyInvalidError } from './methodology/methodology.loader.ts';
import { MethodologyRegistry } from './methodology/methodology.registry.ts';
import { openDatabase, type Database } from './db/database.ts';
import { seedDemoWorkspace, readDemoPassword, demoAccounts } from './db/seed.ts';
import { openOrm } from './db/orm.ts';
import { startJobRunner } from './jobs/job-runner.ts';
import { startNotifier } from './notifications/notifier.ts';
import { startJobSender } from './jobs/job-sender.ts';
import { createMailer } from './mail/create-mailer.ts';
import { baseUrlOf } from './web/base-url.ts';
import { DEFAULT_DELIVERY } from './webhooks/deliver.ts';
import { sessionSecret } from './db/app-settings.ts';
import { createBrowserPool } from './pdf/browser-pool.ts';
import { startWebServer, step } from './web/web-server.ts';
import { startWebProcesses, receiveDatabaseUrl, onDrainRequest } from './web/web-processes.ts';

const log = (line: string) => console.log(`[troika] ${line}`);

function fail(message: string): never {
  console.error(`[troika] ${message}`);
  process.exit(1);
}

// npm install with --ignore-scripts leaves no Node 24 binary and scripts fall back to the system Node.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) fail(`Troika needs Node 24 or newer, this is ${process.version}. Run "npm install" (with scripts) so the project's own Node 24 is used.`);

let database: Database | undefined;

function loadRegistry(config: Config): MethodologyRegistry {
  try {
    return new MethodologyRegistry(loadMethodologies(config.methodologyDir));
  } catch (error) {
    if (error instanceof MethodologyInvalidError) fail(`${error.message}\nFix the file(s) above; Troika does not start on an invalid methodology.`);
    throw error;
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const registry = loadRegistry(config);
  if (cluster.isWorker) return runWorker(config, registry);
  log(`Methodologies: ${registry.list().map((m) => m.key).join(', ')}`);

  // Only here, in the one process that owns it: the embedded server starts, migrations run, the demo is seeded.
  database = await openDatabase(config, log);
  const deps = { orm: database.orm, methodologies: registry, clock: () => new Date() };
  if (config.seedDemo) {
    const seeded = await seedDemoWorkspace(deps, { dataDir: config.dataDir, password: config.demoPassword });
    if (seeded) log('Seeded the demo workspace.');
  }
  // The notifier queues e-mail jobs in its own transaction, so it needs a sender even when the worker runs apart.
  const sender = await startJobSender(database.url, log);
  const mailer = createMailer(config, log);
  const jobs = config.runJobs
    ? await startJobRunner({ url: database.url, orm: database.orm, log, methodologies: registry, mailer, baseUrl: baseUrlOf(config), digest: { hour: config.digestHour, timeZone: config.digestTimeZone }, webhooks: { ...DEFAULT_DELIVERY, allowPrivate: config.webhooksAllowPrivate }, pollingIntervalSeconds: process.env.NODE_ENV === 'test' ? 1 : undefined })
    : { stop: async () => log('jobs run in `npm run worker` (TROIKA_RUN_JOBS=false)') };
  const notifier = startNotifier({ ...deps, jobs: sender }, log);

  // The signals are handled from here on, before anything listens: a SIGTERM that comes as the
  // first requests arrive (a supervisor, a test) drains them instead of killing the process.
  let stopServing: () => Promise<void> = async () => {};
  let isShuttingDown = false;
  const shutdown = async (signal: string, code = 0) => {
    if (isShuttingDown) return;
    isShuttingDown = true;
    log(`${signal}: finishing the requests in flight, then shutting down`);
    // A second signal means "now": the person or supervisor will not wait any longer.
    process.once(signal as NodeJS.Signals, () => process.exit(1));
    await stopServing();
    await step('the job queue', () => jobs.stop(), log);
    await step('the notifier', () => notifier.stop(), log);
    await step('the job sender', () => sender.stop(), log);
    await step('the job mailer', async () => mailer.close?.(), log);
    // Only when no request can still need it does the database go.
    await step('the database', async () => database?.close(), log);
    log('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  let port: number;
  let pdfReason: Promise<string | null>;
  if (config.webProcesses === 1) {
    const web = await startWebServer({ config, orm: database.orm, databaseUrl: database.url, methodologies: registry, log });
    [port, stopServing, pdfReason] = [web.port, () => web.drain(), web.pdfUnavailableReason()];
  } else {
    // Made once here, so workers starting together do not each race to create it.
    await sessionSecret(database.orm);
    const workers = await startWebProcesses({
      count: config.webProcesses,
      databaseUrl: database.url,
      log,
      onFatal: (reason) => {
        log(reason);
        void shutdown('a failing web process', 1);
      },
    });
    [port, stopServing] = [workers.port, () => workers.stop()];
    pdfReason = createBrowserPool().unavailableReason();
  }
  log(`Listening on http://${config.host}:${port}${config.webProcesses > 1 ? ` (${config.webProcesses} web processes)` : ''}`);
  if (!config.smtp) log(`E-mail is written to ${config.mailDir} (no SMTP_URL configured)`);
  const reason = await pdfReason;
  log(reason ? `PDFs are unavailable: ${reason}` : `PDFs: a browser was found; it starts with the first PDF${config.webProcesses > 1 ? ' of each web process' : ''}`);
  printDemoLogins(config.dataDir);
}

/**
 * One of several web processes: no database of its own to start, no migrations, no seed; the
 * primary hands over the address and says when to drain. A signal to this process alone (Ctrl-C
 * reaches the whole group) drains it the same way.
 */
async function runWorker(config: Config, registry: MethodologyRegistry): Promise<void> {
  const say = (line: string) => console.log(`[troika web ${process.pid}] ${line}`);
  // The primary gone (killed) leaves nobody to answer to: a worker does not serve on alone.
  process.on('disconnect', () => process.exit(1));
  const url = await receiveDatabaseUrl();
  const orm = await openOrm(url);
  // Only tests ask which process answered: production answers do not tell.
  const processTag = process.env.NODE_ENV === 'test' ? String(process.pid) : undefined;
  const web = await startWebServer({ config, orm, databaseUrl: url, methodologies: registry, log: say, processTag });
  let isDraining = false;
  const drain = async () => {
    if (isDraining) return;
    isDraining = true;
    await web.drain();
    await step('the database connections', () => orm.close(true), say);
    process.exit(0);
  };
  onDrainRequest(() => void drain());
  process.once('SIGINT', () => void drain());
  process.once('SIGTERM', () => void drain());
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
