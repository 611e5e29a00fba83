// Reads a PDF's outline (Chromium writes one from the headings) to learn the page each heading landed on.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { outlineOf, type OutlineItem } from './chromium-pdf-reader.ts';

export interface HeadingPage {
  title: string;
  page: number;
}

export async function headingPages(pdf: Uint8Array): Promise<HeadingPage[]> {
  // Chromium's own files are read by slicing (a millisecond); anything else goes through pdf.js.
  const fast = outlineOf(pdf);
  if (fast) {
    const flat: HeadingPage[] = [];
    const walk = (items: OutlineItem[]) => items.forEach((item) => (item.pageIndex >= 0 && flat.push({ title: item.title.trim(), page: item.pageIndex + 1 }), walk(item.children)));
    walk(fast);
    return flat;
  }
  const task = getDocument({ data: pdf.slice(), useSystemFonts: false, disableFontFace: true });
  const doc = await task.promise;
  try {
    const out: HeadingPage[] = [];
    const walk = async (items: Awaited<ReturnType<typeof doc.getOutline>> | null) => {
      for (const item of items ?? []) {
        const dest = typeof item.dest === 'string' ? await doc.getDestination(item.dest) : item.dest;
        const ref = dest?.[0];
        if (ref && typeof ref === 'object') out.push({ title: item.title.trim(), page: (await doc.getPageIndex(ref as never)) + 1 });
        await walk(item.items);
      }
    };
    await walk(await doc.getOutline());
    return out;
  } finally {
    await task.destroy();
  }
}

/** The text of each page, for tests and for checking what a reader will find. */
export async function pageTexts(pdf: Uint8Array): Promise<string[]> {
  const task = getDocument({ data: pdf.slice(), disableFontFace: true });
  const doc = await task.promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    }
    return pages;
  } finally {
    await task.destroy();
  }
}
