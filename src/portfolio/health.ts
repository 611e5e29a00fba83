// The rule that names an engagement's health on the portfolio: stated once here, shown on the page
// with these same numbers, and applied in SQL so the list can filter and sort by it.

export const HEALTHS = ['on_track', 'at_risk', 'late'] as const;
export type Health = (typeof HEALTHS)[number];

/** A document waiting longer than this for the owner's decision puts the engagement at risk (sources 001 and 004: answer within a working day). */
export const AT_RISK_APPROVAL_DAYS = 2;
/** With this many days or fewer left in the stage, a required task still open puts it at risk. */
export const AT_RISK_STAGE_END_DAYS = 7;

/** The facts the rule reads, as the portfolio's figures CTE names them (see portfolio.queries.ts). */
export interface HealthColumns {
  /** The current stage's planned end, moved later by pauses. */
  deadline: string;
  overdueTasks: string;
  /** When the oldest document still in review was sent for approval. */
  oldestSubmittedAt: string;
  requiredOpenInStage: string;
}

/**
 * Late: the stage's planned end has passed. At risk: an open task is past its deadline, a document has
 * waited more than AT_RISK_APPROVAL_DAYS days for approval, or the stage ends within
 * AT_RISK_STAGE_END_DAYS days with required tasks still open. On track: none of that. Only an
 * engagement in a running stage has a health (null otherwise: a pause stops the clock).
 * `now` is a placeholder bound by the caller.
 */
export function healthSql(c: HealthColumns, now: string): string {
  return `case
    when ${c.deadline} is null then null
    when ${c.deadline} < ${now} then 'late'
    when ${c.overdueTasks} > 0
      or ${c.oldestSubmittedAt} < ${now} - interval '${AT_RISK_APPROVAL_DAYS} days'
      or (${c.deadline} <= ${now} + interval '${AT_RISK_STAGE_END_DAYS} days' and ${c.requiredOpenInStage} > 0) then 'at_risk'
    else 'on_track'
  end`;
}

/** Late above at risk above on track; null without a health, so those sort last in either order. */
export const healthRankSql = (column: string) => `case ${column} when 'late' then 3 when 'at_risk' then 2 when 'on_track' then 1 end`;
