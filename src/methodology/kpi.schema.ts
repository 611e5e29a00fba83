// The Launch stage's KPIs as methodology data (src/kpi): which document's table the KPIs come from, how a
// measured result sums into a KPI, and the documents the month's work can fill. Optional: methodologies
// frozen before it still load.
import { z } from 'zod';
import { localizedText } from './localized-text.ts';
import { DESK_KINDS } from './review-desk.schema.ts';

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
  /**
   * Shares of the review desk (src/desk) a KPI may read instead of a measured result: the per cent of one
   * kind of entry answered within its norm (or its ideal time), week by week.
   */
  deskShares: z
    .array(z.strictObject({
      id: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'must be letters and digits starting with a lower-case letter (for example "reviewsSameDay")'),
      kind: z.enum(DESK_KINDS, `must be one of the desk's kinds: ${DESK_KINDS.join(', ')}`),
      within: z.enum(['norm', 'ideal'], 'must be "norm" (within the norm) or "ideal" (within the ideal time)'),
    }))
    .default([]),
  quarterlyPlan: z.strictObject({ documentType: typeId, regulations: z.array(localizedText).default([]) }).optional(),
  finalEvaluation: z.strictObject({ documentType: typeId }).optional(),
});

export type KpiSettings = z.infer<typeof kpiSettingsSchema>;
export type DeskShareSetting = KpiSettings['deskShares'][number];

/** A content measure, or the id of one of the desk's shares. */
export const isMeasure = (id: string | null | undefined): id is Measure => (MEASURES as readonly string[]).includes(id ?? '');
/** The desk share a KPI's "measuredBy" names, if it names one. */
export const deskShareOf = (settings: KpiSettings | undefined, id: string | null | undefined): DeskShareSetting | undefined => (id ? settings?.deskShares?.find((d) => d.id === id) : undefined);

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
interface DeskShape {
  responseNorms: { kind: string; ideal?: { minutes: number } }[];
}

export function checkKpiSettings(settings: KpiSettings | undefined, m: { documentTypes: TypeShape[]; stages: { gate?: { rule: string }[] }[]; reviewDesk?: DeskShape }, ctx: z.RefinementCtx): void {
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
    const declared = new Set<string>([...settings.measures.map((x) => x.id), ...settings.deskShares.map((x) => x.id)]);
    table.columns?.find((c) => c.id === 'measuredBy')?.options?.forEach((o) => {
      if (!declared.has(o.value)) issue(['measures'], `column "measuredBy" offers "${o.value}", which is not declared under kpis.measures or kpis.deskShares`);
    });
  }
  settings.measures.forEach((x, i) => {
    if (settings.measures.findIndex((o) => o.id === x.id) !== i) issue(['measures', i, 'id'], `measure "${x.id}" is declared twice`);
  });
  // A desk share reads the desk's norms: the desk must be there, and an "ideal" share needs the kind's ideal time.
  settings.deskShares.forEach((x, i) => {
    if (settings.deskShares.findIndex((o) => o.id === x.id) !== i || (MEASURES as readonly string[]).includes(x.id)) issue(['deskShares', i, 'id'], `measure "${x.id}" is declared twice`);
    if (!m.reviewDesk) issue(['deskShares', i], 'a desk share needs the reviewDesk section whose norms it reads');
    else if (x.within === 'ideal' && !m.reviewDesk.responseNorms.find((n) => n.kind === x.kind)?.ideal) issue(['deskShares', i, 'within'], `the desk's norm for kind "${x.kind}" has no ideal time: use "norm", or add the ideal to the norm`);
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
