// What changed since the previous version, marked in place on the document: each field, each line, each table row.
import { diffLines, type DiffLine } from './diff.ts';
import type { Section } from './document-view.ts';

export interface MarkedCell {
  value: string;
  /** The value in the previous version, when it differs. */
  previous: string | null;
}

export interface MarkedRow {
  kind: 'same' | 'added' | 'removed' | 'changed';
  cells: MarkedCell[];
}

export type MarkedSection =
  | { id: string; title: string; kind: 'details'; isChanged: boolean; items: { label: string; value: string; previous: string | null }[] }
  /** Prose (markdown, text, a list) compared line by line; the original renders it when nothing changed. */
  | { id: string; title: string; kind: 'lines'; isChanged: boolean; lines: DiffLine[]; original: Section }
  | { id: string; title: string; kind: 'table'; isChanged: boolean; columns: string[]; rows: MarkedRow[]; notes?: string[] };

/** Lines a prose section compares by: paragraphs, list items, or the rendered markdown's blocks as text. */
function proseLines(s: Section): string[] {
  switch (s.kind) {
    case 'markdown':
      return s.html.replace(/<\/(p|li|h\d|blockquote|pre)>/g, '\n').replace(/<[^>]+>/g, '').split('\n').map((l) => decodeEntities(l.trim())).filter(Boolean);
    case 'text':
      return s.paragraphs.flatMap((p) => p.split('\n')).filter((l) => l.trim());
    case 'list':
      return s.items;
    default:
      return [];
  }
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/**
 * Table rows in order: rows kept as they were, rows added, rows removed. Where some rows go and
 * others come in their place, they pair up in order as the same rows edited, old cells struck through.
 */
function markRows(before: string[][], after: string[][]): MarkedRow[] {
  const key = (row: string[]) => JSON.stringify(row);
  const rowOf = new Map([...before, ...after].map((r) => [key(r), r]));
  const steps = diffLines(before.map(key), after.map(key));
  const plain = (kind: MarkedRow['kind'], text: string): MarkedRow => ({ kind, cells: rowOf.get(text)!.map((value) => ({ value, previous: null })) });
  const rows: MarkedRow[] = [];
  for (let i = 0; i < steps.length; ) {
    if (steps[i]!.kind === 'same') {
      rows.push(plain('same', steps[i++]!.text));
      continue;
    }
    const gone: string[] = [];
    const come: string[] = [];
    for (; i < steps.length && steps[i]!.kind !== 'same'; i++) (steps[i]!.kind === 'removed' ? gone : come).push(steps[i]!.text);
    const paired = Math.min(gone.length, come.length);
    for (let k = 0; k < paired; k++) {
      const old = rowOf.get(gone[k]!)!;
      rows.push({ kind: 'changed', cells: rowOf.get(come[k]!)!.map((value, c) => ({ value, previous: old[c] === value ? null : (old[c] ?? '') })) });
    }
    for (const text of gone.slice(paired)) rows.push(plain('removed', text));
    for (const text of come.slice(paired)) rows.push(plain('added', text));
  }
  return rows;
}

/** The new version's sections, each marked against the same section of the previous version. */
export function markChanges(before: Section[], after: Section[]): MarkedSection[] {
  return after.map((s): MarkedSection => {
    const old = before.find((b) => b.id === s.id && b.kind === s.kind);
    const base = { id: s.id, title: s.title };
    if (s.kind === 'details') {
      const oldItems = old?.kind === 'details' ? old.items : [];
      const items = s.items.map((item) => {
        const was = oldItems.find((o) => o.label === item.label)?.value ?? null;
        return { ...item, previous: was !== null && was !== item.value ? was : null };
      });
      return { ...base, kind: 'details', items, isChanged: items.some((i) => i.previous !== null) };
    }
    if (s.kind === 'table') {
      const rows = markRows(old?.kind === 'table' ? old.rows : [], s.rows);
      return { ...base, kind: 'table', columns: s.columns, rows, isChanged: rows.some((r) => r.kind !== 'same'), ...(s.notes ? { notes: s.notes } : {}) };
    }
    const lines = diffLines(old ? proseLines(old) : [], proseLines(s));
    return { ...base, kind: 'lines', lines, original: s, isChanged: lines.some((l) => l.kind !== 'same') };
  });
}
