// Engagements and their checklists through the API: the same read models and task commands as the pages.
import { getEngagementOverview, type EngagementOverview, type TaskRow } from '../../engagement/overview.ts';
import { assignTask, completeTask } from '../../engagement/tasks.service.ts';
import { isUuid } from '../../engagement/command.ts';
import { InvalidInputError, NotFoundError } from '../../errors.ts';
import { listEngagementsAfter } from '../engagement-list.queries.ts';
import { endpoint, type ApiCall } from '../endpoint.ts';
import * as s from '../api.schemas.ts';

/** An opaque cursor: clients pass back what they were given and build nothing from it. */
const encodeCursor = (id: string) => Buffer.from(`engagement:${id}`).toString('base64url');
function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined) return null;
  const id = /^engagement:(.+)$/.exec(Buffer.from(cursor, 'base64url').toString())?.[1];
  if (!id || !isUuid(id)) throw new InvalidInputError([{ field: 'cursor', message: 'the cursor is not one this API gave' }]);
  return id;
}

export const presentTask = (t: TaskRow) => ({
  id: t.id,
  key: t.key,
  stageId: t.stageId,
  title: t.title,
  kind: t.kind,
  role: t.role,
  required: t.required,
  status: t.status,
  deadline: t.deadline?.toISOString() ?? null,
  isOverdue: t.isOverdue,
  assigneeId: t.assigneeId,
  note: t.note,
  documentType: t.documentType,
});

const presentEngagement = (o: EngagementOverview) => ({
  id: o.id,
  clientName: o.clientName,
  site: o.site,
  industry: o.industry,
  state: o.timeline.state,
  version: o.version,
  role: o.role,
  actsAsOwner: o.actsAsOwner,
  readOnly: o.readOnly,
  plan: o.plan,
  methodology: { key: o.methodologyKey, name: o.methodologyName },
  stages: o.stages.map((st) => ({ id: st.id, title: st.title, isSignedOff: st.isSignedOff })),
  participants: o.participants.map((p) => ({ userId: p.userId, name: p.name, role: p.role, actsAsOwner: p.actsAsOwner })),
});

const overviewOf = (call: ApiCall<unknown, unknown>) => getEngagementOverview(call.deps, call.holder.userId, call.params.engagementId!, call.locale);

/** The task as the checklist shows it to this person after the command: staff see only their own. */
async function taskAfter(call: ApiCall<unknown, unknown>, taskId: string) {
  const task = (await overviewOf(call)).stages.flatMap((st) => st.tasks).find((t) => t.id === taskId);
  if (!task) throw new NotFoundError('Task');
  return presentTask(task);
}

export const engagementEndpoints = [
  endpoint({
    method: 'get',
    path: '/engagements',
    operationId: 'listEngagements',
    summary: 'The engagements the token owner takes part in, by id, a page at a time',
    tag: 'Engagements',
    writes: false,
    query: s.EngagementListQuery,
    success: { status: 200, schema: s.EngagementPage, description: 'One page' },
    async handle(call) {
      const { rows, hasMore } = await listEngagementsAfter(call.deps, call.holder.userId, decodeCursor(call.query.cursor), call.query.limit);
      return { items: rows, nextCursor: hasMore ? encodeCursor(rows.at(-1)!.id) : null };
    },
  }),
  endpoint({
    method: 'get',
    path: '/engagements/{engagementId}',
    operationId: 'getEngagement',
    summary: 'One engagement: its state, plan, stages and people',
    tag: 'Engagements',
    writes: false,
    success: { status: 200, schema: s.Engagement, description: 'The engagement' },
    handle: async (call) => presentEngagement(await overviewOf(call)),
  }),
  endpoint({
    method: 'get',
    path: '/engagements/{engagementId}/tasks',
    operationId: 'listTasks',
    summary: 'The checklist, stage by stage (staff see the tasks assigned to them)',
    tag: 'Tasks',
    writes: false,
    success: { status: 200, schema: s.TaskList, description: 'Every task the person may see' },
    handle: async (call) => ({ items: (await overviewOf(call)).stages.flatMap((st) => st.tasks).map(presentTask) }),
  }),
  endpoint({
    method: 'post',
    path: '/engagements/{engagementId}/tasks/{taskId}/assign',
    operationId: 'assignTask',
    summary: 'Assign a task to a participant with the role it needs, with an optional deadline inside the plan',
    tag: 'Tasks',
    writes: true,
    body: s.AssignTaskBody,
    success: { status: 200, schema: s.Task, description: 'The task after the assignment' },
    async handle(call) {
      const task = await assignTask(call.deps, call.holder.userId, call.params.engagementId!, call.params.taskId!, call.body);
      return taskAfter(call, task.id);
    },
  }),
  endpoint({
    method: 'post',
    path: '/engagements/{engagementId}/tasks/{taskId}/complete',
    operationId: 'completeTask',
    summary: 'Complete a task by hand (document, sign-off and training tasks complete by themselves)',
    tag: 'Tasks',
    writes: true,
    body: s.CompleteTaskBody,
    success: { status: 200, schema: s.Task, description: 'The task, done' },
    async handle(call) {
      const task = await completeTask(call.deps, call.holder.userId, call.params.engagementId!, call.params.taskId!, call.body.note);
      return taskAfter(call, task.id);
    },
  }),
];
