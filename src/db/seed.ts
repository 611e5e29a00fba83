// The demo workspace, made through the service API so its event log tells a true story.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { User } from '../users/user.entity.ts';
import { hashPassword } from '../users/password.ts';
import type { ServiceDeps } from '../engagement/command.ts';
import { createEngagement, startEngagement } from '../engagement/engagement.service.ts';
import { addParticipant } from '../engagement/participants.service.ts';
import { assignTask, completeTask } from '../engagement/tasks.service.ts';
import { approveDocument, submitDocumentVersion } from '../documents/documents.service.ts';
import { Task } from '../engagement/task.entity.ts';
import { Engagement } from '../engagement/engagement.entity.ts';
import { TrainingAssignment } from '../training/training.entity.ts';
import { submitQuiz, submitPractical, reviewPractical } from '../training/training.service.ts';
import { recordStudySession } from '../training/study.service.ts';
import { seedLaunchEngagement } from './seed-launch.ts';

export const demoAccounts = [
  { email: 'consultant@demo.troika', name: 'Vera Consultant', role: 'consultant' },
  { email: 'owner@demo.troika', name: 'Oleg Owner', role: 'owner' },
  { email: 'anna@demo.troika', name: 'Anna Sales', role: 'staff', direction: 'sales' },
  { email: 'igor@demo.troika', name: 'Igor Production', role: 'staff', direction: 'production' },
  { email: 'admin@demo.troika', name: 'Fedor Firm Admin', role: 'admin' },
] as const;

/** The firm's people: the administrator creates consultant accounts; both may open engagements. */
const firmRoleOf = (role: (typeof demoAccounts)[number]['role']) => (role === 'admin' || role === 'consultant' ? role : null);

const DAY = 24 * 60 * 60 * 1000;

/** Seeds only an empty database; returns the demo password, or null when the workspace already existed. */
export async function seedDemoWorkspace(deps: ServiceDeps, options: { dataDir: string; password?: string }): Promise<string | null> {
  const em = deps.orm.em.fork();
  if ((await em.count(User, {})) > 0) return null;
  const password = options.password ?? randomBytes(9).toString('base64url');
  // One hash per account, each with its own salt: equal passwords must not give equal hashes.
  const hashes = await Promise.all(demoAccounts.map(() => hashPassword(password)));
  const users = demoAccounts.map((a, i) => em.create(User, { email: a.email, name: a.name, passwordHash: hashes[i]!, firmRole: firmRoleOf(a.role) }));
  await em.flush();
  const [consultant, owner] = users as [User, User, User, User];

  // The story starts twelve days ago; each step happens a little later, as it would have.
  const realNow = deps.clock().getTime();
  let at = realNow - 12 * DAY;
  const clock = () => new Date(at);
  const story: ServiceDeps = { ...deps, clock };
  const later = (days: number) => (at += days * DAY);

  const engagement = await createEngagement(story, consultant.id, {
    clientName: 'Kolosok Bakery',
    site: 'https://kolosok.example',
    industry: 'Bakery and café',
    plannedStart: new Date(at).toISOString().slice(0, 10),
  });
  for (const account of demoAccounts.filter((a) => a.role === 'owner' || a.role === 'staff')) {
    await addParticipant(story, consultant.id, engagement.id, {
      email: account.email,
      name: account.name,
      role: account.role,
      ...('direction' in account ? { direction: account.direction } : {}),
    });
  }
  await startEngagement(story, consultant.id, engagement.id);
  const tasks = await deps.orm.em.fork().find(Task, { engagement: engagement.id, stageId: 'preparation' }, { orderBy: { position: 'asc' } });
  const [anna, igor] = [users[2]!, users[3]!];
  // Module tasks belong to their learner; the other staff tasks go to Anna.
  for (const task of tasks.filter((t) => t.role === 'staff' && !t.key?.startsWith('training:'))) {
    await assignTask(story, consultant.id, engagement.id, task.id, { assigneeId: anna.id });
  }
  later(2);
  const meeting = tasks.find((t) => t.kind === 'meeting');
  if (meeting) await completeTask(story, consultant.id, engagement.id, meeting.id, 'Kick-off call held with the owner and both specialists.');
  // The methods kit: the owner, Anna and Igor each work through the overview module, and the consultant
  // goes over it with each of them one to one; the study task then closes by itself.
  later(1);
  await studyTheMethodsKit(story, engagement.id, consultant, [owner, anna, igor], later);

  later(2);
  const competitors = await submitDocumentVersion(story, consultant.id, engagement.id, 'competitor-analysis', {
    summary: 'Three bakeries in the district post on VK; none answers reviews within a day.',
    competitors: [
      { name: 'Kolosok Bakery', network: 'vk', isClient: true, address: 'https://vk.com/kolosok.bakery', followers: 310, postsPerWeek: 1, engagementPerPost: 6, reviewReplyHours: 48, notes: 'Our own group: occasional price lists' },
      { name: 'Bulochnaya No. 1', network: 'vk', address: 'https://vk.com/bulochnaya1', followers: 1840, postsPerWeek: 4, notes: 'Daily bread photos' },
      { name: 'Khlebny Dom', network: 'facebook', address: 'https://facebook.com/khlebnydom', followers: 620, postsPerWeek: 1, notes: 'Irregular posting' },
    ],
  });
  later(1);
  await approveDocument(story, owner.id, engagement.id, competitors.document.id, competitors.contentHash, 'Agreed.');
  later(2);
  await submitDocumentVersion(story, consultant.id, engagement.id, 'target-criteria', {
    notes: 'Targets for the end of the third month.',
    kpis: [
      { metric: 'VK group members', baseline: 0, target: 500, date: new Date(realNow + 60 * DAY).toISOString().slice(0, 10) },
      { metric: 'Reviews answered the same day, %', baseline: 20, target: 100, date: new Date(realNow + 60 * DAY).toISOString().slice(0, 10) },
    ],
  });
  // The staff training programme is approved, so Anna and Igor each have modules to work through.
  later(1);
  const inDays = (days: number) => new Date(realNow + days * DAY).toISOString().slice(0, 10);
  const programme = await submitDocumentVersion(story, consultant.id, engagement.id, 'training-programme', {
    modules: [
      { participant: anna.email, module: 'reviews', deadline: inDays(14) },
      { participant: anna.email, module: 'chats', deadline: inDays(21) },
      { participant: igor.email, module: 'empowered-staff', deadline: inDays(14) },
      { participant: igor.email, module: 'messengers', deadline: inDays(21) },
    ],
    notes: 'Modules for the Formatting stage; the Launch-stage skills follow in the next programme version.',
  });
  await approveDocument(story, owner.id, engagement.id, programme.document.id, programme.contentHash, 'Agreed.');
  // A second client in its third month, so the content calendar and the Launch gate have something to show.
  await seedLaunchEngagement(deps, { consultant, owner, anna, igor });
  writeDemoPassword(options.dataDir, password);
  return password;
}

const SESSION_NOTES = [
  'Went over the three stages and what the owner approves; agreed to review documents within a day.',
  'Went over the stages and the sales direction; questions on answering reviews settled.',
  'Went over the stages and the production direction; agreed on photo content from the bakery.',
];

/** Each learner passes the overview quiz and has the practical work accepted; then a one-to-one session each. */
async function studyTheMethodsKit(story: ServiceDeps, engagementId: string, consultant: User, learners: User[], later: (days: number) => void): Promise<void> {
  const em = story.orm.em.fork();
  const engagement = await em.findOneOrFail(Engagement, engagementId);
  const { definition } = await story.methodologies.frozen(em, engagement.methodology.hash);
  const assignments = await em.find(TrainingAssignment, { engagement: engagementId, moduleId: { $in: definition.training.everyone ?? [] } }, { populate: ['user'] });
  for (const a of assignments) {
    const module = definition.trainingModules.find((m) => m.id === a.moduleId)!;
    const answers = Object.fromEntries(module.quiz.questions.map((q) => [q.id, q.answers.filter((x) => x.correct).map((x) => x.id)]));
    await submitQuiz(story, a.user.id, engagementId, a.id, answers);
    await submitPractical(story, a.user.id, engagementId, a.id, 'The three stages of our project, who approves what, and which of the tasks are mine this month.');
    await reviewPractical(story, consultant.id, engagementId, a.id, 'accept', 'Clear and to the point.', module.assignment.checklist.en.map((_, i) => i));
  }
  for (const [i, learner] of learners.entries()) {
    later(1);
    const heldOn = new Date(story.clock()).toISOString().slice(0, 10);
    await recordStudySession(story, consultant.id, engagementId, { participantId: learner.id, heldOn, note: SESSION_NOTES[i % SESSION_NOTES.length]! });
  }
}

const PASSWORD_FILE = 'demo-password.txt';

/** Kept beside the data so later starts can print the logins again. */
function writeDemoPassword(dataDir: string, password: string): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
}

export function readDemoPassword(dataDir: string): string | null {
  const file = join(dataDir, PASSWORD_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}
