// Gate rules that read the Launch stage's content items (src/content): enough published on every
// mandatory network, and nothing left waiting for the owner's approval. Kept apart from the other rule
// kinds so each kind of rule is declared, checked and explained in its own small file.
import { z } from 'zod';

/** Every mandatory network has at least `atLeast` content items published (or published and measured) on it. */
export const publishedPerNetworkRuleSchema = z.strictObject({
  rule: z.literal('published-per-network'),
  atLeast: z.number({ error: 'atLeast must be a whole number of published items' }).int('atLeast must be a whole number of published items').min(1, 'atLeast must be at least 1').max(1000, 'atLeast must be at most 1000'),
});

/** No content item of the engagement waits for the owner's approval (sent for approval and not decided). */
export const noContentAwaitingApprovalRuleSchema = z.strictObject({
  rule: z.literal('no-content-awaiting-approval'),
});

export type PublishedPerNetworkRule = z.infer<typeof publishedPerNetworkRuleSchema>;
export type NoContentAwaitingApprovalRule = z.infer<typeof noContentAwaitingApprovalRuleSchema>;
export type ContentGateRule = PublishedPerNetworkRule | NoContentAwaitingApprovalRule;

export const contentGateRuleKinds = ['published-per-network', 'no-content-awaiting-approval'] as const;
export const isContentGateRule = (rule: { rule: string }): rule is ContentGateRule => (contentGateRuleKinds as readonly string[]).includes(rule.rule);

/**
 * Content exists only where the methodology has a content plan, and each rule is said once per stage:
 * two thresholds for the same thing would leave the reader guessing which one holds.
 */
export function checkContentGateRule(m: { contentPlan?: unknown }, stage: { gate?: { rule: string }[] }, index: number, path: (string | number)[], ctx: z.RefinementCtx): void {
  const rule = stage.gate![index]!;
  if (!m.contentPlan) ctx.addIssue({ code: 'custom', path: [...path, 'rule'], message: `"${rule.rule}" reads the content items of the content plan: the methodology needs a contentPlan` });
  if (stage.gate!.findIndex((r) => r.rule === rule.rule) !== index) ctx.addIssue({ code: 'custom', path: [...path, 'rule'], message: `"${rule.rule}" is already in this stage's gate: say it once` });
}
