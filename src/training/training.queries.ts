// Read side of training: one module as a staff member works through it, and the staff x module matrix.
import { Engagement, Participant } from '../engagement/engagement.entity.ts';
import { isUuid, type ServiceDeps } from '../engagement/command.ts';
import { requireViewer } from '../engagement/engagement-access.ts';
import { TrainingAssignment, QuizAttempt } from './training.entity.ts';
import { publicQuiz, gradeQuiz, type QuizResult } from './quiz.ts';
import { renderMarkdown } from '../documents/markdown.ts';
import { NotFoundError } from '../errors.ts';
import type { Role } from '../methodology/methodology.schema.ts';

type Locale = 'en' | 'ru';

export type ModuleStatus = 'not_started' | 'in_progress' | 'submitted' | 'returned' | 'completed';

export function statusOf(a: Pick<TrainingAssignment, 'attempts' | 'practicalStatus' | 'completedAt'>): ModuleStatus {
  if (a.completedAt) return 'completed';
  if (a.practicalStatus === 'submitted') return 'submitted';
  if (a.practicalStatus === 'returned') return 'returned';
  return a.attempts > 0 || a.practicalStatus !== 'not_submitted' ? 'in_progress' : 'not_started';
}

async function load(deps: ServiceDeps, actorId: string, engagementId: string) {
  const em = deps.orm.em.fork();
  const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId) : null;
  if (!engagement) throw new NotFoundError('Engagement');
  // A firm administrator who takes no part reads as the consultant, offered no action (readOnly).
  const { role, readOnly } = await requireViewer(em, engagement.id, actorId);
  const { definition: methodology } = await deps.methodologies.frozen(em, engagement.methodology.hash);
  return { em, engagement, methodology, role, readOnly };
}

export interface ModulePage {
  engagementId: string;
  clientName: string;
  role: Role;
  /** A firm administrator who takes no part (engagement-access.ts): the consultant's page without its actions. */
  readOnly: boolean;
  /** The consultant, while a practical assignment waits for review. */
  canReview: boolean;
  assignmentId: string;
  learner: string;
  /** The reader is the one studying: staff, or the owner on a module given to everyone. */
  isLearner: boolean;
  status: ModuleStatus;
  title: string;
  objectives: string[];
  readingHtml: string;
  deadline: Date | null;
  isOverdue: boolean;
  passMark: number;
  attempts: number;
  attemptsLeft: number;
  bestScore: number | null;
  isQuizPassed: boolean;
  /** Questions without the right answers: what the browser may see before answering. */
  questions: ReturnType<typeof publicQuiz>;
  /** The last attempt graded, with every answer's explanation, once an attempt exists. */
  lastResult: (QuizResult & { explanations: Record<string, { answerId: string; text: string; isCorrect: boolean; explanation: string }[]> }) | null;
  assignment: { instructions: string; checklist: string[] };
  practicalStatus: string;
  submission: string | null;
  reviewComment: string | null;
  /** Checklist positions the last review found met, or null before any review. */
  checklistPassed: number[] | null;
}

export async function getModulePage(deps: ServiceDeps, actorId: string, engagementId: string, assignmentId: string, locale: Locale): Promise<ModulePage> {
  const { em, engagement, methodology, role, readOnly } = await load(deps, actorId, engagementId);
  const assignment = isUuid(assignmentId) ? await em.findOne(TrainingAssignment, { id: assignmentId, engagement }, { populate: ['user'] }) : null;
  if (!assignment || (role === 'staff' && assignment.user.id !== actorId)) throw new NotFoundError('Training assignment');
  const module = methodology.trainingModules.find((m) => m.id === assignment.moduleId);
  if (!module) throw new NotFoundError('Training module');
  const passMark = module.quiz.passMark ?? methodology.training.passMark;
  const maxAttempts = module.quiz.maxAttempts ?? methodology.training.maxAttempts;
  const last = await em.findOne(QuizAttempt, { assignment }, { orderBy: { number: 'desc' } });
  const graded = last ? gradeQuiz(module, last.answers, passMark) : null;
  const now = deps.clock().getTime();
  return {
    engagementId,
    clientName: engagement.clientName,
    role,
    readOnly,
    canReview: !readOnly && role === 'consultant' && assignment.practicalStatus === 'submitted',
    assignmentId: assignment.id,
    learner: assignment.user.name,
    isLearner: assignment.user.id === actorId,
    status: statusOf(assignment),
    title: module.title[locale],
    objectives: module.objectives[locale],
    readingHtml: renderMarkdown(module.reading[locale]),
    deadline: assignment.deadline ?? null,
    isOverdue: !assignment.completedAt && !!assignment.deadline && assignment.deadline.getTime() < now,
    passMark,
    attempts: assignment.attempts,
    attemptsLeft: Math.max(0, maxAttempts - assignment.attempts),
    bestScore: assignment.bestScore ?? null,
    isQuizPassed: !!assignment.quizPassedAt,
    questions: publicQuiz(module, locale),
    lastResult: graded && {
      ...graded,
      explanations: Object.fromEntries(
        module.quiz.questions.map((q) => [q.id, q.answers.map((a) => ({ answerId: a.id, text: a.text[locale], isCorrect: a.correct, explanation: a.explanation[locale] }))]),
      ),
    },
    assignment: { instructions: renderMarkdown(module.assignment.instructions[locale]), checklist: module.assignment.checklist[locale] },
    practicalStatus: assignment.practicalStatus,
    submission: assignment.submission ?? null,
    reviewComment: assignment.reviewComment ?? null,
    checklistPassed: assignment.checklistPassed ?? null,
  };
}

export interface MatrixCell {
  assignmentId: string;
  status: ModuleStatus;
  bestScore: number | null;
  attempts: number;
  deadline: Date | null;
  isOverdue: boolean;
}

/** Staff x module: consultant and owner see everyone; a staff member sees their own row only. */
export async function getTrainingMatrix(deps: ServiceDeps, actorId: string, engagementId: string, locale: Locale) {
  const { em, engagement, methodology, role, readOnly } = await load(deps, actorId, engagementId);
  const [staff, assignments] = await Promise.all([
    em.find(Participant, { engagement, role: 'staff', ...(role === 'staff' ? { user: actorId } : {}) }, { populate: ['user'], orderBy: { addedAt: 'asc' } }),
    em.find(TrainingAssignment, { engagement, ...(role === 'staff' ? { user: actorId } : {}) }),
  ]);
  const now = deps.clock().getTime();
  const moduleIds = new Set(assignments.map((a) => a.moduleId));
  const modules = methodology.trainingModules.filter((m) => moduleIds.has(m.id)).map((m) => ({ id: m.id, title: m.title[locale] }));
  const rows = staff.map((p) => ({
    userId: p.user.id,
    name: p.displayName,
    direction: p.direction ?? null,
    cells: Object.fromEntries(
      assignments
        .filter((a) => a.user.id === p.user.id)
        .map((a): [string, MatrixCell] => [
          a.moduleId,
          { assignmentId: a.id, status: statusOf(a), bestScore: a.bestScore ?? null, attempts: a.attempts, deadline: a.deadline ?? null, isOverdue: !a.completedAt && !!a.deadline && a.deadline.getTime() < now },
        ]),
    ),
  }));
  return { engagementId, clientName: engagement.clientName, role, readOnly, modules, rows, hasModules: methodology.trainingModules.length > 0 };
}

/** Completed modules as rows of the training record document, ready for the editor. */
export async function trainingRecordRows(deps: ServiceDeps, actorId: string, engagementId: string, locale: Locale) {
  const { em, engagement, methodology } = await load(deps, actorId, engagementId);
  const done = await em.find(TrainingAssignment, { engagement, completedAt: { $ne: null } }, { populate: ['user'], orderBy: { completedAt: 'asc' } });
  return done.map((a) => ({
    participant: a.user.name,
    module: methodology.trainingModules.find((m) => m.id === a.moduleId)?.title[locale] ?? a.moduleId,
    completedOn: a.completedAt!.toISOString().slice(0, 10),
    score: a.bestScore ?? undefined,
    accepted: a.practicalStatus === 'accepted',
  }));
}

export async function findAssignmentForTask(deps: ServiceDeps, actorId: string, engagementId: string, taskId: string): Promise<string> {
  const { em, engagement, role } = await load(deps, actorId, engagementId);
  const assignment = isUuid(taskId) ? await em.findOne(TrainingAssignment, { engagement, task: taskId }) : null;
  if (!assignment || (role === 'staff' && assignment.user.id !== actorId)) throw new NotFoundError('Training assignment');
  return assignment.id;
}
