// Reads the plain PDFs Chromium writes (classic xref table, direct stream lengths, no object streams)
// by slicing their objects, without decoding any stream: a millisecond where a full parser takes tens.
// Anything outside that shape reads as null, and the callers use a full parser.

export interface PdfObject {
  /** Where the object's value starts (after "N G obj") in the latin1 text. */
  bodyStart: number;
}

/** One PDF read once: what joining it into another and reading its outline need. */
export interface ChromiumPdf {
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

export function skipLiteralString(s: string, i: number): number {
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
export function scanValue(s: string, from: number, renumber: (n: number) => number): { text: string; end: number; isStream: boolean } {
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

export function valueOf(pdf: ChromiumPdf, num: number): string {
  const object = pdf.objects.get(num);
  if (!object) throw new Error(`object ${num} missing`);
  return scanValue(pdf.text, object.bodyStart, identity).text;
}

export const refIn = (dict: string, key: string): number | null => {
  const match = new RegExp(`/${key}\\s+(\\d+) \\d+ R`).exec(dict);
  return match ? Number(match[1]) : null;
};

function parse(bytes: Uint8Array): ChromiumPdf {
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
  const pdf: ChromiumPdf = { text, bytes, objects, root, pages: [] };
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

/** The file read once, or null when it is not in the shape read here. */
export function readChromiumPdf(bytes: Uint8Array): ChromiumPdf | null {
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

function readOutline(pdf: ChromiumPdf): OutlineItem[] {
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
  const pdf = readChromiumPdf(bytes);
  if (!pdf) return null;
  try {
    return readOutline(pdf);
  } catch {
    return null;
  }
}
