// Read side of one task's page: the task as its reader may see it, and what they may do with it there.
import type { EntityManager } from '@mikro-orm/core';
import { Engagement, Participant } from './engagement.entity.ts';
import { Task } from './task.entity.ts';
import { ProjectDocument } from '../documents/document.entity.ts';
import { isUuid, type ServiceDeps } from './command.ts';
import { requireViewer } from './engagement-access.ts';
import { toTaskRow, type TaskRow } from './overview.ts';
import { planWindow } from './engagement.machine.ts';
import { NotFoundError } from '../errors.ts';
import type { Methodology, Role, Stage } from '../methodology/methodology.schema.ts';
import { documentationRuleOf, isSettled, reviewStateOf, type ReviewState } from './documentation-review.ts';
import { hasEnteredStage, loadReviewedDocuments } from './documentation-review.queries.ts';
import { everyoneModules, loadStudyProgress, studyTaskOf, type StudyRow } from '../training/study.queries.ts';

type Language = 'en' | 'ru';

export interface TaskPage {
  engagement: { id: string; clientName: string; state: string; role: Role; plan: { first: string; last: string } };
  stage: { id: string; title: string };
  task: TaskRow;
  /** The participants the methodology lets carry this task (its role); the only ones offered. */
  candidates: { userId: string; name: string }[];
  document: { id: string; status: string } | null;
  isTrainingModule: boolean;
  /** A firm administrator who takes no part: the consultant's page without its actions. */
  readOnly: boolean;
  canAssign: boolean;
  canComplete: boolean;
  /** A draft may be written (or a new version started) from here. */
  canDraft: boolean;
  /** The study of the methods kit: where each participant stands, and whether a session may be recorded here. */
  study: StudyPanel | null;
  /** For the task that corrects the documentation: the documents it reviews, with where each stands. */
  review: DocumentReview | null;
}

export interface DocumentReview {
  stageTitle: string;
  /** The documents are reviewed only once their stage has begun. */
  hasStarted: boolean;
  rows: { documentId: string; typeId: string; title: string; version: number; hash: string; state: ReviewState; status: string; canConfirm: boolean }[];
  settledCount: number;
  /** The owner, while the engagement is in the stage. */
  canConfirm: boolean;
}

const ACTIVE_KINDS = ['work', 'training', 'meeting'];

/** Staff read only the tasks given to them; any other task is "not found" to them, as to outsiders. */
export async function getTaskPage(deps: ServiceDeps, actorId: string, engagementId: string, taskId: string, language: Language): Promise<TaskPage> {
  const em = deps.orm.em.fork();
  const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId) : null;
  if (!engagement) throw new NotFoundError('Engagement');
  // A firm administrator who takes no part reads the consultant's page, offered no action (readOnly).
  const { role, actsAsOwner, readOnly } = await requireViewer(em, engagement.id, actorId);
  const task = isUuid(taskId) ? await em.findOne(Task, { id: taskId, engagement }, { populate: ['assignee'] }) : null;
  // A staff member acting for the owner reads every task, as the owner does.
  if (!task || (role === 'staff' && !actsAsOwner && task.assignee?.id !== actorId)) throw new NotFoundError('Task');

  const { definition: methodology } = await deps.methodologies.frozen(em, engagement.methodology.hash);
  const participants = await em.find(Participant, { engagement }, { populate: ['user'], orderBy: { addedAt: 'asc' } });
  const names = new Map(participants.map((p) => [p.user.id, p.displayName]));
  const row = { ...toTaskRow(methodology, task, language, deps.clock()), assigneeName: task.assignee ? (names.get(task.assignee.id) ?? null) : null };
  const document = row.documentType ? await em.findOne(ProjectDocument, { engagement, typeId: row.documentType }) : null;

  const stageIds = methodology.stages.map((s) => s.id);
  const inStage = stageIds.includes(engagement.state);
  const isOpen = task.status === 'open';
  const isTrainingModule = !!task.key?.startsWith('training:');
  const stageHasStarted = inStage && stageIds.indexOf(task.stageId) <= stageIds.indexOf(engagement.state);
  // A task an upgrade archived may belong to a stage the newer version no longer has.
  const stage = methodology.stages.find((s) => s.id === task.stageId);
  const review = stage && documentationRuleOf(stage)?.task === task.key ? await readReview(em, engagement, stage, methodology, actsAsOwner, language) : null;
  // The task follows its documents; by hand only when there is nothing to review.
  const isClosedByDocuments = !!review?.rows.length;
  const isStudyTask = !!task.key && studyTaskOf(methodology)?.def.id === task.key;
  return {
    engagement: { id: engagement.id, clientName: engagement.clientName, state: engagement.state, role, plan: planWindow(engagement.plannedStart, engagement.snapshot.context) },
    stage: { id: task.stageId, title: stage?.title[language] ?? task.stageId },
    task: row,
    candidates: participants.filter((p) => p.role === task.role).map((p) => ({ userId: p.user.id, name: p.displayName })),
    document: document ? { id: document.id, status: document.status } : null,
    isTrainingModule,
    // The consultant and the owner (or their delegate) hand out tasks and move deadlines (ASSIGNERS in tasks.service.ts).
    readOnly,
    canAssign: !readOnly && (role === 'consultant' || actsAsOwner) && isOpen && task.kind !== 'signoff' && (engagement.state === 'draft' || inStage),
    canComplete: !readOnly && !isClosedByDocuments && isOpen && ACTIVE_KINDS.includes(task.kind) && !isTrainingModule && !isStudyTask && (role === 'consultant' || task.assignee?.id === actorId) && stageHasStarted,
    canDraft: !readOnly && !!row.documentType && role !== 'owner' && (engagement.state === 'draft' || inStage),
    review,
    study: isStudyTask ? await studyPanel(em, engagement, methodology, role, actorId, inStage && !readOnly, language, deps.clock()) : null,
  };
}

async function readReview(em: EntityManager, engagement: Engagement, stage: Stage, methodology: Methodology, actsAsOwner: boolean, language: Language): Promise<DocumentReview> {
  const [hasStarted, reviewed] = await Promise.all([hasEnteredStage(em, engagement, stage.id), loadReviewedDocuments(em, [{ engagement, stage, methodology }])]);
  const canConfirm = actsAsOwner && engagement.state === stage.id;
  const titleOf = (typeId: string) => methodology.documentTypes.find((d) => d.id === typeId)?.title[language] ?? typeId;
  const rows = (reviewed.get(engagement.id) ?? []).map((d) => {
    const state = reviewStateOf(d);
    return { documentId: d.documentId, typeId: d.typeId, title: titleOf(d.typeId), version: d.latestVersion, hash: d.latestHash ?? '', state, status: d.status, canConfirm: canConfirm && state === 'notReviewed' };
  });
  return { stageTitle: stage.title[language], hasStarted, rows: hasStarted ? rows : [], settledCount: rows.filter((r) => isSettled(r.state)).length, canConfirm };
}

export interface StudyPanel {
  rows: (Omit<StudyRow, 'modules'> & { modules: { title: string; isCompleted: boolean }[] })[];
  canRecord: boolean;
  /** The days a session may be dated: from the engagement's start to today. */
  earliest: string;
  today: string;
}

async function studyPanel(em: Parameters<typeof loadStudyProgress>[0], engagement: Engagement, methodology: Parameters<typeof studyTaskOf>[0], role: Role, actorId: string, mayRecord: boolean, language: Language, now: Date): Promise<StudyPanel> {
  const all = (await loadStudyProgress(em, [{ engagementId: engagement.id, methodology }])).get(engagement.id) ?? [];
  // A staff member given the task sees their own row, as in the training matrix.
  const rows = role === 'staff' ? all.filter((r) => r.userId === actorId) : all;
  const titles = new Map(everyoneModules(methodology).map((m) => [m.id, m.title[language]]));
  const startedAt = engagement.snapshot.context.stages[0]?.startedAt ?? null;
  return {
    rows: rows.map((r) => ({ ...r, modules: r.modules.map((m) => ({ title: titles.get(m.moduleId) ?? m.moduleId, isCompleted: m.isCompleted })) })),
    canRecord: role === 'consultant' && mayRecord && !!startedAt && rows.length > 0,
    earliest: startedAt?.slice(0, 10) ?? '',
    today: now.toISOString().slice(0, 10),
  };
}
