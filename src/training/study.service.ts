// The one-to-one study of the methods kit (KMM): the modules everyone gets, the sessions the consultant
// records, and the study task, which follows both (done once every participant has done both halves).
import type { CommandContext, ServiceDeps } from '../engagement/command.ts';
import { runCommand, describeState, isUuid } from '../engagement/command.ts';
import { Participant } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';
import { TrainingAssignment } from './training.entity.ts';
import { StudySession } from './study-session.entity.ts';
import { assignModule } from './training.service.ts';
import { everyoneModules, isStudyComplete, loadStudyProgress, studyTaskOf, LEARNER_ROLES } from './study.queries.ts';
import { workingDate } from '../validation.ts';
import { BlockedError, InvalidInputError, type FieldProblem } from '../errors.ts';

/**
 * Gives these participants (the owner and staff among them) every module studied by everyone, with the
 * study task's deadline. Runs at the start and when someone joins during the first stage; a methodology
 * frozen before training.everyone existed has none to give.
 */
export async function assignEveryoneModules(ctx: CommandContext, people: Participant[]): Promise<number> {
  const modules = everyoneModules(ctx.methodology);
  const learners = people.filter((p) => LEARNER_ROLES.includes(p.role));
  if (!modules.length || !learners.length) return 0;
  const study = studyTaskOf(ctx.methodology);
  const studyTask = study ? await ctx.em.findOne(Task, { engagement: ctx.engagement, key: study.def.id }) : null;
  let created = 0;
  for (const person of learners) {
    for (const module of modules) {
      if (await ctx.em.findOne(TrainingAssignment, { engagement: ctx.engagement, user: person.user, moduleId: module.id })) continue;
      assignModule(ctx, module, person, studyTask?.deadline ?? null);
      created++;
    }
  }
  if (created) ctx.record('training.assign', { modulesAssigned: created, modules: modules.map((m) => m.id), everyone: true });
  await ctx.em.flush();
  return created;
}

/**
 * Closes the study task once every participant has completed the modules and had a session, and opens it
 * again when someone new joins during its stage (paused or not). Outside its stage it is left as it is.
 */
export async function syncStudyTask(ctx: CommandContext): Promise<void> {
  const study = studyTaskOf(ctx.methodology);
  const stage = ctx.engagement.state === 'paused' ? ctx.engagement.snapshot.context.pausedStage : ctx.engagement.state;
  if (!study || stage !== study.stage.id) return;
  const task = await ctx.em.findOne(Task, { engagement: ctx.engagement, key: study.def.id });
  if (!task) return;
  await ctx.em.flush();
  const rows = (await loadStudyProgress(ctx.em, [{ engagementId: ctx.engagement.id, methodology: ctx.methodology }])).get(ctx.engagement.id) ?? [];
  const isComplete = isStudyComplete(rows);
  if (isComplete && task.status !== 'done') {
    const note = 'every participant has studied the methods kit';
    Object.assign(task, { status: 'done', completedAt: ctx.now, completedBy: ctx.actor, note });
    ctx.record('task.complete', { taskId: task.id, key: task.key, note });
  } else if (!isComplete && task.status === 'done') {
    Object.assign(task, { status: 'open', completedAt: null, completedBy: null, note: null });
    ctx.record('task.reopen', { taskId: task.id, key: task.key, reason: 'a participant has yet to study the methods kit' });
  }
}

export const SESSION_NOTE_MAX = 2000;

export interface RecordStudySessionInput {
  participantId?: string;
  heldOn?: string;
  note?: string;
}

const heldOnSchema = workingDate('must be a date such as 2026-12-01');

/** The consultant records a one-to-one session with one participant: when, with whom, and what was gone over. */
export async function recordStudySession(deps: ServiceDeps, actorId: string, engagementId: string, raw: RecordStudySessionInput): Promise<StudySession> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, async (ctx) => {
    if (!studyTaskOf(ctx.methodology)) throw new BlockedError('A one-to-one session cannot be recorded', ['this engagement\'s methodology has no one-to-one study of the methods kit']);
    const startedAt = ctx.engagement.snapshot.context.stages[0]?.startedAt;
    if (!startedAt || !ctx.methodology.stages.some((s) => s.id === ctx.engagement.state)) {
      throw new BlockedError('A one-to-one session cannot be recorded', [`the engagement is ${describeState(ctx.engagement.state)}`]);
    }
    const problems: FieldProblem[] = [];
    const participantId = (raw.participantId ?? '').trim();
    const learner = isUuid(participantId) ? await ctx.em.findOne(Participant, { engagement: ctx.engagement, user: participantId, role: { $in: LEARNER_ROLES } }, { populate: ['user'] }) : null;
    if (!learner) problems.push({ field: 'participantId', message: 'choose a participant of this engagement' });
    const day = heldOnSchema.safeParse((raw.heldOn ?? '').trim());
    // Days are calendar days in UTC, as every date in Troika is shown.
    if (!day.success) problems.push({ field: 'heldOn', message: day.error.issues[0]!.message });
    else if (day.data > ctx.now.toISOString().slice(0, 10)) problems.push({ field: 'heldOn', message: 'the session cannot be in the future' });
    else if (day.data < startedAt.slice(0, 10)) problems.push({ field: 'heldOn', message: 'the session cannot be before the engagement started' });
    const note = (raw.note ?? '').trim();
    if (!note) problems.push({ field: 'note', message: 'write what you went over with the participant' });
    else if (note.length > SESSION_NOTE_MAX) problems.push({ field: 'note', message: `use at most ${SESSION_NOTE_MAX} characters` });
    if (problems.length) throw new InvalidInputError(problems);
    const session = ctx.em.create(StudySession, { engagement: ctx.engagement, participant: learner!.user, heldOn: day.data!, note, recordedBy: ctx.actor, recordedAt: ctx.now });
    ctx.record('study.session', { sessionId: session.id, participantId: learner!.user.id, heldOn: session.heldOn });
    await syncStudyTask(ctx);
    return session;
  });
}
