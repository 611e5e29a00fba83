// The Launch stage's content plan of an engagement (its weekday themes) and the content items it holds.
import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { User } from '../users/user.entity.ts';
import { Engagement } from '../engagement/engagement.entity.ts';

/** A weekday's theme as the engagement keeps it: seeded in both languages, or typed once by a person. */
export interface WeekdayTheme {
  weekday: number;
  theme: { en: string; ru: string };
  brief: { en: string; ru: string };
}

/** A month filled for one channel, so it is not filled twice. */
export interface FilledMonth {
  month: string;
  channel: string;
}

const ContentPlanSchema = defineEntity({
  name: 'ContentPlan',
  tableName: 'content_plans',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement).unique(),
    weekdayThemes: p.json<WeekdayTheme[]>(),
    filledMonths: p.json<FilledMonth[]>(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class ContentPlan extends ContentPlanSchema.class {}
ContentPlanSchema.setClass(ContentPlan);

/** What a published item reached, entered by hand: whole numbers from zero. */
export interface ContentMetrics {
  reach: number;
  reactions: number;
  comments: number;
  shares: number;
  newFollowers: number;
  leads: number;
}

const ContentItemSchema = defineEntity({
  name: 'ContentItem',
  tableName: 'content_items',
  indexes: [{ name: 'content_items_engagement_planned_index', properties: ['engagement', 'plannedOn'] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    engagement: () => p.manyToOne(Engagement),
    /** "chat", or "<network>:<account address>" from the accounts register. */
    channel: p.string().length(600),
    network: p.string(),
    accountAddress: p.string().length(500).nullable(),
    format: p.string(),
    title: p.string().length(200),
    /** The weekday's theme when the item was planned, kept as it was then. */
    theme: p.string().length(200).nullable(),
    body: p.text().default(''),
    mediaLinks: p.json<string[]>(),
    plannedOn: p.string().columnType('date'),
    status: p.string(),
    author: () => p.manyToOne(User).nullable(),
    decisionComment: p.text().nullable(),
    decidedBy: () => p.manyToOne(User).nullable(),
    decidedAt: p.datetime().nullable(),
    scheduledAt: p.datetime().nullable(),
    publishedAt: p.datetime().nullable(),
    publishedUrl: p.string().length(2000).nullable(),
    metrics: p.json<ContentMetrics>().nullable(),
    measuredAt: p.datetime().nullable(),
    createdBy: () => p.manyToOne(User),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class ContentItem extends ContentItemSchema.class {}
ContentItemSchema.setClass(ContentItem);
