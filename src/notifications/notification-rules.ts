// Who hears about what: pure rules from one event of the log to the notifications it makes.
// Nobody is told about their own action. Titles are kept in both languages with the entry, from
// the engagement's frozen methodology, so the inbox shows them without reading the methodology.
import type { Methodology } from '../methodology/methodology.schema.ts';

export const NOTIFICATION_KINDS = [
  'invited',
  'taskAssigned',
  // Made by the reminder schedule (src/reminders), not by an event: a task due the next day, an
  // overdue task, and a document that has waited too long for approval.
  'taskDueTomorrow',
  'taskOverdue',
  'reminder',
  'documentSubmitted',
  'changesRequested',
  'documentApproved',
  'stageSignedOff',
  'practicalSubmitted',
  'practicalReviewed',
  'contentSubmitted',
  'contentChangesRequested',
  'contentApproved',
  'mention',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Title {
  en: string;
  ru: string;
}

export interface EventFacts {
  id: number;
  engagementId: string;
  actorId: string | null;
  type: string;
  payload: Record<string, unknown>;
}

export interface ParticipantFacts {
  userId: string;
  role: string;
}

export interface Wanted {
  userId: string;
  kind: NotificationKind;
  link: string;
  /** What the sentence needs: the thing's title in both languages, a decision's comment. */
  params: { title?: Title; comment?: string | null; accepted?: boolean };
}

export interface RuleContext {
  methodology: Methodology;
  participants: ParticipantFacts[];
  /** The person a training assignment belongs to (for the review of their practical work). */
  assignmentOwner?: string | null;
  /** The content item an event is about: its title (as typed, one language) and its author. */
  contentItem?: { title: string; authorId: string | null } | null;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
/** A task added by hand (from a comment) has its own title, as typed, in one language. */
const ownTitle = (v: unknown): Title | undefined => (typeof v === 'string' && v ? { en: v, ru: v } : undefined);

function titles(m: Methodology) {
  return {
    document: (typeId: string) => m.documentTypes.find((d) => d.id === typeId)?.title,
    stage: (stageId: string) => m.stages.find((s) => s.id === stageId)?.title,
    task: (key: string) => m.stages.flatMap((s) => s.tasks).find((t) => t.id === key)?.title,
    module: (moduleId: string) => m.trainingModules.find((t) => t.id === moduleId)?.title,
  };
}

export function notificationsFor(event: EventFacts, ctx: RuleContext): Wanted[] {
  const p = event.payload;
  const base = `/engagements/${event.engagementId}`;
  const title = titles(ctx.methodology);
  const withRole = (role: string) => ctx.participants.filter((x) => x.role === role).map((x) => x.userId);
  const everyone = ctx.participants.map((x) => x.userId);
  const to = (userIds: (string | null | undefined)[], kind: NotificationKind, link: string, params: Wanted['params'] = {}): Wanted[] =>
    [...new Set(userIds.filter((u): u is string => Boolean(u) && u !== event.actorId))].map((userId) => ({ userId, kind, link, params }));

  switch (event.type) {
    case 'participant.add':
      return to([text(p.userId)], 'invited', base);
    case 'task.assign':
      return to([text(p.assigneeId)], 'taskAssigned', `${base}/tasks/${text(p.taskId)}`, { title: title.task(text(p.key)) ?? ownTitle(p.title) });
    case 'document.submit':
      return to(withRole('owner'), 'documentSubmitted', `${base}/documents/${text(p.documentId)}`, { title: title.document(text(p.typeId)) });
    case 'document.requestChanges':
      return to(withRole('consultant'), 'changesRequested', `${base}/documents/${text(p.documentId)}`, { title: title.document(text(p.typeId)), comment: (p.comment as string | null) ?? null });
    case 'document.approve':
      return to(withRole('consultant'), 'documentApproved', `${base}/documents/${text(p.documentId)}`, { title: title.document(text(p.typeId)) });
    case 'stage.signoff':
      return to(everyone, 'stageSignedOff', base, { title: title.stage(text(p.stageId)) });
    case 'training.submit':
      return to(withRole('consultant'), 'practicalSubmitted', `${base}/training/${text(p.assignmentId)}`, { title: title.module(text(p.moduleId)) });
    case 'training.accept':
    case 'training.return':
      return to([ctx.assignmentOwner], 'practicalReviewed', `${base}/training/${text(p.assignmentId)}`, {
        title: title.module(text(p.moduleId)),
        accepted: event.type === 'training.accept',
        comment: (p.comment as string | null) ?? null,
      });
    case 'content.submit':
    case 'content.requestChanges':
    case 'content.approve': {
      const link = `${base}/content/items/${text(p.itemId)}`;
      const item = ctx.contentItem;
      const params = { title: item ? { en: item.title, ru: item.title } : undefined };
      if (event.type === 'content.submit') return to(withRole('owner'), 'contentSubmitted', link, params);
      if (event.type === 'content.approve') return to([item?.authorId], 'contentApproved', link, params);
      return to([item?.authorId], 'contentChangesRequested', link, { ...params, comment: (p.comment as string | null) ?? null });
    }
    case 'comment.add':
    case 'comment.edit': {
      // Only participants are told: a handle that named someone else was never resolved, and one who left is dropped here.
      const members = new Set(everyone);
      const mentioned = (Array.isArray(p.mentionedIds) ? p.mentionedIds : []).filter((u): u is string => typeof u === 'string' && members.has(u));
      const subject = p.title as Title | undefined;
      return to(mentioned, 'mention', text(p.link) || base, { title: subject?.en && subject.ru ? subject : undefined, comment: text(p.excerpt) || null });
    }
    default:
      return [];
  }
}
