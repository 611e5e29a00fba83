// The portfolio's rows as the page and the CSV show them: words in the reader's language, dates formatted.
import type { Translate } from '../i18n/i18n.ts';
import type { PortfolioRow } from '../../portfolio/portfolio.queries.ts';
import type { KpiAttainment } from '../../portfolio/kpi-attainment.ts';

export interface PortfolioRowView {
  id: string;
  clientName: string;
  consultants: string;
  /** The engagement page when the reader takes part in it, else its figures against the firm's. */
  href: string;
  compareHref: string;
  state: string;
  stage: string;
  days: string | null;
  endsOn: string | null;
  isOverPlan: boolean;
  health: string | null;
  healthLabel: string;
  approvalsWaiting: number;
  oldestSince: string | null;
  overdueTasks: number;
  kpi: string;
  training: string;
  trainingPercent: number | null;
}

/** The stage as a badge says it: a paused engagement names the stage it was paused in. */
export function stageText(row: PortfolioRow, t: Translate, stateLabel: (state: string) => string): string {
  if (row.state === 'paused') return row.stageTitle ? `${t('state.paused')}: ${row.stageTitle}` : t('state.paused');
  return row.stageTitle ?? stateLabel(row.state);
}

/** "2 of 3 met, 1 behind": the KPIs by their standing (src/kpi), or that there are none. */
export function kpiText(kpis: KpiAttainment | undefined, t: Translate): string {
  if (!kpis?.total) return t('portfolio.noKpis');
  return t('portfolio.kpiAttainment', { met: kpis.met, total: kpis.total, onTrack: kpis.onTrack, behind: kpis.behind, noData: kpis.noData });
}

export function presentPortfolioRow(row: PortfolioRow, t: Translate, formatDate: (d: Date | null) => string, stateLabel: (state: string) => string, kpis?: KpiAttainment): PortfolioRowView {
  const compareHref = `/engagements/${row.id}/benchmarks`;
  return {
    id: row.id,
    clientName: row.clientName,
    consultants: row.consultants,
    // Every row opens its engagement: an administrator who takes no part reads it (src/engagement/engagement-access.ts).
    href: `/engagements/${row.id}`,
    compareHref,
    state: row.state,
    stage: stageText(row, t, stateLabel),
    days: row.daysInStage !== null && row.plannedDays !== null ? t('portfolio.dayOf', { days: row.daysInStage, planned: row.plannedDays }) : null,
    endsOn: row.stageDeadline ? t('portfolio.endsOn', { date: formatDate(row.stageDeadline) }) : null,
    isOverPlan: row.daysInStage !== null && row.plannedDays !== null && row.daysInStage > row.plannedDays,
    health: row.health,
    healthLabel: row.health ? t(`portfolio.health.${row.health}`) : t('portfolio.noHealth'),
    approvalsWaiting: row.approvalsWaiting,
    oldestSince: row.oldestApprovalSince ? t('portfolio.oldestSince', { date: formatDate(row.oldestApprovalSince) }) : null,
    overdueTasks: row.overdueTasks,
    kpi: kpiText(kpis, t),
    training: row.trainingAssigned ? t('portfolio.trainingOf', { done: row.trainingCompleted, total: row.trainingAssigned }) : t('portfolio.noTraining'),
    trainingPercent: row.trainingAssigned ? Math.round((100 * row.trainingCompleted) / row.trainingAssigned) : null,
  };
}

/** A cell a spreadsheet reads as text: a leading = + - @ would run as a formula, so it gets a quote first. */
export function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every row with its figures as numbers and ISO dates (a spreadsheet's own formats), headings in the reader's language. */
export function portfolioCsv(rows: PortfolioRow[], t: Translate, stateLabel: (state: string) => string, kpis: Map<string, KpiAttainment> = new Map()): string {
  const headings = ['client', 'consultants', 'state', 'days', 'planned', 'deadline', 'health', 'approvals', 'oldest', 'overdue', 'kpi', 'trainingDone', 'trainingAll'].map((k) => t(`portfolio.csv.${k}`));
  const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);
  const lines = [headings, ...rows.map((r) => [
    r.clientName,
    r.consultants,
    stageText(r, t, stateLabel),
    r.daysInStage,
    r.plannedDays,
    day(r.stageDeadline),
    r.health ? t(`portfolio.health.${r.health}`) : '',
    r.approvalsWaiting,
    day(r.oldestApprovalSince),
    r.overdueTasks,
    kpiText(kpis.get(r.id), t),
    r.trainingCompleted,
    r.trainingAssigned,
  ])];
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
