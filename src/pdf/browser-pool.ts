// One Chromium per process, a bounded set of pages, a timeout on every print, a relaunch after a crash.
import puppeteer, { type Browser, type Page, type PDFOptions } from 'puppeteer';
import { findBrowser, BROWSER_HELP } from './browser-path.ts';
import { PRINTABLE } from './page-geometry.ts';

export interface PrintOptions {
  headerTemplate: string;
  footerTemplate: string;
}

/** One page for one job: load HTML, measure it, print it, as often as the job needs. */
export interface PrintPage {
  load(html: string): Promise<void>;
  /** For each selector, the tops of the matching elements in CSS pixels, in one round trip. */
  tops(selectors: string[]): Promise<number[][]>;
  /** Replaces the text of the elements matching the selector, in order: no script runs in the page. */
  setTexts(selector: string, texts: string[]): Promise<void>;
  pdf(options: PrintOptions): Promise<Uint8Array>;
}

export interface PdfPrinter {
  print(html: string, options: PrintOptions): Promise<Uint8Array>;
  /** Runs a job on one pooled page, under the concurrency limit, the timeout and the crash retry. */
  run<T>(job: (page: PrintPage) => Promise<T>): Promise<T>;
  /** Why printing cannot work here, or null when a browser was found. */
  unavailableReason(): Promise<string | null>;
  /** The running browser's process id, or null before the first print and after a crash. */
  browserPid(): Promise<number | null>;
  close(): Promise<void>;
}

export class PdfUnavailableError extends Error {}

export interface PoolOptions {
  concurrency?: number;
  timeoutMs?: number;
  executablePath?: string;
  /** Where to look for a browser; the process environment unless a test says otherwise. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

// Loopback goes to a dead proxy too: even a request that slipped past interception reaches nothing.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--no-first-run',
  '--proxy-server=127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
];

export function createBrowserPool(options: PoolOptions = {}): PdfPrinter {
  const concurrency = options.concurrency ?? 2;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let browser: Promise<Browser> | null = null;
  let closed = false;
  const idle: Page[] = [];
  let active = 0;
  const waiting: (() => void)[] = [];

  async function launch(): Promise<Browser> {
    const found = options.executablePath ? { path: options.executablePath } : await findBrowser(options.env);
    if (!found) throw new PdfUnavailableError(BROWSER_HELP);
    const launched = await puppeteer.launch({ executablePath: found.path, headless: true, args: ARGS });
    launched.on('disconnected', () => {
      // A crashed or killed browser: forget it and its pages; the next print launches a new one.
      if (browser) options.log?.('pdf: the browser went away; it will be relaunched');
      browser = null;
      idle.length = 0;
    });
    return launched;
  }

  const getBrowser = () => {
    if (closed) throw new PdfUnavailableError('the PDF printer is shut down');
    browser ??= launch().catch((error) => {
      browser = null;
      throw error;
    });
    return browser;
  };

  async function acquireSlot(): Promise<void> {
    if (active < concurrency) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  function releaseSlot(): void {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }

  async function preparePage(b: Browser): Promise<Page> {
    const reused = idle.pop();
    if (reused && !reused.isClosed()) return reused;
    const page = await b.newPage();
    await page.setJavaScriptEnabled(false);
    // Screen layout at the printed width, so element positions predict the printed pages.
    await page.emulateMediaType('print');
    await page.setViewport({ width: Math.round(PRINTABLE.widthPx), height: Math.round(PRINTABLE.heightPx) });
    await page.setRequestInterception(true);
    // Nothing but the document itself and inline data: user text can never make the browser fetch.
    page.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || url === 'about:blank') void request.continue();
      else void request.abort('blockedbyclient');
    });
    return page;
  }

  function printPage(page: Page): PrintPage {
    return {
      async load(html) {
        await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
      },
      tops: (selectors) =>
        page.evaluate((list: string[]) => list.map((sel) => [...document.querySelectorAll(sel)].map((el) => el.getBoundingClientRect().top + window.scrollY)), selectors),
      setTexts: (selector, texts) =>
        page.evaluate(
          (sel: string, values: string[]) => document.querySelectorAll(sel).forEach((el, i) => (el.textContent = values[i] ?? '')),
          selector,
          texts,
        ),
      async pdf(print) {
        const pdf: PDFOptions = {
          format: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
          displayHeaderFooter: true,
          headerTemplate: print.headerTemplate,
          footerTemplate: print.footerTemplate,
          outline: true,
          tagged: true,
          timeout: timeoutMs,
        };
        return page.pdf(pdf);
      },
    };
  }

  async function runOnce<T>(job: (page: PrintPage) => Promise<T>): Promise<T> {
    const b = await getBrowser();
    const page = await preparePage(b);
    let timer: NodeJS.Timeout | undefined;
    let isHealthy = false;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`printing took longer than ${timeoutMs} ms`)), timeoutMs);
      });
      const result = await Promise.race([job(printPage(page)), timeout]);
      isHealthy = true;
      return result;
    } finally {
      clearTimeout(timer);
      if (isHealthy && idle.length < concurrency) idle.push(page);
      else await page.close().catch(() => {});
    }
  }

  async function run<T>(job: (page: PrintPage) => Promise<T>): Promise<T> {
    await acquireSlot();
    try {
      try {
        return await runOnce(job);
      } catch (error) {
        if (error instanceof PdfUnavailableError || closed) throw error;
        // Retried once: a browser that crashed mid-print is relaunched for the second try.
        options.log?.(`pdf: print failed (${(error as Error).message}); retrying once`);
        return await runOnce(job);
      }
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
      const current = await browser?.catch(() => null);
      return current?.process()?.pid ?? null;
    },
    async close() {
      closed = true;
      const current = browser;
      browser = null;
      if (current) await (await current.catch(() => null))?.close().catch(() => {});
    },
  };
}
