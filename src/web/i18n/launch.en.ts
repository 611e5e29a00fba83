// English texts of the Launch gate's content rules (src/engagement/content-gate.ts), kept apart so the main catalog stays small.
export const launchGateEn = {
  published: {
    one: 'Mandatory network {network} has {count} published content item; the stage needs at least {required}',
    other: 'Mandatory network {network} has {count} published content items; the stage needs at least {required}',
  },
  awaitingApproval: {
    one: '{count} content item waits for the owner’s approval: {list}',
    other: '{count} content items wait for the owner’s approval: {list}',
  },
};

/** The owner's "waiting for me" item for the content items sent for approval, spread into `waiting`. */
export const launchWaitingEn = {
  approveContent: { one: 'Approve content: {count} item waits for your decision', other: 'Approve content: {count} items wait for your decision' },
};
