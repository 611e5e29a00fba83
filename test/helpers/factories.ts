import { sampleContent } from './content.ts';
// Builders for service tests: a settable clock, methodologies from disk or fixtures, people, engagements.
import { resolve } from 'node:path';
import type { Orm } from '../../src/db/orm.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';
import { loadMethodologies } from '../../src/methodology/methodology.loader.ts';
import { MethodologyRegistry } from '../../src/methodology/methodology.registry.ts';
import type { ServiceDeps } from '../../src/engagement/command.ts';
import { User, type FirmRole } from '../../src/users/user.entity.ts';
import { createEngagement, startEngagement } from '../../src/engagement/engagement.service.ts';
import { addParticipant } from '../../src/engagement/participants.service.ts';
import { completeTask } from '../../src/engagement/tasks.service.ts';
import { signStageOff, advanceStage } from '../../src/engagement/engagement.service.ts';
import { submitDocumentVersion, approveDocument } from '../../src/documents/documents.service.ts';
import { Engagement } from '../../src/engagement/engagement.entity.ts';
import { confirmDocumentUnchanged } from '../../src/documents/documentation-review.service.ts';
import { documentationRuleOf, reviewStateOf } from '../../src/engagement/documentation-review.ts';
import { loadReviewedDocuments } from '../../src/engagement/documentation-review.queries.ts';
import { Task } from '../../src/engagement/task.entity.ts';
import { TrainingAssignment } from '../../src/training/training.entity.ts';
import { submitQuiz, submitPractical, reviewPractical } from '../../src/training/training.service.ts';
import { recordStudySession } from '../../src/training/study.service.ts';
import type { TrainingModule } from '../../src/methodology/training.schema.ts';
import type { Methodology } from '../../src/methodology/methodology.schema.ts';
import { publishWhatTheGateAsks } from './launch-content.ts';
import { Kpi } from '../../src/kpi/kpi.entity.ts';
import { enterWeeklyActuals } from '../../src/kpi/kpi.service.ts';
import { lastCompletedWeeks } from '../../src/kpi/kpi-rules.ts';

export const METHODOLOGY_DIR = resolve('methodology');
export const VARIANTS_DIR = resolve('test/fixtures/variants');
export const BROKEN_DIR = resolve('test/fixtures/broken');

export function registryWith(...dirs: string[]): MethodologyRegistry {
  const all = new Map();
  for (const dir of dirs) {
    for (const [key, loaded] of loadMethodologies(dir)) all.set(key, loaded);
  }
  return new MethodologyRegistry(all);
}

export interface TestClock {
  now: Date;
  advanceDays(days: number): void;
}

export function makeDeps(orm: Orm, methodologies = registryWith(METHODOLOGY_DIR, VARIANTS_DIR)): ServiceDeps & { time: TestClock } {
  const time: TestClock = {
    now: new Date('2026-03-02T09:00:00.000Z'),
    advanceDays(days) {
      this.now = new Date(this.now.getTime() + days * 86_400_000);
    },
  };
  return { orm, methodologies, clock: () => new Date(time.now), time };
}

export interface Cast {
  consultant: User;
  owner: User;
  staff: User[];
  outsider: User;
}

let people = 0;
/** An account; the firm's people (consultants, administrators) get their firm role. */
export async function makeUser(orm: Orm, name: string, firmRole: FirmRole | null = null): Promise<User> {
  const em = orm.em.fork();
  const user = em.create(User, { email: `${name.toLowerCase().replace(/\W+/g, '.')}.${++people}@test.troika`, name, passwordHash: null, firmRole });
  await em.flush();
  return user;
}

/** A consultant's engagement with an owner and two staff, started (or still a draft). */
export async function makeEngagement(
  deps: ServiceDeps,
  options: { methodology?: string; start?: boolean } = {},
): Promise<{ engagementId: string; cast: Cast }> {
  const consultant = await makeUser(deps.orm, 'Consultant', 'consultant');
  const engagement = await createEngagement(deps, consultant.id, {
    clientName: 'Kolosok Bakery',
    plannedStart: deps.clock().toISOString().slice(0, 10),
    methodology: options.methodology,
  });
  const add = (email: string, name: string, role: 'owner' | 'staff', direction?: 'sales' | 'production') =>
    addParticipant(deps, consultant.id, engagement.id, { email, name, role, direction });
  const tag = ++people;
  await add(`owner.${tag}@test.troika`, 'Owner', 'owner');
  await add(`sales.${tag}@test.troika`, 'Sales', 'staff', 'sales');
  await add(`production.${tag}@test.troika`, 'Production', 'staff', 'production');
  const outsider = await makeUser(deps.orm, 'Outsider');
  const em = deps.orm.em.fork();
  const [owner, sales, production] = await Promise.all(
    [`owner.${tag}`, `sales.${tag}`, `production.${tag}`].map((p) => em.findOneOrFail(User, { email: `${p}@test.troika` })),
  );
  if (options.start !== false) await startEngagement(deps, consultant.id, engagement.id);
  return { engagementId: engagement.id, cast: { consultant, owner: owner!, staff: [sales!, production!], outsider } };
}

/** Valid quiz answers for a module: exactly the correct ones. */
export function correctAnswers(module: TrainingModule): Record<string, string[]> {
  return Object.fromEntries(module.quiz.questions.map((q) => [q.id, q.answers.filter((a) => a.correct).map((a) => a.id)]));
}

/** Each staff member passes the quiz, submits the work, and the consultant accepts it. */
export async function completeTraining(deps: ServiceDeps, engagementId: string, cast: Cast, stageId: string): Promise<number> {
  const em = deps.orm.em.fork();
  const engagement = await em.findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] });
  const open = await em.find(TrainingAssignment, { engagement, stageId, completedAt: null }, { populate: ['user'] });
  for (const a of open) {
    const module = engagement.methodology.definition.trainingModules.find((m) => m.id === a.moduleId)!;
    if (!a.quizPassedAt) await submitQuiz(deps, a.user.id, engagementId, a.id, correctAnswers(module));
    if (a.practicalStatus !== 'accepted') {
      if (a.practicalStatus !== 'submitted') await submitPractical(deps, a.user.id, engagementId, a.id, 'My practical work, written with the checklist in mind.');
      await reviewPractical(deps, cast.consultant.id, engagementId, a.id, 'accept', 'Good work.');
    }
  }
  return open.length;
}

/** The consultant records a one-to-one session on the methods kit with the owner and each staff member, today. */
export async function recordSessionsWithEveryone(deps: ServiceDeps, engagementId: string, cast: Cast): Promise<void> {
  const heldOn = deps.clock().toISOString().slice(0, 10);
  for (const person of [cast.owner, ...cast.staff]) {
    await recordStudySession(deps, cast.consultant.id, engagementId, { participantId: person.id, heldOn, note: `Went over the kit with ${person.name}.` });
  }
}

/** A training programme that gives sales one module of each stage and everyone one more. */
export function programmeContent(methodology: Methodology): Record<string, unknown> | null {
  const byStage = (stage: string) => methodology.trainingModules.filter((m) => m.stage === stage);
  const [formatting, launch] = [byStage('formatting'), byStage('launch')];
  if (!formatting.length || !launch.length) return null;
  return {
    modules: [
      { direction: 'sales', module: formatting[0]!.id, deadline: '2026-04-20' },
      { module: formatting[1]?.id ?? formatting[0]!.id, deadline: '2026-04-25' },
      { direction: 'production', module: launch[0]!.id, deadline: '2026-05-20' },
    ],
  };
}

/** Does everything the current stage asks, the way each role would, and leaves the gate open. */
export async function completeCurrentStage(deps: ServiceDeps, engagementId: string, cast: Cast, options: { signOff?: boolean; publish?: boolean } = {}): Promise<string> {
  const em = deps.orm.em.fork();
  const engagement = await em.findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] });
  const methodology = engagement.methodology.definition;
  const stage = methodology.stages.find((s) => s.id === engagement.state);
  if (!stage) throw new Error(`not in a stage: ${engagement.state}`);
  await completeTraining(deps, engagementId, cast, stage.id);
  await confirmEarlierDocuments(deps, engagementId, cast, stage.id);
  if (stage.tasks.some((t) => t.completion === 'study-sessions')) await recordSessionsWithEveryone(deps, engagementId, cast);
  const tasks = await em.find(Task, { engagement, stageId: stage.id }, { orderBy: { position: 'asc' } });
  for (const task of tasks.filter((t) => t.status === 'open' && t.required)) {
    if (task.kind === 'document' || task.kind === 'signoff' || task.key?.startsWith('training:')) continue;
    const fresh = await deps.orm.em.fork().findOneOrFail(Task, task.id);
    if (fresh.status === 'done') continue; // closed by its training modules
    await completeTask(deps, cast.consultant.id, engagementId, task.id, 'done in test');
  }
  for (const def of stage.tasks.filter((t) => t.documentType)) {
    const isProgramme = def.documentType === methodology.training.programmeDocument;
    const type = methodology.documentTypes.find((d) => d.id === def.documentType)!;
    const content = (isProgramme && programmeContent(methodology)) || sampleContent(type, `${def.id} ${Math.random()}`);
    const version = await submitDocumentVersion(deps, cast.consultant.id, engagementId, def.documentType!, content);
    await approveDocument(deps, cast.owner.id, engagementId, version.document.id, version.contentHash);
  }
  if (options.publish !== false) await publishWhatTheGateAsks(deps, engagementId, cast, stage, methodology);
  await enterKpiActualsForGate(deps, engagementId, cast, stage);
  if (options.signOff !== false) await signStageOff(deps, cast.owner.id, engagementId, stage.id);
  return stage.id;
}

/** In a stage that corrects the documentation, the owner confirms every earlier document unchanged. */
export async function confirmEarlierDocuments(deps: ServiceDeps, engagementId: string, cast: Cast, stageId: string): Promise<number> {
  const em = deps.orm.em.fork();
  const engagement = await em.findOneOrFail(Engagement, engagementId, { populate: ['methodology.definition'] });
  const methodology = engagement.methodology.definition;
  const stage = methodology.stages.find((s) => s.id === stageId);
  if (!stage || !documentationRuleOf(stage)) return 0;
  const reviewed = (await loadReviewedDocuments(em, [{ engagement, stage, methodology }])).get(engagementId) ?? [];
  const waiting = reviewed.filter((d) => reviewStateOf(d) === 'notReviewed');
  for (const d of waiting) await confirmDocumentUnchanged(deps, cast.owner.id, engagementId, d.documentId, d.latestHash!);
  return waiting.length;
}

/**
 * A staff task closed by hand: Preparation has none since its study of the methods kit closes by itself,
 * so the engagement goes through Preparation into Formatting, whose "fill and test" a staff member marks done.
 */
export async function staffWorkTask(deps: ServiceDeps, engagementId: string, cast: Cast): Promise<Task> {
  await completeCurrentStage(deps, engagementId, cast);
  await advanceStage(deps, cast.consultant.id, engagementId);
  return deps.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, key: 'fmt.fill-test' });
}

export interface EngagementSuite {
  db: TestDatabase;
  deps: ReturnType<typeof makeDeps>;
  engagementId: string;
  cast: Cast;
}

/** Registers hooks giving each test a fresh database with a started engagement; call inside describe(). */
export function useStartedEngagement(): EngagementSuite {
  const suite = {} as EngagementSuite;
  beforeEach(async () => {
    suite.db = await createTestDatabase();
    suite.deps = makeDeps(suite.db.orm);
    Object.assign(suite, await makeEngagement(suite.deps));
  });
  afterEach(async () => suite.db.drop());
  return suite;
}

/** A stage whose gate asks for KPI actuals (Launch): every KPI gets one for each of the weeks the rule counts. */
export async function enterKpiActualsForGate(deps: ServiceDeps, engagementId: string, cast: Cast, stage: Methodology['stages'][number]): Promise<void> {
  const rule = stage.gate?.find((r) => r.rule === 'kpi-actuals');
  if (!rule || rule.rule !== 'kpi-actuals') return;
  const kpis = await deps.orm.em.fork().find(Kpi, { engagement: engagementId });
  for (const week of lastCompletedWeeks(deps.clock().toISOString().slice(0, 10), rule.weeks)) {
    if (kpis.length) await enterWeeklyActuals(deps, cast.consultant.id, engagementId, { week, values: Object.fromEntries(kpis.map((k) => [k.id, String(k.target)])) });
  }
}
