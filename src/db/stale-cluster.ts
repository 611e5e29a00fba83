// What a hard kill leaves behind on a cluster's folder, and how the next start clears it safely.
import { existsSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EmbeddedPostgresError } from './postgres-binaries.ts';

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch {
    return false;
  }
}

/**
 * Every server process of a cluster, the postmaster and its backends, works inside the data
 * folder; that is how the orphans of a killed postmaster are told from other clusters' processes.
 */
export function serverProcessesOf(clusterDir: string): number[] {
  const dir = realpathSync(clusterDir);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid || !isPostgres(pid)) continue;
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) === dir) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to look at
    }
  }
  return found;
}

/**
 * The process that started this postmaster, when it is a Troika still running. A postmaster whose
 * Troika was killed has been handed to init (or to a subreaper), which runs no src/main.ts.
 */
function runningTroikaParent(postmaster: number): number | null {
  try {
    const stat = readFileSync(`/proc/${postmaster}/stat`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isInteger(parent) || parent <= 1) return null;
    const command = readFileSync(`/proc/${parent}/cmdline`, 'utf8').split('\0');
    return command.some((arg) => /(^|\/)src\/main\.ts$/.test(arg)) ? parent : null;
  } catch {
    return null;
  }
}

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }
}

function waitGone(clusterDir: string, ms: number): number[] {
  const until = Date.now() + ms;
  let left = serverProcessesOf(clusterDir);
  while (left.length && Date.now() < until) {
    pause(50);
    left = serverProcessesOf(clusterDir);
  }
  return left;
}

/**
 * A killed run can leave a postmaster still running on the files, or, when the postmaster was
 * killed too, backends still attached to its shared memory: the next postmaster then refuses to
 * start ("pre-existing shared memory block is still in use"). A live postmaster gets a fast
 * shutdown; orphaned backends have no postmaster to answer to and are killed. The new server then
 * recovers from the write-ahead log, so nothing committed is lost.
 * Returns what was done, for the log; throws when old processes will not go away.
 */
export function clearStaleServer(clusterDir: string): string | null {
  if (!existsSync(clusterDir)) return null;
  const pidFile = join(clusterDir, 'postmaster.pid');
  let processes = serverProcessesOf(clusterDir);
  if (!processes.length && !existsSync(pidFile)) return null;
  const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN;
  const hasPostmaster = processes.includes(postmaster);
  const owner = hasPostmaster ? runningTroikaParent(postmaster) : null;
  if (owner) {
    // Not a leftover: a Troika that is running now. Stopping its database would take it down.
    throw new EmbeddedPostgresError(`Troika is already running on this data folder (process ${owner}); stop it first, or give this one another TROIKA_DATA_DIR.`);
  }
  if (hasPostmaster) {
    signal([postmaster], 'SIGINT');
    processes = waitGone(clusterDir, 10_000);
  }
  if (processes.length) {
    signal(processes, 'SIGCONT');
    signal(processes, 'SIGKILL');
    processes = waitGone(clusterDir, 5_000);
  }
  if (processes.length) {
    throw new EmbeddedPostgresError(
      `The PostgreSQL processes ${processes.join(', ')} of an earlier run still use ${clusterDir} and would not stop; stop them (kill -9 ${processes.join(' ')}) and start again.`,
    );
  }
  rmSync(pidFile, { force: true });
  return hasPostmaster ? 'stopped the server a killed run left running' : 'cleared what a killed run left behind';
}
