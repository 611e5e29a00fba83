// The API's shapes as Zod schemas: requests are validated with them, and the OpenAPI document is generated from them.
import { z } from 'zod';
import { METRICS } from '../content/content-input.ts';
import { BODY_MAX } from '../comments/comment-rules.ts';

/** Response shapes, each a named component of the OpenAPI document. */
export const responses = z.registry<{ id: string }>();
/** Request bodies, each a named component too (converted as input: defaults make fields optional). */
export const requests = z.registry<{ id: string }>();

const named = <S extends z.ZodType>(registry: typeof responses, id: string, schema: S): S => {
  registry.add(schema, { id });
  return schema;
};

const moment = z.iso.datetime({ offset: true });
const day = z.iso.date();
const nullableMoment = moment.nullable();

// ---- Responses ----

export const FieldError = named(responses, 'FieldError', z.object({ field: z.string(), message: z.string() }));

export const Problem = named(
  responses,
  'Problem',
  z.object({
    type: z.string().describe('A stable URI naming the kind of problem, such as urn:troika:problem:not-found'),
    title: z.string().describe("The kind of problem in the token owner's language"),
    status: z.number().int(),
    detail: z.string().describe('What happened this time, in the same language'),
    errors: z.array(FieldError).optional().describe('For invalid input: one entry per field, named by its path (content.kpis[1].target)'),
    reasons: z.array(z.string()).optional().describe('For a refusal by the rules: every reason that holds the action back'),
  }),
);

export const EngagementSummary = named(
  responses,
  'EngagementSummary',
  z.object({ id: z.uuid(), clientName: z.string(), state: z.string(), role: z.enum(['consultant', 'owner', 'staff']), plannedStart: day }),
);

export const EngagementPage = named(
  responses,
  'EngagementPage',
  z.object({ items: z.array(EngagementSummary), nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last page') }),
);

export const Engagement = named(
  responses,
  'Engagement',
  z.object({
    id: z.uuid(),
    clientName: z.string(),
    site: z.string().nullable(),
    industry: z.string().nullable(),
    state: z.string().describe('A stage id, or draft, paused, completed, cancelled'),
    version: z.number().int(),
    role: z.enum(['consultant', 'owner', 'staff']).describe("The person's role here; a firm administrator who takes no part reads as the consultant"),
    actsAsOwner: z.boolean(),
    readOnly: z.boolean().describe('true for a firm administrator who takes no part: they read the engagement and change nothing'),
    plan: z.object({ first: day, last: day }),
    methodology: z.object({ key: z.string(), name: z.string() }),
    stages: z.array(z.object({ id: z.string(), title: z.string(), isSignedOff: z.boolean() })),
    participants: z.array(z.object({ userId: z.uuid(), name: z.string(), role: z.string(), actsAsOwner: z.boolean() })),
  }),
);

export const Task = named(
  responses,
  'Task',
  z.object({
    id: z.uuid(),
    key: z.string().nullable(),
    stageId: z.string(),
    title: z.string(),
    kind: z.string(),
    role: z.string(),
    required: z.boolean(),
    status: z.enum(['open', 'done']),
    deadline: nullableMoment,
    isOverdue: z.boolean(),
    assigneeId: z.uuid().nullable(),
    note: z.string().nullable(),
    documentType: z.string().nullable(),
  }),
);

export const TaskList = named(responses, 'TaskList', z.object({ items: z.array(Task) }));

export const DocumentSummary = named(
  responses,
  'DocumentSummary',
  z.object({
    id: z.uuid(),
    typeId: z.string(),
    title: z.string(),
    stageId: z.string(),
    status: z.string(),
    latestVersion: z.number().int(),
    // An upstream document was approved again since this one was: the owner is to confirm it still holds.
    reviewFlagId: z.string().nullable(),
  }),
);

export const DocumentList = named(
  responses,
  'DocumentList',
  z.object({ items: z.array(DocumentSummary), documentTypes: z.array(z.object({ id: z.string(), title: z.string() })) }),
);

export const Document = named(
  responses,
  'Document',
  z.object({
    id: z.uuid(),
    typeId: z.string(),
    title: z.string(),
    stageId: z.string(),
    status: z.enum(['draft', 'in_review', 'approved', 'changes_requested']),
    latestVersion: z.number().int(),
    latestHash: z.string().nullable().describe('Name this hash to approve or request changes: a decision is on one version'),
    approvedHash: z.string().nullable(),
    versions: z.array(z.object({ number: z.number().int(), hash: z.string(), author: z.string(), createdAt: moment })),
    approvals: z.array(z.object({ version: z.number().int(), hash: z.string(), decision: z.enum(['approved', 'changes_requested']), comment: z.string().nullable(), by: z.string(), at: moment })),
  }),
);

export const DocumentVersion = named(
  responses,
  'DocumentVersion',
  z.object({ documentId: z.uuid(), number: z.number().int(), hash: z.string(), author: z.string(), createdAt: moment, content: z.record(z.string(), z.unknown()) }),
);

export const ContentItemSummary = named(
  responses,
  'ContentItemSummary',
  z.object({
    id: z.uuid(),
    title: z.string(),
    status: z.string(),
    channel: z.string(),
    channelLabel: z.string(),
    plannedOn: day,
    week: z.string(),
    authorId: z.uuid().nullable(),
    isOverdue: z.boolean(),
    publishedUrl: z.string().nullable(),
  }),
);

export const ContentItemList = named(responses, 'ContentItemList', z.object({ items: z.array(ContentItemSummary) }));

export const Metrics = named(responses, 'Metrics', z.object(Object.fromEntries(METRICS.map((m) => [m, z.number().int()])) as Record<(typeof METRICS)[number], z.ZodNumber>));

export const ContentItem = named(
  responses,
  'ContentItem',
  ContentItemSummary.extend({
    format: z.string(),
    body: z.string(),
    mediaLinks: z.array(z.string()),
    scheduledAt: nullableMoment,
    publishedAt: nullableMoment,
    metrics: Metrics.nullable(),
    decisionComment: z.string().nullable(),
  }),
);

export const Event = named(
  responses,
  'Event',
  z.object({
    id: z.string().describe('Increases with every event; use it as the cursor'),
    seq: z.number().int().describe("The event's number within its engagement"),
    type: z.string(),
    at: moment,
    actorId: z.uuid().nullable(),
    fromState: z.string(),
    toState: z.string(),
    payload: z.record(z.string(), z.unknown()),
  }),
);

export const EventPage = named(responses, 'EventPage', z.object({ items: z.array(Event), nextCursor: z.string().nullable().describe('Pass as ?after= to read on; null when no newer event exists yet (store the last id and ask again later)') }));

export const KpiWeek = named(
  responses,
  'KpiWeek',
  z.object({
    week: z.string().describe('An ISO week such as 2026-W19'),
    value: z.number(),
    entered: z.boolean().describe('true for a figure entered by a person; false for one summed from measured content items'),
  }),
);

export const Kpi = named(
  responses,
  'Kpi',
  z.object({
    id: z.uuid(),
    metric: z.string(),
    unit: z.string().nullable(),
    network: z.string().nullable().describe('The network the KPI is tracked on; null for one over all networks'),
    better: z.enum(['higher', 'lower']).describe('Which way is progress'),
    baseline: z.number(),
    target: z.number(),
    targetDate: day,
    startsOn: day.describe('The day tracking began: the first approval of the target criteria that had this row'),
    measure: z.string().nullable().describe('The content result it is summed from, or null when entered by hand'),
    responsible: z.string().nullable(),
    source: z.string().nullable(),
    status: z.enum(['noData', 'onTrack', 'behind', 'met']).describe('met: the latest actual reaches the target; onTrack: it reaches the straight line from baseline to target today; behind otherwise; noData without an actual'),
    latest: z.object({ week: z.string(), value: z.number() }).nullable(),
    expected: z.number().describe('What the straight line from the baseline to the target expects today'),
    actuals: z.array(KpiWeek).describe('The weekly series, oldest first'),
  }),
);

export const KpiList = named(
  responses,
  'KpiList',
  z.object({
    items: z.array(Kpi),
    canEnter: z.boolean().describe('Whether this person may record actuals (the consultant, the owner or their delegate)'),
    currentWeek: z.string().describe('The ISO week of today'),
  }),
);

/** A comment's fields; a reply has no replies of its own (a reply to a reply joins the same thread). */
const commentFields = {
  id: z.uuid(),
  authorId: z.uuid(),
  authorName: z.string(),
  body: z.string().describe('The text as written (Markdown)'),
  bodyHtml: z.string().describe('The text rendered as the pages show it, mentions marked'),
  field: z.string().nullable().describe("The document field it is about, or null for the whole subject"),
  createdAt: moment,
  editedAt: nullableMoment,
  taskId: z.uuid().nullable().describe('The task made of this comment'),
};
export const CommentReply = named(responses, 'CommentReply', z.object(commentFields));
export const Comment = named(responses, 'Comment', z.object({ ...commentFields, replies: z.array(CommentReply) }));

export const CommentThread = named(
  responses,
  'CommentThread',
  z.object({
    subject: z.object({ type: z.enum(['task', 'documentVersion', 'contentItem']), id: z.uuid() }),
    count: z.number().int(),
    canComment: z.boolean().describe('false once the engagement is completed or cancelled'),
    fields: z.array(z.object({ id: z.string(), label: z.string() })).describe('The document fields a comment may be about'),
    items: z.array(Comment).describe('The threads, oldest first: each first comment with its replies'),
  }),
);

// ---- Requests ----

const limit = z.coerce.number().int().min(1).max(100).default(25);

export const EngagementListQuery = z.strictObject({ cursor: z.string().max(200).optional(), limit });
export const EventQuery = z.strictObject({ after: z.string().regex(/^\d{1,18}$/, 'must be an event id').optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const ContentItemQuery = z.strictObject({
  status: z.string().max(40).optional(),
  channel: z.string().max(600).optional(),
  week: z.string().regex(/^\d{4}-W\d\d$/, 'must be a week such as 2026-W19').optional(),
});

const text = (max: number) => z.string().max(max);
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be the version hash the document shows');

export const AssignTaskBody = named(requests, 'AssignTask', z.strictObject({ assigneeId: z.uuid(), deadline: z.union([z.iso.date(), moment]).optional().describe('A day (the end of it) or a moment with its offset') }));
export const CompleteTaskBody = named(requests, 'CompleteTask', z.strictObject({ note: text(2000).optional() }));
export const SaveDocumentBody = named(
  requests,
  'SaveDocument',
  z.strictObject({
    typeId: z.string().min(1).max(100),
    content: z.record(z.string(), z.unknown()).describe("The fields of the document type, as the methodology defines them; checked by the type's own rules"),
    submit: z.boolean().default(false).describe('true sends the new version to the owner for approval at once'),
  }),
);
export const ApproveDocumentBody = named(requests, 'ApproveDocument', z.strictObject({ hash, comment: text(4000).optional() }));
export const RequestDocumentChangesBody = named(requests, 'RequestDocumentChanges', z.strictObject({ hash, comment: text(4000) }));

const itemFields = {
  title: text(200),
  format: text(100),
  body: text(20_000).optional(),
  mediaLinks: z.array(text(2000)).max(10).optional(),
  authorId: z.uuid().optional().describe('The staff member who writes it; a staff writer is always the author'),
};
export const NewContentItemBody = named(requests, 'NewContentItem', z.strictObject({ ...itemFields, channel: text(600), plannedOn: day }));
export const EditContentItemBody = named(requests, 'EditContentItem', z.strictObject(itemFields));
export const ContentDecisionBody = named(requests, 'ContentDecision', z.strictObject({ comment: text(4000).optional() }));
export const ContentChangesBody = named(requests, 'ContentChanges', z.strictObject({ comment: text(4000) }));
export const MoveContentItemBody = named(requests, 'MoveContentItem', z.strictObject({ plannedOn: day }));
export const ScheduleContentItemBody = named(requests, 'ScheduleContentItem', z.strictObject({ scheduledAt: moment }));
export const PublishContentItemBody = named(requests, 'PublishContentItem', z.strictObject({ publishedUrl: text(2000), publishedAt: moment }));
export const MeasureContentItemBody = named(
  requests,
  'MeasureContentItem',
  z.strictObject(Object.fromEntries(METRICS.map((m) => [m, z.number().int().min(0).max(1_000_000_000)])) as Record<(typeof METRICS)[number], z.ZodNumber>),
);
export const EmptyBody = named(requests, 'Empty', z.strictObject({}));

export const RecordKpiActualsBody = named(
  requests,
  'RecordKpiActuals',
  z.strictObject({
    week: z.string().regex(/^\d{4}-W\d\d$/, 'must be a week such as 2026-W19').describe('An ISO week that has begun'),
    values: z.record(z.string().max(100), z.number().min(-1e12).max(1e12)).describe("The week's figure of each KPI, by its id; a KPI left out keeps what it had"),
  }),
);
export const NewCommentBody = named(
  requests,
  'NewComment',
  z.strictObject({
    body: text(BODY_MAX).describe('Markdown; @name mentions tell the participants named, if they may read the thread'),
    field: text(100).optional().describe('A field of the document version the comment is about'),
    parentId: z.uuid().optional().describe('The comment this one answers: it joins that thread'),
  }),
);
