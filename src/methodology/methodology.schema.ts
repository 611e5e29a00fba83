// The shape of a methodology file: what the loader accepts, and the types the engine builds from.
import { z } from 'zod';
import { trainingModuleSchema } from './training.schema.ts';
import { localizedText } from './localized-text.ts';
import { checkNetworks, checkGateRule, resolveNetworks } from './methodology-networks.ts';
import { checkDocumentationRule } from './documentation-rule.ts';
import { checkKpiSettings, kpiActualsRuleSchema, kpiSettingsSchema } from './kpi.schema.ts';
import { contentPlanSchema, checkContentPlan } from './content-plan.schema.ts';
import { reviewDeskSchema, checkReviewDesk } from './review-desk.schema.ts';
import { publishedPerNetworkRuleSchema, noContentAwaitingApprovalRuleSchema, checkContentGateRule, isContentGateRule } from './content-gate-rules.ts';
import { remindersSchema } from './reminders.schema.ts';
import { checkDocumentDependencies } from './document-dependencies.ts';

const id = z
  .string()
  .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/, 'must be lower-case letters, digits, "-" and "." (for example "prep.competitors")');

const fieldId = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'must be camelCase letters and digits (for example "postsPerWeek")');

export { localizedText };

export const roles = ['consultant', 'owner', 'staff'] as const;
export const directions = ['sales', 'production', 'logistics', 'analysis', 'other'] as const;
/** Engagement states that are not stages, so no stage may take their names. */
export const reservedStateNames = ['draft', 'paused', 'completed', 'cancelled'] as const;
export const taskKinds = ['work', 'document', 'training', 'meeting', 'signoff'] as const;

export const taskSchema = z
  .strictObject({
    id,
    title: localizedText,
    description: localizedText,
    kind: z.enum(taskKinds),
    role: z.enum(roles),
    required: z.boolean(),
    documentType: id.optional(),
    /** Day of the stage (1-based) by which the task is due; the stage's last day when absent. */
    dueDay: z.number().int().min(1).optional(),
    /**
     * "training-modules": done by itself once every training module assigned in its stage is completed.
     * "study-sessions": done by itself once every participant (owner and staff) has completed the modules
     * given to everyone in its stage (training.everyone) and had a one-to-one session the consultant recorded.
     */
    completion: z.enum(['training-modules', 'study-sessions']).optional(),
  })
  .superRefine((task, ctx) => {
    if (task.kind === 'document' && !task.documentType) {
      ctx.addIssue({ code: 'custom', path: ['documentType'], message: 'a document task must name the document type it produces' });
    }
    if (task.kind !== 'document' && task.documentType) {
      ctx.addIssue({ code: 'custom', path: ['documentType'], message: `only a document task produces a document (this one is "${task.kind}")` });
    }
    if (task.kind === 'signoff' && task.role !== 'owner') {
      ctx.addIssue({ code: 'custom', path: ['role'], message: 'a stage sign-off is done by the owner' });
    }
  });

/**
 * A stage gate rule, beyond the required tasks and documents: each mandatory network has a row in the
 * approved version of a document's table, with every listed column filled in (a box ticked).
 */
export const mandatoryNetworksRuleSchema = z.strictObject({
  rule: z.literal('mandatory-networks'),
  documentType: id,
  /** A table field with mandatoryNetworkRows. */
  table: fieldId,
  complete: z.array(fieldId).min(1, 'name the columns that must be filled in'),
});
/**
 * A stage gate rule: each project document of the earlier stages that has an approved version is, in
 * this stage, either confirmed by the owner as needing no changes or approved again in a new version,
 * and none has a newer version pending. The named task (the owner's) closes by itself once all are.
 */
export const documentationCorrectedRuleSchema = z.strictObject({
  rule: z.literal('documentation-corrected'),
  /** The id of a work task of this stage, done by the owner. */
  task: id,
});
export const gateRuleSchema = z.discriminatedUnion(
  'rule',
  [mandatoryNetworksRuleSchema, documentationCorrectedRuleSchema, publishedPerNetworkRuleSchema, noContentAwaitingApprovalRuleSchema, kpiActualsRuleSchema],
  'unknown gate rule: the ones there are, "mandatory-networks", "documentation-corrected", "published-per-network", "no-content-awaiting-approval" and "kpi-actuals"',
);

export const stageSchema = z.strictObject({
  id,
  title: localizedText,
  goal: localizedText,
  durationDays: z.number().int().min(1).max(366),
  tasks: z.array(taskSchema).min(1, 'a stage needs at least one task'),
  gate: z.array(gateRuleSchema).optional(),
});

/**
 * trainingModule: a choice among the methodology's training modules. network: a choice among the
 * methodology's networks; the loader turns it into a select whose options are those networks, so the
 * frozen copy an engagement keeps carries the exact choices it was started with.
 */
export const scalarFieldTypes = ['text', 'number', 'integer', 'date', 'url', 'select', 'boolean', 'trainingModule', 'network', 'direction'] as const;
export const fieldTypes = [...scalarFieldTypes, 'textarea', 'markdown', 'list', 'table'] as const;
/**
 * achievement: a table column nobody types into. Its value is computed from three number columns of
 * the same row (see src/documents/achievement.ts), so a result is never ticked by hand.
 */
export const columnTypes = [...scalarFieldTypes, 'achievement'] as const;

const optionSchema = z.strictObject({ value: z.string().min(1), label: localizedText });

const withOptions = <T extends { type: string; options?: unknown[]; networks?: unknown[] }>(field: T, ctx: z.RefinementCtx) => {
  if (field.type === 'select' && !field.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a select field needs options' });
  if (field.type === 'network' && field.options) {
    ctx.addIssue({ code: 'custom', path: ['options'], message: 'a network field offers the methodology\'s networks: remove its options (use "networks" to offer only some of them)' });
  } else if (field.type !== 'select' && field.options) ctx.addIssue({ code: 'custom', path: ['options'], message: `only a select field has options (this one is "${field.type}")` });
  if (field.type !== 'network' && field.networks) ctx.addIssue({ code: 'custom', path: ['networks'], message: `only a network field names networks (this one is "${field.type}")` });
};

/** A network field may offer only some of the methodology's networks, named by id. */
const networkSubset = z.array(z.string().min(1)).min(1).optional();

/** The number columns an achievement column is computed from. */
const achievementSources = z.strictObject({ baseline: fieldId, target: fieldId, actual: fieldId });

export const columnSchema = z
  .strictObject({
    id: fieldId,
    label: localizedText,
    type: z.enum(columnTypes),
    required: z.boolean().default(false),
    options: z.array(optionSchema).optional(),
    networks: networkSubset,
    min: z.number().optional(),
    max: z.number().optional(),
    from: achievementSources.optional(),
  })
  .superRefine((column, ctx) => {
    withOptions(column, ctx);
    if (column.type === 'achievement' && !column.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'an achievement column names the columns it is computed from: from: { baseline, target, actual }' });
    if (column.type !== 'achievement' && column.from) ctx.addIssue({ code: 'custom', path: ['from'], message: `only an achievement column is computed from other columns (this one is "${column.type}")` });
    if (column.type === 'achievement' && column.required) ctx.addIssue({ code: 'custom', path: ['required'], message: 'an achievement column is computed, so nobody can be required to fill it in' });
  });

export const fieldSchema = z
  .strictObject({
    id: fieldId,
    label: localizedText,
    help: localizedText.optional(),
    type: z.enum(fieldTypes),
    required: z.boolean().default(false),
    options: z.array(optionSchema).optional(),
    columns: z.array(columnSchema).optional(),
    networks: networkSubset,
    /**
     * In a table: the id of its network column. The table then holds a row for each mandatory network
     * of the methodology: the editor adds those rows and a version without one of them is refused.
     */
    mandatoryNetworkRows: fieldId.optional(),
    /**
     * In a table: the id of a yes/no column that marks the business's own rows, the baseline the
     * others are compared with. The editor starts an empty table with such a row, and a version
     * without one is refused.
     */
    baselineRow: fieldId.optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .superRefine((field, ctx) => {
    withOptions(field, ctx);
    if (field.mandatoryNetworkRows !== undefined) {
      const column = field.columns?.find((c) => c.id === field.mandatoryNetworkRows);
      if (field.type !== 'table') ctx.addIssue({ code: 'custom', path: ['mandatoryNetworkRows'], message: 'only a table holds rows for the mandatory networks' });
      else if (!column) ctx.addIssue({ code: 'custom', path: ['mandatoryNetworkRows'], message: `the table has no column "${field.mandatoryNetworkRows}"` });
      else if (column.type !== 'network') ctx.addIssue({ code: 'custom', path: ['mandatoryNetworkRows'], message: `column "${column.id}" is not a network column (it is "${column.type}")` });
      else if (column.networks) ctx.addIssue({ code: 'custom', path: ['mandatoryNetworkRows'], message: `column "${column.id}" offers only some networks, so it cannot hold every mandatory one` });
    }
    if (field.baselineRow !== undefined) {
      const column = field.columns?.find((c) => c.id === field.baselineRow);
      if (field.type !== 'table') ctx.addIssue({ code: 'custom', path: ['baselineRow'], message: 'only a table holds a baseline row' });
      else if (!column) ctx.addIssue({ code: 'custom', path: ['baselineRow'], message: `the table has no column "${field.baselineRow}"` });
      else if (column.type !== 'boolean') ctx.addIssue({ code: 'custom', path: ['baselineRow'], message: `column "${column.id}" is not a yes/no column (it is "${column.type}")` });
    }
    field.columns?.forEach((column, c) => checkAchievementSources(field.columns!, column, ['columns', c, 'from'], ctx));
    if (field.type === 'table' && !field.columns?.length) ctx.addIssue({ code: 'custom', path: ['columns'], message: 'a table field needs columns' });
    if (field.type !== 'table' && field.columns) ctx.addIssue({ code: 'custom', path: ['columns'], message: `only a table field has columns (this one is "${field.type}")` });
    field.columns?.forEach((c, i, all) => {
      if (all.findIndex((o) => o.id === c.id) !== i) ctx.addIssue({ code: 'custom', path: ['columns', i, 'id'], message: `column id "${c.id}" is used twice` });
    });
  });

/** An achievement column reads number columns of its own table. */
function checkAchievementSources(columns: { id: string; type: string }[], column: { type: string; from?: Record<string, string> }, path: (string | number)[], ctx: z.RefinementCtx): void {
  for (const [role, id] of Object.entries(column.from ?? {})) {
    const source = columns.find((c) => c.id === id);
    if (!source) ctx.addIssue({ code: 'custom', path: [...path, role], message: `the table has no column "${id}"` });
    else if (!['number', 'integer'].includes(source.type)) ctx.addIssue({ code: 'custom', path: [...path, role], message: `column "${id}" is not a number column (it is "${source.type}")` });
  }
}

export const documentTypeSchema = z
  .strictObject({
    id,
    title: localizedText,
    description: localizedText.optional(),
    /**
     * The document types this one builds on, by id: when one of them is approved in a new version, an
     * approved document of this type is flagged for review (src/documents/review-flags.service.ts).
     */
    dependsOn: z.array(id).optional(),
    fields: z.array(fieldSchema).min(1, 'a document type needs at least one field'),
  })
  .superRefine((type, ctx) => {
    type.fields.forEach((f, i) => {
      if (type.fields.findIndex((o) => o.id === f.id) !== i) ctx.addIssue({ code: 'custom', path: ['fields', i, 'id'], message: `field id "${f.id}" is used twice` });
    });
  });

export const networkSchema = z.strictObject({
  id,
  name: z.string().trim().min(1),
  /** How the network is called in each language, when that differs from its name (VK is "ВКонтакте"). */
  label: localizedText.optional(),
  /** Set here or by the top-level mandatoryNetworks list, not both. */
  mandatory: z.boolean().default(false),
});


const checkedMethodologySchema = z
  .strictObject({
    id,
    version: z.number().int().min(1),
    name: localizedText,
    summary: localizedText,
    goal: localizedText,
    fee: z.strictObject({ amount: z.number().positive(), currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as RUB') }),
    participants: z
      .strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) })
      .refine((p) => p.min <= p.max, { message: 'min must not exceed max' }),
    roles: z.record(z.enum(roles), localizedText),
    directions: z.record(z.enum(directions), localizedText),
    networks: z.array(networkSchema).min(1),
    /** The networks every engagement must open, by id; the loader copies it onto each network's flag. */
    mandatoryNetworks: z.array(z.string().min(1)).min(1).optional(),
    documentTypes: z.array(documentTypeSchema),
    stages: z.array(stageSchema).min(1, 'a methodology needs at least one stage'),
    training: z
      .strictObject({
        passMark: z.number().int().min(1).max(100).default(80),
        maxAttempts: z.number().int().min(1).max(20).default(3),
        /** The document whose approval assigns the modules to staff. */
        programmeDocument: id.optional(),
        /** The document the completed modules can fill in (its first table takes one row per completion). */
        recordDocument: id.optional(),
        /**
         * Modules every participant, the owner included, gets when the engagement starts (and whoever joins
         * during the module's stage); they belong to the first stage, where the study of the kit happens.
         */
        everyone: z.array(z.string().min(1)).optional(),
      })
      .default({ passMark: 80, maxAttempts: 3 }),
    /** Read from the training/ folder beside the file, never written in methodology.yaml itself. */
    trainingModules: z.array(trainingModuleSchema).default([]),
    /** The Launch stage's content plan defaults (src/content); absent in methodologies frozen before it. */
    contentPlan: contentPlanSchema.optional(),
    /** The review and message desk's rules, phrases and answer-time norms (src/desk); absent in methodologies frozen before it. */
    reviewDesk: reviewDeskSchema.optional(),
    /** Reminder and escalation thresholds (src/reminders); absent in methodologies frozen before them. */
    reminders: remindersSchema.optional(),
    /** The Launch stage's KPIs (src/kpi); absent in methodologies frozen before them. */
    kpis: kpiSettingsSchema.optional(),
  })
  .superRefine((m, ctx) => {
    const seen = new Map<string, string>();
    const typeIds = new Set(m.documentTypes.map((d) => d.id));
    reportDuplicates(m.documentTypes.map((d) => d.id), ['documentTypes'], 'document type', ctx);
    reportDuplicates(m.networks.map((n) => n.id), ['networks'], 'network', ctx);
    reportDuplicates(m.stages.map((s) => s.id), ['stages'], 'stage', ctx);
    m.stages.forEach((stage, s) => {
      if ((reservedStateNames as readonly string[]).includes(stage.id)) {
        ctx.addIssue({ code: 'custom', path: ['stages', s, 'id'], message: `"${stage.id}" names an engagement state; choose another stage id` });
      }
    });
    m.stages.forEach((stage, s) => {
      const signoffs = stage.tasks.filter((t) => t.kind === 'signoff');
      if (signoffs.length !== 1) {
        ctx.addIssue({ code: 'custom', path: ['stages', s, 'tasks'], message: `a stage needs exactly one sign-off task, found ${signoffs.length}` });
      }
      stage.tasks.forEach((task, t) => {
        const path = ['stages', s, 'tasks', t, 'id'];
        const earlier = seen.get(task.id);
        if (earlier) ctx.addIssue({ code: 'custom', path, message: `task id "${task.id}" is already used at ${earlier}` });
        else seen.set(task.id, `stages[${s}].tasks[${t}]`);
        if (task.documentType && !typeIds.has(task.documentType)) {
          ctx.addIssue({ code: 'custom', path: ['stages', s, 'tasks', t, 'documentType'], message: `unknown document type "${task.documentType}"` });
        }
        if (task.dueDay && task.dueDay > stage.durationDays) {
          ctx.addIssue({ code: 'custom', path: ['stages', s, 'tasks', t, 'dueDay'], message: `day ${task.dueDay} is past the stage's ${stage.durationDays} days` });
        }
      });
    });
    const stageIds = new Set(m.stages.map((st) => st.id));
    m.trainingModules.forEach((module, i) => {
      if (!stageIds.has(module.stage)) ctx.addIssue({ code: 'custom', path: ['trainingModules', i, 'stage'], message: `training module "${module.id}" names an unknown stage "${module.stage}"` });
      if (m.trainingModules.findIndex((o) => o.id === module.id) !== i) ctx.addIssue({ code: 'custom', path: ['trainingModules', i, 'id'], message: `training module id "${module.id}" is used twice` });
    });
    checkEveryoneModules(m, ctx);
    if (m.training.programmeDocument && !typeIds.has(m.training.programmeDocument)) {
      ctx.addIssue({ code: 'custom', path: ['training', 'programmeDocument'], message: `unknown document type "${m.training.programmeDocument}"` });
    }
    checkNetworks(m, ctx);
    m.stages.forEach((stage, s) =>
      stage.gate?.forEach((rule, r) => {
        const path = ['stages', s, 'gate', r];
        if (rule.rule === 'mandatory-networks') checkGateRule(m, rule, path, ctx);
        else if (rule.rule === 'documentation-corrected') checkDocumentationRule(m.stages, s, rule, path, ctx);
        else if (isContentGateRule(rule)) checkContentGateRule(m, stage, r, path, ctx);
      }),
    );
    checkContentPlan(m.contentPlan, m, ctx);
    checkReviewDesk(m.reviewDesk, ctx);
    checkDocumentDependencies(m.documentTypes, ctx);
    checkKpiSettings(m.kpis, m, ctx);
  });

export const methodologySchema = checkedMethodologySchema.transform(resolveNetworks);
type RawMethodology = z.input<typeof methodologySchema>;
export type CheckedMethodology = z.output<typeof checkedMethodologySchema>;

/** training.everyone names modules of the first stage; a study-sessions task needs one and there is at most one. */
interface StudyShape {
  stages: { id: string; tasks: { id: string; completion?: string }[] }[];
  training: { everyone?: string[] };
  trainingModules: { id: string; stage: string }[];
}

function checkEveryoneModules(m: StudyShape, ctx: z.RefinementCtx): void {
  const firstStage = m.stages[0]?.id;
  (m.training.everyone ?? []).forEach((moduleId, i) => {
    const path = ['training', 'everyone', i];
    const module = m.trainingModules.find((t) => t.id === moduleId);
    if (!module) ctx.addIssue({ code: 'custom', path, message: `unknown training module "${moduleId}"` });
    else if (module.stage !== firstStage) {
      ctx.addIssue({ code: 'custom', path, message: `module "${moduleId}" belongs to stage "${module.stage}": a module given to everyone at the start belongs to the first stage, "${firstStage}"` });
    }
    if (m.training.everyone!.indexOf(moduleId) !== i) ctx.addIssue({ code: 'custom', path, message: `module "${moduleId}" is listed twice` });
  });
  const study = m.stages.flatMap((stage, s) => stage.tasks.map((task, t) => ({ stage, task, path: ['stages', s, 'tasks', t, 'completion'] }))).filter((x) => x.task.completion === 'study-sessions');
  study.forEach(({ stage, task, path }, i) => {
    if (i > 0) ctx.addIssue({ code: 'custom', path, message: `only one task closes by the one-to-one sessions; "${study[0]!.task.id}" already does` });
    else if (stage.id !== firstStage) ctx.addIssue({ code: 'custom', path, message: `task "${task.id}" closes by the one-to-one study of the kit, which happens in the first stage, "${firstStage}"` });
    else if (!m.training.everyone?.length) ctx.addIssue({ code: 'custom', path, message: 'a task that closes by the one-to-one sessions needs the modules everyone studies: list them under training.everyone' });
  });
}

function reportDuplicates(ids: string[], path: (string | number)[], what: string, ctx: z.RefinementCtx): void {
  const first = new Map<string, number>();
  ids.forEach((value, index) => {
    if (first.has(value)) {
      ctx.addIssue({ code: 'custom', path: [...path, index, 'id'], message: `${what} id "${value}" is already used at index ${first.get(value)}` });
    } else first.set(value, index);
  });
}

export type Methodology = z.output<typeof methodologySchema>;
export type MethodologyInput = RawMethodology;
export type GateRule = z.infer<typeof gateRuleSchema>;
export type MandatoryNetworksRule = z.infer<typeof mandatoryNetworksRuleSchema>;
export type DocumentationCorrectedRule = z.infer<typeof documentationCorrectedRuleSchema>;
export type Network = Methodology['networks'][number];
export type Stage = z.infer<typeof stageSchema>;
export type TaskDefinition = z.infer<typeof taskSchema>;
export type LocalizedText = z.infer<typeof localizedText>;
/** Set by the loader on a table with mandatoryNetworkRows: the ids of the mandatory networks, in order. */
export type FieldDefinition = z.infer<typeof fieldSchema> & { mandatoryNetworkIds?: string[] };
export type DocumentType = Omit<z.infer<typeof documentTypeSchema>, 'fields'> & { fields: FieldDefinition[] };
export type ColumnDefinition = z.infer<typeof columnSchema>;
export type Role = (typeof roles)[number];
export type Direction = (typeof directions)[number];
export type TaskKind = (typeof taskKinds)[number];
