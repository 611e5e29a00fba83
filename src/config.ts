// The environment, parsed and validated once at start-up.
import { z } from 'zod';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { MAIL_FROM } from './mail/mailer.ts';
import { parseSmtpUrl, type SmtpSettings } from './mail/smtp-url.ts';
import { isTimeZone } from './reminders/working-days.ts';

/** Each web process holds up to 15 database connections; the embedded server allows 200. */
export const MAX_WEB_PROCESSES = 12;

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  TROIKA_MIGRATION_DATABASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  TROIKA_DATA_DIR: z.string().default('data'),
  TROIKA_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  TROIKA_METHODOLOGY_DIR: z.string().default('methodology'),
  TROIKA_DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  TROIKA_SEED_DEMO: z.enum(['true', 'false']).default('true'),
  TROIKA_BASE_URL: z.string().url().optional(),
  TROIKA_MAIL_DIR: z.string().optional(),
  SMTP_URL: z.string().optional(),
  TROIKA_MAIL_FROM: z
    .string()
    .default(MAIL_FROM)
    .refine((v) => /^([^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(v.trim()), 'must be an address such as Troika <troika@example.com> or troika@example.com'),
  TROIKA_SMTP_CA_FILE: z.string().optional(),
  TROIKA_SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
  TROIKA_TRUST_PROXY: z.string().default('false'),
  /** Pages printing PDFs at once; unset: one per core. */
  TROIKA_PDF_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  TROIKA_WEB_PROCESSES: z
    .string()
    .default('1')
    .refine((v) => /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= MAX_WEB_PROCESSES, `must be a whole number of web processes from 1 to ${MAX_WEB_PROCESSES} (such as 2 on a machine with 2 cores)`)
    .transform((v) => Number(v)),
  /** The hour of the daily e-mail digest, on the clock of TROIKA_DIGEST_TIME_ZONE. */
  TROIKA_DIGEST_HOUR: z.coerce.number().int('must be a whole hour from 0 to 23').min(0).max(23).default(8),
  TROIKA_DIGEST_TIME_ZONE: z.string().default('UTC').refine(isTimeZone, 'must be a time zone such as Europe/Moscow or UTC'),
  /** false: this process serves pages only, and `npm run worker` runs the jobs. */
  TROIKA_RUN_JOBS: z.enum(['true', 'false']).default('true'),
  TROIKA_WEBHOOKS_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
});

/**
 * Which proxies may tell us the client's address (X-Forwarded-For) and protocol: none unless named.
 * "false" (the default), a number of hops, or a comma-separated list of addresses, subnets and
 * Express's names (loopback, linklocal, uniquelocal). "true" is refused: trusting every sender lets
 * any client choose its own address and so walk around the per-address sign-in limit.
 */
export type TrustProxy = false | number | string[];

function parseTrustProxy(raw: string): TrustProxy | Error {
  const value = raw.trim().toLowerCase();
  if (value === 'false' || value === 'off' || value === 'none') return false;
  if (value === 'true') return new Error('"true" would trust any sender; name the proxy instead (such as loopback, or 10.0.0.5)');
  if (/^\d+$/.test(value)) return Number(value) || false;
  const entries = value.split(',').map((v) => v.trim()).filter(Boolean);
  const isEntry = (v: string) => ['loopback', 'linklocal', 'uniquelocal'].includes(v) || /^[\da-f.:]+(\/\d{1,3})?$/.test(v);
  const bad = entries.filter((v) => !isEntry(v));
  if (!entries.length || bad.length) return new Error(`not a proxy address or subnet: ${bad.join(', ') || raw}`);
  return entries;
}

export interface Config {
  databaseUrl: string | undefined;
  /** The schema owner's connection for migrations, when the app's own role should own nothing. */
  migrationDatabaseUrl: string | undefined;
  port: number;
  host: string;
  dataDir: string;
  embeddedPgPort: number;
  methodologyDir: string;
  demoPassword: string | undefined;
  seedDemo: boolean;
  /** Where links in e-mails point; defaults to this server's own address. */
  baseUrl: string | undefined;
  mailDir: string;
  /** Unset: mail is written to mailDir as .eml files. */
  smtp: SmtpSettings | undefined;
  /** The From of every message (a person's name may be put in front of its address). */
  mailFrom: string;
  /** PEM certificates to trust for the SMTP server, beside the system's. */
  smtpCa: string | undefined;
  secureCookies: boolean;
  trustProxy: TrustProxy;
  /** Undefined: one PDF page per core (see defaultPrintConcurrency). */
  pdfConcurrency: number | undefined;
  /** How many web processes serve the one port (node:cluster); 1 runs everything in this process. */
  webProcesses: number;
  digestHour: number;
  digestTimeZone: string;
  /** Whether `npm start` runs the job queue's worker inside (the default) or leaves it to `npm run worker`. */
  runJobs: boolean;
  /** Webhooks may use http:// and reach loopback, private and link-local addresses: tests and development only. */
  webhooksAllowPrivate: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const trustProxy = parseTrustProxy(e.TROIKA_TRUST_PROXY);
  if (trustProxy instanceof Error) throw new Error(`Invalid configuration:\n  TROIKA_TRUST_PROXY: ${trustProxy.message}`);
  if (e.TROIKA_SECURE_COOKIES === 'true' && trustProxy === false) {
    // Secure cookies mean a TLS front; without trusting it every request looks like plain HTTP and no session cookie is ever sent.
    throw new Error('Invalid configuration:\n  TROIKA_TRUST_PROXY: TROIKA_SECURE_COOKIES=true needs the TLS front named here (such as loopback)');
  }
  const smtp = e.SMTP_URL === undefined ? undefined : parseSmtpUrl(e.SMTP_URL);
  if (smtp instanceof Error) throw new Error(`Invalid configuration:\n  SMTP_URL: ${smtp.message}`);
  let smtpCa: string | undefined;
  if (e.TROIKA_SMTP_CA_FILE) {
    try {
      smtpCa = readFileSync(resolve(e.TROIKA_SMTP_CA_FILE), 'utf8');
    } catch (error) {
      throw new Error(`Invalid configuration:\n  TROIKA_SMTP_CA_FILE: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
    }
    if (!smtpCa.includes('-----BEGIN CERTIFICATE-----')) throw new Error('Invalid configuration:\n  TROIKA_SMTP_CA_FILE: holds no PEM certificate');
  }
  return {
    databaseUrl: e.DATABASE_URL,
    migrationDatabaseUrl: e.TROIKA_MIGRATION_DATABASE_URL,
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.TROIKA_DATA_DIR),
    embeddedPgPort: e.TROIKA_PG_PORT,
    methodologyDir: resolve(e.TROIKA_METHODOLOGY_DIR),
    demoPassword: e.TROIKA_DEMO_PASSWORD,
    seedDemo: e.TROIKA_SEED_DEMO === 'true',
    baseUrl: e.TROIKA_BASE_URL?.replace(/\/$/, ''),
    mailDir: resolve(e.TROIKA_MAIL_DIR ?? `${e.TROIKA_DATA_DIR}/mail`),
    smtp,
    mailFrom: e.TROIKA_MAIL_FROM.trim(),
    smtpCa,
    secureCookies: e.TROIKA_SECURE_COOKIES === 'true',
    trustProxy,
    pdfConcurrency: e.TROIKA_PDF_CONCURRENCY,
    webProcesses: e.TROIKA_WEB_PROCESSES,
    digestHour: e.TROIKA_DIGEST_HOUR,
    digestTimeZone: e.TROIKA_DIGEST_TIME_ZONE,
    runJobs: e.TROIKA_RUN_JOBS === 'true',
    webhooksAllowPrivate: e.TROIKA_WEBHOOKS_ALLOW_PRIVATE === 'true',
  };
}
