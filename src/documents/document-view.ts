// A document's content as readers see it: labelled, formatted sections, the same for the page and the PDF.
import type { DocumentType, FieldDefinition, ColumnDefinition } from '../methodology/methodology.schema.ts';
import { renderMarkdown } from './markdown.ts';
import { formatDateWith, formatNumberWith } from '../intl-formats.ts';
import { achievementOf, achievementRule, formatPercent } from './achievement.ts';

const LONG_DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };

type Locale = 'en' | 'ru';

export type Section =
  | { id: string; title: string; kind: 'details'; items: { label: string; value: string }[] }
  | { id: string; title: string; kind: 'markdown'; html: string }
  | { id: string; title: string; kind: 'text'; paragraphs: string[] }
  | { id: string; title: string; kind: 'list'; items: string[] }
  | { id: string; title: string; kind: 'table'; columns: string[]; rows: string[][]; notes?: string[] };

const words = {
  en: { yes: 'Yes', no: 'No', details: 'Details', empty: '—' },
  ru: { yes: 'Да', no: 'Нет', details: 'Основные сведения', empty: '—' },
};

/** Titles of the methodology's training modules, for trainingModule values. */
export type ModuleTitles = { id: string; title: { en: string; ru: string } }[];

export function formatValue(def: Pick<ColumnDefinition, 'type' | 'options'>, value: unknown, locale: Locale, modules: ModuleTitles = []): string {
  if (value === undefined || value === null || value === '') return words[locale].empty;
  switch (def.type) {
    case 'boolean':
      return value ? words[locale].yes : words[locale].no;
    case 'number':
    case 'integer':
      return typeof value === 'number' ? formatNumberWith(locale, value) : String(value);
    case 'date': {
      const d = new Date(`${String(value)}T00:00:00Z`);
      return Number.isNaN(d.getTime()) ? String(value) : formatDateWith(locale, LONG_DATE, d);
    }
    case 'select':
      return def.options?.find((o) => o.value === value)?.label[locale] ?? String(value);
    case 'trainingModule':
      return modules.find((m) => m.id === value)?.title[locale] ?? String(value);
    default:
      return String(value);
  }
}

const isScalar = (f: FieldDefinition) => !['markdown', 'textarea', 'list', 'table'].includes(f.type);

/** Scalars gather in one "details" section first; every other field is a section of its own. */
export function documentSections(type: DocumentType, content: Record<string, unknown>, locale: Locale, modules: ModuleTitles = []): Section[] {
  const sections: Section[] = [];
  const scalars = type.fields.filter(isScalar);
  if (scalars.length) {
    sections.push({
      id: 'details',
      title: words[locale].details,
      kind: 'details',
      items: scalars.map((f) => ({ label: f.label[locale], value: formatValue(f as never, content[f.id], locale, modules) })),
    });
  }
  for (const field of type.fields.filter((f) => !isScalar(f))) {
    const value = content[field.id];
    const base = { id: field.id, title: field.label[locale] };
    if (field.type === 'markdown') sections.push({ ...base, kind: 'markdown', html: typeof value === 'string' ? renderMarkdown(value) : '' });
    else if (field.type === 'textarea') sections.push({ ...base, kind: 'text', paragraphs: typeof value === 'string' ? value.split(/\n{2,}/) : [] });
    else if (field.type === 'list') sections.push({ ...base, kind: 'list', items: Array.isArray(value) ? value.map(String) : [] });
    else {
      const columns = field.columns ?? [];
      const rows = Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
      const cell = (c: ColumnDefinition, r: Record<string, unknown>) =>
        c.type === 'achievement' ? formatPercent(achievementOf(c, r), locale, words[locale].empty) : formatValue(c, r[c.id], locale, modules);
      // A computed column says how it is computed, so a reader of the print can check every figure.
      const notes = columns.filter((c) => c.type === 'achievement').map((c) => achievementRule[locale](c.label[locale]));
      sections.push({ ...base, kind: 'table', columns: columns.map((c) => c.label[locale]), rows: rows.map((r) => columns.map((c) => cell(c, r))), ...(notes.length ? { notes } : {}) });
    }
  }
  return sections;
}
