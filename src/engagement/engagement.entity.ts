// One client engagement: its persisted machine snapshot, its people and its append-only event log.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from '../users/user.entity.ts';
import { MethodologyVersion } from '../methodology/methodology-version.entity.ts';
import type { PersistedEngagement } from './engagement.machine.ts';

const EngagementSchema = defineEntity({
  name: 'Engagement',
  tableName: 'engagements',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    clientName: p.string(),
    site: p.string().nullable(),
    industry: p.string().nullable(),
    plannedStart: p.string().columnType('date'),
    feeAmount: p.integer(),
    feeCurrency: p.string().length(3),
    methodology: () => p.manyToOne(MethodologyVersion),
    /** The machine's state value, kept beside the snapshot so lists can filter on it. */
    state: p.string().index(),
    snapshot: p.json<PersistedEngagement>(),
    /** Number of the last event appended; the next event takes eventSeq + 1. */
    eventSeq: p.integer().default(0),
    createdBy: () => p.manyToOne(User),
    createdAt: p.datetime().onCreate(() => new Date()),
    version: p.integer().version(),
    /** IANA zone whose Monday to Friday are the working days of reminders (src/reminders). */
    timeZone: p.string().length(64).default('UTC'),
  },
});

export class Engagement extends EngagementSchema.class {}
EngagementSchema.setClass(Engagement);

const ParticipantSchema = defineEntity({
  name: 'Participant',
  tableName: 'participants',
  indexes: [
    { name: 'participants_user_id_index', properties: ['user'] },
    // The home page's list: a person's engagements by role, newest first (Migration20261201230000_ListIndexes).
    { name: 'participants_user_role_added_index', expression: 'create index "participants_user_role_added_index" on "participants" ("user_id", "role", "added_at" desc, "engagement_id")' },
    // At most one delegate acts for the owner in an engagement (Migration20261202010000_OwnerDelegate).
    { name: 'participants_one_owner_delegate', expression: 'create unique index "participants_one_owner_delegate" on "participants" ("engagement_id") where "acts_as_owner"' },
  ],
  uniques: [{ properties: ['engagement', 'user'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    user: () => p.manyToOne(User),
    role: p.string(),
    direction: p.string().nullable(),
    /** The name the inviter gave: what the engagement shows, never the account's own name. */
    displayName: p.string().length(200),
    /** Named by the owner: this staff member acts as owner here (approves, signs off, runs the project) until withdrawn. */
    actsAsOwner: p.boolean().default(false),
    addedAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Participant extends ParticipantSchema.class {}
ParticipantSchema.setClass(Participant);

const EngagementEventSchema = defineEntity({
  name: 'EngagementEvent',
  tableName: 'engagement_events',
  uniques: [{ properties: ['engagement', 'seq'] }],
  // The event log page's filters by person and by kind, newest first.
  indexes: [
    { name: 'engagement_events_actor_index', properties: ['engagement', 'actor', 'seq'] },
    { name: 'engagement_events_type_index', properties: ['engagement', 'type', 'seq'] },
  ],
  properties: {
    id: p.integer().primary().autoincrement(),
    engagement: () => p.manyToOne(Engagement),
    seq: p.integer(),
    actor: () => p.manyToOne(User).nullable(),
    at: p.datetime(),
    type: p.string(),
    fromState: p.string(),
    toState: p.string(),
    payload: p.json<Record<string, unknown>>(),
  },
});

export class EngagementEvent extends EngagementEventSchema.class {}
EngagementEventSchema.setClass(EngagementEvent);

const StageSignoffSchema = defineEntity({
  name: 'StageSignoff',
  tableName: 'stage_signoffs',
  uniques: [{ properties: ['engagement', 'stageId'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    stageId: p.string(),
    signedBy: () => p.manyToOne(User),
    signedAt: p.datetime(),
  },
});

export class StageSignoff extends StageSignoffSchema.class {}
StageSignoffSchema.setClass(StageSignoff);
