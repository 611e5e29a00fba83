// "Make a task of this comment": a task agreed in a discussion gets an assignee and a deadline, and
// stays linked to the thread (source 000: a task agreed in a chat gets lost). It is an ordinary task
// of the current stage, so My tasks, the timeline and the waiting list count it like any other.
import { z } from 'zod';
import { Participant } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';
import { runCommand, isUuid, type CommandContext, type ServiceDeps } from '../engagement/command.ts';
import { ASSIGNERS, DEADLINE_OUTSIDE_PLAN, assignWithinRules, refuseUnlessAssignable } from '../engagement/tasks.service.ts';
import { planWindow } from '../engagement/engagement.machine.ts';
import { oneLine, workingDate } from '../validation.ts';
import { ConflictError, InvalidInputError, type FieldProblem } from '../errors.ts';
import { canRead } from './comment-subjects.ts';
import { findComment } from './comments.service.ts';
import { TITLE_MAX } from './comment-rules.ts';

export const commentTaskInput = z.object({
  title: oneLine(TITLE_MAX, 'give the task a title'),
  assigneeId: z.string('choose a participant').uuid('choose a participant'),
  deadline: workingDate('choose a deadline such as 2026-12-01'),
});

/** Tasks added this way sit after the methodology's and the training ones in their stage. */
const FIRST_POSITION = 10_000;

export async function makeTaskOfComment(deps: ServiceDeps, actorId: string, engagementId: string, commentId: string, raw: z.input<typeof commentTaskInput>): Promise<Task> {
  return runCommand(deps, engagementId, actorId, { roles: [...ASSIGNERS] }, async (ctx) => {
    const { comment, subject } = await findComment(ctx, commentId);
    if (comment.task) throw new ConflictError('A task was already made of this comment');
    refuseUnlessAssignable(ctx);
    const { input, assignee } = await checkEveryField(ctx, subject, raw);
    const stageId = ctx.methodology.stages.some((s) => s.id === ctx.engagement.state) ? ctx.engagement.state : ctx.methodology.stages[0]!.id;
    const task = ctx.em.create(Task, {
      engagement: ctx.engagement,
      key: null,
      stageId,
      position: FIRST_POSITION + (await ctx.em.count(Task, { engagement: ctx.engagement, stageId })),
      kind: 'work',
      role: assignee.role,
      // Not a methodology task: the stage's gate does not wait for it, but the lists and reminders do.
      required: false,
      title: input.title,
      assignee: null,
      deadline: null,
    });
    comment.task = task;
    ctx.record('comment.task', { commentId: comment.id, taskId: task.id, title: input.title, link: `${subject.link}#comment-${comment.id}` });
    assignWithinRules(ctx, task, assignee, input.deadline);
    return task;
  });
}

/** Every field is checked before anything changes, so the form names all that is wrong at once. */
async function checkEveryField(ctx: CommandContext, subject: Parameters<typeof canRead>[0], raw: z.input<typeof commentTaskInput>) {
  const parsed = commentTaskInput.safeParse(raw);
  const problems: FieldProblem[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'input'), message: i.message }));
  const has = (field: string) => problems.some((p) => p.field === field);
  const assigneeId = typeof raw.assigneeId === 'string' ? raw.assigneeId : '';
  const assignee = !has('assigneeId') && isUuid(assigneeId) ? await ctx.em.findOne(Participant, { engagement: ctx.engagement, user: assigneeId }, { populate: ['user'] }) : null;
  if (!has('assigneeId') && !assignee) problems.push({ field: 'assigneeId', message: 'the assignee must take part in this engagement' });
  else if (assignee && !canRead(subject, { userId: assignee.user.id, role: assignee.role, actsAsOwner: assignee.actsAsOwner })) {
    problems.push({ field: 'assigneeId', message: 'the assignee cannot read this discussion: the task it is on is given to someone else' });
  }
  if (parsed.success) {
    const { first, last } = planWindow(ctx.engagement.plannedStart, ctx.engagement.snapshot.context);
    if (parsed.data.deadline < first || parsed.data.deadline > last) problems.push({ field: 'deadline', message: DEADLINE_OUTSIDE_PLAN });
  }
  if (problems.length || !parsed.success || !assignee) throw new InvalidInputError(problems);
  return { input: parsed.data, assignee };
}
