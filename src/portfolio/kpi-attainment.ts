// The portfolio's KPI column: for each engagement, how many of its KPIs are met, on track and behind,
// by the KPI room's own rule (src/kpi/kpi-rules.ts standingOf), read for a page of rows at once.
import type { ServiceDeps } from '../engagement/command.ts';
import { kpiSummariesOf } from '../kpi/kpi.queries.ts';
import type { KpiStatus } from '../kpi/kpi-rules.ts';

export type KpiAttainment = Record<KpiStatus, number> & { total: number };

export async function kpiAttainmentOf(deps: ServiceDeps, engagementIds: string[], today: string): Promise<Map<string, KpiAttainment>> {
  if (!engagementIds.length) return new Map();
  const em = deps.orm.em.fork();
  const rows = (await em.getConnection().execute(`select id, methodology_hash from engagements where id in (${engagementIds.map(() => '?').join(', ')})`, engagementIds)) as { id: string; methodology_hash: string }[];
  const frozen = await deps.methodologies.frozenMany(em, rows.map((r) => r.methodology_hash));
  const summaries = await kpiSummariesOf(em, rows.map((r) => ({ id: r.id, methodology: frozen.get(r.methodology_hash)!.definition })), today);
  return new Map([...summaries].map(([id, kpis]) => {
    const counts: KpiAttainment = { total: kpis.length, met: 0, onTrack: 0, behind: 0, noData: 0 };
    for (const kpi of kpis) counts[kpi.standing.status] += 1;
    return [id, counts];
  }));
}
