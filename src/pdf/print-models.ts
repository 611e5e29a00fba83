// What goes on the printed page: cover facts, contents, sections, running header and footer. Pure.
import type { DocumentType } from '../methodology/methodology.schema.ts';
import { documentSections, type Section, type ModuleTitles } from '../documents/document-view.ts';
import type { ApprovalCertificate, DocumentPrint, DossierPrint, PrintFrame, TocEntry } from './render-html.ts';

type Locale = 'en' | 'ru';

const words = {
  en: {
    document: 'Project document',
    dossier: 'Project dossier',
    stageReport: 'Stage report',
    contents: 'Contents',
    client: 'Client',
    version: 'Version',
    author: 'Prepared by',
    status: 'Status',
    approvedBy: (name: string, date: string) => `Approved by ${name} on ${date}`,
    draft: 'Draft',
    notApproved: 'Not approved',
    page: 'Page',
    empty: '—',
    generated: 'Generated',
    methodology: 'Methodology',
    approvalLog: 'Approval log',
    logColumns: ['Document', 'Version', 'Content hash', 'Decision', 'By', 'Date'],
    approved: 'approved',
    changesRequested: 'changes requested',
    documents: 'Documents in this dossier',
    certificate: 'Approval certificate',
    certificateIntro: 'Each version below was approved by the person named, at the time shown (UTC). Its SHA-256 names exactly the content approved: a participant of the engagement checks it in Troika at /verify/ followed by the hash.',
    certificateColumns: ['Document', 'Version', 'SHA-256 of the content', 'Approved by', 'Time (UTC)'],
  },
  ru: {
    document: 'Проектный документ',
    dossier: 'Проектное досье',
    stageReport: 'Отчёт по этапу',
    contents: 'Содержание',
    client: 'Клиент',
    version: 'Версия',
    author: 'Подготовил(а)',
    status: 'Статус',
    approvedBy: (name: string, date: string) => `Утверждено: ${name}, ${date}`,
    draft: 'Черновик',
    notApproved: 'Не утверждено',
    page: 'Стр.',
    empty: '—',
    generated: 'Сформировано',
    methodology: 'Методика',
    approvalLog: 'Журнал утверждений',
    logColumns: ['Документ', 'Версия', 'Хеш содержимого', 'Решение', 'Кто', 'Дата'],
    approved: 'утверждено',
    changesRequested: 'возвращено на доработку',
    documents: 'Документы досье',
    certificate: 'Сертификат утверждений',
    certificateIntro: 'Каждую версию ниже утвердил указанный человек в указанное время (UTC). SHA-256 однозначно называет утверждённое содержимое: участник проекта может проверить его в «Тройке» по адресу /verify/ и хеш.',
    certificateColumns: ['Документ', 'Версия', 'SHA-256 содержимого', 'Кто утвердил', 'Время (UTC)'],
  },
};

export const wordsFor = (locale: Locale) => words[locale];

export function formatDay(date: Date, locale: Locale): string {
  return date.toLocaleDateString(locale === 'ru' ? 'ru-RU' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export interface ApprovalFact {
  by: string;
  at: Date;
}

function frame(locale: Locale, parts: { kicker: string; title: string; client: string; facts: { label: string; value: string }[]; approval: ApprovalFact | null; version: string; toc: TocEntry[] }): PrintFrame {
  const w = words[locale];
  const status = parts.approval ? w.approvedBy(parts.approval.by, formatDay(parts.approval.at, locale)) : w.draft;
  return {
    locale,
    title: parts.title,
    kicker: parts.kicker,
    client: parts.client,
    facts: parts.facts,
    statusLabel: w.status,
    status,
    statusClass: parts.approval ? 'status-approved' : 'status-draft',
    tocTitle: w.contents,
    toc: parts.toc,
    words: { empty: w.empty },
    header: { client: parts.client, document: parts.title, version: parts.version },
    footer: { status, pageWord: w.page },
  };
}

const numbered = <T extends { title: string }>(items: T[], prefix: string) =>
  items.map((item, i) => ({ ...item, number: i + 1, anchor: `${prefix}-${i + 1}` }));

export const tocOf = (items: { number: number; title: string; anchor: string }[]): TocEntry[] =>
  items.map((s) => ({ number: s.number, title: s.title, anchor: s.anchor, page: '' }));

export interface DocumentSource {
  client: string;
  type: DocumentType;
  version: { number: number; hash: string; content: Record<string, unknown>; author: string; createdAt: Date };
  /** The approval of exactly this version, if it has one. */
  approval: ApprovalFact | null;
  modules?: ModuleTitles;
}

export function buildDocumentPrint(source: DocumentSource, locale: Locale): DocumentPrint {
  const w = words[locale];
  const sections = numbered(documentSections(source.type, source.version.content, locale, source.modules), 'section');
  const title = source.type.title[locale];
  return {
    ...frame(locale, {
      kicker: w.document,
      title,
      client: source.client,
      version: `${w.version} ${source.version.number}`,
      approval: source.approval,
      toc: tocOf(sections),
      facts: [
        { label: w.client, value: source.client },
        { label: w.version, value: String(source.version.number) },
        { label: w.author, value: `${source.version.author}, ${formatDay(source.version.createdAt, locale)}` },
      ],
    }),
    typeId: source.type.id,
    sections,
  };
}

export interface LogRow {
  document: string;
  version: number;
  hash: string;
  decision: 'approved' | 'changes_requested';
  by: string;
  at: Date;
}

/** Every approval in the log, with the full hash of what was approved and the minute it was. */
export function approvalCertificate(log: LogRow[], locale: Locale): ApprovalCertificate {
  const w = words[locale];
  const minute = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');
  return {
    title: w.certificate,
    intro: w.certificateIntro,
    columns: w.certificateColumns,
    rows: log.filter((r) => r.decision === 'approved').map((r) => ({ document: r.document, version: String(r.version), hash: r.hash, by: r.by, at: minute(r.at) })),
  };
}

export function buildDossierPrint(
  input: { client: string; methodology: string; generatedAt: Date; documents: DocumentSource[]; log: LogRow[] },
  locale: Locale,
): DossierPrint {
  const w = words[locale];
  const docs = input.documents.map((d) => ({
    isLog: false as const,
    title: d.type.title[locale],
    meta: `${w.version} ${d.version.number} · ${d.approval ? w.approvedBy(d.approval.by, formatDay(d.approval.at, locale)) : w.notApproved}`,
    sections: documentSections(d.type, d.version.content, locale, d.modules) as Section[],
  }));
  const log = {
    isLog: true as const,
    title: w.approvalLog,
    columns: w.logColumns,
    rows: input.log.map((r) => [r.document, String(r.version), r.hash.slice(0, 16), r.decision === 'approved' ? w.approved : w.changesRequested, r.by, formatDay(r.at, locale)]),
    certificate: approvalCertificate(input.log, locale),
  };
  const parts = numbered([...docs, log], 'part');
  return {
    ...frame(locale, {
      kicker: w.dossier,
      title: w.dossier,
      client: input.client,
      version: formatDay(input.generatedAt, locale),
      approval: null,
      toc: tocOf(parts),
      facts: [
        { label: w.client, value: input.client },
        { label: w.methodology, value: input.methodology },
        { label: w.documents, value: String(docs.length) },
        { label: w.generated, value: formatDay(input.generatedAt, locale) },
      ],
    }),
    // Every document in the dossier is approved; the status line says so instead of "Draft".
    status: `${w.approved}: ${docs.length}`,
    statusClass: 'status-approved',
    footer: { status: w.dossier, pageWord: w.page },
    parts,
  };
}

export interface StageReportSource {
  client: string;
  stage: { title: string; goal: string; plannedStart: string | null; deadline: string | null; completedAt: string | null };
  tasks: { title: string; assignee: string | null; deadline: Date | null; status: string; note: string | null }[];
  documents: { title: string; version: number; status: string }[];
  signoff: ApprovalFact | null;
  /** The KPIs of the stage that works them (Launch): a table of standings and a chart each (src/kpi). */
  kpis?: { title: string; columns: string[]; rows: string[][]; chartsHtml: string };
}

const reportWords = {
  en: { goal: 'Goal and dates', tasks: 'Tasks', documents: 'Documents', columnsTasks: ['Task', 'Assignee', 'Deadline', 'Status', 'Note'], columnsDocs: ['Document', 'Version', 'Status'], window: 'Planned', finished: 'Finished', signedOff: 'Signed off', stageGoal: 'Goal' },
  ru: { goal: 'Цель и сроки', tasks: 'Задачи', documents: 'Документы', columnsTasks: ['Задача', 'Исполнитель', 'Срок', 'Статус', 'Примечание'], columnsDocs: ['Документ', 'Версия', 'Статус'], window: 'По плану', finished: 'Завершён', signedOff: 'Подписан', stageGoal: 'Цель' },
};

export function buildStageReportPrint(source: StageReportSource, locale: Locale, statusLabel: (status: string) => string): DocumentPrint {
  const w = words[locale];
  const r = reportWords[locale];
  const day = (iso: string | Date | null) => (iso ? formatDay(new Date(iso), locale) : w.empty);
  const sections = numbered<Section>(
    [
      {
        id: 'goal',
        title: r.goal,
        kind: 'details',
        items: [
          { label: r.stageGoal, value: source.stage.goal },
          { label: r.window, value: `${day(source.stage.plannedStart)} – ${day(source.stage.deadline)}` },
          { label: r.finished, value: day(source.stage.completedAt) },
          { label: r.signedOff, value: source.signoff ? `${source.signoff.by}, ${day(source.signoff.at)}` : w.empty },
        ],
      },
      { id: 'tasks', title: r.tasks, kind: 'table', columns: r.columnsTasks, rows: source.tasks.map((t) => [t.title, t.assignee ?? w.empty, day(t.deadline), statusLabel(t.status), t.note ?? '']) },
      { id: 'documents', title: r.documents, kind: 'table', columns: r.columnsDocs, rows: source.documents.map((d) => [d.title, String(d.version), statusLabel(d.status)]) },
      ...(source.kpis?.rows.length
        ? [
            { id: 'kpis', title: source.kpis.title, kind: 'table' as const, columns: source.kpis.columns, rows: source.kpis.rows },
            // The charts are SVG drawn by src/kpi with every text escaped: nothing in them reaches out.
            { id: 'kpi-charts', title: `${source.kpis.title}: ${locale === 'ru' ? 'графики' : 'charts'}`, kind: 'markdown' as const, html: source.kpis.chartsHtml },
          ]
        : []),
    ],
    'section',
  );
  const title = `${w.stageReport}: ${source.stage.title}`;
  return {
    ...frame(locale, { kicker: w.stageReport, title, client: source.client, version: source.stage.title, approval: source.signoff, toc: tocOf(sections), facts: [{ label: w.client, value: source.client }] }),
    typeId: 'stage-report',
    sections,
  };
}
