// The documentation-corrected gate rule points at a real owner's work task of its own stage, after another stage.
import type { z } from 'zod';
import type { DocumentationCorrectedRule } from './methodology.schema.ts';

interface StageShape {
  id: string;
  tasks: { id: string; kind: string; role: string }[];
}

export function checkDocumentationRule(stages: StageShape[], stageIndex: number, rule: DocumentationCorrectedRule, path: (string | number)[], ctx: z.RefinementCtx): void {
  const stage = stages[stageIndex]!;
  // The rule reviews what the earlier stages produced: in the first stage it would review nothing.
  if (stageIndex === 0) ctx.addIssue({ code: 'custom', path: [...path, 'rule'], message: 'the documentation is corrected after the stages that produce it: this rule cannot be in the first stage' });
  const task = stage.tasks.find((t) => t.id === rule.task);
  if (!task) return void ctx.addIssue({ code: 'custom', path: [...path, 'task'], message: `stage "${stage.id}" has no task "${rule.task}"` });
  if (task.kind !== 'work') ctx.addIssue({ code: 'custom', path: [...path, 'task'], message: `task "${rule.task}" closes when the documents are settled, so it must be a work task (it is "${task.kind}")` });
  if (task.role !== 'owner') ctx.addIssue({ code: 'custom', path: [...path, 'task'], message: `task "${rule.task}" must be the owner's: the owner confirms or approves the documents (it is the ${task.role}'s)` });
}
