// Runs Troika the way people do, `node src/main.ts` in its own process, for start-up and fault tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AppProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function startAppProcess(env: Record<string, string>): AppProcess {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitReady(port: number, app: AppProcess, seconds = 60): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (app.child.exitCode !== null) throw new Error(`the app exited:\n${app.output()}`);
    const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready in ${seconds}s:\n${app.output()}`);
}

/** A fresh data folder for each test, open to the postgres user (the tests may run as root). */
export function useDataDir(prefix: string): { path: string } {
  const folder = { path: '' };
  beforeEach(() => {
    folder.path = mkdtempSync(join(tmpdir(), prefix));
    chmodSync(folder.path, 0o755);
  });
  afterEach(() => rmSync(folder.path, { recursive: true, force: true }));
  return folder;
}

/**
 * With TROIKA_WEB_PROCESSES=N, /readyz answers as soon as one worker listens; the primary logs
 * "Listening on" only once every worker does. Call after waitReady when all N must serve.
 */
export async function waitAllListening(app: AppProcess, seconds = 120): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (!/Listening on http/.test(app.output())) {
    if (app.child.exitCode !== null) throw new Error(`the app exited:\n${app.output()}`);
    if (Date.now() > until) throw new Error(`not every web process listened in ${seconds}s:\n${app.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
