// Approving the target criteria makes its rows the engagement's KPIs, inside the approval's own command.
import type { CommandContext } from '../engagement/command.ts';
import { Kpi, KpiActual } from './kpi.entity.ts';
import { kpisFromContent } from './kpi-rules.ts';

export interface KpiSyncSummary {
  count: number;
  added: string[];
  removed: string[];
}

/**
 * The approval's own event carries what changed (the command is the approval; no second event).
 * A KPI whose metric and network are still in the approved version keeps its actuals and takes the
 * new baseline, target and date; one no longer there goes with its actuals; new rows start today.
 */
export async function syncKpisFromTargets(ctx: CommandContext, content: Record<string, unknown>): Promise<KpiSyncSummary | null> {
  const settings = ctx.methodology.kpis;
  if (!settings) return null;
  const definitions = kpisFromContent(content, settings);
  const existing = await ctx.em.find(Kpi, { engagement: ctx.engagement });
  const today = ctx.now.toISOString().slice(0, 10);
  const gone = existing.filter((k) => !definitions.some((d) => d.key === k.key));
  if (gone.length) {
    await ctx.em.nativeDelete(KpiActual, { kpi: { $in: gone.map((k) => k.id) } });
    for (const kpi of gone) ctx.em.remove(kpi);
  }
  const added: string[] = [];
  definitions.forEach((definition, position) => {
    const kpi = existing.find((k) => k.key === definition.key);
    if (kpi) Object.assign(kpi, { ...definition, position });
    else {
      ctx.em.persist(ctx.em.create(Kpi, { engagement: ctx.engagement, ...definition, startsOn: today, position }));
      added.push(definition.metric);
    }
  });
  return { count: definitions.length, added, removed: gone.map((k) => k.metric) };
}
