// What holds a stage's gate: pure rules over the stage's tasks, documents and sign-off.
import type { DocumentType, MandatoryNetworksRule, Network, Stage } from '../methodology/methodology.schema.ts';
import type { DocumentStatus } from '../documents/document.machine.ts';
import { documentationRuleOf, isSettled, reviewStateOf, type ReviewedDocument } from './documentation-review.ts';
import { contentBlockers, type ContentBlocker, type ContentGateFacts } from './content-gate.ts';
import { isContentGateRule } from '../methodology/content-gate-rules.ts';

export interface GateTask {
  key: string;
  title: string;
  status: 'open' | 'done';
}

export interface GateDocument {
  typeId: string;
  status: DocumentStatus;
  latestHash: string | null;
  approvedHash: string | null;
}

export type Blocker =
  | { kind: 'task'; id: string; title: string }
  | { kind: 'document'; id: string; title: string; status: DocumentStatus | 'missing' }
  | { kind: 'signoff'; id: string; title: string }
  /** A mandatory network whose account is not complete in the approved document; missing lists the columns still empty, or is null without a row. */
  | { kind: 'network'; id: string; title: string; documentType: string; documentTitle: string; missing: string[] | null }
  /** A project document not yet settled in the stage that corrects the documentation; id is its type, title the type's title. */
  | { kind: 'correction'; id: string; title: string; documentId: string; state: 'notReviewed' | 'inProgress'; status: DocumentStatus }
  /** A content rule (src/engagement/content-gate.ts): published items per mandatory network, items awaiting approval. */
  | ContentBlocker
  /** An approved document whose upstream document was approved anew: id is the review flag, title the document's. */
  | { kind: 'review'; id: string; title: string; documentId: string; upstreamTitle: string; status: 'open' | 'changesRequested' }
  /** A KPI without an actual for some of the last completed weeks; id is the KPI's, title its metric (and network). */
  | { kind: 'kpiActuals'; id: string; title: string; weeks: string[] };

/** A "review needed" flag that holds this stage (src/documents/review-flags.ts), with its titles in the reader's language. */
export interface GateReview {
  flagId: string;
  documentId: string;
  title: string;
  upstreamTitle: string;
  status: 'open' | 'changesRequested';
}

/** What a gate rule reads: the document types it names and their approved content (null when none is approved). */
export interface GateRuleFacts {
  networks: Network[];
  documentTypes: DocumentType[];
  approvedContent: Record<string, Record<string, unknown> | null>;
  /** For a documentation-corrected rule: the reviewed documents that have an approved version. */
  reviewed?: ReviewedDocument[];
  /** For the content rules: the engagement's published and waiting items. */
  content?: ContentGateFacts;
  /** For a kpi-actuals rule: each KPI and the required weeks it has no actual for (src/kpi works them out). */
  kpiActuals?: { id: string; title: string; missing: string[] }[];
}

export interface GateInput {
  stage: Stage;
  tasks: GateTask[];
  documents: GateDocument[];
  signedOff: boolean;
  language: 'en' | 'ru';
  /** Needed only when the stage has gate rules. */
  rules?: GateRuleFacts;
  /** The unsettled review flags that hold this stage. */
  reviews?: GateReview[];
}

export function isApprovedAtLatest(doc: GateDocument | undefined): boolean {
  return !!doc && doc.status === 'approved' && doc.latestHash !== null && doc.approvedHash === doc.latestHash;
}

/** Lists every item that still blocks leaving the stage, in the methodology's order. */
export function findGateBlockers(input: GateInput, options: { ignoreSignoff?: boolean } = {}): Blocker[] {
  const { stage, language } = input;
  const taskByKey = new Map(input.tasks.map((t) => [t.key, t]));
  const docByType = new Map(input.documents.map((d) => [d.typeId, d]));
  const blockers: Blocker[] = [];
  const corrections = uncorrectedDocuments(input);
  // The documents it waits for say more than the task that closes once they are settled.
  const namedByCorrections = corrections.length ? documentationRuleOf(stage)?.task : undefined;
  for (const def of stage.tasks) {
    if (!def.required || def.id === namedByCorrections) continue;
    const title = def.title[language];
    if (def.kind === 'signoff') {
      if (!options.ignoreSignoff && !input.signedOff) blockers.push({ kind: 'signoff', id: def.id, title });
    } else if (def.kind === 'document' && def.documentType) {
      const doc = docByType.get(def.documentType);
      if (!isApprovedAtLatest(doc)) {
        blockers.push({ kind: 'document', id: def.documentType, title, status: doc?.status ?? 'missing' });
      }
    } else if (taskByKey.get(def.id)?.status !== 'done') {
      blockers.push({ kind: 'task', id: def.id, title });
    }
  }
  for (const rule of stage.gate ?? []) {
    if (rule.rule === 'mandatory-networks') blockers.push(...incompleteNetworks(rule, input));
    else if (isContentGateRule(rule)) blockers.push(...contentBlockers(rule, input.rules?.networks ?? [], input.rules?.content, language));
  }
  blockers.push(...corrections);
  for (const r of input.reviews ?? []) blockers.push({ kind: 'review', id: r.flagId, title: r.title, documentId: r.documentId, upstreamTitle: r.upstreamTitle, status: r.status });
  if (stage.gate?.some((r) => r.rule === 'kpi-actuals')) {
    for (const kpi of input.rules?.kpiActuals ?? []) if (kpi.missing.length) blockers.push({ kind: 'kpiActuals', id: kpi.id, title: kpi.title, weeks: kpi.missing });
  }
  return blockers;
}

/** Each reviewed document neither confirmed nor approved again in this stage, or with a newer version pending. */
function uncorrectedDocuments(input: GateInput): Blocker[] {
  if (!documentationRuleOf(input.stage)) return [];
  const titleOf = (typeId: string) => input.rules?.documentTypes.find((d) => d.id === typeId)?.title[input.language] ?? typeId;
  return (input.rules?.reviewed ?? []).flatMap((doc): Blocker[] => {
    const state = reviewStateOf(doc);
    if (isSettled(state)) return [];
    return [{ kind: 'correction', id: doc.typeId, title: titleOf(doc.typeId), documentId: doc.documentId, state: state as 'notReviewed' | 'inProgress', status: doc.status as DocumentStatus }];
  });
}

/** Each mandatory network without a row whose listed columns are all filled in (boxes ticked) in the approved version. */
function incompleteNetworks(rule: MandatoryNetworksRule, input: GateInput): Blocker[] {
  const facts = input.rules;
  const type = facts?.documentTypes.find((d) => d.id === rule.documentType);
  const table = type?.fields.find((f) => f.id === rule.table);
  if (!facts || !type || !table?.mandatoryNetworkRows) return [];
  const networkColumn = table.mandatoryNetworkRows;
  const content = facts.approvedContent[rule.documentType] ?? null;
  const rows = Array.isArray(content?.[rule.table]) ? (content[rule.table] as Record<string, unknown>[]) : [];
  const isFilled = (value: unknown) => value !== undefined && value !== null && value !== '' && value !== false;
  const blockers: Blocker[] = [];
  for (const network of facts.networks.filter((n) => n.mandatory)) {
    const title = network.label?.[input.language] ?? network.name;
    const row = rows.find((r) => r[networkColumn] === network.id);
    const missing = row ? rule.complete.filter((c) => !isFilled(row[c])).map((c) => table.columns?.find((col) => col.id === c)?.label[input.language] ?? c) : null;
    if (!row || missing!.length) blockers.push({ kind: 'network', id: network.id, title, documentType: rule.documentType, documentTitle: type.title[input.language], missing });
  }
  return blockers;
}

/** "3 tasks still open: A, B, C" and the like, one line per kind of blocker. */
export function describeBlockers(blockers: Blocker[]): string[] {
  const lines: string[] = [];
  const tasks = blockers.filter((b) => b.kind === 'task');
  const docs = blockers.filter((b) => b.kind === 'document');
  if (tasks.length) lines.push(`${tasks.length} ${tasks.length === 1 ? 'task' : 'tasks'} still open: ${tasks.map((t) => t.title).join('; ')}`);
  if (docs.length) {
    lines.push(
      `${docs.length} ${docs.length === 1 ? 'document' : 'documents'} not approved at the latest version: ${docs.map((d) => `${d.title} (${d.status.replace('_', ' ')})`).join('; ')}`,
    );
  }
  for (const b of blockers) {
    if (b.kind !== 'network') continue;
    lines.push(b.missing ? `mandatory network ${b.title} is not ready in the approved ${b.documentTitle}; not filled in or not ticked: ${b.missing.join('; ')}` : `mandatory network ${b.title} has no account in the approved ${b.documentTitle}`);
  }
  for (const b of blockers) {
    if (b.kind !== 'correction') continue;
    lines.push(b.state === 'inProgress' ? `A new version of “${b.title}” is not approved yet (${b.status.replace('_', ' ')})` : `“${b.title}” is not reviewed yet: the owner confirms it needs no changes or approves a new version`);
  }
  for (const b of blockers) {
    if (b.kind === 'published') lines.push(`mandatory network ${b.title} has ${b.published} of the ${b.required} published content items it needs`);
    if (b.kind === 'contentApproval') lines.push(`${b.count} ${b.count === 1 ? 'content item waits' : 'content items wait'} for the owner's approval: ${b.title}`);
    if (b.kind !== 'review') continue;
    lines.push(b.status === 'open' ? `“${b.title}” needs review: “${b.upstreamTitle}” was approved in a new version` : `“${b.title}” must change after “${b.upstreamTitle}” was approved anew: its new version is not approved yet`);
  }
  for (const b of blockers) if (b.kind === 'kpiActuals') lines.push(`KPI “${b.title}” has no actual for ${b.weeks.length === 1 ? 'week' : 'weeks'} ${b.weeks.join(', ')}`);
  if (blockers.some((b) => b.kind === 'signoff')) lines.push('the owner has not signed the stage off');
  return lines;
}
