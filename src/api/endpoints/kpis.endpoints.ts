// KPIs and their weekly actuals through the API: the KPI page's read model and the same command as its week form.
import { kpiSummaries, readKpiContext, type KpiSummary } from '../../kpi/kpi.queries.ts';
import { currentWeek, enterWeeklyActuals } from '../../kpi/kpi.service.ts';
import { endpoint, type ApiCall } from '../endpoint.ts';
import * as s from '../api.schemas.ts';

const presentKpi = (k: KpiSummary) => {
  const entered = new Set(k.enteredWeeks);
  return {
    id: k.id,
    metric: k.metric,
    unit: k.unit,
    network: k.network,
    better: k.better === 'lower' ? ('lower' as const) : ('higher' as const),
    baseline: k.baseline,
    target: k.target,
    targetDate: k.targetDate,
    startsOn: k.startsOn,
    measure: k.measure,
    responsible: k.responsible,
    source: k.source,
    status: k.standing.status,
    latest: k.standing.latest,
    expected: k.standing.expected,
    actuals: k.series.map((v) => ({ week: v.week, value: v.value, entered: entered.has(v.week) })),
  };
};

/** The KPIs as the KPI page reads them for this person (every participant reads; others are "not found"). */
async function kpisOf(call: ApiCall<unknown, unknown>) {
  const c = await readKpiContext(call.deps, call.holder.userId, call.params.engagementId!);
  const kpis = await kpiSummaries(c.em, { id: c.engagement.id, methodology: c.methodology }, c.today);
  return { items: kpis.map(presentKpi), canEnter: c.canEnter, currentWeek: currentWeek(c.today) };
}

/**
 * The service reads the form's text fields, so each JSON number is written out in plain digits (never
 * with an exponent, which the form's number rule would refuse).
 */
const asDigits = (value: number) => value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });

const base = '/engagements/{engagementId}/kpis';
const tag = 'KPIs';

export const kpiEndpoints = [
  endpoint({
    method: 'get',
    path: base,
    operationId: 'listKpis',
    summary: 'The KPIs of the approved target criteria, each with its weekly actuals and its status today',
    tag,
    writes: false,
    success: { status: 200, schema: s.KpiList, description: 'Every KPI, in the order of the target criteria' },
    handle: (call) => kpisOf(call),
  }),
  endpoint({
    method: 'post',
    path: `${base}/actuals`,
    operationId: 'recordKpiActuals',
    summary: "Record a week's actuals (the consultant, the owner or their delegate, while a stage runs); all are saved or none",
    tag,
    writes: true,
    body: s.RecordKpiActualsBody,
    success: { status: 200, schema: s.KpiList, description: 'The KPIs with the new actuals' },
    async handle(call) {
      const values = Object.fromEntries(Object.entries(call.body.values).map(([id, value]) => [id, asDigits(value)]));
      await enterWeeklyActuals(call.deps, call.holder.userId, call.params.engagementId!, { week: call.body.week, values });
      return kpisOf(call);
    },
  }),
];
