// What the Launch gate's kpi-actuals rule reads: for each engagement whose stage has it, every KPI and the
// last completed weeks it has no actual for (entered, or summed from measured content).
import type { EntityManager } from '@mikro-orm/core';
import type { Methodology, Stage } from '../methodology/methodology.schema.ts';
import { kpiSummariesOf } from './kpi.queries.ts';
import { missingWeeks } from './kpi-rules.ts';

interface Wanted {
  engagement: { id: string };
  stage: Stage;
  methodology: Methodology;
  today?: string;
}

export async function loadKpiActualFacts(em: EntityManager, wanted: Wanted[]): Promise<Map<string, { id: string; title: string; missing: string[] }[]>> {
  const ruled = wanted.flatMap((w) => {
    const rule = w.stage.gate?.find((r) => r.rule === 'kpi-actuals');
    return rule && rule.rule === 'kpi-actuals' ? [{ ...w, weeks: rule.weeks }] : [];
  });
  if (!ruled.length) return new Map();
  const fallback = new Date().toISOString().slice(0, 10);
  const summaries = await kpiSummariesOf(em, ruled.map((w) => ({ id: w.engagement.id, methodology: w.methodology })), ruled[0]!.today ?? fallback);
  return new Map(ruled.map((w) => {
    const networks = w.methodology.networks;
    const kpis = (summaries.get(w.engagement.id) ?? []).map((k) => {
      const network = k.network ? (networks.find((n) => n.id === k.network)?.name ?? k.network) : null;
      return { id: k.id, title: network ? `${k.metric} (${network})` : k.metric, missing: missingWeeks(k.startsOn, new Set(k.series.map((v) => v.week)), w.today ?? fallback, w.weeks) };
    });
    return [w.engagement.id, kpis];
  }));
}
