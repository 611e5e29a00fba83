// Reads and joins the plain PDFs Chromium writes (classic xref table, direct stream lengths, no object
// streams) by slicing their objects, without decoding any stream: a dossier of stored prints is joined
// in milliseconds where a full PDF parser spends tens of milliseconds per document.
// Anything outside that shape makes these functions return null, and the callers use a full parser.

interface PdfObject {
  /** Where the object's value starts (after "N G obj") in the latin1 text. */
  bodyStart: number;
}

interface ParsedPdf {
  text: string;
  bytes: Uint8Array;
  objects: Map<number, PdfObject>;
  root: number;
  /** Page objects in reading order. */
  pages: number[];
}

export interface OutlineItem {
  title: string;
  /** Zero-based page index, or -1 when the destination cannot be resolved. */
  pageIndex: number;
  children: OutlineItem[];
}

// Strings, dictionary openers, references and the two keywords that end an object's value.
const TOKEN = /\(|<<?|(?<![\w.])(\d+) \d+ R(?![\w.])|(?<![\w/])(stream|endobj)(?!\w)/g;

function skipLiteralString(s: string, i: number): number {
  let depth = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return i + 1;
  }
  throw new Error('unterminated string');
}

/**
 * The value of the object starting at `from`, with every reference passed through `renumber`,
 * skipping strings so that text which merely looks like "12 0 R" is left alone.
 */
function scanValue(s: string, from: number, renumber: (n: number) => number): { text: string; end: number; isStream: boolean } {
  let out = '';
  let last = from;
  const token = TOKEN;
  token.lastIndex = from;
  for (let match = token.exec(s); match; match = token.exec(s)) {
    const [found, ref, keyword] = match;
    if (keyword) return { text: out + s.slice(last, match.index), end: match.index, isStream: keyword === 'stream' };
    if (ref) {
      out += s.slice(last, match.index) + `${renumber(Number(ref))} 0 R`;
      last = token.lastIndex;
    } else if (found === '(') {
      token.lastIndex = skipLiteralString(s, match.index);
    } else if (found === '<') {
      const close = s.indexOf('>', match.index);
      if (close < 0) throw new Error('unterminated hex string');
      token.lastIndex = close + 1;
    }
  }
  throw new Error('object without end');
}

const identity = (n: number) => n;

function valueOf(pdf: ParsedPdf, num: number): string {
  const object = pdf.objects.get(num);
  if (!object) throw new Error(`object ${num} missing`);
  return scanValue(pdf.text, object.bodyStart, identity).text;
}

const refIn = (dict: string, key: string): number | null => {
  const match = new RegExp(`/${key}\\s+(\\d+) \\d+ R`).exec(dict);
  return match ? Number(match[1]) : null;
};

function parse(bytes: Uint8Array): ParsedPdf {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text.slice(-64));
  if (!start) throw new Error('no startxref');
  const xrefAt = Number(start[1]);
  if (!text.startsWith('xref', xrefAt)) throw new Error('not a classic xref table');
  const trailerAt = text.indexOf('trailer', xrefAt);
  const lines = text.slice(xrefAt + 4, trailerAt).trim().split(/\s*\n\s*/);
  const objects = new Map<number, PdfObject>();
  for (let i = 0; i < lines.length; ) {
    const [first, count] = lines[i++]!.split(/\s+/).map(Number);
    for (let n = 0; n < count!; n++, i++) {
      const [offset, , kind] = lines[i]!.split(/\s+/);
      if (kind !== 'n') continue;
      const header = /^(\d+) (\d+) obj\s*/.exec(text.slice(Number(offset), Number(offset) + 32));
      if (!header || Number(header[1]) !== first! + n) throw new Error('xref offset does not point at its object');
      objects.set(first! + n, { bodyStart: Number(offset) + header[0].length });
    }
  }
  const root = refIn(text.slice(trailerAt), 'Root');
  if (root === null) throw new Error('no root');
  const pdf: ParsedPdf = { text, bytes, objects, root, pages: [] };
  const catalog = valueOf(pdf, root);
  const walk = (num: number, depth: number) => {
    if (depth > 32) throw new Error('page tree too deep');
    const node = valueOf(pdf, num);
    if (/\/Type\s*\/Pages\b/.test(node)) {
      // Inherited attributes would be lost when pages move under another parent.
      if (/\/(Resources|MediaBox|CropBox|Rotate)\b/.test(node)) throw new Error('inherited page attributes');
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node)?.[1] ?? '';
      for (const kid of kids.matchAll(/(\d+) \d+ R/g)) walk(Number(kid[1]), depth + 1);
    } else pdf.pages.push(num);
  };
  const pagesRoot = refIn(catalog, 'Pages');
  if (pagesRoot === null) throw new Error('no page tree');
  walk(pagesRoot, 0);
  return pdf;
}

function tryParse(bytes: Uint8Array): ParsedPdf | null {
  try {
    return parse(bytes);
  } catch {
    return null;
  }
}

function decodeTitle(dict: string): string {
  const hex = /\/Title\s*<([0-9A-Fa-f\s]*)>/.exec(dict);
  if (hex) {
    const raw = Buffer.from(hex[1]!.replace(/\s/g, ''), 'hex');
    if (raw[0] === 0xfe && raw[1] === 0xff) return raw.subarray(2).swap16().toString('utf16le');
    return raw.toString('latin1');
  }
  const literal = /\/Title\s*\(/.exec(dict);
  if (!literal) return '';
  const from = literal.index + literal[0].length - 1;
  const body = dict.slice(from + 1, skipLiteralString(dict, from) - 1);
  return body.replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) => (/^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e));
}

function readOutline(pdf: ParsedPdf): OutlineItem[] {
  const outlinesRoot = refIn(valueOf(pdf, pdf.root), 'Outlines');
  if (outlinesRoot === null) return [];
  const dests = refIn(valueOf(pdf, pdf.root), 'Dests');
  const named = dests === null ? '' : valueOf(pdf, dests);
  const pageOf = (dict: string): number => {
    let dest = /\/Dest\s*\[\s*(\d+) \d+ R/.exec(dict)?.[1];
    const name = /\/Dest\s*\/([^\s/\[\]<>()]+)/.exec(dict)?.[1];
    if (!dest && name) dest = new RegExp(`/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\[\\s*(\\d+) \\d+ R`).exec(named)?.[1];
    return dest ? pdf.pages.indexOf(Number(dest)) : -1;
  };
  const seen = new Set<number>();
  const items = (first: number | null): OutlineItem[] => {
    const out: OutlineItem[] = [];
    for (let num = first; num !== null && !seen.has(num); ) {
      seen.add(num);
      const dict = valueOf(pdf, num);
      out.push({ title: decodeTitle(dict), pageIndex: pageOf(dict), children: items(refIn(dict, 'First')) });
      num = refIn(dict, 'Next');
    }
    return out;
  };
  return items(refIn(valueOf(pdf, outlinesRoot), 'First'));
}

/** The outline of a Chromium PDF, or null when the file is not in the shape read here. */
export function outlineOf(bytes: Uint8Array): OutlineItem[] | null {
  const pdf = tryParse(bytes);
  if (!pdf) return null;
  try {
    return readOutline(pdf);
  } catch {
    return null;
  }
}

export function pageCountOf(bytes: Uint8Array): number | null {
  return tryParse(bytes)?.pages.length ?? null;
}

export interface MergePart {
  bytes: Uint8Array;
  /** Zero-based pages of this file to take, in order; all of them when absent. */
  pages?: number[];
  /** An outline entry pointing at the part's first page. */
  title?: string;
  /** Whether the part's own outline goes beneath its entry (a printed document's headings). */
  isOutlineKept?: boolean;
}

function hexText(text: string): string {
  return `<FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}>`;
}

/**
 * One PDF of the given parts in order; every object of every part is kept (renumbered), the pages
 * hang from one new page tree, links inside a part keep working, and the outline lists the titled
 * parts. Null when a part is not a plain Chromium PDF.
 */
export function mergeChromiumPdfs(parts: MergePart[]): Uint8Array | null {
  const parsed = parts.map((part) => tryParse(part.bytes));
  if (parsed.some((p) => !p)) return null;
  try {
    return merge(parts, parsed as ParsedPdf[]);
  } catch {
    return null;
  }
}

function merge(parts: MergePart[], pdfs: ParsedPdf[]): Uint8Array {
  // Built as one latin1 string (one character per byte, binary streams included), encoded once.
  const chunks: string[] = [];
  const offsets = new Map<number, number>();
  let length = 0;
  const emit = (chunk: string) => {
    chunks.push(chunk);
    length += chunk.length;
  };
  emit('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  let next = 1;
  const bases = pdfs.map((pdf) => {
    const base = next;
    next += Math.max(0, ...pdf.objects.keys()) + 1;
    return base;
  });
  const pagesRoot = next++;
  const catalog = next++;
  const outlinesRoot = next++;
  const pageRefs: number[] = [];
  const outlineTops: { title: string; page: number; first: number | null; last: number | null; count: number }[] = [];
  const reparent = new Map<number, number>();

  pdfs.forEach((pdf, p) => {
    const base = bases[p]!;
    const renumber = (n: number) => n + base;
    const catalogText = valueOf(pdf, pdf.root);
    const named = refIn(catalogText, 'Dests');
    const destsText = named === null ? '' : valueOf(pdf, named);
    const taken = (parts[p]!.pages ?? pdf.pages.map((_, i) => i)).map((i) => pdf.pages[i]!).filter((n) => n !== undefined);
    const takenSet = new Set(taken);
    pageRefs.push(...taken.map(renumber));
    // Page tree nodes, the catalog and the information dictionary are replaced by the merged ones.
    const skipped = new Set<number>([pdf.root]);
    const info = refIn(pdf.text.slice(pdf.text.lastIndexOf('trailer')), 'Info');
    if (info !== null) skipped.add(info);
    const title = parts[p]!.title;
    if (title !== undefined && taken.length) {
      const ownOutline = parts[p]!.isOutlineKept ? refIn(catalogText, 'Outlines') : null;
      const ownDict = ownOutline === null ? '' : valueOf(pdf, ownOutline);
      const first = refIn(ownDict, 'First');
      const last = refIn(ownDict, 'Last');
      const item = next++;
      if (ownOutline !== null) skipped.add(ownOutline);
      // The part's own top-level headings now hang under the part's entry.
      for (let num = first; num !== null; num = refIn(valueOf(pdf, num), 'Next')) {
        if (reparent.has(num + base)) break;
        reparent.set(num + base, item);
      }
      outlineTops.push({ title, page: taken[0]! + base, first: first === null ? null : first + base, last: last === null ? null : last + base, count: 0 });
      (outlineTops.at(-1) as { item?: number }).item = item;
    }
    for (const [num, object] of pdf.objects) {
      if (skipped.has(num)) continue;
      const scanned = scanValue(pdf.text, object.bodyStart, renumber);
      let value = scanned.text;
      if (/\/Type\s*\/Pages\b/.test(value)) continue;
      if (/\/Type\s*\/Page\b/.test(value)) {
        if (!takenSet.has(num)) continue;
        value = value.replace(/\/Parent\s+\d+ 0 R/, `/Parent ${pagesRoot} 0 R`);
      }
      const newParent = reparent.get(num + base);
      if (newParent !== undefined) value = value.replace(/\/Parent\s+\d+ 0 R/, `/Parent ${newParent} 0 R`);
      // Named destinations collide between parts: links point at the explicit place instead.
      value = value.replace(/\/Dest\s*\/([^\s/\[\]<>()]+)/g, (whole, name: string) => {
        const dest = new RegExp(`/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*(\\[[^\\]]*\\])`).exec(destsText)?.[1];
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
  });

  const write = (num: number, value: string) => {
    offsets.set(num, length);
    emit(`${num} 0 obj\n${value}\nendobj\n`);
  };
  write(pagesRoot, `<</Type /Pages\n/Count ${pageRefs.length}\n/Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}]>>`);
  const items = outlineTops as (typeof outlineTops[number] & { item: number })[];
  items.forEach((entry, i) => {
    const links = [
      `/Parent ${outlinesRoot} 0 R`,
      i > 0 ? `/Prev ${items[i - 1]!.item} 0 R` : '',
      i < items.length - 1 ? `/Next ${items[i + 1]!.item} 0 R` : '',
      entry.first !== null ? `/First ${entry.first} 0 R\n/Last ${entry.last} 0 R` : '',
    ].filter(Boolean);
    write(entry.item, `<</Title ${hexText(entry.title)}\n/Dest [${entry.page} 0 R /XYZ null null null]\n${links.join('\n')}>>`);
  });
  write(outlinesRoot, items.length ? `<</Type /Outlines\n/First ${items[0]!.item} 0 R\n/Last ${items.at(-1)!.item} 0 R\n/Count ${items.length}>>` : '<</Type /Outlines\n/Count 0>>');
  write(catalog, `<</Type /Catalog\n/Pages ${pagesRoot} 0 R\n/Outlines ${outlinesRoot} 0 R${items.length ? '\n/PageMode /UseOutlines' : ''}>>`);

  const size = Math.max(...offsets.keys()) + 1;
  const xrefAt = length;
  let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
  for (let n = 1; n < size; n++) {
    const at = offsets.get(n);
    xref += at === undefined ? '0000000000 65535 f \n' : `${String(at).padStart(10, '0')} 00000 n \n`;
  }
  emit(`${xref}trailer\n<</Size ${size}\n/Root ${catalog} 0 R>>\nstartxref\n${xrefAt}\n%%EOF\n`);
  return new Uint8Array(Buffer.from(chunks.join(''), 'latin1'));
}
