// The approval lifecycle of one project document, pure: draft -> in review -> approved or changes requested.
import { setup, transition, type SnapshotFrom } from 'xstate';

export const documentStatuses = ['draft', 'in_review', 'approved', 'changes_requested'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

export type DocumentEvent =
  | { type: 'document.edit' }
  | { type: 'document.submit' }
  | { type: 'document.approve' }
  | { type: 'document.requestChanges' };

export const documentMachine = setup({ types: {} as { events: DocumentEvent } }).createMachine({
  id: 'document',
  initial: 'draft',
  states: {
    draft: { on: { 'document.submit': 'in_review', 'document.edit': 'draft' } },
    // A new version may replace the one under review; the reviewer then sees the newer one.
    in_review: {
      on: { 'document.approve': 'approved', 'document.requestChanges': 'changes_requested', 'document.submit': 'in_review', 'document.edit': 'draft' },
    },
    changes_requested: { on: { 'document.submit': 'in_review', 'document.edit': 'draft' } },
    // Editing an approved document starts a new version that needs approval again.
    approved: { on: { 'document.submit': 'in_review', 'document.edit': 'draft' } },
  },
});

type DocumentSnapshot = SnapshotFrom<typeof documentMachine>;

/** The status after the event, or null when the event is not allowed in this status. */
export function nextDocumentStatus(status: DocumentStatus, event: DocumentEvent): DocumentStatus | null {
  const snapshot = documentMachine.resolveState({ value: status, context: {} }) as DocumentSnapshot;
  if (!snapshot.can(event)) return null;
  const [next] = transition(documentMachine, snapshot, event);
  return next.value as DocumentStatus;
}
