// What holds a gate, in the reader's language: "3 tasks still open: …".
import type { Blocker } from '../../engagement/gate.ts';
import { translate, type Locale } from '../i18n/i18n.ts';
import { describeContentBlockersIn } from './content-blockers.ts';

export function describeBlockersIn(locale: Locale, blockers: Blocker[]): string[] {
  const lines: string[] = [];
  const tasks = blockers.filter((b) => b.kind === 'task');
  const docs = blockers.filter((b): b is Extract<Blocker, { kind: 'document' }> => b.kind === 'document');
  if (tasks.length) lines.push(translate(locale, 'gate.tasksOpen', { count: tasks.length, list: tasks.map((t) => t.title).join('; ') }));
  if (docs.length) {
    const list = docs.map((d) => `${d.title} (${translate(locale, `documentStatus.${d.status}`)})`).join('; ');
    lines.push(translate(locale, 'gate.documentsOpen', { count: docs.length, list }));
  }
  for (const b of blockers) {
    if (b.kind !== 'network') continue;
    lines.push(b.missing ? translate(locale, 'networks.gateIncomplete', { network: b.title, document: b.documentTitle, list: b.missing.join('; ') }) : translate(locale, 'networks.gateNoAccount', { network: b.title, document: b.documentTitle }));
  }
  for (const b of blockers) {
    if (b.kind !== 'correction') continue;
    const status = translate(locale, `documentStatus.${b.status}`);
    lines.push(translate(locale, b.state === 'inProgress' ? 'correction.gateInProgress' : 'correction.gateNotReviewed', { document: b.title, status }));
  }
  lines.push(...describeContentBlockersIn(locale, blockers));
  for (const b of blockers) {
    if (b.kind !== 'review') continue;
    lines.push(translate(locale, b.status === 'open' ? 'living.gateReviewOpen' : 'living.gateReviewChanges', { document: b.title, upstream: b.upstreamTitle }));
  }
  for (const b of blockers) if (b.kind === 'kpiActuals') lines.push(translate(locale, 'kpi.gateMissing', { kpi: b.title, count: b.weeks.length, weeks: b.weeks.join(', ') }));
  if (blockers.some((b) => b.kind === 'signoff')) lines.push(translate(locale, 'gate.signoffMissing'));
  return lines;
}
