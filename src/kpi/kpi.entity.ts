// The KPIs an engagement tracks (one per row of its approved target criteria) and their weekly actuals.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Engagement } from '../engagement/engagement.entity.ts';
import { User } from '../users/user.entity.ts';

const KpiSchema = defineEntity({
  name: 'Kpi',
  tableName: 'kpis',
  uniques: [{ properties: ['engagement', 'key'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    /** The metric (lower case, spaces folded) and the network: what a newer approved version is matched by. */
    key: p.string().length(300),
    metric: p.string().length(300),
    unit: p.string().length(100).nullable(),
    network: p.string().nullable(),
    /** "higher" or "lower": which way is progress. */
    better: p.string(),
    baseline: p.double(),
    target: p.double(),
    targetDate: p.string().columnType('date'),
    /** The day the KPI began to be tracked: the first approval that had its row. */
    startsOn: p.string().columnType('date'),
    /** A measured result of the content items it is summed from, or null when entered by hand. */
    measure: p.string().nullable(),
    responsible: p.string().length(300).nullable(),
    source: p.string().length(300).nullable(),
    position: p.integer(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class Kpi extends KpiSchema.class {}
KpiSchema.setClass(Kpi);

const KpiActualSchema = defineEntity({
  name: 'KpiActual',
  tableName: 'kpi_actuals',
  uniques: [{ properties: ['kpi', 'week'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    kpi: () => p.manyToOne(Kpi).deleteRule('cascade'),
    /** An ISO week such as 2026-W19. */
    week: p.string().length(8),
    value: p.double(),
    /** "form" or "csv". */
    enteredVia: p.string(),
    enteredBy: () => p.manyToOne(User),
    enteredAt: p.datetime(),
  },
});

export class KpiActual extends KpiActualSchema.class {}
KpiActualSchema.setClass(KpiActual);
