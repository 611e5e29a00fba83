// The consultant moves a running engagement to a newer version of its methodology: work done is kept, the plan follows the new version.
import { Task } from './task.entity.ts';
import { isUuid, runCommand, type ServiceDeps } from './command.ts';
import { requireViewer } from './engagement-access.ts';
import { Engagement } from './engagement.entity.ts';
import { addDays } from './engagement.machine.ts';
import { taskTitle } from './timeline.ts';
import { diffMethodologies, migrateContext, plannedStageStart, upgradeRefusals, type MethodologyDiff } from '../methodology/methodology-diff.ts';
import { BlockedError, ConflictError, InvalidInputError, NotFoundError } from '../errors.ts';

export interface UpgradeResult {
  from: { key: string; hash: string };
  to: { key: string; hash: string };
  diff: MethodologyDiff;
}

/**
 * Tasks whose ids the new version still has are kept with their status, assignee and deadline (moved to
 * the new stage and flags); new tasks get their deadlines from the plan; removed ones are archived, never
 * deleted. Documents stay as they are: their types are looked up by id in the new version. One event
 * names both versions by key and hash. A refusal (the current stage gone, say) changes nothing.
 */
export async function upgradeMethodology(deps: ServiceDeps, actorId: string, engagementId: string, targetKey: string, expectedFromHash?: string): Promise<UpgradeResult> {
  return runCommand(deps, engagementId, actorId, { roles: ['consultant'] }, async (ctx) => {
    const target = deps.methodologies.list().find((m) => m.key === targetKey);
    if (!target) throw new InvalidInputError([{ field: 'methodology', message: 'choose one of the methodologies offered' }]);
    const fromHash = ctx.engagement.methodology.hash;
    if (expectedFromHash !== undefined && expectedFromHash !== fromHash) throw new ConflictError('The engagement moved to another methodology version since you opened the comparison; read it again');
    const reasons = upgradeRefusals(ctx.engagement.state, ctx.methodology, target.definition, ctx.engagement.snapshot.context.pausedStage ?? undefined);
    if (reasons.length) throw new BlockedError('The methodology cannot be upgraded', reasons);
    const frozen = await deps.methodologies.freeze(ctx.em, target.key);
    const { definition } = await deps.methodologies.frozen(ctx.em, frozen.hash);
    const diff = diffMethodologies(ctx.methodology, definition);
    const fromKey = `${ctx.methodology.id}@${ctx.methodology.version}`;

    const snapshot = { ...ctx.engagement.snapshot, context: migrateContext(ctx.engagement.snapshot.context, definition.stages) };
    const clocks = snapshot.context.stages;
    const tasks = await ctx.em.find(Task, { engagement: ctx.engagement, key: { $ne: null } });
    const byKey = new Map(tasks.map((t) => [t.key!, t]));
    const added: string[] = [];
    definition.stages.forEach((stage, stageIndex) =>
      stage.tasks.forEach((def, position) => {
        const clock = clocks[stageIndex]!;
        // The stage's start as re-planned, so a pause before the upgrade moves the new deadlines too.
        const start = plannedStageStart(clocks, stageIndex);
        const deadline = clock.deadline ? new Date(def.dueDay && start ? addDays(start, def.dueDay) : clock.deadline) : null;
        const task = byKey.get(def.id);
        if (task) {
          // A task an earlier upgrade archived comes back as it was then (a done task stays done).
          if (task.status === 'archived') Object.assign(task, { status: task.archivedStatus ?? 'open', archivedStatus: null, archivedTitle: null });
          // A task done stays done; an open one follows the new plan.
          Object.assign(task, { stageId: stage.id, position, kind: def.kind, role: def.role, required: def.required, ...(task.status === 'open' && !clock.completedAt ? { deadline } : {}) });
          return;
        }
        added.push(def.id);
        ctx.em.persist(ctx.em.create(Task, { engagement: ctx.engagement, key: def.id, stageId: stage.id, position, kind: def.kind, role: def.role, required: def.required, title: null, deadline, status: 'open' }));
      }),
    );
    // A training task is named after its module (training:<module id>): it goes when the module does.
    const keys = new Set([...definition.stages.flatMap((s) => s.tasks.map((t) => t.id)), ...definition.trainingModules.map((m) => `training:${m.id}`)]);
    const archived = tasks.filter((t) => !keys.has(t.key!) && t.status !== 'archived');
    // The newer version no longer names the task: its title is kept, in both languages, from the version it leaves.
    const archivedTitles: Record<string, { en: string; ru: string }> = {};
    for (const task of archived) {
      const title = { en: taskTitle(ctx.methodology, task, 'en'), ru: taskTitle(ctx.methodology, task, 'ru') };
      archivedTitles[task.key!] = title;
      Object.assign(task, { archivedStatus: task.status, archivedTitle: title, status: 'archived' });
    }

    ctx.engagement.methodology = frozen;
    ctx.engagement.snapshot = snapshot;
    ctx.record('methodology.upgrade', { from: fromKey, fromHash, to: target.key, toHash: frozen.hash, addedTasks: added, archivedTasks: archived.map((t) => t.key), archivedTitles });
    return { from: { key: fromKey, hash: fromHash }, to: { key: target.key, hash: frozen.hash }, diff };
  });
}

export interface UpgradeOffer {
  engagementId: string;
  clientName: string;
  /** A firm administrator who takes no part (engagement-access.ts): they compare, and do not upgrade. */
  readOnly: boolean;
  current: { key: string; hash: string };
  /** Each newer version of the same methodology on offer, with what it changes. */
  offers: { key: string; diff: MethodologyDiff; refusals: string[] }[];
}

/** What the consultant reads before choosing, changing nothing: consultants of the engagement only. */
export async function listUpgradeOffers(deps: ServiceDeps, actorId: string, engagementId: string): Promise<UpgradeOffer> {
  const em = deps.orm.em.fork();
  const engagement = isUuid(engagementId) ? await em.findOne(Engagement, engagementId) : null;
  if (!engagement) throw new NotFoundError('Engagement');
  // A firm administrator who takes no part reads the offers as the consultant does, without the button.
  const { readOnly } = await requireViewer(em, engagement.id, actorId, ['consultant']);
  const { definition, key } = await deps.methodologies.frozen(em, engagement.methodology.hash);
  const offers = deps.methodologies.list()
    .filter((m) => m.definition.id === definition.id && m.definition.version > definition.version)
    .sort((a, b) => a.definition.version - b.definition.version)
    .map((m) => ({ key: m.key, diff: diffMethodologies(definition, m.definition), refusals: upgradeRefusals(engagement.state, definition, m.definition, engagement.snapshot.context.pausedStage ?? undefined) }));
  return { engagementId, clientName: engagement.clientName, readOnly, current: { key, hash: engagement.methodology.hash }, offers };
}

/**
 * The newest version of the engagement's methodology on offer, or null: what the engagement page links
 * the consultant to. An ended engagement is offered none, since every upgrade of it would be refused.
 */
export async function newerMethodologyOnOffer(deps: ServiceDeps, engagement: { methodologyHash: string; state: string }): Promise<string | null> {
  if (engagement.state === 'completed' || engagement.state === 'cancelled') return null;
  const { definition } = await deps.methodologies.frozen(deps.orm.em.fork(), engagement.methodologyHash);
  const newer = deps.methodologies.list().filter((m) => m.definition.id === definition.id && m.definition.version > definition.version);
  return newer.sort((a, b) => b.definition.version - a.definition.version)[0]?.key ?? null;
}
