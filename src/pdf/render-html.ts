// Handlebars templates to print-ready HTML: pure, no browser; one template per document type.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, basename, relative } from 'node:path';
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import type { Section } from '../documents/document-view.ts';

export interface TocEntry {
  number: number;
  title: string;
  anchor: string;
  /** Filled in after the first layout pass; blank until then. */
  page: number | string;
}

export interface PrintFrame {
  locale: 'en' | 'ru';
  title: string;
  kicker: string;
  client: string;
  facts: { label: string; value: string }[];
  statusLabel: string;
  status: string;
  statusClass: 'status-approved' | 'status-draft';
  tocTitle: string;
  toc: TocEntry[];
  words: { empty: string };
  /** Running header and footer: client, document, version, approval status. */
  header: { client: string; document: string; version: string };
  footer: { status: string; pageWord: string };
}

export interface DocumentPrint extends PrintFrame {
  typeId: string;
  sections: (Section & { number: number; anchor: string })[];
}

export interface DossierPrint extends PrintFrame {
  parts: ({ isLog: false; number: number; anchor: string; title: string; meta: string; sections: Section[] } | { isLog: true; number: number; anchor: string; title: string; columns: string[]; rows: string[][]; certificate?: ApprovalCertificate })[];
}

/** The dossier's last page: every approved version by its SHA-256, who approved it and when. */
export interface ApprovalCertificate {
  title: string;
  intro: string;
  columns: string[];
  rows: { document: string; version: string; hash: string; by: string; at: string }[];
}

export interface HtmlRenderer {
  document(model: DocumentPrint): string;
  dossier(model: DossierPrint): string;
  stageReport(model: DocumentPrint): string;
}

/** A CSS string literal holding any text: every character but letters, digits and spaces escaped, so none ends it. */
export function cssString(text: string): string {
  return `"${[...text].map((c) => (/[\p{L}\p{N} ]/u.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `)).join('')}"`;
}

/**
 * The running header and footer as CSS page-margin boxes (styled in print.css): Chromium lays them out
 * with the pages, where header and footer templates cost a separate layout for every printed page.
 */
function pageMarks(frame: PrintFrame): string {
  const { client, document, version } = frame.header;
  const { status, pageWord } = frame.footer;
  return `@page {
  @top-left { content: ${cssString(client)}; }
  @top-right { content: ${cssString(version ? `${document} · ${version}` : document)}; }
  @bottom-left { content: ${cssString(status)}; }
  @bottom-right { content: ${cssString(`${pageWord} `)} counter(page) " / " counter(pages); }
}`;
}

export function createHtmlRenderer(dir: string): HtmlRenderer {
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  for (const file of readdirSync(join(dir, 'partials'))) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(dir, 'partials', file), 'utf8'));
  }
  const css = readFileSync(join(dir, 'print.css'), 'utf8');
  const compile = (file: string) => hbs.compile(readFileSync(join(dir, file), 'utf8'), { strict: false });
  const byType = new Map<string, HandlebarsTemplateDelegate>();
  const docs = join(dir, 'documents');
  for (const file of readdirSync(docs)) byType.set(basename(file, '.hbs'), compile(join('documents', file)));
  const fallback = byType.get('default');
  if (!fallback || !existsSync(join(dir, 'dossier.hbs'))) throw new Error(`templates missing in ${dir}`);
  const dossier = compile('dossier.hbs');
  const stageReport = compile('stage-report.hbs');
  const styles = (model: PrintFrame) => `${css}\n${pageMarks(model)}`;
  return {
    document: (model) => (byType.get(model.typeId) ?? fallback)({ ...model, css: styles(model) }),
    dossier: (model) => dossier({ ...model, css: styles(model) }),
    stageReport: (model) => stageReport({ ...model, css: styles(model) }),
  };
}

/** A hash of every template file: a new template makes earlier prints stale. */
export function hashTemplates(dir: string): string {
  const hash = createHash('sha256');
  const walk = (folder: string) => {
    for (const name of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(folder, name.name);
      if (name.isDirectory()) walk(path);
      else hash.update(relative(dir, path)).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}
