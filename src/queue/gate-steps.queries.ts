// The gate box's "where to act": each blocker of the current stage with a link, and for training who it waits for.
import type { Blocker } from '../engagement/gate.ts';
import { documentationRuleOf } from '../engagement/documentation-review.ts';
import type { EngagementOverview } from '../engagement/overview.ts';
import type { Methodology } from '../methodology/methodology.schema.ts';
import type { ServiceDeps } from '../engagement/command.ts';

type Language = 'en' | 'ru';

/** One person's unfinished module: how far the quiz and the practical work have got. */
export interface TrainingWait {
  person: string;
  module: string;
  isQuizPassed: boolean;
  practicalStatus: string;
}

export interface GateStep {
  kind: Blocker['kind'];
  title: string;
  href: string;
  waitingFor: TrainingWait[];
}

/** What the engagement page has already read: the steps are made from it, with no second read. */
export type GateStepFacts = Pick<EngagementOverview, 'id' | 'methodologyHash' | 'timeline' | 'documents' | 'stages' | 'participants'>;

/** Each unfinished training module of the stage, with who it waits for; read only when a step shows them. */
async function trainingWaits(deps: ServiceDeps, page: GateStepFacts, methodology: Methodology, language: Language): Promise<TrainingWait[]> {
  const open = (await deps.orm.em.getConnection().execute(
    `select user_id, module_id, quiz_passed_at is not null as is_quiz_passed, practical_status
       from training_assignments where engagement_id = ? and stage_id = ? and completed_at is null order by deadline asc nulls last`,
    [page.id, page.timeline.state],
  )) as { user_id: string; module_id: string; is_quiz_passed: boolean; practical_status: string }[];
  const names = new Map(page.participants.map((p) => [p.userId, p.name]));
  return open.map((a) => ({
    person: names.get(a.user_id) ?? '',
    module: methodology.trainingModules.find((m) => m.id === a.module_id)?.title[language] ?? a.module_id,
    isQuizPassed: a.is_quiz_passed,
    practicalStatus: a.practical_status,
  }));
}

/** The blockers as steps; the caller has already checked that the reader may see the engagement. */
export async function listGateSteps(deps: ServiceDeps, page: GateStepFacts, blockers: Blocker[], language: Language): Promise<GateStep[]> {
  if (!blockers.length) return [];
  const { definition: methodology } = await deps.methodologies.frozen(deps.orm.em.fork(), page.methodologyHash);
  const stage = methodology.stages.find((s) => s.id === page.timeline.state);
  const correctionTaskKey = documentationRuleOf(stage)?.task;
  const base = `/engagements/${page.id}`;
  const documents = page.documents;
  const tasks = page.stages.find((s) => s.id === page.timeline.state)?.tasks ?? [];
  const isTrainingStep = (b: Blocker) => b.kind === 'task' && stage?.tasks.find((t) => t.id === b.id)?.completion === 'training-modules';
  const waits = blockers.some(isTrainingStep) ? await trainingWaits(deps, page, methodology, language) : [];
  return blockers.map((b): GateStep => {
    if (b.kind === 'document') {
      const document = documents.find((d) => d.typeId === b.id);
      return { kind: b.kind, title: b.title, href: document ? `${base}/documents/${document.id}` : `${base}/documents/new?type=${encodeURIComponent(b.id)}`, waitingFor: [] };
    }
    if (b.kind === 'network') {
      // The account is completed in the register, so the step opens that document (or starts it).
      const document = documents.find((d) => d.typeId === b.documentType);
      return { kind: b.kind, title: b.title, href: document ? `${base}/documents/${document.id}` : `${base}/documents/new?type=${encodeURIComponent(b.documentType)}`, waitingFor: [] };
    }
    if (b.kind === 'correction') {
      // Confirmed on the review list of the task; a version in progress is finished on its document.
      const task = tasks.find((t) => t.key === correctionTaskKey);
      const review = task ? `${base}/tasks/${task.id}#review-${b.id}` : base;
      return { kind: b.kind, title: b.title, href: b.state === 'inProgress' ? `${base}/documents/${b.documentId}` : review, waitingFor: [] };
    }
    if (b.kind === 'signoff') return { kind: b.kind, title: b.title, href: `${base}#signoff`, waitingFor: [] };
    // A task that closes itself when the stage's modules are complete is unblocked on the training matrix.
    if (isTrainingStep(b)) return { kind: b.kind, title: b.title, href: `${base}/training`, waitingFor: waits };
    const task = tasks.find((t) => t.key === b.id);
    return { kind: b.kind, title: b.title, href: task ? `${base}#task-${task.id}` : base, waitingFor: [] };
  });
}
