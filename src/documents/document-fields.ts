// A document type's fields turned into a validator, and a posted form turned into content: pure.
import { z } from 'zod';
import type { ColumnDefinition, DocumentType, FieldDefinition } from '../methodology/methodology.schema.ts';
import { workingDate, WEB_ADDRESS } from '../validation.ts';

export type Content = Record<string, unknown>;
type Scalar = ColumnDefinition['type'];

export const MAX_TEXT = 500;
export const MAX_LONG = 20_000;
const MAX_ROWS = 200;
/** The per-row checkbox "remove this row" of a table in the editor: such a row is left out of the content. */
export const REMOVE_ROW = '_remove';

export interface FieldContext {
  /** The methodology's training modules, for trainingModule columns. */
  moduleIds: string[];
}

function scalarSchema(type: Scalar, def: { required?: boolean; options?: { value: string }[]; min?: number; max?: number }, context: FieldContext) {
  let schema: z.ZodType;
  switch (type) {
    case 'number':
    case 'integer': {
      let n = z.number('must be a number');
      if (type === 'integer') n = n.int('must be a whole number');
      if (def.min !== undefined) n = n.min(def.min, `must be at least ${def.min}`);
      if (def.max !== undefined) n = n.max(def.max, `must be at most ${def.max}`);
      schema = n;
      break;
    }
    case 'date':
      // A training deadline in a programme row becomes a task deadline, so the same working range applies.
      schema = workingDate('must be a date such as 2026-12-31');
      break;
    case 'url':
      schema = z.url({ protocol: WEB_ADDRESS, message: 'must be a web address starting with http:// or https://' }).max(MAX_TEXT);
      break;
    case 'select':
      // The message names no stored values: the person chose from labels, and the values are internal.
      schema = z.enum((def.options ?? []).map((o) => o.value) as [string, ...string[]], 'choose one of the options offered');
      break;
    case 'boolean':
      schema = z.boolean('must be yes or no');
      break;
    case 'trainingModule':
      schema = z.enum(context.moduleIds as [string, ...string[]], 'must be one of the training modules');
      break;
    case 'achievement':
      // Computed from the row whenever it is shown: a value sent for it would contradict its own row.
      schema = z.undefined('is computed from the other columns of its row and cannot be entered');
      break;
    default:
      schema = z.string('must be text').trim().max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`);
  }
  return def.required ? schema : schema.optional();
}

function fieldSchema(field: FieldDefinition, context: FieldContext): z.ZodType {
  switch (field.type) {
    case 'textarea':
    case 'markdown': {
      const text = z.string('must be text').max(MAX_LONG, `must be at most ${MAX_LONG} characters`);
      return field.required ? text.refine((v) => v.trim().length > 0, 'is required') : text.optional();
    }
    case 'list': {
      const item = z.string('must be text').trim().min(1, 'an item must not be empty').max(MAX_TEXT, `each item must be at most ${MAX_TEXT} characters`);
      const list = z.array(item, 'must be a list').max(MAX_ROWS, `at most ${MAX_ROWS} items`);
      return field.required ? list.min(1, 'needs at least one item') : list.optional();
    }
    case 'table': {
      const row = z.strictObject(Object.fromEntries((field.columns ?? []).map((c) => [c.id, scalarSchema(c.type, c, context)])), 'each row must hold only the columns of this table');
      const rows = z.array(row, 'must be a table').max(MAX_ROWS, `at most ${MAX_ROWS} rows`).superRefine((value, ctx) => {
        keepMandatoryRows(field, value, ctx);
        keepBaselineRow(field, value, ctx);
      });
      return field.required ? rows.min(1, 'needs at least one row') : rows.optional();
    }
    default: {
      const schema = scalarSchema(field.type as Scalar, field, context);
      return field.required ? schema.refine((v) => v !== '', 'is required') : schema;
    }
  }
}

/** A table of accounts keeps a row for each network the methodology makes mandatory. */
function keepMandatoryRows(field: FieldDefinition, rows: Content[], ctx: z.RefinementCtx): void {
  const columnId = field.mandatoryNetworkRows;
  if (!columnId || !field.mandatoryNetworkIds) return;
  const options = field.columns?.find((c) => c.id === columnId)?.options ?? [];
  for (const network of field.mandatoryNetworkIds) {
    if (rows.some((r) => r[columnId] === network)) continue;
    const name = options.find((o) => o.value === network)?.label.en ?? network;
    ctx.addIssue({ code: 'custom', message: `the network "${name}" is mandatory in this methodology: its row cannot be removed` });
  }
}

/** A table compared against the business itself keeps at least one row marked as the business's own. */
function keepBaselineRow(field: FieldDefinition, rows: Content[], ctx: z.RefinementCtx): void {
  const columnId = field.baselineRow;
  if (!columnId || rows.some((r) => r[columnId] === true)) return;
  // The path names the column, so the message says which box, in the reader's language.
  ctx.addIssue({ code: 'custom', path: [columnId], message: 'must be ticked in at least one row: the business itself is the baseline of the comparison' });
}

/**
 * An empty baseline table starts with a row for the business itself, its box ticked, for the
 * consultant to name. A table with rows is left as it is: a row the person unticked stays unticked,
 * and the refusal says what is missing.
 */
export function withBaselineRow(type: DocumentType, content: Content): Content {
  const result: Content = { ...content };
  for (const field of type.fields) {
    const columnId = field.baselineRow;
    const rows = Array.isArray(content[field.id]) ? (content[field.id] as Content[]) : [];
    if (columnId && !rows.length) result[field.id] = [{ [columnId]: true }];
  }
  return result;
}

/** The editor's rows: as they are, with a row added at the end for each mandatory network that has none. */
export function withMandatoryRows(type: DocumentType, content: Content): Content {
  const result: Content = { ...content };
  for (const field of type.fields) {
    const columnId = field.mandatoryNetworkRows;
    if (!columnId || !field.mandatoryNetworkIds) continue;
    const rows = Array.isArray(content[field.id]) ? (content[field.id] as Content[]) : [];
    const missing = field.mandatoryNetworkIds.filter((id) => !rows.some((r) => r[columnId] === id)).map((id) => ({ [columnId]: id }));
    if (missing.length) result[field.id] = [...rows, ...missing];
  }
  return result;
}

/** Whether the editor must offer no "remove" box for row i: the first row of a mandatory network (a second one may go). */
export function isMandatoryRow(field: FieldDefinition, rows: Content[], i: number): boolean {
  const columnId = field.mandatoryNetworkRows;
  const network = rows[i]?.[columnId ?? ''];
  return !!columnId && typeof network === 'string' && !!field.mandatoryNetworkIds?.includes(network) && rows.findIndex((r) => r[columnId] === network) === i;
}

/** Validates content against its type: unknown fields are refused, every message names its place. */
export function contentSchemaFor(type: DocumentType, context: FieldContext = { moduleIds: [] }) {
  return z.strictObject(Object.fromEntries(type.fields.map((f) => [f.id, fieldSchema(f, context)])), 'the document holds only the fields of its type');
}

/** "f.kpis.2.target" style form names; an empty field is left out, an empty table row dropped. */
export function formToContent(type: DocumentType, form: Record<string, unknown>): Content {
  const str = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
  const content: Content = {};
  for (const field of type.fields) {
    const name = `f.${field.id}`;
    if (field.type === 'table') {
      const rows: Content[] = [];
      for (let i = 0; i < MAX_ROWS + 1; i++) {
        if (!(field.columns ?? []).some((c) => `${name}.${i}.${c.id}` in form)) break;
        if (`${name}.${i}.${REMOVE_ROW}` in form) continue;
        const row: Content = {};
        for (const column of (field.columns ?? []).filter((c) => c.type !== 'achievement')) {
          const value = readScalar(column.type, str(`${name}.${i}.${column.id}`), `${name}.${i}.${column.id}` in form);
          if (value !== undefined) row[column.id] = value;
        }
        // A row with only unticked boxes is an empty row too.
        if (Object.values(row).some((v) => v !== false)) rows.push(row);
      }
      if (rows.length) content[field.id] = rows;
    } else if (field.type === 'list') {
      const items = str(name).split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
      if (items.length) content[field.id] = items;
    } else if (field.type === 'textarea' || field.type === 'markdown') {
      const text = str(name).replace(/\r\n/g, '\n');
      if (text.trim()) content[field.id] = text;
    } else {
      const value = readScalar(field.type as Scalar, str(name), name in form);
      if (value !== undefined) content[field.id] = value;
    }
  }
  return content;
}

/** A limit to show beside a field before anyone submits: a catalog key under "limits." and its values. */
export interface FieldLimit {
  key: 'required' | 'maxChars' | 'itemChars' | 'number' | 'integer' | 'range' | 'atLeast' | 'atMost' | 'date' | 'url';
  params?: Record<string, number>;
}

/** What the validator above will insist on, in the same numbers, so the form can say it first. */
export function limitsOf(def: { type: string; required?: boolean; min?: number; max?: number }): FieldLimit[] {
  const limits: FieldLimit[] = def.required ? [{ key: 'required' }] : [];
  if (def.type === 'number' || def.type === 'integer') {
    limits.push({ key: def.type });
    if (def.min !== undefined && def.max !== undefined) limits.push({ key: 'range', params: { min: def.min, max: def.max } });
    else if (def.min !== undefined) limits.push({ key: 'atLeast', params: { min: def.min } });
    else if (def.max !== undefined) limits.push({ key: 'atMost', params: { max: def.max } });
  } else if (def.type === 'date') limits.push({ key: 'date' });
  else if (def.type === 'url') limits.push({ key: 'url' });
  else if (def.type === 'text') limits.push({ key: 'maxChars', params: { count: MAX_TEXT } });
  else if (def.type === 'list') limits.push({ key: 'itemChars', params: { count: MAX_TEXT } });
  else if (['textarea', 'markdown'].includes(def.type)) limits.push({ key: 'maxChars', params: { count: MAX_LONG } });
  return limits;
}

/** The maxlength attribute a text input or area carries, if any. */
export function maxLengthOf(type: string): number | null {
  if (['text', 'url'].includes(type)) return MAX_TEXT;
  if (['textarea', 'markdown'].includes(type)) return MAX_LONG;
  return null;
}

/** Numbers stay strings when they are not numbers, so the validator can say so. */
function readScalar(type: Scalar, raw: string, isPresent: boolean): unknown {
  if (type === 'boolean') return isPresent && raw !== '' && raw !== 'false';
  const text = raw.trim();
  if (!text) return undefined;
  if (type === 'number' || type === 'integer') {
    const n = Number(text.replace(',', '.').replace(/\s/g, ''));
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

/** Field and column labels for messages: "Competitors, row 2, Followers". */
export function describePath(type: DocumentType, path: PropertyKey[], locale: 'en' | 'ru'): string {
  const field = type.fields.find((f) => f.id === path[0]);
  if (!field) return String(path[0] ?? '');
  const parts = [field.label[locale]];
  if (typeof path[1] === 'number') parts.push(locale === 'ru' ? `строка ${path[1] + 1}` : `row ${path[1] + 1}`);
  // A problem of a whole column (no row number) names the column right after the field.
  const column = field.columns?.find((c) => c.id === (typeof path[1] === 'string' ? path[1] : path[2]));
  if (column) parts.push(column.label[locale]);
  return parts.join(', ');
}
