// The demo's second engagement: a café in its third month, walked through Preparation and Formatting
// by the service API (documents approved, the methods kit studied, training done) and into Launch, with
// a month of content in every state of its lifecycle, so the content calendar is full on the first visit.
import type { ServiceDeps } from '../engagement/command.ts';
import type { User } from '../users/user.entity.ts';
import { createEngagement, startEngagement, signStageOff, advanceStage } from '../engagement/engagement.service.ts';
import { addParticipant } from '../engagement/participants.service.ts';
import { completeTask } from '../engagement/tasks.service.ts';
import { approveDocument, submitDocumentVersion } from '../documents/documents.service.ts';
import { confirmDocumentUnchanged } from '../documents/documentation-review.service.ts';
import { loadReviewedDocuments } from '../engagement/documentation-review.queries.ts';
import { reviewStateOf } from '../engagement/documentation-review.ts';
import { Engagement } from '../engagement/engagement.entity.ts';
import { Task } from '../engagement/task.entity.ts';
import { TrainingAssignment } from '../training/training.entity.ts';
import { submitQuiz, submitPractical, reviewPractical } from '../training/training.service.ts';
import { recordStudySession } from '../training/study.service.ts';
import { approveItem, createItem, editItem, measureItem, publishItem, requestItemChanges, scheduleItem, submitItem } from '../content/content-items.service.ts';
import { addDays, weekdayOf } from '../content/content-rules.ts';
import type { ContentStatus } from '../content/content-item.machine.ts';
import { Kpi } from '../kpi/kpi.entity.ts';
import { enterWeeklyActuals } from '../kpi/kpi.service.ts';
import { lastCompletedWeeks } from '../kpi/kpi-rules.ts';
import { setEngagementTimeZone } from '../reminders/time-zone.service.ts';
import { seedDemoDesk } from './seed-desk.ts';

const DAY = 24 * 60 * 60 * 1000;
export const LAUNCH_DEMO_CLIENT = 'Samovar Café';
/** A café in Moscow: its desk judges and shows times on Moscow's clock. */
export const LAUNCH_DEMO_TIME_ZONE = 'Europe/Moscow';
const VK = 'https://vk.com/samovar.cafe';
const FACEBOOK = 'https://facebook.com/samovarcafe';

export interface LaunchDemoCast {
  consultant: User;
  owner: User;
  anna: User;
  igor: User;
}

/** A story clock the steps move forward, never back: the event log reads in the order things happened. */
interface Story {
  deps: ServiceDeps;
  at: number;
  /** Moves the clock to the moment, or leaves it where it is when that is earlier. */
  to(moment: number): void;
}

function storyFrom(deps: ServiceDeps, start: number): Story {
  const story: Story = { deps: undefined as unknown as ServiceDeps, at: start, to: (moment) => void (story.at = Math.max(story.at, moment)) };
  story.deps = { ...deps, clock: () => new Date(story.at) };
  return story;
}

const dayOf = (moment: number) => new Date(moment).toISOString().slice(0, 10);

/** Makes the Launch engagement; returns its id. Launch started fifteen days ago, so its month is half done. */
export async function seedLaunchEngagement(deps: ServiceDeps, cast: LaunchDemoCast): Promise<string> {
  const realNow = deps.clock().getTime();
  const launchStart = realNow - 15 * DAY;
  const story = storyFrom(deps, launchStart - 40 * DAY);
  const { consultant, owner, anna, igor } = cast;
  const engagement = await createEngagement(story.deps, consultant.id, {
    clientName: LAUNCH_DEMO_CLIENT,
    site: 'https://samovar.example',
    industry: 'Café and tea room',
    plannedStart: dayOf(story.at),
  });
  const id = engagement.id;
  await setEngagementTimeZone(story.deps, consultant.id, id, LAUNCH_DEMO_TIME_ZONE);
  for (const [person, role, direction] of [[owner, 'owner'], [anna, 'staff', 'sales'], [igor, 'staff', 'production']] as const) {
    await addParticipant(story.deps, consultant.id, id, { email: person.email, name: person.name, role, ...(direction ? { direction } : {}) });
  }
  await startEngagement(story.deps, consultant.id, id);

  // Preparation: the kick-off, the methods kit studied one to one, and its nine documents approved.
  story.to(story.at + DAY);
  await completeTaskByKey(story, consultant, id, 'prep.kickoff', 'Kick-off in the café with the owner, Anna and Igor.');
  await completeModules(story, consultant, id, 'preparation');
  for (const person of [owner, anna, igor]) {
    story.to(story.at + DAY);
    await recordStudySession(story.deps, consultant.id, id, { participantId: person.id, heldOn: dayOf(story.at), note: `Went over the three stages and ${person.name}'s part in them.` });
  }
  for (const [typeId, content] of preparationDocuments(cast, realNow)) {
    story.to(story.at + DAY);
    await submitAndApprove(story, cast, id, typeId, content);
  }
  story.to(launchStart - 22 * DAY);
  await signStageOff(story.deps, owner.id, id, 'preparation');
  await advanceStage(story.deps, consultant.id, id);

  // Formatting: the accounts opened and checked, the site and the regulations, staff trained, the record kept.
  for (const [typeId, content] of formattingDocuments(cast, story.at)) {
    story.to(story.at + DAY);
    await submitAndApprove(story, cast, id, typeId, content);
  }
  await completeTaskByKey(story, consultant, id, 'fmt.fill-test', 'Both accounts filled in; links between the site and the accounts tested.');
  story.to(story.at + 2 * DAY);
  const completions = await completeModules(story, consultant, id, 'formatting');
  story.to(story.at + DAY);
  await submitAndApprove(story, cast, id, 'training-record', {
    completions: completions.map((c) => ({ participant: c.person, module: c.moduleId, completedOn: dayOf(story.at), score: 100, accepted: true })),
    notes: 'Every Formatting module completed and its practical work accepted.',
  });
  story.to(launchStart);
  await signStageOff(story.deps, owner.id, id, 'formatting');
  await advanceStage(story.deps, consultant.id, id);

  // Launch: the owner confirms the documents need no change, and a month of content is worked.
  story.to(launchStart + 2 * DAY);
  await confirmEarlierDocuments(story, owner, id);
  await workTheContentMonth(story, cast, id, realNow);
  story.to(realNow);
  await seedDemoDesk(story.deps, cast, id, LAUNCH_DEMO_TIME_ZONE);
  await addDemoKpiActuals(story.deps, cast, id, 4);
  return id;
}

/**
 * The demo's KPI actuals: the owner enters one figure a week for the last completed weeks, for each KPI
 * the approved target criteria made. The figures climb from the baseline toward the target, the
 * second KPI more slowly, so a newcomer sees one KPI on track and one behind on the charts. A KPI
 * read from the review desk or the content is left to its source.
 */
export async function addDemoKpiActuals(deps: ServiceDeps, cast: LaunchDemoCast, engagementId: string, weeks: number): Promise<void> {
  const kpis = await deps.orm.em.fork().find(Kpi, { engagement: engagementId, measure: null }, { orderBy: { position: 'asc' } });
  if (!kpis.length) return;
  const completed = lastCompletedWeeks(dayOf(deps.clock().getTime()), weeks);
  for (const [i, week] of completed.entries()) {
    const values = Object.fromEntries(kpis.map((kpi, k) => {
      const pace = k % 2 ? 0.35 : 0.9; // the share of the way to the target the last week reaches
      const [baseline, target] = [Number(kpi.baseline), Number(kpi.target)];
      const value = baseline + (target - baseline) * pace * ((i + 1) / completed.length);
      return [kpi.id, String(Number.isInteger(baseline) && Number.isInteger(target) ? Math.round(value) : Math.round(value * 10) / 10)];
    }));
    await enterWeeklyActuals(deps, cast.owner.id, engagementId, { week, values });
  }
}

async function completeTaskByKey(story: Story, consultant: User, engagementId: string, key: string, note: string): Promise<void> {
  const task = await story.deps.orm.em.fork().findOneOrFail(Task, { engagement: engagementId, key });
  await completeTask(story.deps, consultant.id, engagementId, task.id, note);
}

async function submitAndApprove(story: Story, cast: LaunchDemoCast, engagementId: string, typeId: string, content: Record<string, unknown>): Promise<void> {
  const version = await submitDocumentVersion(story.deps, cast.consultant.id, engagementId, typeId, content);
  story.to(story.at + DAY / 4);
  await approveDocument(story.deps, cast.owner.id, engagementId, version.document.id, version.contentHash, 'Agreed.');
}

/** Every open module of the stage: the quiz passed, the practical work written and accepted. */
async function completeModules(story: Story, consultant: User, engagementId: string, stageId: string): Promise<{ person: string; moduleId: string }[]> {
  const em = story.deps.orm.em.fork();
  const engagement = await em.findOneOrFail(Engagement, engagementId);
  const { definition } = await story.deps.methodologies.frozen(em, engagement.methodology.hash);
  const open = await em.find(TrainingAssignment, { engagement: engagementId, stageId, completedAt: null }, { populate: ['user'] });
  for (const a of open) {
    const module = definition.trainingModules.find((m) => m.id === a.moduleId)!;
    const answers = Object.fromEntries(module.quiz.questions.map((q) => [q.id, q.answers.filter((x) => x.correct).map((x) => x.id)]));
    await submitQuiz(story.deps, a.user.id, engagementId, a.id, answers);
    await submitPractical(story.deps, a.user.id, engagementId, a.id, `What I will do differently in the café after "${module.title.en}", with two examples from last week.`);
    await reviewPractical(story.deps, consultant.id, engagementId, a.id, 'accept', 'Practical and specific.', module.assignment.checklist.en.map((_, i) => i));
  }
  return open.map((a) => ({ person: a.user.email, moduleId: a.moduleId }));
}

async function confirmEarlierDocuments(story: Story, owner: User, engagementId: string): Promise<void> {
  const em = story.deps.orm.em.fork();
  const engagement = await em.findOneOrFail(Engagement, engagementId);
  const { definition } = await story.deps.methodologies.frozen(em, engagement.methodology.hash);
  const stage = definition.stages.find((s) => s.id === engagement.state)!;
  const reviewed = (await loadReviewedDocuments(em, [{ engagement, stage, methodology: definition }])).get(engagementId) ?? [];
  for (const d of reviewed.filter((r) => reviewStateOf(r) === 'notReviewed')) await confirmDocumentUnchanged(story.deps, owner.id, engagementId, d.documentId, d.latestHash!);
}

function preparationDocuments(cast: LaunchDemoCast, realNow: number): [string, Record<string, unknown>][] {
  const quarterEnd = dayOf(realNow + 20 * DAY);
  return [
    ['documentation-formats', {
      storage: 'The shared “Samovar project” folder; Troika keeps the approved versions.',
      documents: [{ document: 'Content plan', form: 'spreadsheet', approver: 'Owner' }, { document: 'Answer templates', form: 'text', approver: 'Owner' }],
    }],
    ['competitor-analysis', {
      summary: 'Two tea rooms nearby post on VK several times a week; none runs a Facebook page that answers reviews.',
      competitors: [
        { name: LAUNCH_DEMO_CLIENT, network: 'vk', isClient: true, address: VK, followers: 120, postsPerWeek: 1, reviewReplyHours: 72, notes: 'Our own group: menus only' },
        { name: 'Chainaya Lozhka', network: 'vk', address: 'https://vk.com/chainaya.lozhka', followers: 2300, postsPerWeek: 5, notes: 'Daily specials, polls on Fridays' },
        { name: 'Pirogovaya', network: 'facebook', address: 'https://facebook.com/pirogovaya', followers: 540, postsPerWeek: 2 },
      ],
    }],
    ['target-criteria', {
      notes: 'Targets for the end of the Launch month.',
      kpis: [
        { metric: 'VK group members', network: 'vk', better: 'higher', baseline: 120, target: 400, date: quarterEnd, frequency: 'weekly', responsible: 'Anna Sales' },
        { metric: 'Facebook page followers', network: 'facebook', better: 'higher', baseline: 30, target: 150, date: quarterEnd, frequency: 'weekly', responsible: 'Anna Sales' },
        { metric: 'Reviews answered the same day, %', better: 'higher', baseline: 10, target: 100, date: quarterEnd, frequency: 'weekly', measuredBy: 'reviewsSameDay', responsible: 'Igor Production' },
      ],
    }],
    ['product-characteristics', {
      products: [{ name: 'Samovar tea for two', characteristics: 'Brewed at the table, refills free', benefit: 'An unhurried evening' }, { name: 'Pies of the day', characteristics: 'Baked each morning', benefit: 'Always fresh' }],
      knowledgeBase: 'Tea is brewed in a real samovar; pies are baked on site every morning from 7.',
    }],
    ['audience-segmentation', { segments: [{ name: 'Office workers nearby', description: 'Lunch and a quick tea', channels: 'VK' }, { name: 'Families at weekends', description: 'Long breakfasts', channels: 'VK, Facebook' }] }],
    ['cluster-assessment', {
      criteria: ['Audience reached', 'Effort per week'],
      platforms: [{ platform: 'social-account', address: VK, purpose: 'Menus and news', keep: 'change' }, { platform: 'site', address: 'https://samovar.example', purpose: 'Address and hours', keep: 'keep' }],
      targetStructure: 'The site for facts, VK and Facebook for daily life in the café, the chat for bookings.',
    }],
    ['content-concept', { tone: 'Warm and unhurried', postsPerWeek: 7, concept: 'A day in the café: what is baked, who comes, what guests ask.' }],
    ['training-programme', {
      modules: [
        { participant: cast.anna.email, module: 'reviews', deadline: dayOf(realNow - 20 * DAY) },
        { participant: cast.anna.email, module: 'chats', deadline: dayOf(realNow - 18 * DAY) },
        { participant: cast.igor.email, module: 'empowered-staff', deadline: dayOf(realNow - 20 * DAY) },
        { participant: cast.igor.email, module: 'messengers', deadline: dayOf(realNow - 18 * DAY) },
      ],
      notes: 'Formatting-stage modules for both specialists.',
    }],
    ['job-descriptions', { changes: [{ document: 'Barista job description', kind: 'job-description', position: 'Barista', change: 'Answers reviews on VK the same day' }] }],
  ];
}

function formattingDocuments(_cast: LaunchDemoCast, at: number): [string, Record<string, unknown>][] {
  const opened = dayOf(at);
  return [
    ['accounts-register', {
      accounts: [
        { network: 'facebook', address: FACEBOOK, opened, firstContent: true, linksTested: true, responsible: 'Anna Sales' },
        { network: 'vk', address: VK, opened, firstContent: true, linksTested: true, responsible: 'Anna Sales' },
      ],
    }],
    ['site-changes', { siteAddress: 'https://samovar.example', changes: [{ change: 'Links to the VK group and the Facebook page in the footer', scope: 'links', page: 'https://samovar.example/' }] }],
    ['platform-regulations', {
      platforms: [{ platform: 'VK group', network: 'vk', author: 'Anna Sales', postsPerWeek: 5, approver: 'Oleg Owner' }, { platform: 'Facebook page', network: 'facebook', author: 'Igor Production', postsPerWeek: 3, approver: 'Oleg Owner' }],
      moderation: ['Remove advertising by others', 'Never delete a negative review: answer it'],
      responseTimes: [{ network: 'vk', messageKind: 'review', withinHours: 4, responsible: 'Anna Sales' }, { messageKind: 'private-message', withinHours: 2, responsible: 'Igor Production' }],
    }],
  ];
}

/** What the month holds on each day, by how far the day is from today: out and measured behind, ideas ahead. */
function statusFor(offset: number, index: number): ContentStatus {
  if (offset < -5) return 'measured';
  if (offset < -1) return index === 0 && offset === -3 ? 'approved' : 'published'; // one approved item left behind: overdue
  if (offset <= 2) return 'scheduled';
  if (offset <= 4) return 'approved';
  if (offset <= 7) return index % 2 ? 'changes_requested' : 'submitted';
  if (offset <= 10) return 'draft';
  return 'idea';
}

const TITLES: Record<number, string[]> = {
  1: ['This week at the Samovar', 'New pies this week'],
  2: ['How our samovar tea is brewed', 'Igor’s morning bake'],
  3: ['A guest’s story: the Sunday regulars', 'Why Marina comes back'],
  4: ['Your questions about the menu', 'Gluten-free? We answer'],
  5: ['Friday poll: which pie next?', 'Friday tea tasting'],
  6: ['Weekend breakfast for families', 'Saturday with kids'],
  7: ['Thank you for the week', 'Sunday review answers'],
};

/**
 * Items on VK every day and on Facebook and in the chat on some days, from two weeks ago to two weeks
 * ahead, each taken as far through its lifecycle as its day suggests: by Anna or Igor as authors, the
 * owner deciding, the consultant doing nothing but what the roles allow.
 */
async function workTheContentMonth(story: Story, cast: LaunchDemoCast, engagementId: string, realNow: number): Promise<void> {
  const today = dayOf(realNow);
  const plan: { day: string; offset: number; channel: string; url: string | null; index: number }[] = [];
  for (let offset = -13; offset <= 13; offset++) {
    const day = addDays(today, offset);
    plan.push({ day, offset, channel: `vk:${VK}`, url: `${VK}?w=wall-1_${200 + offset}`, index: 0 });
    if ([1, 3, 5].includes(weekdayOf(day))) plan.push({ day, offset, channel: `facebook:${FACEBOOK}`, url: `${FACEBOOK}/posts/${300 + offset}`, index: 1 });
    if (weekdayOf(day) === 6) plan.push({ day, offset, channel: 'chat', url: `https://t.me/samovar_cafe/${400 + offset}`, index: 2 });
  }
  for (const item of plan) await workItem(story, cast, engagementId, item, realNow);
}

async function workItem(story: Story, cast: LaunchDemoCast, engagementId: string, item: { day: string; offset: number; channel: string; url: string | null; index: number }, realNow: number): Promise<void> {
  const target = statusFor(item.offset, item.index);
  const { consultant, owner } = cast;
  const author = item.index === 1 ? cast.igor : cast.anna;
  const title = TITLES[weekdayOf(item.day)]![item.index % 2]!;
  // Work on an item happens a few days before its day (never after now); publishing on the day itself.
  story.to(Math.min(Date.parse(`${item.day}T08:00:00Z`) - 4 * DAY, realNow - 2 * 60 * 60 * 1000));
  const { deps } = story;
  const created = await createItem(deps, consultant.id, engagementId, { channel: item.channel, format: item.index === 2 ? 'poll' : 'post', title, plannedOn: item.day });
  if (target === 'idea') return;
  const body = `**${title}**\n\nCome in today: the samovar is on from 8 a.m. Tell us in the comments what you would like to try next.`;
  await editItem(deps, author.id, engagementId, created.id, { title, format: item.index === 2 ? 'poll' : 'post', body });
  if (target === 'draft') return;
  await submitItem(deps, author.id, engagementId, created.id);
  if (target === 'submitted') return;
  if (target === 'changes_requested') return void (await requestItemChanges(deps, owner.id, engagementId, created.id, 'Add a photo of the pies and the price.'));
  await approveItem(deps, owner.id, engagementId, created.id, 'Good.');
  if (target === 'approved') return;
  await scheduleItem(deps, author.id, engagementId, created.id, { scheduledAt: `${item.day}T09:00` });
  if (target === 'scheduled') return;
  story.to(Date.parse(`${item.day}T09:05:00Z`));
  await publishItem(story.deps, author.id, engagementId, created.id, { publishedUrl: item.url!, publishedAt: `${item.day}T09:00` });
  if (target === 'published') return;
  story.to(Date.parse(`${item.day}T09:00:00Z`) + 3 * DAY);
  const reach = 180 + 37 * ((item.offset + 20) % 7);
  await measureItem(story.deps, author.id, engagementId, created.id, { reach: String(reach), reactions: String(Math.round(reach / 12)), comments: String(item.offset % 3 + 2), shares: '3', newFollowers: String(item.index ? 2 : 5), leads: String(item.index ? 0 : 1) });
}
