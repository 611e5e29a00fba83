// Content items through the API: the content plan's read model and the same commands as its forms.
import type { z } from 'zod';
import { getContentItem, listContentItems, readContentContext, type ContentContext, type ItemRow } from '../../content/content.queries.ts';
import * as items from '../../content/content-items.service.ts';
import type { ContentItem } from '../../content/content.entity.ts';
import { translate } from '../../web/i18n/i18n.ts';
import { endpoint, type ApiCall, type Endpoint } from '../endpoint.ts';
import * as s from '../api.schemas.ts';

const contextOf = (call: ApiCall<unknown, unknown>): Promise<ContentContext> =>
  readContentContext(call.deps, call.holder.userId, call.params.engagementId!, call.locale, translate(call.locale, 'content.chat'));

const presentSummary = (r: ItemRow) => ({
  id: r.id,
  title: r.title,
  status: r.status,
  channel: r.channel,
  channelLabel: r.channelLabel,
  plannedOn: r.plannedOn,
  week: r.week,
  authorId: r.authorId,
  isOverdue: r.isOverdue,
  publishedUrl: r.publishedUrl,
});

const presentItem = (r: ItemRow, item: ContentItem) => ({
  ...presentSummary(r),
  format: item.format,
  body: item.body,
  mediaLinks: item.mediaLinks,
  scheduledAt: item.scheduledAt?.toISOString() ?? null,
  publishedAt: item.publishedAt?.toISOString() ?? null,
  metrics: item.metrics ?? null,
  decisionComment: item.decisionComment ?? null,
});

/** The item as its page reads it, after the command. */
async function itemOf(call: ApiCall<unknown, unknown>, itemId: string) {
  const page = await getContentItem(await contextOf(call), itemId);
  return presentItem(page.row, page.item);
}

/** The service reads the forms' fields: media links one a line, figures as digits. */
const asFormFields = (body: { mediaLinks?: string[] }) => ({ ...body, mediaLinks: (body.mediaLinks ?? []).join('\n') });

const base = '/engagements/{engagementId}/content-items';
const tag = 'Content items';
const itemAnswer = (description: string) => ({ status: 200 as const, schema: s.ContentItem, description });

/** A transition of one item: its command, then the item as it now stands. */
function transition<B extends z.ZodType>(name: string, operationId: string, summary: string, body: B, run: (call: ApiCall<undefined, z.output<B>>) => Promise<unknown>): Endpoint {
  return endpoint({
    method: 'post',
    path: `${base}/{itemId}/${name}`,
    operationId,
    summary,
    tag,
    writes: true,
    body,
    success: itemAnswer('The item after the change'),
    async handle(call) {
      await run(call as ApiCall<undefined, z.output<B>>);
      return itemOf(call, call.params.itemId!);
    },
  });
}

const who = (call: ApiCall<undefined, unknown>) => [call.deps, call.holder.userId, call.params.engagementId!, call.params.itemId!] as const;

export const contentEndpoints: Endpoint[] = [
  endpoint({
    method: 'get',
    path: base,
    operationId: 'listContentItems',
    summary: 'The content items by planned day, filtered by status, channel or ISO week',
    tag,
    writes: false,
    query: s.ContentItemQuery,
    success: { status: 200, schema: s.ContentItemList, description: 'The matching items (at most 1000)' },
    async handle(call) {
      const { rows } = await listContentItems(await contextOf(call), call.query);
      return { items: rows.map(presentSummary) };
    },
  }),
  endpoint({
    method: 'post',
    path: base,
    operationId: 'createContentItem',
    summary: 'Add an item on a channel and day: an idea, or a draft when it has an author (a staff writer always is one)',
    tag,
    writes: true,
    body: s.NewContentItemBody,
    success: { status: 201, schema: s.ContentItem, description: 'The new item' },
    async handle(call) {
      const item = await items.createItem(call.deps, call.holder.userId, call.params.engagementId!, asFormFields(call.body));
      return itemOf(call, item.id);
    },
  }),
  endpoint({
    method: 'get',
    path: `${base}/{itemId}`,
    operationId: 'getContentItem',
    summary: 'One content item with its text, links, decision and results',
    tag,
    writes: false,
    success: itemAnswer('The item'),
    handle: (call) => itemOf(call, call.params.itemId!),
  }),
  endpoint({
    method: 'put',
    path: `${base}/{itemId}`,
    operationId: 'editContentItem',
    summary: 'Write the item: an idea becomes a draft; an approved or scheduled one needs approval again',
    tag,
    writes: true,
    body: s.EditContentItemBody,
    success: itemAnswer('The item after the change'),
    async handle(call) {
      await items.editItem(...who(call), asFormFields(call.body));
      return itemOf(call, call.params.itemId!);
    },
  }),
  transition('submit', 'submitContentItem', 'Send the item to the owner for approval', s.EmptyBody, (call) => items.submitItem(...who(call))),
  transition('approve', 'approveContentItem', 'The owner (or their delegate) approves the item', s.ContentDecisionBody, (call) => items.approveItem(...who(call), call.body.comment)),
  transition('request-changes', 'requestContentItemChanges', 'The owner (or their delegate) asks for changes, saying what should change', s.ContentChangesBody, (call) =>
    items.requestItemChanges(...who(call), call.body.comment),
  ),
  transition('move', 'moveContentItem', 'Move the planned day, before the item is out', s.MoveContentItemBody, (call) => items.moveItem(...who(call), call.body)),
  transition('schedule', 'scheduleContentItem', 'Schedule an approved item for a moment inside the plan', s.ScheduleContentItemBody, (call) => items.scheduleItem(...who(call), call.body)),
  transition('publish', 'publishContentItem', "Mark the item published at its public address on the channel's network", s.PublishContentItemBody, (call) =>
    items.publishItem(...who(call), call.body),
  ),
  transition('measure', 'measureContentItem', "Enter a published item's results", s.MeasureContentItemBody, (call) =>
    items.measureItem(...who(call), Object.fromEntries(Object.entries(call.body).map(([k, v]) => [k, String(v)])) as never),
  ),
];
