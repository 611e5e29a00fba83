// Weekly KPI actuals: typed into the week's form or pasted as CSV. The consultant and the owner (or the
// owner's delegate) enter them; each entry is a command on the engagement with its event.
import { z } from 'zod';
import { runCommand, type CommandContext, type ServiceDeps } from '../engagement/command.ts';
import { parseInput } from '../validation.ts';
import { BlockedError, InvalidInputError, type FieldProblem } from '../errors.ts';
import { isWeek, weekDays, isoWeekOf } from '../content/content-rules.ts';
import { Kpi, KpiActual } from './kpi.entity.ts';
import { kpiKey } from './kpi-rules.ts';
import { isHeader, parseCsv, readNumber } from './kpi-csv.ts';

const ENTERERS = { roles: ['consultant' as const, 'owner' as const] };
export const MAX_CSV_ROWS = 2000;
const LIMIT = 1e12;

/** Actuals are entered while the engagement is running: in a stage, not paused, completed or cancelled. */
function refuseUnlessRunning(ctx: CommandContext, action: string): void {
  if (!ctx.methodology.stages.some((s) => s.id === ctx.engagement.state)) throw new BlockedError(action, [`the engagement is ${ctx.engagement.state}`]);
}

/** A week that has begun: a figure for a week still ahead cannot have been measured. */
function weekProblem(week: string, today: string): string | null {
  if (!isWeek(week)) return 'must be a week such as 2026-W19';
  if (weekDays(week).first > today) return 'the week has not begun yet';
  return null;
}

const weekInput = z.object({ week: z.string('choose a week').trim(), values: z.record(z.string(), z.string()).default({}) });

async function upsert(ctx: CommandContext, kpi: Kpi, week: string, value: number, via: 'form' | 'csv', known: KpiActual[]): Promise<void> {
  const actual = known.find((a) => a.kpi.id === kpi.id && a.week === week);
  if (actual) Object.assign(actual, { value, enteredVia: via, enteredBy: ctx.actor, enteredAt: ctx.now });
  else ctx.em.persist(ctx.em.create(KpiActual, { kpi, week, value, enteredVia: via, enteredBy: ctx.actor, enteredAt: ctx.now }));
}

/**
 * The week's figures, one per KPI by its id; a KPI left empty keeps what it had. Every problem is
 * named by its field (values.<kpi id>), and none is saved unless all are right.
 */
export async function enterWeeklyActuals(deps: ServiceDeps, actorId: string, engagementId: string, raw: z.input<typeof weekInput>): Promise<KpiActual[]> {
  return runCommand(deps, engagementId, actorId, ENTERERS, async (ctx) => {
    refuseUnlessRunning(ctx, 'The actuals cannot be entered');
    const input = parseInput(weekInput, raw);
    const kpis = await ctx.em.find(Kpi, { engagement: ctx.engagement }, { orderBy: { position: 'asc' } });
    const problems: FieldProblem[] = [];
    const badWeek = weekProblem(input.week, ctx.now.toISOString().slice(0, 10));
    if (badWeek) problems.push({ field: 'week', message: badWeek });
    const entries: { kpi: Kpi; value: number }[] = [];
    for (const [id, text] of Object.entries(input.values)) {
      if (!text.trim()) continue;
      const kpi = kpis.find((k) => k.id === id);
      const value = readNumber(text);
      if (!kpi) problems.push({ field: `values.${id}`, message: 'choose a KPI of this engagement' });
      else if (value === null) problems.push({ field: `values.${id}`, message: 'must be a number such as 1250 or 12.5' });
      else if (Math.abs(value) > LIMIT) problems.push({ field: `values.${id}`, message: 'the number is too large' });
      else entries.push({ kpi, value });
    }
    if (!problems.length && !entries.length) problems.push({ field: 'values', message: 'enter the figure of at least one KPI' });
    if (problems.length) throw new InvalidInputError(problems);
    const known = await ctx.em.find(KpiActual, { kpi: { $in: entries.map((e) => e.kpi.id) }, week: input.week });
    for (const { kpi, value } of entries) await upsert(ctx, kpi, input.week, value, 'form', known);
    ctx.record('kpi.actuals', { week: input.week, via: 'form', kpis: entries.map((e) => ({ kpiId: e.kpi.id, value: e.value })) });
    return ctx.em.find(KpiActual, { kpi: { $in: entries.map((e) => e.kpi.id) }, week: input.week });
  });
}

/**
 * Actuals pasted as CSV: week, metric, network, value a line (a header line is skipped). A KPI is
 * found by its metric and network (the network's id or name; empty for one over all networks). One
 * broken row refuses them all: each problem names its line (field csv.<line>), and nothing is saved.
 */
export async function importActualsCsv(deps: ServiceDeps, actorId: string, engagementId: string, text: string): Promise<{ count: number }> {
  return runCommand(deps, engagementId, actorId, ENTERERS, async (ctx) => {
    refuseUnlessRunning(ctx, 'The actuals cannot be imported');
    const rows = parseCsv(typeof text === 'string' ? text : '').filter((row, i) => !(i === 0 && isHeader(row)));
    if (!rows.length) throw new InvalidInputError([{ field: 'csv', message: 'paste at least one line: week, indicator, network, value' }]);
    if (rows.length > MAX_CSV_ROWS) throw new InvalidInputError([{ field: 'csv', message: `paste at most ${MAX_CSV_ROWS} lines at once` }]);
    const kpis = await ctx.em.find(Kpi, { engagement: ctx.engagement });
    const today = ctx.now.toISOString().slice(0, 10);
    const networkId = (name: string) => {
      const wanted = name.trim().toLowerCase();
      if (!wanted) return null;
      const found = ctx.methodology.networks.find((n) => [n.id, n.name, n.label?.en ?? '', n.label?.ru ?? ''].some((s) => s.toLowerCase() === wanted));
      return found?.id ?? name.trim();
    };
    const problems: FieldProblem[] = [];
    const entries = new Map<string, { kpi: Kpi; week: string; value: number }>();
    for (const row of rows) {
      const field = `csv.${row.line}`;
      const [week = '', metric = '', network = '', figure = ''] = row.cells;
      if (row.cells.length !== 4) {
        problems.push({ field, message: 'a line has four cells: week, indicator, network, value' });
        continue;
      }
      const badWeek = weekProblem(week.toUpperCase(), today);
      const kpi = kpis.find((k) => k.key === kpiKey(metric, networkId(network)));
      const value = readNumber(figure);
      if (badWeek) problems.push({ field, message: badWeek });
      else if (!kpi) problems.push({ field, message: 'no KPI of this engagement has this indicator and network' });
      else if (value === null || Math.abs(value) > LIMIT) problems.push({ field, message: 'the value must be a number such as 1250 or 12.5' });
      else if (entries.has(`${kpi.id}|${week.toUpperCase()}`)) problems.push({ field, message: 'this indicator already has a line for this week above' });
      else entries.set(`${kpi.id}|${week.toUpperCase()}`, { kpi, week: week.toUpperCase(), value });
    }
    if (problems.length) throw new InvalidInputError(problems);
    const list = [...entries.values()];
    const known = await ctx.em.find(KpiActual, { kpi: { $in: [...new Set(list.map((e) => e.kpi.id))] }, week: { $in: [...new Set(list.map((e) => e.week))] } });
    for (const e of list) await upsert(ctx, e.kpi, e.week, e.value, 'csv', known);
    ctx.record('kpi.actuals', { via: 'csv', count: list.length, weeks: [...new Set(list.map((e) => e.week))].sort() });
    return { count: list.length };
  });
}

/** The current week of a day, for the form's default. */
export const currentWeek = (today: string) => isoWeekOf(today);
