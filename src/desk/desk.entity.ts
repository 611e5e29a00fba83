// The review and message desk of an engagement: what customers wrote, the answers, and the desk's one setting.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from '../users/user.entity.ts';
import { Engagement } from '../engagement/engagement.entity.ts';

const DeskEntrySchema = defineEntity({
  name: 'DeskEntry',
  tableName: 'desk_entries',
  indexes: [{ name: 'desk_entries_engagement_received_index', properties: ['engagement', 'receivedAt'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    /** review, messenger or email. */
    kind: p.string(),
    /** "chat", or "<network>:<account address>" from the accounts register, as the content plan names channels. */
    channel: p.string().length(600),
    network: p.string(),
    accountAddress: p.string().length(500).nullable(),
    link: p.string().length(2000).nullable(),
    receivedAt: p.datetime(),
    customerText: p.text(),
    /** positive or negative. */
    sentiment: p.string(),
    status: p.string(),
    answer: p.text().default(''),
    /** The ids of the methodology's rules the writer ticked. */
    checkedRules: p.json<string[]>(),
    answeredBy: () => p.manyToOne(User).nullable(),
    decisionComment: p.text().nullable(),
    decidedBy: () => p.manyToOne(User).nullable(),
    decidedAt: p.datetime().nullable(),
    sentAt: p.datetime().nullable(),
    sentBy: () => p.manyToOne(User).nullable(),
    loggedBy: () => p.manyToOne(User),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class DeskEntry extends DeskEntrySchema.class {}
DeskEntrySchema.setClass(DeskEntry);

/** Made on the first change; until then the methodology's approvalByDefault holds. */
const DeskSettingsSchema = defineEntity({
  name: 'DeskSettings',
  tableName: 'desk_settings',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement).unique(),
    approvalRequired: p.boolean(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class DeskSettings extends DeskSettingsSchema.class {}
DeskSettingsSchema.setClass(DeskSettings);
