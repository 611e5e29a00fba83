// The content gate rules' lines in the gate box, in the reader's language: "Mandatory network VK has 2 published content items; …".
import type { Blocker } from '../../engagement/gate.ts';
import { translate, type Locale } from '../i18n/i18n.ts';

export function describeContentBlockersIn(locale: Locale, blockers: Blocker[]): string[] {
  return blockers.flatMap((b) => {
    if (b.kind === 'published') return [translate(locale, 'launchGate.published', { network: b.title, count: b.published, required: b.required })];
    if (b.kind === 'contentApproval') return [translate(locale, 'launchGate.awaitingApproval', { count: b.count, list: b.title })];
    return [];
  });
}
