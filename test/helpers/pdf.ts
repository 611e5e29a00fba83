// One browser pool for the whole test run, as the app keeps one per process (closed by the root hook),
// and what the tests read from /proc about the browser's processes.
import { resolve } from 'node:path';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createBrowserPool, type PdfPrinter } from '../../src/pdf/browser-pool.ts';
import { createPdfRenderer, type PdfRenderer } from '../../src/pdf/pdf-renderer.ts';
import { createHtmlRenderer, hashTemplates } from '../../src/pdf/render-html.ts';

let printer: PdfPrinter | undefined;
let renderer: PdfRenderer | undefined;

export const TEMPLATES_DIR = resolve('templates');

export function sharedPdf(): { pdf: PdfRenderer; templatesHash: string; printer: PdfPrinter } {
  printer ??= createBrowserPool();
  renderer ??= createPdfRenderer(createHtmlRenderer(TEMPLATES_DIR), printer);
  return { pdf: renderer, templatesHash: hashTemplates(TEMPLATES_DIR), printer };
}

export async function closeSharedPdf(): Promise<void> {
  await printer?.close();
  printer = undefined;
  renderer = undefined;
}

/** The TCP sockets these processes listen on, each read in the process's own network namespace. */
export function listeningTcpSockets(pids: number[]): string[] {
  const listening: string[] = [];
  for (const pid of pids) {
    const inodes = new Set<string>();
    for (const fd of safely(() => readdirSync(`/proc/${pid}/fd`), [])) {
      const match = /^socket:\[(\d+)\]$/.exec(safely(() => readlinkSync(`/proc/${pid}/fd/${fd}`), ''));
      if (match) inodes.add(match[1]!);
    }
    for (const table of ['tcp', 'tcp6']) {
      for (const line of safely(() => readFileSync(`/proc/${pid}/net/${table}`, 'utf8'), '').split('\n').slice(1)) {
        const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
        // State 0A is LISTEN.
        if (state === '0A' && inode && inodes.has(inode)) listening.push(`pid ${pid} listens on ${table} ${local}`);
      }
    }
  }
  return listening;
}

/** Real, effective, saved and file-system uid of a process; null once it is gone (helpers come and go). */
export const uidsOf = (pid: number): number[] | null => statusField(pid, 'Uid')?.split(/\s+/).map(Number) ?? null;
export const seccompOf = (pid: number): number | null => Number(statusField(pid, 'Seccomp') ?? Number.NaN);
/** The arguments of a process; `fallback` for one that is gone (or unreadable) when that is expected. */
export function commandLineOf(pid: number, fallback?: string[]): string[] {
  const read = () => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  return fallback ? safely(read, fallback) : read();
}
export const environmentOf = (pid: number): string[] => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);

function statusField(pid: number, name: string): string | null {
  const line = safely(() => readFileSync(`/proc/${pid}/status`, 'utf8'), '').split('\n').find((l) => l.startsWith(`${name}:`));
  return line?.slice(name.length + 1).trim() ?? null;
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}
