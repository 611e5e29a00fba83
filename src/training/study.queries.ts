// Where the study of the methods kit stands: per participant, the modules everyone studies and the sessions held.
import type { EntityManager } from '@mikro-orm/core';
import { Participant } from '../engagement/engagement.entity.ts';
import type { Methodology, Stage, TaskDefinition } from '../methodology/methodology.schema.ts';
import type { TrainingModule } from '../methodology/training.schema.ts';
import { TrainingAssignment } from './training.entity.ts';
import { StudySession } from './study-session.entity.ts';

/** The task that closes by the one-to-one study, with its stage; null in methodologies frozen before it existed. */
export function studyTaskOf(methodology: Methodology): { stage: Stage; def: TaskDefinition } | null {
  for (const stage of methodology.stages) {
    const def = stage.tasks.find((t) => t.completion === 'study-sessions');
    if (def) return { stage, def };
  }
  return null;
}

/** The modules every participant studies (training.everyone), in the methodology's order. */
export function everyoneModules(methodology: Methodology): TrainingModule[] {
  const ids = methodology.training.everyone ?? [];
  return methodology.trainingModules.filter((m) => ids.includes(m.id));
}

/** The people who study the kit: the business's side of the engagement, the owner and the staff. */
export const LEARNER_ROLES = ['owner', 'staff'];

export interface StudyModule {
  moduleId: string;
  assignmentId: string | null;
  isCompleted: boolean;
}

export interface StudyRow {
  userId: string;
  name: string;
  role: string;
  modules: StudyModule[];
  /** Every module given to everyone is completed. */
  isModuleDone: boolean;
  sessions: { heldOn: string; note: string }[];
  hasSession: boolean;
}

/** Rows for each engagement asked about, in three queries whatever their number. */
export async function loadStudyProgress(em: EntityManager, wanted: { engagementId: string; methodology: Methodology }[]): Promise<Map<string, StudyRow[]>> {
  if (!wanted.length) return new Map();
  const ids = wanted.map((w) => w.engagementId);
  const [people, assignments, sessions] = await Promise.all([
    em.find(Participant, { engagement: { $in: ids }, role: { $in: LEARNER_ROLES } }, { orderBy: { addedAt: 'asc' } }),
    em.find(TrainingAssignment, { engagement: { $in: ids } }),
    em.find(StudySession, { engagement: { $in: ids } }, { orderBy: { heldOn: 'asc', recordedAt: 'asc' } }),
  ]);
  return new Map(wanted.map(({ engagementId, methodology }) => {
    const moduleIds = everyoneModules(methodology).map((m) => m.id);
    const rows = people.filter((p) => p.engagement.id === engagementId).map((p): StudyRow => {
      const modules = moduleIds.map((moduleId) => {
        const a = assignments.find((x) => x.engagement.id === engagementId && x.user.id === p.user.id && x.moduleId === moduleId);
        return { moduleId, assignmentId: a?.id ?? null, isCompleted: !!a?.completedAt };
      });
      const held = sessions.filter((s) => s.engagement.id === engagementId && s.participant.id === p.user.id).map((s) => ({ heldOn: s.heldOn, note: s.note }));
      return { userId: p.user.id, name: p.displayName, role: p.role, modules, isModuleDone: modules.every((m) => m.isCompleted), sessions: held, hasSession: held.length > 0 };
    });
    return [engagementId, rows];
  }));
}

/** The study is complete when there is someone to study and each of them has done both halves. */
export const isStudyComplete = (rows: StudyRow[]) => rows.length > 0 && rows.every((r) => r.isModuleDone && r.hasSession);
