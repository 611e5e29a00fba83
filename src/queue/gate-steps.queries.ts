// The gate box's "where to act": each blocker of the current stage with a link, and for training who it waits for.
import type { Blocker } from '../engagement/gate.ts';
import { documentationRuleOf } from '../engagement/documentation-review.ts';
import type { EngagementOverview } from '../engagement/overview.ts';
import type { Methodology } from '../methodology/methodology.schema.ts';
import type { ServiceDeps } from '../engagement/command.ts';
import { everyoneModules, LEARNER_ROLES } from '../training/study.queries.ts';

type Language = 'en' | 'ru';

/** One person's unfinished module: how far the quiz and the practical work have got. */
export interface TrainingWait {
  person: string;
  module: string;
  isQuizPassed: boolean;
  practicalStatus: string;
}

/** One participant's unfinished study of the methods kit: the modules not completed, and whether a session is missing. */
export interface StudyGap {
  person: string;
  modulesNotDone: string[];
  hasSession: boolean;
}

export interface GateStep {
  kind: Blocker['kind'];
  title: string;
  /** Where the step is done; null for a read-only viewer when the only place is a new document's editor. */
  href: string | null;
  waitingFor: TrainingWait[];
  /** Only on the study task's step: who has yet to finish what. */
  studyGaps?: StudyGap[];
}

/** What the engagement page has already read: the steps are made from it, with no second read. */
export type GateStepFacts = Pick<EngagementOverview, 'id' | 'methodologyHash' | 'timeline' | 'documents' | 'stages' | 'participants' | 'readOnly'>;

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

/** Who has yet to complete the methods kit's modules or to have a one-to-one session; read only when the study's step shows. */
async function studyGaps(deps: ServiceDeps, page: GateStepFacts, methodology: Methodology, language: Language): Promise<StudyGap[]> {
  const modules = everyoneModules(methodology);
  const people = (await deps.orm.em.getConnection().execute(
    `select p.user_id, p.display_name, p.role,
            exists (select 1 from study_sessions s where s.engagement_id = p.engagement_id and s.participant_id = p.user_id) as has_session,
            coalesce((select json_agg(a.module_id) from training_assignments a
                       where a.engagement_id = p.engagement_id and a.user_id = p.user_id and a.completed_at is null), '[]') as open_modules
       from participants p where p.engagement_id = ? order by p.added_at`,
    [page.id],
  )) as { user_id: string; display_name: string; role: string; has_session: boolean; open_modules: string[] }[];
  return people
    .filter((p) => LEARNER_ROLES.includes(p.role))
    .map((p) => ({ person: p.display_name, modulesNotDone: modules.filter((m) => p.open_modules.includes(m.id)).map((m) => m.title[language]), hasSession: !!p.has_session }))
    .filter((g) => g.modulesNotDone.length || !g.hasSession);
}

/** The blockers as steps; the caller has already checked that the reader may see the engagement. */
export async function listGateSteps(deps: ServiceDeps, page: GateStepFacts, blockers: Blocker[], language: Language): Promise<GateStep[]> {
  if (!blockers.length) return [];
  const { definition: methodology } = await deps.methodologies.frozen(deps.orm.em.fork(), page.methodologyHash);
  const stage = methodology.stages.find((s) => s.id === page.timeline.state);
  const correctionTaskKey = documentationRuleOf(stage)?.task;
  const base = `/engagements/${page.id}`;
  const documents = page.documents;
  // A firm administrator who takes no part (engagement-access.ts) opens documents, not the editor of a new one.
  const editorOf = (typeId: string) => (page.readOnly ? null : `${base}/documents/new?type=${encodeURIComponent(typeId)}`);
  const tasks = page.stages.find((s) => s.id === page.timeline.state)?.tasks ?? [];
  const isTrainingStep = (b: Blocker) => b.kind === 'task' && stage?.tasks.find((t) => t.id === b.id)?.completion === 'training-modules';
  const isStudyStep = (b: Blocker) => b.kind === 'task' && stage?.tasks.find((t) => t.id === b.id)?.completion === 'study-sessions';
  const [waits, gaps] = await Promise.all([
    blockers.some(isTrainingStep) ? trainingWaits(deps, page, methodology, language) : [],
    blockers.some(isStudyStep) ? studyGaps(deps, page, methodology, language) : [],
  ]);
  return blockers.map((b): GateStep => {
    if (b.kind === 'document') {
      const document = documents.find((d) => d.typeId === b.id);
      return { kind: b.kind, title: b.title, href: document ? `${base}/documents/${document.id}` : editorOf(b.id), waitingFor: [] };
    }
    if (b.kind === 'network') {
      // The account is completed in the register, so the step opens that document (or starts it).
      const document = documents.find((d) => d.typeId === b.documentType);
      return { kind: b.kind, title: b.title, href: document ? `${base}/documents/${document.id}` : editorOf(b.documentType), waitingFor: [] };
    }
    if (b.kind === 'correction') {
      // Confirmed on the review list of the task; a version in progress is finished on its document.
      const task = tasks.find((t) => t.key === correctionTaskKey);
      const review = task ? `${base}/tasks/${task.id}#review-${b.id}` : base;
      return { kind: b.kind, title: b.title, href: b.state === 'inProgress' ? `${base}/documents/${b.documentId}` : review, waitingFor: [] };
    }
    if (b.kind === 'signoff') return { kind: b.kind, title: b.title, href: `${base}#signoff`, waitingFor: [] };
    // Content is published from its calendar, and the owner decides the waiting items from the filtered list.
    if (b.kind === 'published') return { kind: b.kind, title: b.title, href: `${base}/content/calendar`, waitingFor: [] };
    if (b.kind === 'contentApproval') return { kind: b.kind, title: b.title, href: `${base}/content/items?status=submitted`, waitingFor: [] };
    // The review page shows what changed upstream and takes the owner's answer.
    if (b.kind === 'review') return { kind: b.kind, title: b.title, href: `${base}/reviews/${b.id}`, waitingFor: [] };
    // The missing weeks are entered on the KPI page.
    if (b.kind === 'kpiActuals') return { kind: b.kind, title: b.title, href: `${base}/kpis`, waitingFor: [] };
    if (isStudyStep(b)) {
      const task = tasks.find((t) => t.key === b.id);
      return { kind: b.kind, title: b.title, href: task ? `${base}/tasks/${task.id}#study` : base, waitingFor: [], studyGaps: gaps };
    }
    // A task that closes itself when the stage's modules are complete is unblocked on the training matrix.
    if (isTrainingStep(b)) return { kind: b.kind, title: b.title, href: `${base}/training`, waitingFor: waits };
    const task = tasks.find((t) => t.key === b.id);
    return { kind: b.kind, title: b.title, href: task ? `${base}#task-${task.id}` : base, waitingFor: [] };
  });
}
