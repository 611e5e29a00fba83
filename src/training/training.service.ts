// Staff training: modules assigned by the approved programme, quizzes, practical work and its review.
import type { CommandContext, ServiceDeps } from '../engagement/command.ts';
import { runCommand, isUuid } from '../engagement/command.ts';
import { Participant } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';
import { TrainingAssignment, QuizAttempt } from './training.entity.ts';
import { gradeQuiz, type QuizAnswers, type QuizResult } from './quiz.ts';
import { BlockedError, ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.ts';
import type { TrainingModule } from '../methodology/training.schema.ts';
import { syncStudyTask } from './study.service.ts';

const DAY_END = 'T23:59:59.000Z';

export function moduleOf(ctx: Pick<CommandContext, 'methodology'>, moduleId: string): TrainingModule {
  const module = ctx.methodology.trainingModules.find((m) => m.id === moduleId);
  if (!module) throw new NotFoundError('Training module');
  return module;
}

interface ProgrammeRow {
  participant?: string;
  direction?: string;
  module?: string;
  deadline?: string;
}

/**
 * Called inside the approval of the training programme: each row names a person (e-mail or name), a
 * direction, or nobody (everyone on the staff), a module and a deadline; each person gets a task.
 */
export async function assignFromProgramme(ctx: CommandContext, content: Record<string, unknown>): Promise<number> {
  const rows = Object.values(content).find((v): v is ProgrammeRow[] => Array.isArray(v) && v.some((r) => r && typeof r === 'object' && 'module' in r)) ?? [];
  const staff = await ctx.em.find(Participant, { engagement: ctx.engagement, role: 'staff' }, { populate: ['user'] });
  let created = 0;
  for (const row of rows) {
    if (!row.module) continue;
    const module = moduleOf(ctx, row.module);
    const who = (row.participant ?? '').trim().toLowerCase();
    const people = staff.filter((p) =>
      who ? p.user.email.toLowerCase() === who || p.user.name.toLowerCase() === who : row.direction ? p.direction === row.direction : true,
    );
    if (who && !people.length) {
      throw new InvalidInputError([{ field: 'participant', message: `no staff member of this engagement is called "${row.participant}"` }]);
    }
    const deadline = row.deadline ? new Date(`${row.deadline}${DAY_END}`) : null;
    for (const person of people) {
      const existing = await ctx.em.findOne(TrainingAssignment, { engagement: ctx.engagement, user: person.user, moduleId: module.id }, { populate: ['task'] });
      if (existing) {
        existing.deadline = deadline;
        existing.task.deadline = deadline;
        continue;
      }
      assignModule(ctx, module, person, deadline);
      created++;
    }
  }
  ctx.record('training.assign', { modulesAssigned: created });
  return created;
}

/** One module for one participant: the assignment and the task that shows it in their lists. */
export function assignModule(ctx: CommandContext, module: TrainingModule, person: Participant, deadline: Date | null): TrainingAssignment {
  const task = ctx.em.create(Task, {
    engagement: ctx.engagement,
    key: `training:${module.id}`,
    stageId: module.stage,
    position: 1000 + ctx.methodology.trainingModules.indexOf(module),
    kind: 'training',
    role: person.role,
    required: true,
    title: null,
    assignee: person.user,
    deadline,
  });
  return ctx.em.create(TrainingAssignment, { engagement: ctx.engagement, user: person.user, moduleId: module.id, stageId: module.stage, task, deadline });
}

async function findAssignment(ctx: CommandContext, assignmentId: string): Promise<TrainingAssignment> {
  const assignment = isUuid(assignmentId) ? await ctx.em.findOne(TrainingAssignment, { id: assignmentId, engagement: ctx.engagement }, { populate: ['task', 'user'] }) : null;
  // A staff member sees only their own assignments; others' answer "not found".
  if (!assignment || (ctx.participant.role === 'staff' && assignment.user.id !== ctx.actor.id)) throw new NotFoundError('Training assignment');
  return assignment;
}

/** The quiz and the work are the learner's own: the owner studies the modules given to everyone, but only their own. */
async function findOwnAssignment(ctx: CommandContext, assignmentId: string): Promise<TrainingAssignment> {
  const assignment = await findAssignment(ctx, assignmentId);
  if (assignment.user.id !== ctx.actor.id) throw new ForbiddenError('Only the learner takes the quiz and submits the work');
  return assignment;
}

function requireRunning(ctx: CommandContext, what: string): void {
  if (!ctx.methodology.stages.some((s) => s.id === ctx.engagement.state)) {
    throw new BlockedError(what, [`the engagement is ${ctx.engagement.state}`]);
  }
}

/** A module is complete when its quiz is passed and its practical work accepted; then its stage task may close. */
async function completeIfDone(ctx: CommandContext, assignment: TrainingAssignment): Promise<void> {
  if (!assignment.quizPassedAt || assignment.practicalStatus !== 'accepted' || assignment.completedAt) return;
  assignment.completedAt = ctx.now;
  Object.assign(assignment.task, { status: 'done', completedAt: ctx.now, completedBy: ctx.actor });
  ctx.record('training.complete', { assignmentId: assignment.id, moduleId: assignment.moduleId, userId: assignment.user.id });
  await closeStageTrainingTask(ctx, assignment.stageId);
  await syncStudyTask(ctx);
}

/** The stage's "staff training" task follows real progress: done once every module assigned in the stage is. */
export async function closeStageTrainingTask(ctx: CommandContext, stageId: string): Promise<void> {
  const stage = ctx.methodology.stages.find((s) => s.id === stageId);
  const def = stage?.tasks.find((t) => t.completion === 'training-modules');
  if (!def) return;
  // Loaded, not counted: the assignment completed a moment ago is not flushed yet, but its entity knows.
  const all = await ctx.em.find(TrainingAssignment, { engagement: ctx.engagement, stageId });
  const open = all.filter((a) => !a.completedAt).length;
  const task = await ctx.em.findOne(Task, { engagement: ctx.engagement, key: def.id });
  if (task && open === 0 && task.status !== 'done') {
    Object.assign(task, { status: 'done', completedAt: ctx.now, completedBy: ctx.actor, note: 'all assigned modules completed' });
    ctx.record('task.complete', { taskId: task.id, key: task.key, note: 'all assigned modules completed' });
  }
}

export interface QuizOutcome extends QuizResult {
  attempt: number;
  attemptsLeft: number;
}

/** The staff member's answers, graded on the server; the attempt counts whatever the score. */
export async function submitQuiz(deps: ServiceDeps, actorId: string, engagementId: string, assignmentId: string, answers: QuizAnswers): Promise<QuizOutcome> {
  return runCommand(deps, engagementId, actorId, { roles: ['staff', 'owner'] }, async (ctx) => {
    const assignment = await findOwnAssignment(ctx, assignmentId);
    requireRunning(ctx, 'The quiz cannot be taken');
    const module = moduleOf(ctx, assignment.moduleId);
    const maxAttempts = module.quiz.maxAttempts ?? ctx.methodology.training.maxAttempts;
    if (assignment.quizPassedAt) throw new ConflictError('The quiz is already passed');
    if (assignment.attempts >= maxAttempts) throw new BlockedError('The quiz cannot be taken again', [`all ${maxAttempts} attempts are used; ask the consultant`]);
    const unanswered = module.quiz.questions.filter((q) => !(answers[q.id]?.length));
    if (unanswered.length) {
      throw new InvalidInputError(unanswered.map((q) => ({ field: q.id, message: 'choose an answer' })));
    }
    const result = gradeQuiz(module, answers, module.quiz.passMark ?? ctx.methodology.training.passMark);
    assignment.attempts += 1;
    assignment.bestScore = Math.max(assignment.bestScore ?? 0, result.score);
    if (result.isPassed) assignment.quizPassedAt = ctx.now;
    ctx.em.create(QuizAttempt, { assignment, number: assignment.attempts, answers, score: result.score, isPassed: result.isPassed, at: ctx.now });
    ctx.record('training.quiz', { assignmentId: assignment.id, moduleId: module.id, score: result.score, isPassed: result.isPassed, attempt: assignment.attempts });
    await completeIfDone(ctx, assignment);
    return { ...result, attempt: assignment.attempts, attemptsLeft: maxAttempts - assignment.attempts };
  });
}

/** The practical work, as text; a returned submission may be revised and sent again. */
export async function submitPractical(deps: ServiceDeps, actorId: string, engagementId: string, assignmentId: string, text: string): Promise<void> {
  await runCommand(deps, engagementId, actorId, { roles: ['staff', 'owner'] }, async (ctx) => {
    const assignment = await findOwnAssignment(ctx, assignmentId);
    requireRunning(ctx, 'The work cannot be submitted');
    const body = (text ?? '').trim();
    if (body.length < 20) throw new InvalidInputError([{ field: 'submission', message: 'write at least 20 characters' }]);
    if (body.length > 20_000) throw new InvalidInputError([{ field: 'submission', message: 'must be at most 20000 characters' }]);
    if (assignment.practicalStatus === 'accepted') throw new ConflictError('The practical work is already accepted');
    if (assignment.practicalStatus === 'submitted') throw new ConflictError('The practical work is waiting for review');
    Object.assign(assignment, { submission: body, submittedAt: ctx.now, practicalStatus: 'submitted' });
    ctx.record('training.submit', { assignmentId: assignment.id, moduleId: assignment.moduleId });
  });
}

/** The consultant accepts the practical work, or returns it with what to change. */
export async function reviewPractical(
  deps: ServiceDeps,
  actorId: string,
  engagementId: string,
  assignmentId: string,
  decision: 'accept' | 'return',
  comment: string,
  passedItems: number[] = [],
): Promise<void> {
  await runCommand(deps, engagementId, actorId, { roles: ['consultant', 'owner', 'staff'] }, async (ctx) => {
    if (ctx.participant.role !== 'consultant') throw new ForbiddenError('Only the consultant reviews practical work');
    const assignment = await findAssignment(ctx, assignmentId);
    if (assignment.practicalStatus !== 'submitted') throw new ConflictError('There is no submitted work to review');
    if (decision === 'return' && !comment.trim()) throw new InvalidInputError([{ field: 'comment', message: 'say what should change' }]);
    const itemCount = moduleOf(ctx, assignment.moduleId).assignment.checklist.en.length;
    const checklistPassed = [...new Set(passedItems)].filter((i) => Number.isInteger(i) && i >= 0 && i < itemCount).sort((a, b) => a - b);
    Object.assign(assignment, {
      checklistPassed,
      practicalStatus: decision === 'accept' ? 'accepted' : 'returned',
      reviewComment: comment.trim() || null,
      reviewedAt: ctx.now,
      reviewedBy: ctx.actor,
    });
    ctx.record(decision === 'accept' ? 'training.accept' : 'training.return', { assignmentId: assignment.id, moduleId: assignment.moduleId, comment: comment.trim() || null, checklistPassed });
    await completeIfDone(ctx, assignment);
  });
}
