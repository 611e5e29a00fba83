// Starts the printing Chromium over a pipe, as an unprivileged user when we are root and inside its own
// sandbox where the kernel allows it; finds and kills its whole process tree.
import puppeteer, { type Browser } from 'puppeteer';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type PdfUnavailableCode = 'no-browser' | 'no-print-user' | 'shut-down' | 'busy' | 'timed-out';

/** Printing cannot happen now or here; `code` says which case, the message says it for people. */
export class PdfUnavailableError extends Error {
  constructor(
    readonly code: PdfUnavailableCode,
    message: string,
  ) {
    super(message);
  }
}

export interface PrintUser {
  name: string;
  uid: number;
  gid: number;
}

/** Who the browser runs as (null: this process's own user) and whether Chromium's sandbox is on. */
export interface PrintIdentity {
  user: PrintUser | null;
  isSandboxed: boolean;
  /** Why the sandbox is off, when it is. */
  sandboxOffReason: string | null;
}

export const PRINT_USER = 'troika-print';
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'];
const SAFE_PATH = '/usr/local/bin:/usr/bin:/bin';

function lookUpUser(name: string): PrintUser | null {
  try {
    const [, , uid, gid] = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':');
    return uid && gid ? { name, uid: Number(uid), gid: Number(gid) } : null;
  } catch {
    return null;
  }
}

/** The system user the browser runs as, created on first use; never root. */
export function ensurePrintUser(name = PRINT_USER): PrintUser {
  let user = lookUpUser(name);
  let failure = '';
  if (!user) {
    try {
      execFileSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name], { stdio: 'pipe' });
    } catch (error) {
      // Another pool may have created it a moment ago; only a still missing user is a failure.
      failure = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
    }
    user = lookUpUser(name);
  }
  if (!user || user.uid === 0) {
    throw new PdfUnavailableError('no-print-user', `the unprivileged user "${name}" for the PDF browser is missing and could not be created (${failure || 'uid 0'}); PDFs are never printed as root`);
  }
  return user;
}

/** The command prefix that runs a program as the print user: no capabilities, no setuid gains. */
function asUser(user: PrintUser | null): string[] {
  if (!user) return [];
  const setpriv = SETPRIV.find((p) => existsSync(p));
  if (!setpriv) throw new PdfUnavailableError('no-print-user', 'setpriv (util-linux) is missing, so the PDF browser cannot drop root; PDFs are never printed as root');
  return [setpriv, `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--no-new-privs', '--inh-caps=-all', '--bounding-set=-all', '--'];
}

/** Chromium's sandbox needs user, PID and network namespaces for the user it runs as, and seccomp. */
export function probeSandbox(user: PrintUser | null): string | null {
  const status = existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '';
  if (!/^Seccomp:/m.test(status)) return 'the kernel has no seccomp';
  const [command, ...args] = [...asUser(user), 'unshare', '--user', '--pid', '--net', '--fork', 'true'];
  const probe = spawnSync(command!, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5_000, env: { PATH: SAFE_PATH } });
  if (probe.error) return `the namespace probe could not run (${probe.error.message})`;
  if (probe.status !== 0) return `unprivileged user namespaces do not work here (${probe.stderr.toString().trim() || `exit ${probe.status}`})`;
  return null;
}

export function resolvePrintIdentity(userName = PRINT_USER): PrintIdentity {
  const user = process.getuid?.() === 0 ? ensurePrintUser(userName) : null;
  const sandboxOffReason = probeSandbox(user);
  return { user, isSandboxed: !sandboxOffReason, sandboxOffReason };
}

export interface BrowserProcess {
  /** Whose start time (clock ticks since boot) tells a live process from a reused pid. */
  pid: number;
  start: string;
}

function readStat(pid: number): { state: string; ppid: number; start: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]), start: fields[19]! };
  } catch {
    return null;
  }
}

/** The process and all its descendants, as they are now. */
export function processTree(rootPid: number): BrowserProcess[] {
  const root = readStat(rootPid);
  if (!root) return [];
  const children = new Map<number, BrowserProcess[]>();
  for (const entry of existsSync('/proc') ? readdirSync('/proc') : []) {
    const pid = Number(entry);
    const stat = Number.isInteger(pid) ? readStat(pid) : null;
    if (!stat) continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push({ pid, start: stat.start });
    children.set(stat.ppid, siblings);
  }
  const tree: BrowserProcess[] = [{ pid: rootPid, start: root.start }];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!.pid) ?? []));
  return tree;
}

/** Still running (a zombie has finished: only its parent has not collected it yet). */
export function isAlive(p: BrowserProcess): boolean {
  const stat = readStat(p.pid);
  return stat?.start === p.start && stat.state !== 'Z';
}

async function untilGone(processes: BrowserProcess[], ms: number): Promise<void> {
  for (const end = Date.now() + ms; processes.some(isAlive) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 25));
}

/** SIGKILL works on a stopped process too; SIGCONT after it is harmless and wakes nothing else. */
function killAll(processes: BrowserProcess[]): void {
  for (const p of processes.filter(isAlive)) {
    for (const signal of ['SIGKILL', 'SIGCONT'] as const) {
      try {
        process.kill(p.pid, signal);
      } catch {
        // Gone already.
      }
    }
  }
}

export interface PrintBrowser {
  browser: Browser;
  pid: number;
  /** Notes the processes the browser runs now, so that they die with it even after it crashed. */
  track(): void;
  /** Kills the whole tree at once, for a browser that stopped answering. */
  kill(): Promise<void>;
  /** Closes politely for a short while, then kills whatever is left. */
  close(): Promise<void>;
}

function minimalEnv(home: string): NodeJS.ProcessEnv {
  // The server's secrets (database URL, session secret) stay out of the browser's environment.
  const passed = ['LANG', 'LC_ALL', 'TZ', 'FONTCONFIG_FILE', 'FONTCONFIG_PATH'].filter((k) => process.env[k]);
  return {
    PATH: SAFE_PATH,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    // Chromium's single-instance socket folder (org.chromium.Chromium.*) goes where the profile is,
    // and so is removed with it instead of piling up in the shared /tmp.
    TMPDIR: home,
    LANG: 'C.UTF-8',
    ...Object.fromEntries(passed.map((k) => [k, process.env[k]])),
  };
}

export interface LaunchOptions {
  executablePath: string;
  args: string[];
  identity: PrintIdentity;
  timeoutMs: number;
}

export async function launchPrintBrowser(options: LaunchOptions): Promise<PrintBrowser> {
  const { user, isSandboxed } = options.identity;
  // A profile of its own, readable by nobody else, removed when the browser exits.
  const profile = mkdtempSync(join(tmpdir(), 'troika-print-'));
  chmodSync(profile, 0o700);
  if (user) chownSync(profile, user.uid, user.gid);
  const removeProfile = () => {
    try {
      rmSync(profile, { recursive: true, force: true });
    } catch {
      // A profile that cannot be removed only takes space in the temporary directory.
    }
  };
  let browser: Browser;
  try {
    const chromium = await puppeteer.defaultArgs({ headless: true, userDataDir: profile, args: [...options.args, ...(isSandboxed ? [] : ['--no-sandbox'])] });
    const [executablePath, ...args] = [...asUser(user), options.executablePath, ...chromium, '--remote-debugging-pipe'];
    browser = await puppeteer.launch({
      executablePath,
      args,
      // Every argument is ours: Puppeteer's defaults are in `chromium` already, after the user switch.
      ignoreDefaultArgs: true,
      pipe: true,
      env: minimalEnv(profile),
      timeout: Math.max(options.timeoutMs, 10_000),
      // A backstop only: the pool's deadline kills a browser that stops answering well before this.
      protocolTimeout: Math.max(options.timeoutMs * 2, 10_000),
    });
  } catch (error) {
    removeProfile();
    throw error;
  }
  const child = browser.process()!;
  const pid = child.pid!;
  // Once Node has reaped the browser its pid may belong to someone else: the start time tells them apart.
  const known = new Map<number, BrowserProcess>();
  function track(): void {
    // A crashed browser's children outlive it for a while, so they are remembered while it runs.
    const root = known.get(pid);
    if (root && !isAlive(root)) return;
    for (const p of processTree(pid)) if (known.get(p.pid)?.start !== p.start) known.set(p.pid, p);
  }
  track();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  }).then(removeProfile);
  const timeout = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

  async function kill(): Promise<void> {
    track();
    const tree = [...known.values()];
    killAll(tree);
    await Promise.race([Promise.all([exited, untilGone(tree, 5_000)]), timeout(5_000)]);
  }

  async function close(): Promise<void> {
    track();
    await Promise.race([browser.close().catch(() => {}), timeout(2_000)]);
    await kill();
  }

  return { browser, pid, track, kill, close };
}
