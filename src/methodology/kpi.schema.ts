// The Launch stage's KPIs as methodology data (src/kpi): which document's table the KPIs come from, how a
// measured result sums into a KPI, and the documents the month's work can fill. Optional: methodologies
// frozen before it still load.
import { z } from 'zod';
import { localizedText } from './localized-text.ts';

/** The results a measured content item records (src/content): a KPI may be summed from one of them. */
export const MEASURES = ['reach', 'reactions', 'comments', 'shares', 'newFollowers', 'leads'] as const;
export type Measure = (typeof MEASURES)[number];

/** The columns the KPI room reads from the target criteria's table, and what they must be. */
export const TARGET_COLUMNS = { metric: ['text'], network: ['network'], baseline: ['number', 'integer'], target: ['number', 'integer'], date: ['date'] } as const;
const OPTIONAL_TARGET_COLUMNS = { unit: ['text'], better: ['select'], measuredBy: ['select'], responsible: ['text'], source: ['text'] } as const;
/** The fields a fill writes, and the columns each table must have. */
const QUARTERLY_FIELDS = { quarter: null, kpiTargets: ['metric', 'unit', 'network', 'target', 'responsible'], weeklyRhythm: ['day', 'activity', 'network', 'responsible'], cadence: ['channel', 'network', 'postsPerWeek', 'formats', 'responsible'], plan: ['date', 'channel', 'theme', 'responsible'], regulations: null } as const;
const EVALUATION_FIELDS = { evaluatedOn: null, results: ['metric', 'unit', 'source', 'baseline', 'target', 'actual'], publishedByChannel: ['channel', 'planned', 'published', 'onTime'], onTimeShare: null, trainingCompletion: ['participant', 'assigned', 'completed'] } as const;

const typeId = z.string().min(1);

export const kpiSettingsSchema = z.strictObject({
  targets: z.strictObject({ documentType: typeId, table: z.string().min(1) }),
  measures: z.array(z.strictObject({ id: z.enum(MEASURES, `must be one of the measured results: ${MEASURES.join(', ')}`), sum: z.enum(['week', 'running'], 'must be "week" (the week\'s items) or "running" (the starting value plus every week so far)') })),
  quarterlyPlan: z.strictObject({ documentType: typeId, regulations: z.array(localizedText).default([]) }).optional(),
  finalEvaluation: z.strictObject({ documentType: typeId }).optional(),
});

export type KpiSettings = z.infer<typeof kpiSettingsSchema>;

/** The Launch gate rule: every KPI has an actual for each of the last `weeks` completed ISO weeks. */
export const kpiActualsRuleSchema = z.strictObject({
  rule: z.literal('kpi-actuals'),
  weeks: z.number().int().min(1, 'ask for at least one week').max(12, 'ask for at most 12 weeks'),
});
export type KpiActualsRule = z.infer<typeof kpiActualsRuleSchema>;

interface TypeShape {
  id: string;
  fields: { id: string; type: string; columns?: { id: string; type: string; options?: { value: string }[] }[] }[];
}

/** Cross-checks with the document types: the tables, fields and columns the KPI room reads and writes exist. */
export function checkKpiSettings(settings: KpiSettings | undefined, m: { documentTypes: TypeShape[]; stages: { gate?: { rule: string }[] }[] }, ctx: z.RefinementCtx): void {
  const hasRule = m.stages.some((s) => s.gate?.some((r) => r.rule === 'kpi-actuals'));
  if (!settings) {
    if (hasRule) ctx.addIssue({ code: 'custom', path: ['kpis'], message: 'a "kpi-actuals" gate rule needs the kpis section that says where the KPIs come from' });
    return;
  }
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path: ['kpis', ...path], message });
  const typeOf = (id: string, path: (string | number)[]) => {
    const type = m.documentTypes.find((d) => d.id === id);
    if (!type) issue(path, `unknown document type "${id}"`);
    return type;
  };
  const type = typeOf(settings.targets.documentType, ['targets', 'documentType']);
  const table = type?.fields.find((f) => f.id === settings.targets.table && f.type === 'table');
  if (type && !table) issue(['targets', 'table'], `"${type.id}" has no table "${settings.targets.table}"`);
  if (table) {
    const wanted = [...Object.entries(TARGET_COLUMNS).map(([id, types]) => ({ id, types: types as readonly string[], isRequired: true })), ...Object.entries(OPTIONAL_TARGET_COLUMNS).map(([id, types]) => ({ id, types: types as readonly string[], isRequired: false }))];
    for (const { id, types, isRequired } of wanted) {
      const column = table.columns?.find((c) => c.id === id);
      if (!column) {
        if (isRequired) issue(['targets', 'table'], `table "${table.id}" has no column "${id}"`);
      } else if (!types.includes(column.type)) issue(['targets', 'table'], `column "${id}" of table "${table.id}" must be of type ${types.join(' or ')} (it is "${column.type}")`);
    }
    const declared = new Set(settings.measures.map((x) => x.id));
    table.columns?.find((c) => c.id === 'measuredBy')?.options?.forEach((o) => {
      if (!declared.has(o.value as Measure)) issue(['measures'], `column "measuredBy" offers "${o.value}", which is not declared under kpis.measures`);
    });
  }
  settings.measures.forEach((x, i) => {
    if (settings.measures.findIndex((o) => o.id === x.id) !== i) issue(['measures', i, 'id'], `measure "${x.id}" is declared twice`);
  });
  const checkFields = (key: 'quarterlyPlan' | 'finalEvaluation', wanted: Record<string, readonly string[] | null>) => {
    const id = settings[key]?.documentType;
    if (!id) return;
    const target = typeOf(id, [key, 'documentType']);
    for (const [fieldId, columns] of Object.entries(wanted)) {
      const field = target?.fields.find((f) => f.id === fieldId);
      if (!target) return;
      if (!field) issue([key, 'documentType'], `"${id}" has no field "${fieldId}", which filling it writes`);
      else for (const c of columns ?? []) if (!field.columns?.some((col) => col.id === c)) issue([key, 'documentType'], `table "${fieldId}" of "${id}" has no column "${c}"`);
    }
  };
  checkFields('quarterlyPlan', QUARTERLY_FIELDS);
  checkFields('finalEvaluation', EVALUATION_FIELDS);
}
