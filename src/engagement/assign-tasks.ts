// Bulk assignment: several open tasks to one person, by the same rules as one, all or nothing.
import { z } from 'zod';
import { runCommand, type ServiceDeps } from './command.ts';
import { ASSIGNERS, assignTaskInput, assignWithinRules, findAssignee, findTask, refuseUnlessAssignable } from './tasks.service.ts';
import { taskTitle } from './timeline.ts';
import { parseInput } from '../validation.ts';
import { InvalidInputError, type FieldProblem } from '../errors.ts';
import type { Task } from './task.entity.ts';

/** A page shows at most a stage's checklist; a few hundred ids is a crafted request, not a person. */
const MOST_TASKS = 200;

export const assignTasksInput = assignTaskInput.extend({
  taskIds: z.array(z.string('choose the tasks to assign'), 'choose the tasks to assign').min(1, 'choose the tasks to assign').max(MOST_TASKS, `choose at most ${MOST_TASKS} tasks`),
});

/** One task of the batch broke a rule: nothing was assigned, and the refusal says which task and why. */
export class TaskRefusedError extends InvalidInputError {
  readonly taskId: string;
  readonly taskTitle: string;
  /** The reasons alone, for a page that names the task in its own language. */
  readonly reasons: FieldProblem[];
  constructor(taskId: string, title: string, problems: FieldProblem[]) {
    super(problems.map((p) => ({ ...p, message: `the task "${title}" cannot be assigned: ${p.message}` })));
    this.taskId = taskId;
    this.taskTitle = title;
    this.reasons = problems;
  }
}

export async function assignTasks(deps: ServiceDeps, actorId: string, engagementId: string, raw: z.input<typeof assignTasksInput>): Promise<Task[]> {
  return runCommand(deps, engagementId, actorId, { roles: [...ASSIGNERS] }, async (ctx) => {
    const input = parseInput(assignTasksInput, raw);
    const assignee = await findAssignee(ctx, input.assigneeId);
    refuseUnlessAssignable(ctx);
    const tasks: Task[] = [];
    // In the order given, each once: the first refused task is the one the refusal names.
    for (const taskId of new Set(input.taskIds)) {
      const task = await findTask(ctx, taskId);
      try {
        assignWithinRules(ctx, task, assignee, input.deadline);
      } catch (error) {
        if (error instanceof InvalidInputError) throw new TaskRefusedError(task.id, taskTitle(ctx.methodology, task, 'en'), error.problems);
        throw error;
      }
      tasks.push(task);
    }
    return tasks;
  });
}
