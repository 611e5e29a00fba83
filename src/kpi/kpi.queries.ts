// Read side of the KPIs: each KPI with its weekly series (entered, summed from measured content, or the
// review desk's share answered in time) and its standing today. kpiSummaries is the small entry point other rooms' pages may read.
import type { EntityManager } from '@mikro-orm/core';
import { Engagement } from '../engagement/engagement.entity.ts';
import { isUuid, type ServiceDeps } from '../engagement/command.ts';
import { resolveViewer } from '../engagement/engagement-access.ts';
import type { Methodology, Role } from '../methodology/methodology.schema.ts';
import { deskShareOf, isMeasure } from '../methodology/kpi.schema.ts';
import { NotFoundError } from '../errors.ts';
import { ContentItem } from '../content/content.entity.ts';
import { isoWeekOf } from '../content/content-rules.ts';
import { deskEntriesOf, type ShareEntry } from '../desk/desk.queries.ts';
import { weeklyResponseShares } from '../desk/response-norms.ts';
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
  /** A measured result of the content items, or the id of a desk share (kpis.deskShares). */
  measure: string | null;
  responsible: string | null;
  source: string | null;
  /** Weekly actuals, oldest first: entered ones win over measured ones for the same week. */
  series: WeekValue[];
  /** The weeks that have an entered actual (the rest of the series is summed from content or the desk). */
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
 * Every KPI of the engagements, with series and standing, in a few statements whatever their number (the
 * measured items only when a KPI is summed from them, the desk entries only when one reads the desk).
 * `now` is the moment an unanswered desk entry's norm is judged against (past it: missed); without it,
 * the start of `today` (UTC), so a report printed once a day keeps one figure through the day.
 * No authorization: callers have done it.
 */
export async function kpiSummariesOf(em: EntityManager, engagements: { id: string; methodology: Methodology }[], today: string, now: Date = new Date(`${today}T00:00:00Z`)): Promise<Map<string, KpiSummary[]>> {
  const ids = engagements.map((e) => e.id);
  const kpis = ids.length ? await em.find(Kpi, { engagement: { $in: ids } }, { orderBy: { position: 'asc' } }) : [];
  const methodologyOf = (kpi: Kpi) => engagements.find((e) => e.id === kpi.engagement.id)!.methodology;
  const engagementsOf = (wanted: (kpi: Kpi) => boolean) => [...new Set(kpis.filter(wanted).map((k) => k.engagement.id))];
  const fromContent = engagementsOf((k) => isMeasure(k.measure));
  const fromDesk = engagementsOf((k) => !!deskShareOf(methodologyOf(k).kpis, k.measure) && !!methodologyOf(k).reviewDesk);
  const [actuals, items, desk] = await Promise.all([
    kpis.length ? em.find(KpiActual, { kpi: { $in: kpis.map((k) => k.id) } }, { orderBy: { week: 'asc' } }) : Promise.resolve([]),
    fromContent.length ? measuredItems(em, fromContent) : Promise.resolve(new Map<string, MeasuredItem[]>()),
    deskEntriesOf(em, fromDesk),
  ]);
  const out = new Map<string, KpiSummary[]>(ids.map((id) => [id, []]));
  for (const kpi of kpis) {
    const methodology = methodologyOf(kpi);
    const entered = actuals.filter((a) => a.kpi.id === kpi.id).map((a) => ({ week: a.week, value: Number(a.value) }));
    const network = kpi.network ?? null;
    let measured: WeekValue[] = [];
    const sum = methodology.kpis?.measures.find((m) => m.id === kpi.measure)?.sum;
    const share = deskShareOf(methodology.kpis, kpi.measure);
    if (isMeasure(kpi.measure) && sum) measured = measuredSeries({ network, baseline: Number(kpi.baseline) }, kpi.measure, sum, items.get(kpi.engagement.id) ?? []);
    else if (share && methodology.reviewDesk) {
      const { timeZone, entries } = desk.get(kpi.engagement.id) ?? { timeZone: 'UTC', entries: [] as ShareEntry[] };
      // A KPI on one network reads that network's entries; one without a network, the whole desk.
      const here = network ? entries.filter((e) => e.network === network) : entries;
      measured = weeklyResponseShares(here, methodology.reviewDesk, share, now, timeZone).map(({ week, value }) => ({ week, value }));
    }
    const series = mergeSeries(measured, entered);
    const facts = { baseline: Number(kpi.baseline), target: Number(kpi.target), better: kpi.better, startsOn: kpi.startsOn, targetDate: kpi.targetDate };
    out.get(kpi.engagement.id)!.push({
      id: kpi.id, metric: kpi.metric, unit: kpi.unit ?? null, network, better: kpi.better, baseline: facts.baseline, target: facts.target,
      targetDate: kpi.targetDate, startsOn: kpi.startsOn, measure: kpi.measure ?? null, responsible: kpi.responsible ?? null, source: kpi.source ?? null,
      series, enteredWeeks: entered.map((e) => e.week), standing: standingOf(facts, series, today),
    });
  }
  return out;
}

/** One engagement's KPIs with their series and standing today. */
export async function kpiSummaries(em: EntityManager, engagement: { id: string; methodology: Methodology }, today: string, now?: Date): Promise<KpiSummary[]> {
  return (await kpiSummariesOf(em, [engagement], today, now)).get(engagement.id) ?? [];
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
  now: Date;
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
  const now = deps.clock();
  return { em, engagement, methodology, role, actsAsOwner, readOnly, canEnter: !readOnly && (role === 'consultant' || actsAsOwner), today: now.toISOString().slice(0, 10), now };
}

/** The KPIs as a member of the engagement reads them. */
export async function listKpis(deps: ServiceDeps, actorId: string, engagementId: string): Promise<KpiSummary[]> {
  const c = await readKpiContext(deps, actorId, engagementId);
  return kpiSummaries(c.em, { id: c.engagement.id, methodology: c.methodology }, c.today, c.now);
}
