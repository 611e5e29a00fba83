// The environment, parsed and validated once at start-up.
import { z } from 'zod';
import { resolve } from 'node:path';

const schema = z.object({
  DATABASE_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  TROIKA_DATA_DIR: z.string().default('data'),
  TROIKA_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  TROIKA_METHODOLOGY_DIR: z.string().default('methodology'),
  TROIKA_DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  TROIKA_SEED_DEMO: z.enum(['true', 'false']).default('true'),
  TROIKA_BASE_URL: z.string().url().optional(),
  TROIKA_MAIL_DIR: z.string().optional(),
  TROIKA_SECURE_COOKIES: z.enum(['true', 'false']).default('false'),
});

export interface Config {
  databaseUrl: string | undefined;
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
  secureCookies: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.TROIKA_DATA_DIR),
    embeddedPgPort: e.TROIKA_PG_PORT,
    methodologyDir: resolve(e.TROIKA_METHODOLOGY_DIR),
    demoPassword: e.TROIKA_DEMO_PASSWORD,
    seedDemo: e.TROIKA_SEED_DEMO === 'true',
    baseUrl: e.TROIKA_BASE_URL?.replace(/\/$/, ''),
    mailDir: resolve(e.TROIKA_MAIL_DIR ?? `${e.TROIKA_DATA_DIR}/mail`),
    secureCookies: e.TROIKA_SECURE_COOKIES === 'true',
  };
}
