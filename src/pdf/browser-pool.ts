// One Chromium per process, a bounded set of pages, one deadline per print job, a relaunch after a crash or a hang.
import type { Browser, Page } from 'puppeteer';
import { availableParallelism } from 'node:os';
import { findBrowser, BROWSER_HELP } from './browser-path.ts';
import { openPrintPage, asPrintPage, type PrintOptions, type PrintPage } from './print-page.ts';
import { isReachableByOthers } from '../os/reachable.ts';
import { launchPrintBrowser, resolvePrintIdentity, PdfUnavailableError, type PrintBrowser, type PrintIdentity } from './browser-process.ts';

export { PdfUnavailableError } from './browser-process.ts';
export type { PrintOptions, PrintPage } from './print-page.ts';

export interface PdfPrinter {
  print(html: string, options: PrintOptions): Promise<Uint8Array>;
  /** Runs a job on one pooled page, under the concurrency limit, the deadline and the one retry. */
  run<T>(job: (page: PrintPage) => Promise<T>): Promise<T>;
  /** Why printing cannot work here, or null when a browser was found. */
  unavailableReason(): Promise<string | null>;
  /** The running browser's process id, or null before the first print and after a crash. */
  browserPid(): Promise<number | null>;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Pages printing at once; one per core by default (more only queue inside Chromium on the same cores). */
  concurrency?: number;
  /** The whole job, from waiting for a slot to closing its page, must finish within this; then once more. */
  timeoutMs?: number;
  executablePath?: string;
  /** Where to look for a browser; the process environment unless a test says otherwise. */
  env?: NodeJS.ProcessEnv;
  /** The system user the browser runs as when this process is root. */
  printUser?: string;
  log?: (line: string) => void;
}

// Loopback goes to a dead proxy too: even a request that slipped past interception reaches nothing.
// No crash handler: it would detach from the browser's process tree and outlive a killed browser.
// Without the crash handler, Chromium 156's separate network service dies at once ("FD ownership
// violation") and is started again on every page load and print: a process launch per PDF, half of
// the browser's CPU. In the browser process it starts once; it ran unsandboxed there anyway
// (--service-sandbox-type=none), so the renderers' sandbox is unchanged.
const ARGS = [
  '--disable-crashpad-for-testing',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--no-first-run',
  '--proxy-server=127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
  '--enable-features=NetworkServiceInProcess2',
];

/** One launched (or launching) browser; retired when it crashed, hung or the pool closed. */
interface Instance {
  ready: Promise<PrintBrowser>;
  /** Set once: the kill of a retired browser, finished when its processes are gone. */
  retiring?: Promise<void>;
}

class DeadlineError extends Error {}

/** Printing is CPU-bound in the renderer and the browser: one page per core keeps them all busy. */
export function defaultPrintConcurrency(): number {
  return Math.max(1, availableParallelism());
}

function beforeDeadline<T>(work: Promise<T>, deadline: number, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`printing took longer than ${timeoutMs} ms`)), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

export function createBrowserPool(options: PoolOptions = {}): PdfPrinter {
  const concurrency = options.concurrency ?? defaultPrintConcurrency();
  const timeoutMs = options.timeoutMs ?? 30_000;
  let current: Instance | null = null;
  const live = new Set<Instance>();
  let identity: PrintIdentity | undefined;
  let closed = false;
  const idle: { page: Page; instance: Instance }[] = [];
  let active = 0;
  let lastTracked = 0;
  const waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const shutDown = () => new PdfUnavailableError('shut-down', 'the PDF printer is shut down');

  function identityOnce(): PrintIdentity {
    if (identity) return identity;
    identity = resolvePrintIdentity(options.printUser);
    const who = identity.user ? `as ${identity.user.name} (uid ${identity.user.uid})` : 'as this user';
    if (identity.sandboxOffReason) options.log?.(`pdf: the browser runs ${who} without Chromium's sandbox: ${identity.sandboxOffReason}`);
    return identity;
  }

  async function start(instance: Instance): Promise<PrintBrowser> {
    const found = options.executablePath ? { path: options.executablePath } : await findBrowser(options.env);
    if (!found) throw new PdfUnavailableError('no-browser', BROWSER_HELP);
    const who = identityOnce();
    // Puppeteer's own download sits in root's private cache: the print user could not even start it.
    if (who.user && !isReachableByOthers(found.path)) {
      throw new PdfUnavailableError(
        'no-browser',
        `The browser ${found.path} is inside a folder the ${who.user.name} user cannot enter, and PDFs are never printed as root. Install Debian's chromium (apt-get install chromium) or set PUPPETEER_EXECUTABLE_PATH to a browser outside private folders.`,
      );
    }
    const launched = await launchPrintBrowser({ executablePath: found.path, args: ARGS, identity: who, timeoutMs });
    launched.browser.on('disconnected', () => {
      // A crashed or killed browser: forget it; the next print launches a new one.
      if (current === instance && !closed) options.log?.('pdf: the browser went away; it will be relaunched');
      retire(instance);
    });
    return launched;
  }

  function browserFor(): Instance {
    if (closed) throw shutDown();
    if (current) return current;
    const instance = {} as Instance;
    instance.ready = start(instance);
    current = instance;
    live.add(instance);
    instance.ready.catch(() => retire(instance));
    return instance;
  }

  /** Takes the instance out of use and kills its browser: a hung one never answers again. */
  function retire(instance: Instance): Promise<void> {
    if (current === instance) current = null;
    for (let i = idle.length - 1; i >= 0; i--) if (idle[i]!.instance === instance) idle.splice(i, 1);
    instance.retiring ??= instance.ready.then((b) => b.kill(), () => {}).finally(() => live.delete(instance));
    return instance.retiring;
  }

  /** Waiting counts toward the job's deadline: a waiter still queued when it passes gets a clear error. */
  function acquireSlot(deadline: number): Promise<void> {
    if (closed) return Promise.reject(shutDown());
    if (active < concurrency) {
      active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(waiter), 1);
        reject(new PdfUnavailableError('busy', `every PDF printer was busy for ${timeoutMs} ms; try again in a moment`));
      }, Math.max(0, deadline - Date.now()));
      const waiter = {
        resolve: () => (clearTimeout(timer), resolve()),
        reject: (error: Error) => (clearTimeout(timer), reject(error)),
      };
      waiting.push(waiter);
    });
  }

  function releaseSlot(): void {
    const next = waiting.shift();
    if (next) next.resolve();
    else active--;
  }

  async function takePage(instance: Instance, browser: Browser): Promise<{ page: Page; isNew: boolean }> {
    for (let found = idle.pop(); found; found = idle.pop()) {
      if (found.instance === instance && !found.page.isClosed()) return { page: found.page, isNew: false };
    }
    return { page: await openPrintPage(browser), isNew: true };
  }

  /** Page preparation, the job and closing the page all run against the same deadline. */
  async function attempt<T>(job: (page: PrintPage) => Promise<T>, deadline: number): Promise<T> {
    const instance = browserFor();
    const work = (async () => {
      const launched = await instance.ready;
      const { page, isNew } = await takePage(instance, launched.browser);
      let isHealthy = false;
      try {
        const result = await job(asPrintPage(page, timeoutMs));
        isHealthy = true;
        // Reading the process tree scans all of /proc: done when a page (and so maybe a renderer) is new,
        // and otherwise at most once a second.
        if (isNew || Date.now() - lastTracked > 1_000) {
          launched.track();
          lastTracked = Date.now();
        }
        return result;
      } finally {
        if (isHealthy && !instance.retiring && idle.length < concurrency) idle.push({ page, instance });
        else await page.close().catch(() => {});
      }
    })();
    try {
      return await beforeDeadline(work, deadline, timeoutMs);
    } catch (error) {
      // The abandoned work fails once its browser is killed; nobody waits for it any more.
      work.catch(() => {});
      if (error instanceof DeadlineError) {
        options.log?.(`pdf: ${error.message}; killing the browser`);
        void retire(instance);
      } else if (!(await instance.ready.then((b) => b.browser.connected, () => false))) {
        void retire(instance);
      }
      throw error;
    }
  }

  async function run<T>(job: (page: PrintPage) => Promise<T>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    await acquireSlot(deadline);
    try {
      try {
        return await attempt(job, deadline);
      } catch (error) {
        if (closed) throw shutDown();
        if (error instanceof PdfUnavailableError) throw error;
        // Retried once on a fresh browser when the first one crashed or hung.
        options.log?.(`pdf: print failed (${(error as Error).message}); retrying once`);
        return await attempt(job, Date.now() + timeoutMs);
      }
    } catch (error) {
      if (error instanceof DeadlineError) throw new PdfUnavailableError('timed-out', `${error.message}, twice; the browser was restarted`);
      throw error;
    } finally {
      releaseSlot();
    }
  }

  return {
    run,
    print: (html, print) =>
      run(async (page) => {
        await page.load(html);
        return page.pdf(print);
      }),
    async unavailableReason() {
      if (options.executablePath) return null;
      return (await findBrowser(options.env)) ? null : BROWSER_HELP;
    },
    async browserPid() {
      const running = current && (await current.ready.catch(() => null));
      return running?.pid ?? null;
    },
    async close() {
      closed = true;
      for (const waiter of waiting.splice(0)) waiter.reject(shutDown());
      current = null;
      idle.length = 0;
      // A browser being killed is waited for; the others are asked to close, then killed too.
      const closing = (instance: Instance) => instance.ready.then((b) => b.close(), () => {}).finally(() => live.delete(instance));
      await Promise.all([...live].map((instance) => instance.retiring ?? closing(instance)));
    },
  };
}
