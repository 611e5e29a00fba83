// What holds a stage's gate: pure rules over the stage's tasks, documents and sign-off.
import type { Stage } from '../methodology/methodology.schema.ts';
import type { DocumentStatus } from '../documents/document.machine.ts';

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
  | { kind: 'signoff'; id: string; title: string };

export interface GateInput {
  stage: Stage;
  tasks: GateTask[];
  documents: GateDocument[];
  signedOff: boolean;
  language: 'en' | 'ru';
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
  for (const def of stage.tasks) {
    if (!def.required) continue;
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
  if (blockers.some((b) => b.kind === 'signoff')) lines.push('the owner has not signed the stage off');
  return lines;
}
