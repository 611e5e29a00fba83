// What the engagement page puts first: the stage shown (chosen by ?stage=, else the current one) and what waits here.
import type { EngagementOverview } from '../../engagement/overview.ts';
import type { WaitingItem } from '../../queue/waiting.queries.ts';

/** The latest events the page shows; the whole log has its own page. */
export { LATEST_EVENTS } from '../../engagement/overview.ts';

export interface StageTab {
  id: string;
  title: string;
  isCurrent: boolean;
  isSelected: boolean;
  openTasks: number;
  href: string;
}

/**
 * The stage whose checklist is shown: the one asked for, else the one the engagement is in (or paused
 * in); a draft shows its first stage, a completed engagement its last.
 */
export function selectStage(overview: EngagementOverview, asked: unknown): string {
  const ids = overview.stages.map((s) => s.id);
  if (typeof asked === 'string' && ids.includes(asked)) return asked;
  const current = overview.timeline.stages.find((s) => s.isCurrent);
  if (current) return current.id;
  return overview.timeline.state === 'completed' ? ids.at(-1)! : ids[0]!;
}

export function stageTabs(overview: EngagementOverview, selected: string): StageTab[] {
  return overview.stages.map((s) => ({
    id: s.id,
    title: s.title,
    isCurrent: !!overview.timeline.stages.find((c) => c.id === s.id)?.isCurrent,
    isSelected: s.id === selected,
    openTasks: s.tasks.filter((t) => t.status === 'open').length,
    href: `/engagements/${overview.id}?stage=${encodeURIComponent(s.id)}#checklist`,
  }));
}

/**
 * What waits for this reader in this engagement, as their home page lists it; a task's link opens its
 * own page, where it is done, rather than a row on this one.
 */
export function waitingHere(items: WaitingItem[], engagementId: string): WaitingItem[] {
  const row = new RegExp(`^/engagements/${engagementId}#task-([0-9a-f-]{36})$`);
  return items.filter((i) => i.engagementId === engagementId).map((i) => ({ ...i, href: i.href.replace(row, `/engagements/${engagementId}/tasks/$1`) }));
}
