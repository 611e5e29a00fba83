// The lifecycle of one content item, pure: idea -> draft -> submitted -> approved or changes requested
// -> scheduled -> published -> measured.
import { setup, transition, type SnapshotFrom } from 'xstate';

export const contentStatuses = ['idea', 'draft', 'submitted', 'changes_requested', 'approved', 'scheduled', 'published', 'measured'] as const;
export type ContentStatus = (typeof contentStatuses)[number];

export type ContentEvent =
  | { type: 'content.draft' }
  | { type: 'content.submit' }
  | { type: 'content.approve' }
  | { type: 'content.requestChanges' }
  | { type: 'content.schedule' }
  | { type: 'content.publish' }
  | { type: 'content.measure' };

export const contentItemMachine = setup({ types: {} as { events: ContentEvent } }).createMachine({
  id: 'contentItem',
  initial: 'idea',
  states: {
    idea: { on: { 'content.draft': 'draft' } },
    draft: { on: { 'content.draft': 'draft', 'content.submit': 'submitted' } },
    submitted: { on: { 'content.approve': 'approved', 'content.requestChanges': 'changes_requested' } },
    changes_requested: { on: { 'content.draft': 'draft', 'content.submit': 'submitted' } },
    // Editing what was approved (or scheduled) makes it a draft again: the owner approves what goes out.
    approved: { on: { 'content.draft': 'draft', 'content.schedule': 'scheduled' } },
    scheduled: { on: { 'content.draft': 'draft', 'content.schedule': 'scheduled', 'content.publish': 'published' } },
    published: { on: { 'content.measure': 'measured' } },
    // Figures are entered again as they grow.
    measured: { on: { 'content.measure': 'measured' } },
  },
});

type ContentSnapshot = SnapshotFrom<typeof contentItemMachine>;

/** The status after the event, or null when the event is not allowed in this status. */
export function nextContentStatus(status: ContentStatus, event: ContentEvent): ContentStatus | null {
  const snapshot = contentItemMachine.resolveState({ value: status, context: {} }) as ContentSnapshot;
  if (!snapshot.can(event)) return null;
  const [next] = transition(contentItemMachine, snapshot, event);
  return next.value as ContentStatus;
}

/** Not yet out, so a planned day in the past makes it overdue. */
export const isUnpublished = (status: string) => !['published', 'measured'].includes(status);
