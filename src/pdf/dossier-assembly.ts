// The project dossier from the stored prints of its documents: only the cover, the contents and the
// approval log are printed; the documents' own PDFs (what was approved, as it was printed) are joined in.
import { PDFDocument } from 'pdf-lib';
import type { DossierPrint } from './render-html.ts';
import type { PdfRenderer } from './pdf-renderer.ts';
import { mergeChromiumPdfs, pageCountOf, type MergePart } from './chromium-pdf.ts';

async function pageCount(bytes: Uint8Array): Promise<number> {
  return pageCountOf(bytes) ?? (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount();
}

/** For files not in Chromium's plain shape: a full parser joins the pages, without an outline. */
async function mergeWithPdfLib(parts: MergePart[]): Promise<Uint8Array> {
  const out = await PDFDocument.create();
  for (const part of parts) {
    const source = await PDFDocument.load(part.bytes, { updateMetadata: false });
    for (const page of await out.copyPages(source, part.pages ?? source.getPageIndices())) out.addPage(page);
  }
  return out.save();
}

/** `documents` are the printed PDFs of the model's document parts, in the same order. */
export async function assembleDossier(pdf: PdfRenderer, model: DossierPrint, documents: Uint8Array[]): Promise<Uint8Array> {
  const pages = await Promise.all(documents.map(pageCount));
  const front = await pdf.dossierFrontMatter(model, pages);
  const frontPages = Array.from({ length: await pageCount(front.bytes) }, (_, i) => i);
  const entry = (i: number) => `${model.toc[i]!.number}. ${model.toc[i]!.title}`;
  const parts: MergePart[] = [
    { bytes: front.bytes, pages: frontPages.slice(0, front.leadingPages) },
    ...documents.map((bytes, i) => ({ bytes, title: entry(i), isOutlineKept: true })),
    { bytes: front.bytes, pages: frontPages.slice(front.leadingPages), title: entry(model.toc.length - 1) },
  ];
  return mergeChromiumPdfs(parts) ?? mergeWithPdfLib(parts);
}
