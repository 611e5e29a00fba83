// `npm run worker`: the job queue's worker alone, beside web processes started with
// TROIKA_RUN_JOBS=false (or beside another worker: pg-boss and the send keys keep them from
// doing a job twice). It does not migrate or seed: the web start owns the schema. It needs the
// database's address, DATABASE_URL, because an embedded PostgreSQL belongs to the `npm start` that started it.
import { loadConfig } from './config.ts';
import { loadMethodologies } from './methodology/methodology.loader.ts';
import { MethodologyRegistry } from './methodology/methodology.registry.ts';
import { openOrm } from './db/orm.ts';
import { createMailer } from './mail/create-mailer.ts';
import { startJobRunner } from './jobs/job-runner.ts';
import { baseUrlOf } from './web/base-url.ts';
import { DEFAULT_DELIVERY } from './webhooks/deliver.ts';

const log = (line: string) => console.log(`[troika worker ${process.pid}] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('npm run worker needs DATABASE_URL, the database the web processes use (with the embedded PostgreSQL, `npm start` runs the worker inside)');
  const registry = new MethodologyRegistry(loadMethodologies(config.methodologyDir));
  const orm = await openOrm(config.databaseUrl);
  const mailer = createMailer(config, log);
  const isTest = process.env.NODE_ENV === 'test';
  const [pollingIntervalSeconds, superviseIntervalSeconds] = isTest ? [1, 2] : [undefined, undefined];
  const jobs = await startJobRunner({ url: config.databaseUrl, orm, log, methodologies: registry, mailer, baseUrl: baseUrlOf(config), digest: { hour: config.digestHour, timeZone: config.digestTimeZone }, webhooks: { ...DEFAULT_DELIVERY, allowPrivate: config.webhooksAllowPrivate }, pollingIntervalSeconds, superviseIntervalSeconds });
  log('working: reminders, digests, e-mails and webhooks from the job queue');
  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    log(`${signal}: finishing the job in progress, then stopping`);
    await jobs.stop();
    await mailer.close?.();
    await orm.close(true);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[troika worker] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
