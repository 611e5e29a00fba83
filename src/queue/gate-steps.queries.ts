// The gate box's "where to act": each blocker of the current stage with a link, and for training who it waits for.
import { Engagement } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';
import { ProjectDocument } from '../documents/document.entity.ts';
import { TrainingAssignment } from '../training/training.entity.ts';
import type { Blocker } from '../engagement/gate.ts';
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
  href: string;
  waitingFor: TrainingWait[];
  /** Only on the study task's step: who has yet to finish what. */
  studyGaps?: StudyGap[];
}

/** The blockers as steps; the caller has already checked that the reader may see the engagement. */
export async function listGateSteps(deps: ServiceDeps, engagementId: string, blockers: Blocker[], language: Language): Promise<GateStep[]> {
  if (!blockers.length) return [];
  const em = deps.orm.em.fork();
  const engagement = await em.findOneOrFail(Engagement, engagementId);
  const { definition: methodology } = await deps.methodologies.frozen(em, engagement.methodology.hash);
  const stage = methodology.stages.find((s) => s.id === engagement.state);
  const base = `/engagements/${engagementId}`;
  const [tasks, documents, open, participants] = await Promise.all([
    em.find(Task, { engagement, stageId: engagement.state }),
    em.find(ProjectDocument, { engagement }),
    em.find(TrainingAssignment, { engagement, stageId: engagement.state, completedAt: null }, { orderBy: { deadline: 'asc' } }),
    // With whether each has had a one-to-one session on the methods kit, in the same statement.
    em.getConnection().execute(
      `select p.user_id, p.display_name, p.role, exists (select 1 from study_sessions s where s.engagement_id = p.engagement_id and s.participant_id = p.user_id) as has_session
         from participants p where p.engagement_id = ? order by p.added_at`,
      [engagementId],
    ) as Promise<{ user_id: string; display_name: string; role: string; has_session: boolean }[]>,
  ]);
  const names = new Map(participants.map((p) => [p.user_id, p.display_name]));
  const waits: TrainingWait[] = open.map((a) => ({
    person: names.get(a.user.id) ?? '',
    module: methodology.trainingModules.find((m) => m.id === a.moduleId)?.title[language] ?? a.moduleId,
    isQuizPassed: !!a.quizPassedAt,
    practicalStatus: a.practicalStatus,
  }));
  /** From the rows already read: the study's modules are of this stage, so the unfinished ones are among `open`. */
  const studyGaps = (): StudyGap[] => {
    const modules = everyoneModules(methodology);
    return participants
      .filter((p) => LEARNER_ROLES.includes(p.role))
      .map((p) => ({
        person: p.display_name,
        modulesNotDone: modules.filter((m) => open.some((a) => a.user.id === p.user_id && a.moduleId === m.id)).map((m) => m.title[language]),
        hasSession: !!p.has_session,
      }))
      .filter((g) => g.modulesNotDone.length || !g.hasSession);
  };
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
    if (b.kind === 'signoff') return { kind: b.kind, title: b.title, href: `${base}#signoff`, waitingFor: [] };
    const def = stage?.tasks.find((t) => t.id === b.id);
    if (def?.completion === 'study-sessions') {
      const task = tasks.find((t) => t.key === b.id);
      return { kind: b.kind, title: b.title, href: task ? `${base}/tasks/${task.id}#study` : base, waitingFor: [], studyGaps: studyGaps() };
    }
    // A task that closes itself when the stage's modules are complete is unblocked on the training matrix.
    if (stage?.tasks.find((t) => t.id === b.id)?.completion === 'training-modules') return { kind: b.kind, title: b.title, href: `${base}/training`, waitingFor: waits };
    const task = tasks.find((t) => t.key === b.id);
    return { kind: b.kind, title: b.title, href: task ? `${base}#task-${task.id}` : base, waitingFor: [] };
  });
}
