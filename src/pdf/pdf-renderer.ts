// Prints documents, dossiers and stage reports with real page numbers on the contents page:
// guessed from the screen layout, checked against the printed outline, printed again only when wrong.
import { createHash } from 'node:crypto';
import type { HtmlRenderer, PrintFrame, TocEntry, DocumentPrint, DossierPrint } from './render-html.ts';
import type { PdfPrinter } from './browser-pool.ts';
import { headingPages } from './outline.ts';
import { PRINTABLE, predictPages } from './page-geometry.ts';

/** The dossier's own pages: the cover and the contents (before the documents) and the approval log (after). */
export interface DossierFrontMatter {
  bytes: Uint8Array;
  /** How many of its pages come before the first document. */
  leadingPages: number;
}

export interface PdfRenderer {
  document(model: DocumentPrint): Promise<Uint8Array>;
  /** The whole dossier printed in one go, every document laid out again. */
  dossier(model: DossierPrint): Promise<Uint8Array>;
  /**
   * The cover, the contents and the approval log of a dossier whose documents are already printed:
   * `documentPages` are their page counts, in order, so the contents can name the pages they start on.
   * The model's parts are the documents followed by the log, as for `dossier`. Kept in memory by the
   * hash of what it shows (its HTML and those page counts), so the same front matter prints once.
   */
  dossierFrontMatter(model: DossierPrint, documentPages: number[]): Promise<DossierFrontMatter>;
  stageReport(model: DocumentPrint): Promise<Uint8Array>;
  /** Prints, those that needed a second pass because the guess was wrong, and front matters served from memory. */
  stats(): { prints: number; reprints: number; frontMatterHits: number };
}

/** Matches each contents entry to the outline heading "N. Title" and takes its page. */
export function pagesFromOutline(toc: TocEntry[], headings: { title: string; page: number }[]): TocEntry[] | null {
  let from = 0;
  const filled: TocEntry[] = [];
  for (const entry of toc) {
    const wanted = `${entry.number}. ${entry.title}`.replace(/\s+/g, ' ');
    const index = headings.findIndex((h, i) => i >= from && h.title.replace(/\s+/g, ' ') === wanted);
    if (index < 0) return null;
    filled.push({ ...entry, page: headings[index]!.page });
    from = index + 1;
  }
  return filled;
}

const withPages = (toc: TocEntry[], pages: number[]) => toc.map((entry, i) => ({ ...entry, page: pages[i] ?? '' }));
const samePages = (a: TocEntry[], b: TocEntry[]) => a.every((entry, i) => entry.page === b[i]?.page);

/** Parts that each start on a new page: every part takes at least one page, then as many as it fills. */
function predictPartPages(tops: number[], end: number, firstPage: number): number[] {
  const pages: number[] = [];
  let page = firstPage;
  tops.forEach((top, i) => {
    pages.push(page);
    page += Math.max(1, Math.ceil(((tops[i + 1] ?? end) - top) / PRINTABLE.heightPx - 0.02));
  });
  return pages;
}

/** Front matters kept: a few dossiers' worth (tens of kilobytes each) for the engagements being worked on. */
const FRONT_MATTERS_KEPT = 64;

export function createPdfRenderer(html: HtmlRenderer, printer: PdfPrinter): PdfRenderer {
  const counts = { prints: 0, reprints: 0, frontMatterHits: 0 };
  /** Least recently used first; a pending print is shared by everyone asking for the same front matter. */
  const frontMatters = new Map<string, Promise<DossierFrontMatter>>();

  function cachedFrontMatter(model: DossierPrint, documentPages: number[]): Promise<DossierFrontMatter> {
    const log = model.parts.filter((part) => part.isLog);
    const page = html.dossier({ ...model, parts: log });
    // Everything the front matter shows is in its HTML (cover, contents, log, running header) or in the
    // page counts its contents number from: any change of either is another key.
    const key = createHash('sha256').update(page).update(`\0${documentPages.join(',')}`).digest('hex');
    const found = frontMatters.get(key);
    if (found) {
      counts.frontMatterHits++;
      frontMatters.delete(key);
      frontMatters.set(key, found);
      return found;
    }
    const printing = printFrontMatter(model, page, documentPages);
    frontMatters.set(key, printing);
    // A failed print is not remembered: the next request prints again.
    printing.catch(() => frontMatters.get(key) === printing && frontMatters.delete(key));
    while (frontMatters.size > FRONT_MATTERS_KEPT) frontMatters.delete(frontMatters.keys().next().value!);
    return printing;
  }

  function printWithContents<M extends PrintFrame>(model: M, toHtml: (m: M) => string, layout: 'flow' | 'page-per-part'): Promise<Uint8Array> {
    return printer.run(async (page) => {
      counts.prints++;
      await page.load(toHtml(model));
      const [[tocTop] = [], targets = [], [end] = []] = await page.tops(['.toc', model.toc.map((e) => `#${e.anchor}`).join(','), '.document-end']);
      // The cover is page 1; the contents take as many pages as they fill; the sections follow.
      const firstPage = 2 + Math.max(1, Math.ceil(((targets[0] ?? 0) - (tocTop ?? 0)) / PRINTABLE.heightPx - 0.02));
      const guessed = withPages(model.toc, layout === 'flow' ? predictPages(targets, firstPage) : predictPartPages(targets, end ?? 0, firstPage));
      // The numbers go into the loaded page; nothing else moves, since the contents end with a page break.
      await page.setTexts('.toc .page', guessed.map((e) => String(e.page)));
      const pdf = await page.pdf();
      const actual = pagesFromOutline(model.toc, await headingPages(pdf));
      // Without an outline (an old browser) the guess stands; with one, a wrong guess is printed again.
      if (!actual || samePages(actual, guessed)) return pdf;
      counts.reprints++;
      await page.setTexts('.toc .page', actual.map((e) => String(e.page)));
      return page.pdf();
    });
  }

  /** `page` is the dossier's HTML with only the log laid out; the contents still list every part. */
  function printFrontMatter(model: DossierPrint, page: string, documentPages: number[]): Promise<DossierFrontMatter> {
    const logEntry = model.toc.at(-1)!;
    /** Cover, contents, then each document at its page, then the log. */
    const pagesFor = (contentsPages: number) => {
      let page = 2 + contentsPages;
      return model.toc.map((_, i) => {
        const start = page;
        page += documentPages[i] ?? 0;
        return start;
      });
    };
    return printer.run(async (tab) => {
      counts.prints++;
      await tab.load(page);
      const [[tocTop] = [], [logTop] = []] = await tab.tops(['.toc', `#${logEntry.anchor}`]);
      let contentsPages = Math.max(1, Math.ceil(((logTop ?? 0) - (tocTop ?? 0)) / PRINTABLE.heightPx - 0.02));
      await tab.setTexts('.toc .page', pagesFor(contentsPages).map(String));
      let pdf = await tab.pdf();
      // The log's heading lands right after the contents: its printed page says how many they took.
      const logHeading = pagesFromOutline([logEntry], await headingPages(pdf))?.[0]?.page;
      if (typeof logHeading === 'number' && logHeading - 2 !== contentsPages) {
        counts.reprints++;
        contentsPages = logHeading - 2;
        await tab.setTexts('.toc .page', pagesFor(contentsPages).map(String));
        pdf = await tab.pdf();
      }
      return { bytes: pdf, leadingPages: 1 + contentsPages };
    });
  }

  return {
    document: (model) => printWithContents(model, html.document, 'flow'),
    dossier: (model) => printWithContents(model, html.dossier, 'page-per-part'),
    dossierFrontMatter: cachedFrontMatter,
    stageReport: (model) => printWithContents(model, html.stageReport, 'flow'),
    stats: () => ({ ...counts }),
  };
}
