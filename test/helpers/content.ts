// Valid content for any document type, built from its field definitions, with a tag to find it again.
import { readdirSync } from 'node:fs';
import type { DocumentType, FieldDefinition, ColumnDefinition } from '../../src/methodology/methodology.schema.ts';

function scalar(def: Pick<ColumnDefinition, 'type' | 'options'> & { min?: number; max?: number }, tag: string, i: number, moduleIds: string[] = []): unknown {
  switch (def.type) {
    case 'trainingModule':
      return moduleIds[i % Math.max(moduleIds.length, 1)] ?? 'no-module';
    case 'number':
      return Math.min(def.max ?? 1e9, Math.max(def.min ?? 0, 12.5 + i));
    case 'integer':
      return Math.min(def.max ?? 1e9, Math.max(def.min ?? 0, 40 + i));
    case 'date':
      return `2026-12-${String(10 + i).padStart(2, '0')}`;
    case 'url':
      return `https://example.com/${tag}/${i}`;
    case 'select':
      return def.options![i % def.options!.length]!.value;
    case 'boolean':
      return i % 2 === 0;
    default:
      return `${tag} текст ${i}`;
  }
}

function value(field: FieldDefinition, tag: string, moduleIds: string[]): unknown {
  switch (field.type) {
    case 'markdown':
      return `**${tag}** — Кириллица и English.\n\n- пункт один\n- item two`;
    case 'textarea':
      return `${tag} первая строка\n${tag} second line`;
    case 'list':
      return [`${tag} пункт 1`, `${tag} item 2`];
    case 'table': {
      // A computed column takes no value: the document computes it from the others.
      const entered = field.columns!.filter((c) => c.type !== 'achievement');
      const rows = [0, 1].map((i) => Object.fromEntries(entered.map((c) => [c.id, scalar(c, `${tag}-${c.id}`, i, moduleIds)])));
      // A table that must hold the mandatory networks gets one complete row (boxes ticked) for each of them.
      const mandatory = field.mandatoryNetworkIds;
      if (!mandatory || !field.mandatoryNetworkRows) return rows;
      return mandatory.map((network, i) => ({ ...rows[0], ...Object.fromEntries(field.columns!.filter((c) => c.type === 'boolean').map((c) => [c.id, true])), [field.mandatoryNetworkRows!]: network, address: `https://example.com/${tag}/${i}` }));
    }
    default:
      return scalar(field as never, `${tag}-${field.id}`, 0, moduleIds);
  }
}

export function sampleContent(type: DocumentType, tag = type.id, moduleIds: string[] = defaultModuleIds()): Record<string, unknown> {
  return Object.fromEntries(type.fields.map((f) => [f.id, value(f, tag, moduleIds)]));
}

let types: Map<string, DocumentType> | undefined;
let moduleIdsCache: string[] | undefined;

/** The E1T training modules' ids, read once from disk. */
function defaultModuleIds(): string[] {
  moduleIdsCache ??= (() => {
    try {
      return [...readdirSync('methodology/e1t-1/training')].filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
    } catch {
      return [];
    }
  })();
  return moduleIdsCache;
}

/** Valid content for a document type of E1T (or the test variant), tagged so each call can differ. */
export async function contentOf(typeId: string, tag: string = typeId): Promise<Record<string, unknown>> {
  if (!types) {
    const { loadMethodologies } = await import('../../src/methodology/methodology.loader.ts');
    const { METHODOLOGY_DIR, VARIANTS_DIR } = await import('./factories.ts');
    types = new Map();
    // E1T v1 comes last, so a type id it shares with a variant means E1T's type.
    const all = [...loadMethodologies(VARIANTS_DIR).values(), ...loadMethodologies(METHODOLOGY_DIR).values()];
    for (const m of [...all.filter((m) => m.key !== 'e1t@1'), ...all.filter((m) => m.key === 'e1t@1')]) {
      for (const t of m.definition.documentTypes) types.set(t.id, t);
    }
  }
  const type = types.get(typeId);
  if (!type) throw new Error(`no document type ${typeId}`);
  return sampleContent(type, tag);
}
