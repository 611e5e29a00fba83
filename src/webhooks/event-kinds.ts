// The kinds of engagement event a subscription can choose (the `type` of engagement_events). An empty
// choice means every kind, including kinds added later.
export const WEBHOOK_EVENT_KINDS = [
  'engagement.create', 'engagement.start', 'stage.advance', 'engagement.pause', 'engagement.resume', 'engagement.cancel', 'stage.signoff', 'engagement.note',
  'participant.add', 'participant.remove', 'delegate.name', 'delegate.withdraw',
  'task.assign', 'task.complete', 'task.reopen',
  'document.save', 'document.submit', 'document.approve', 'document.requestChanges', 'document.confirm',
  'training.assign', 'training.submit', 'training.accept', 'training.return', 'training.complete', 'training.quiz', 'study.session',
  'content.themes', 'content.fillMonth', 'content.create', 'content.draft', 'content.submit', 'content.approve', 'content.requestChanges',
  'content.schedule', 'content.publish', 'content.measure', 'content.move',
  'webhook.subscribe', 'webhook.unsubscribe',
] as const;

export const wantsEvent = (eventTypes: string[], type: string) => eventTypes.length === 0 || eventTypes.includes(type);
