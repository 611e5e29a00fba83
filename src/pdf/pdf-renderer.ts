// Prints documents, dossiers and stage reports; the contents page gets real page numbers from a first pass.
import type { HtmlRenderer, PrintFrame, TocEntry } from './render-html.ts';
import type { DocumentPrint, DossierPrint } from './render-html.ts';
import type { PdfPrinter } from './browser-pool.ts';
import { headingPages } from './outline.ts';

export interface PdfRenderer {
  document(model: DocumentPrint): Promise<Uint8Array>;
  dossier(model: DossierPrint): Promise<Uint8Array>;
  stageReport(model: DocumentPrint): Promise<Uint8Array>;
}

/** Matches each contents entry to the outline heading "N. Title" and takes its page. */
export function pagesFromOutline(toc: TocEntry[], headings: { title: string; page: number }[]): TocEntry[] | null {
  let from = 0;
  const filled: TocEntry[] = [];
  for (const entry of toc) {
    const wanted = `${entry.number}. ${entry.title}`.replace(/\s+/g, ' ');
    // The contents page lists the same titles without making headings of them, so the first match is the section.
    const index = headings.findIndex((h, i) => i >= from && h.title.replace(/\s+/g, ' ') === wanted);
    if (index < 0) return null;
    filled.push({ ...entry, page: headings[index]!.page });
    from = index + 1;
  }
  return filled;
}

export function createPdfRenderer(html: HtmlRenderer, printer: PdfPrinter): PdfRenderer {
  async function printWithContents<M extends PrintFrame>(model: M, toHtml: (m: M) => string): Promise<Uint8Array> {
    const options = { headerTemplate: html.header(model), footerTemplate: html.footer(model) };
    const first = await printer.print(toHtml(model), options);
    const toc = pagesFromOutline(model.toc, await headingPages(first));
    // Without an outline (an old browser) the contents keep their titles and links, without numbers.
    if (!toc) return first;
    return printer.print(toHtml({ ...model, toc }), options);
  }
  return {
    document: (model) => printWithContents(model, html.document),
    dossier: (model) => printWithContents(model, html.dossier),
    stageReport: (model) => printWithContents(model, html.stageReport),
  };
}
