// Read side of the KPIs: each KPI with its weekly series (entered, or summed from measured content) and
// its standing today. kpiSummaries is the small entry point other rooms' pages may read.
import type { EntityManager } from '@mikro-orm/core';
import { Engagement } from '../engagement/engagement.entity.ts';
import { isUuid, type ServiceDeps } from '../engagement/command.ts';
import { resolveViewer } from '../engagement/engagement-access.ts';
import type { Methodology, Role } from '../methodology/methodology.schema.ts';
import type { Measure } from '../methodology/kpi.schema.ts';
import { NotFoundError } from '../errors.ts';
import { ContentItem } from '../content/content.entity.ts';
import { isoWeekOf } from '../content/content-rules.ts';
import { Kpi, KpiActual } from './kpi.entity.ts';
import { measuredSeries, mergeSeries, standingOf, type KpiStanding, type MeasuredItem, type WeekValue } from './kpi-rules.ts';

export interface KpiSummary {
  id: string;
  metric: string;
  unit: string | null;
  network: string | null;
  better: string;
  baseline: number;
  target: number;
  targetDate: string;
  startsOn: string;
  measure: Measure | null;
  responsible: string | null;
  source: string | null;
  /** Weekly actuals, oldest first: entered ones win over measured ones for the same week. */
  series: WeekValue[];
  /** The weeks that have an entered actual (the rest of the series is summed from content). */
  enteredWeeks: string[];
  standing: KpiStanding;
}

/** The engagement's measured content items, as the sums read them: their week (of publication) and network. */
async function measuredItems(em: EntityManager, engagementIds: string[]): Promise<Map<string, MeasuredItem[]>> {
  const items = await em.find(ContentItem, { engagement: { $in: engagementIds }, metrics: { $ne: null } }, { fields: ['engagement', 'network', 'plannedOn', 'publishedAt', 'metrics'] });
  const byEngagement = new Map<string, MeasuredItem[]>();
  for (const item of items) {
    const day = item.publishedAt ? item.publishedAt.toISOString().slice(0, 10) : item.plannedOn;
    const list = byEngagement.get(item.engagement.id) ?? [];
    list.push({ week: isoWeekOf(day), network: item.network, metrics: (item.metrics ?? {}) as unknown as Record<string, number> });
    byEngagement.set(item.engagement.id, list);
  }
  return byEngagement;
}

/**
 * Every KPI of the engagements, with series and standing, in three statements whatever their number (the
 * measured items only when a KPI is summed from them). No authorization: callers have done it.
 */
export async function kpiSummariesOf(em: EntityManager, engagements: { id: string; methodology: Methodology }[], today: string): Promise<Map<string, KpiSummary[]>> {
  const ids = engagements.map((e) => e.id);
  const kpis = ids.length ? await em.find(Kpi, { engagement: { $in: ids } }, { orderBy: { position: 'asc' } }) : [];
  const [actuals, items] = await Promise.all([
    kpis.length ? em.find(KpiActual, { kpi: { $in: kpis.map((k) => k.id) } }, { orderBy: { week: 'asc' } }) : Promise.resolve([]),
    kpis.some((k) => k.measure) ? measuredItems(em, [...new Set(kpis.filter((k) => k.measure).map((k) => k.engagement.id))]) : Promise.resolve(new Map<string, MeasuredItem[]>()),
  ]);
  const out = new Map<string, KpiSummary[]>(ids.map((id) => [id, []]));
  for (const kpi of kpis) {
    const methodology = engagements.find((e) => e.id === kpi.engagement.id)!.methodology;
    const entered = actuals.filter((a) => a.kpi.id === kpi.id).map((a) => ({ week: a.week, value: Number(a.value) }));
    const sum = methodology.kpis?.measures.find((m) => m.id === kpi.measure)?.sum;
    const measured = kpi.measure && sum ? measuredSeries({ network: kpi.network ?? null, baseline: Number(kpi.baseline) }, kpi.measure as Measure, sum, items.get(kpi.engagement.id) ?? []) : [];
    const series = mergeSeries(measured, entered);
    const facts = { baseline: Number(kpi.baseline), target: Number(kpi.target), better: kpi.better, startsOn: kpi.startsOn, targetDate: kpi.targetDate };
    out.get(kpi.engagement.id)!.push({
      id: kpi.id, metric: kpi.metric, unit: kpi.unit ?? null, network: kpi.network ?? null, better: kpi.better, baseline: facts.baseline, target: facts.target,
      targetDate: kpi.targetDate, startsOn: kpi.startsOn, measure: (kpi.measure as Measure | null) ?? null, responsible: kpi.responsible ?? null, source: kpi.source ?? null,
      series, enteredWeeks: entered.map((e) => e.week), standing: standingOf(facts, series, today),
    });
  }
  return out;
}

/** One engagement's KPIs with their series and standing today. */
export async function kpiSummaries(em: EntityManager, engagement: { id: string; methodology: Methodology }, today: string): Promise<KpiSummary[]> {
  return (await kpiSummariesOf(em, [engagement], today)).get(engagement.id) ?? [];
}

export interface KpiContext {
  em: EntityManager;
  engagement: Engagement;
  methodology: Methodology;
  role: Role;
  actsAsOwner: boolean;
  /** The consultant, the owner and the owner's delegate enter actuals; staff read them. */
  canEnter: boolean;
  /** A firm administrator who takes no part: they read, and are offered no form. */
  readOnly: boolean;
  today: string;
}

/**
 * Everyone in the engagement reads its KPIs, and so does a firm administrator (read only, as on the
 * engagement page: engagement-access.ts); anyone else is "not found".
 */
export async function readKpiContext(deps: ServiceDeps, actorId: string, engagementId: string): Promise<KpiContext> {
  const em = deps.orm.em.fork();
  const viewer = await resolveViewer(em, engagementId, actorId);
  const engagement = viewer && isUuid(engagementId) ? await em.findOne(Engagement, engagementId) : null;
  if (!viewer || !engagement) throw new NotFoundError('Engagement');
  const { definition: methodology } = await deps.methodologies.frozen(em, engagement.methodology.hash);
  const { role, actsAsOwner, readOnly } = viewer;
  return { em, engagement, methodology, role, actsAsOwner, readOnly, canEnter: !readOnly && (role === 'consultant' || actsAsOwner), today: deps.clock().toISOString().slice(0, 10) };
}

/** The KPIs as a member of the engagement reads them. */
export async function listKpis(deps: ServiceDeps, actorId: string, engagementId: string): Promise<KpiSummary[]> {
  const c = await readKpiContext(deps, actorId, engagementId);
  return kpiSummaries(c.em, { id: c.engagement.id, methodology: c.methodology }, c.today);
}
