// Joins plain Chromium PDFs (read by chromium-pdf-reader.ts) into one by copying their objects as they
// are, renumbered, without decoding any stream: a dossier of stored prints is joined in milliseconds.
import { refIn, scanValue, valueOf, type ChromiumPdf } from './chromium-pdf-reader.ts';

export interface MergePart {
  pdf: ChromiumPdf;
  /** Zero-based pages of this file to take, in order; all of them when absent. */
  pages?: number[];
  /** An outline entry pointing at the part's first page. */
  title?: string;
  /** Whether the part's own outline goes beneath its entry (a printed document's headings). */
  isOutlineKept?: boolean;
}

interface OutlineTop {
  title: string;
  item: number;
  page: number;
  first: number | null;
  last: number | null;
}

function hexText(text: string): string {
  return `<FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * One PDF of the given parts in order; the pages hang from one new page tree, links inside a part keep
 * working, and the outline lists the titled parts. Parts may take different pages of the same file
 * (the dossier's front matter before the documents and its log after them): each file's objects are
 * written once. Null when the parts cannot be joined this way.
 */
export function mergeChromiumPdfs(parts: MergePart[]): Uint8Array | null {
  try {
    return merge(parts);
  } catch {
    return null;
  }
}

function merge(parts: MergePart[]): Uint8Array {
  const sources = [...new Set(parts.map((part) => part.pdf))];
  let next = 1;
  const bases = new Map<ChromiumPdf, number>();
  for (const pdf of sources) {
    bases.set(pdf, next);
    next += Math.max(0, ...pdf.objects.keys()) + 1;
  }
  const pagesRoot = next++;
  const catalog = next++;
  const outlinesRoot = next++;
  const pageRefs: number[] = [];
  const taken = new Map(sources.map((pdf) => [pdf, new Set<number>()]));
  // Page tree nodes, the catalog and the information dictionary are replaced by the merged ones.
  const skipped = new Map(
    sources.map((pdf) => {
      const info = refIn(pdf.text.slice(pdf.text.lastIndexOf('trailer')), 'Info');
      return [pdf, new Set<number>(info === null ? [pdf.root] : [pdf.root, info])];
    }),
  );
  const tops: OutlineTop[] = [];
  /** New object number of an outline heading → its new parent, the part's own entry. */
  const reparent = new Map<number, number>();

  for (const part of parts) {
    const { pdf } = part;
    const base = bases.get(pdf)!;
    const pages = (part.pages ?? pdf.pages.map((_, i) => i)).map((i) => pdf.pages[i]).filter((n) => n !== undefined);
    for (const page of pages) {
      if (taken.get(pdf)!.has(page)) throw new Error('a page taken twice');
      taken.get(pdf)!.add(page);
      pageRefs.push(page + base);
    }
    if (part.title === undefined || !pages.length) continue;
    const ownOutline = part.isOutlineKept ? refIn(valueOf(pdf, pdf.root), 'Outlines') : null;
    const ownDict = ownOutline === null ? '' : valueOf(pdf, ownOutline);
    if (ownOutline !== null) {
      if (skipped.get(pdf)!.has(ownOutline)) throw new Error('an outline kept twice');
      skipped.get(pdf)!.add(ownOutline);
    }
    const first = refIn(ownDict, 'First');
    const last = refIn(ownDict, 'Last');
    const item = next++;
    // The part's own top-level headings now hang under the part's entry.
    for (let num = first; num !== null; num = refIn(valueOf(pdf, num), 'Next')) {
      if (reparent.has(num + base)) break;
      reparent.set(num + base, item);
    }
    tops.push({ title: part.title, item, page: pages[0]! + base, first: first === null ? null : first + base, last: last === null ? null : last + base });
  }

  // Built as one latin1 string (one character per byte, binary streams included), encoded once.
  const chunks: string[] = [];
  const offsets = new Map<number, number>();
  let length = 0;
  const emit = (chunk: string) => {
    chunks.push(chunk);
    length += chunk.length;
  };
  emit('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  for (const pdf of sources) emitObjects(pdf, bases.get(pdf)!);

  function emitObjects(pdf: ChromiumPdf, base: number): void {
    const renumber = (n: number) => n + base;
    const named = refIn(valueOf(pdf, pdf.root), 'Dests');
    const destsText = named === null ? '' : valueOf(pdf, named);
    const takenPages = taken.get(pdf)!;
    const skip = skipped.get(pdf)!;
    for (const [num, object] of pdf.objects) {
      if (skip.has(num)) continue;
      const scanned = scanValue(pdf.text, object.bodyStart, renumber);
      let value = scanned.text;
      if (/\/Type\s*\/Pages\b/.test(value)) continue;
      if (/\/Type\s*\/Page\b/.test(value)) {
        if (!takenPages.has(num)) continue;
        value = value.replace(/\/Parent\s+\d+ 0 R/, `/Parent ${pagesRoot} 0 R`);
      }
      const newParent = reparent.get(num + base);
      if (newParent !== undefined) value = value.replace(/\/Parent\s+\d+ 0 R/, `/Parent ${newParent} 0 R`);
      // Named destinations collide between files: links point at the explicit place instead.
      value = value.replace(/\/Dest\s*\/([^\s/\[\]<>()]+)/g, (whole, name: string) => {
        const dest = new RegExp(`/${escapeRegExp(name)}\\s*(\\[[^\\]]*\\])`).exec(destsText)?.[1];
        return dest ? `/Dest ${dest.replace(/(\d+) (\d+) R/g, (_, n: string) => `${Number(n) + base} 0 R`)}` : whole;
      });
      offsets.set(num + base, length);
      if (!scanned.isStream) {
        emit(`${num + base} 0 obj\n${value}endobj\n`);
        continue;
      }
      const size = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(value);
      if (!size) throw new Error('stream without a direct length');
      const eol = pdf.text.startsWith('\r\n', scanned.end + 6) ? 2 : 1;
      const dataStart = scanned.end + 6 + eol;
      emit(`${num + base} 0 obj\n${value}stream\n`);
      emit(pdf.text.slice(dataStart, dataStart + Number(size[1])));
      emit('\nendstream\nendobj\n');
    }
  }

  const write = (num: number, value: string) => {
    offsets.set(num, length);
    emit(`${num} 0 obj\n${value}\nendobj\n`);
  };
  write(pagesRoot, `<</Type /Pages\n/Count ${pageRefs.length}\n/Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}]>>`);
  tops.forEach((entry, i) => {
    const links = [
      `/Parent ${outlinesRoot} 0 R`,
      i > 0 ? `/Prev ${tops[i - 1]!.item} 0 R` : '',
      i < tops.length - 1 ? `/Next ${tops[i + 1]!.item} 0 R` : '',
      entry.first !== null ? `/First ${entry.first} 0 R\n/Last ${entry.last} 0 R` : '',
    ].filter(Boolean);
    write(entry.item, `<</Title ${hexText(entry.title)}\n/Dest [${entry.page} 0 R /XYZ null null null]\n${links.join('\n')}>>`);
  });
  write(outlinesRoot, tops.length ? `<</Type /Outlines\n/First ${tops[0]!.item} 0 R\n/Last ${tops.at(-1)!.item} 0 R\n/Count ${tops.length}>>` : '<</Type /Outlines\n/Count 0>>');
  write(catalog, `<</Type /Catalog\n/Pages ${pagesRoot} 0 R\n/Outlines ${outlinesRoot} 0 R${tops.length ? '\n/PageMode /UseOutlines' : ''}>>`);

  const size = Math.max(...offsets.keys()) + 1;
  const xrefAt = length;
  const xref = ['xref', `0 ${size}`, '0000000000 65535 f '];
  for (let n = 1; n < size; n++) {
    const at = offsets.get(n);
    xref.push(at === undefined ? '0000000000 65535 f ' : `${String(at).padStart(10, '0')} 00000 n `);
  }
  emit(`${xref.join('\n')}\ntrailer\n<</Size ${size}\n/Root ${catalog} 0 R>>\nstartxref\n${xrefAt}\n%%EOF\n`);
  return new Uint8Array(Buffer.from(chunks.join(''), 'latin1'));
}
