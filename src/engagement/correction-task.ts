// The task that corrects the documentation follows its documents: done once each is settled in its stage, open again otherwise.
import { Task } from './task.entity.ts';
import type { CommandContext } from './command.ts';
import { loadReviewedDocuments } from './documentation-review.queries.ts';
import { documentationRuleOf, isSettled, reviewStateOf, type ReviewedDocument } from './documentation-review.ts';

/** The reviewed documents of the engagement's current stage, or null when that stage has no documentation rule. */
export async function reviewedInCurrentStage(ctx: CommandContext): Promise<{ taskKey: string; documents: ReviewedDocument[] } | null> {
  const stage = ctx.methodology.stages.find((s) => s.id === ctx.engagement.state);
  const rule = documentationRuleOf(stage);
  if (!stage || !rule) return null;
  const reviewed = await loadReviewedDocuments(ctx.em, [{ engagement: ctx.engagement, stage, methodology: ctx.methodology }]);
  return { taskKey: rule.task, documents: reviewed.get(ctx.engagement.id) ?? [] };
}

/**
 * Runs after every change that can settle or unsettle a document, inside the same command. With no
 * document to review the task is left alone: as a training task with no modules, it is closed by hand.
 */
export async function syncCorrectionTask(ctx: CommandContext): Promise<void> {
  const review = await reviewedInCurrentStage(ctx);
  if (!review?.documents.length) return;
  const task = await ctx.em.findOne(Task, { engagement: ctx.engagement, key: review.taskKey });
  if (!task) return;
  const isAllSettled = review.documents.every((d) => isSettled(reviewStateOf(d)));
  if (isAllSettled && task.status !== 'done') {
    Object.assign(task, { status: 'done', completedAt: ctx.now, completedBy: ctx.actor });
    ctx.record('task.complete', { taskId: task.id, key: task.key, note: 'every project document confirmed or approved again' });
  } else if (!isAllSettled && task.status === 'done') {
    Object.assign(task, { status: 'open', completedAt: null, completedBy: null });
    ctx.record('task.reopen', { taskId: task.id, key: task.key, note: 'a project document has a new version in progress' });
  }
}
