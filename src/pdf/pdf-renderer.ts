// Prints documents, dossiers and stage reports with real page numbers on the contents page:
// guessed from the screen layout, checked against the printed outline, printed again only when wrong.
import type { HtmlRenderer, PrintFrame, TocEntry, DocumentPrint, DossierPrint } from './render-html.ts';
import type { PdfPrinter } from './browser-pool.ts';
import { headingPages } from './outline.ts';
import { PRINTABLE, predictPages } from './page-geometry.ts';

export interface PdfRenderer {
  document(model: DocumentPrint): Promise<Uint8Array>;
  dossier(model: DossierPrint): Promise<Uint8Array>;
  stageReport(model: DocumentPrint): Promise<Uint8Array>;
  /** How many prints needed a second pass because the guess was wrong, for the benchmark. */
  stats(): { prints: number; reprints: number };
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

export function createPdfRenderer(html: HtmlRenderer, printer: PdfPrinter): PdfRenderer {
  const counts = { prints: 0, reprints: 0 };

  function printWithContents<M extends PrintFrame>(model: M, toHtml: (m: M) => string, layout: 'flow' | 'page-per-part'): Promise<Uint8Array> {
    const options = { headerTemplate: html.header(model), footerTemplate: html.footer(model) };
    return printer.run(async (page) => {
      counts.prints++;
      await page.load(toHtml(model));
      const [[tocTop] = [], targets = [], [end] = []] = await page.tops(['.toc', model.toc.map((e) => `#${e.anchor}`).join(','), '.document-end']);
      // The cover is page 1; the contents take as many pages as they fill; the sections follow.
      const firstPage = 2 + Math.max(1, Math.ceil(((targets[0] ?? 0) - (tocTop ?? 0)) / PRINTABLE.heightPx - 0.02));
      const guessed = withPages(model.toc, layout === 'flow' ? predictPages(targets, firstPage) : predictPartPages(targets, end ?? 0, firstPage));
      // The numbers go into the loaded page; nothing else moves, since the contents end with a page break.
      await page.setTexts('.toc .page', guessed.map((e) => String(e.page)));
      const pdf = await page.pdf(options);
      const actual = pagesFromOutline(model.toc, await headingPages(pdf));
      // Without an outline (an old browser) the guess stands; with one, a wrong guess is printed again.
      if (!actual || samePages(actual, guessed)) return pdf;
      counts.reprints++;
      await page.setTexts('.toc .page', actual.map((e) => String(e.page)));
      return page.pdf(options);
    });
  }

  return {
    document: (model) => printWithContents(model, html.document, 'flow'),
    dossier: (model) => printWithContents(model, html.dossier, 'page-per-part'),
    stageReport: (model) => printWithContents(model, html.stageReport, 'flow'),
    stats: () => ({ ...counts }),
  };
}
