// The project dossier from the stored prints of its documents: only the cover, the contents and the
// approval log are printed (or taken from the renderer's cache when they show the same); the documents'
// own PDFs (what was approved, as it was printed) are joined in. Every file is read once.
import { PDFDocument } from 'pdf-lib';
import type { DossierPrint } from './render-html.ts';
import type { PdfRenderer } from './pdf-renderer.ts';
import { readChromiumPdf } from './chromium-pdf-reader.ts';
import { mergeChromiumPdfs } from './chromium-pdf-merge.ts';

interface Part {
  bytes: Uint8Array;
  /** Zero-based pages of this file to take, in order. */
  pages: number[];
  title?: string;
  isOutlineKept?: boolean;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/**
 * For files not in Chromium's plain shape: a full parser joins the pages, without an outline.
 * Each file is loaded once and its pages copied in one go, even when it gives more than one part.
 */
async function mergeWithPdfLib(parts: Part[], loaded: Map<Uint8Array, PDFDocument>): Promise<Uint8Array> {
  const out = await PDFDocument.create();
  const copied = new Map<Uint8Array, Map<number, ReturnType<PDFDocument['getPage']>>>();
  for (const bytes of new Set(parts.map((part) => part.bytes))) {
    const source = loaded.get(bytes) ?? (await PDFDocument.load(bytes, { updateMetadata: false }));
    const wanted = [...new Set(parts.filter((part) => part.bytes === bytes).flatMap((part) => part.pages))];
    const pages = await out.copyPages(source, wanted);
    copied.set(bytes, new Map(wanted.map((index, i) => [index, pages[i]!])));
  }
  for (const part of parts) for (const index of part.pages) out.addPage(copied.get(part.bytes)!.get(index)!);
  return out.save();
}

/** `documents` are the printed PDFs of the model's document parts, in the same order. */
export async function assembleDossier(pdf: PdfRenderer, model: DossierPrint, documents: Uint8Array[]): Promise<Uint8Array> {
  const read = documents.map(readChromiumPdf);
  // Only a file outside Chromium's plain shape needs the full parser, and it is kept for the merge.
  const loaded = new Map<Uint8Array, PDFDocument>();
  const pageCount = async (bytes: Uint8Array, i: number) => {
    const fast = read[i];
    if (fast) return fast.pages.length;
    const document = await PDFDocument.load(bytes, { updateMetadata: false });
    loaded.set(bytes, document);
    return document.getPageCount();
  };
  const documentPages = await Promise.all(documents.map(pageCount));
  const front = await pdf.dossierFrontMatter(model, documentPages);
  const frontRead = readChromiumPdf(front.bytes);
  const frontPages = frontRead?.pages.length ?? (await PDFDocument.load(front.bytes, { updateMetadata: false })).getPageCount();
  const entry = (i: number) => `${model.toc[i]!.number}. ${model.toc[i]!.title}`;
  const parts: Part[] = [
    { bytes: front.bytes, pages: range(0, front.leadingPages) },
    ...documents.map((bytes, i) => ({ bytes, pages: range(0, documentPages[i]!), title: entry(i), isOutlineKept: true })),
    { bytes: front.bytes, pages: range(front.leadingPages, frontPages), title: entry(model.toc.length - 1) },
  ];
  if (frontRead && read.every((r) => r !== null)) {
    const pdfs = [frontRead, ...read, frontRead];
    const merged = mergeChromiumPdfs(parts.map((part, i) => ({ ...part, pdf: pdfs[i]! })));
    if (merged) return merged;
  }
  return mergeWithPdfLib(parts, loaded);
}
