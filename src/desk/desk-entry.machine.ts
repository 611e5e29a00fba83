// Pure: the lifecycle of one desk entry. Logged (new) -> answer drafted -> sent for approval -> approved
// or changes requested -> sent. Where the engagement asks for no approval, a draft is sent as it is.
export const deskStatuses = ['new', 'draft', 'submitted', 'changes_requested', 'approved', 'sent'] as const;
export type DeskStatus = (typeof deskStatuses)[number];

export type DeskEvent = 'desk.draft' | 'desk.submit' | 'desk.approve' | 'desk.requestChanges' | 'desk.send';

const moves: Record<DeskStatus, Partial<Record<DeskEvent, DeskStatus>>> = {
  new: { 'desk.draft': 'draft' },
  draft: { 'desk.draft': 'draft', 'desk.submit': 'submitted', 'desk.send': 'sent' },
  submitted: { 'desk.approve': 'approved', 'desk.requestChanges': 'changes_requested', 'desk.send': 'sent' },
  changes_requested: { 'desk.draft': 'draft', 'desk.submit': 'submitted' },
  // Rewording an approved answer makes it a draft again: what goes out is what was approved.
  approved: { 'desk.draft': 'draft', 'desk.send': 'sent' },
  sent: {},
};

/** Sending skips approval only where the engagement asks for none; with approval, only an approved answer goes. */
export function nextDeskStatus(status: DeskStatus, event: DeskEvent, needsApproval: boolean): DeskStatus | null {
  if (event === 'desk.send' && needsApproval && status !== 'approved') return null;
  return moves[status]?.[event] ?? null;
}
