// "Fill from the Launch month" (the quarterly plan) and "fill from results" (the final evaluation): each
// writes a draft version people edit before submitting, as one command with its event.
import { runCommand, type CommandContext, type ServiceDeps } from '../engagement/command.ts';
import { Participant } from '../engagement/engagement.entity.ts';
import { planWindow } from '../engagement/engagement.machine.ts';
import { BlockedError } from '../errors.ts';
import { ProjectDocument, DocumentVersion } from '../documents/document.entity.ts';
import { saveDraft } from '../documents/documents.service.ts';
import { ContentItem, ContentPlan } from '../content/content.entity.ts';
import { defaultThemes, formatsOf } from '../content/content-rules.ts';
import { channelLabel } from '../content/channels.queries.ts';
import { TrainingAssignment } from '../training/training.entity.ts';
import { kpiSummaries } from './kpi.queries.ts';
import { finalEvaluationFields, quarterlyPlanFields, type WorkItem } from './kpi-fill.ts';

const WRITERS = { roles: ['consultant' as const, 'staff' as const] };
export type FillKind = 'quarterly-plan' | 'final-evaluation';

/** The document type a fill writes, from the methodology data. */
export function fillTypeOf(methodology: CommandContext['methodology'], kind: FillKind): string | null {
  return (kind === 'quarterly-plan' ? methodology.kpis?.quarterlyPlan?.documentType : methodology.kpis?.finalEvaluation?.documentType) ?? null;
}

/** The latest content, unless the latest version is with the owner or approved: that one is never filled over. */
async function currentContent(ctx: CommandContext, typeId: string): Promise<Record<string, unknown>> {
  const document = await ctx.em.findOne(ProjectDocument, { engagement: ctx.engagement, typeId });
  if (!document || document.latestVersion === 0) return {};
  if (document.status === 'in_review' || document.status === 'approved') {
    throw new BlockedError('The document cannot be filled', [
      document.status === 'in_review'
        ? `version ${document.latestVersion} is sent for approval: filling it would change what the owner reviews`
        : `version ${document.latestVersion} is approved: edit it to start a new version, then fill that one`,
    ]);
  }
  return (await ctx.em.findOne(DocumentVersion, { document, number: document.latestVersion }))?.content ?? {};
}

async function workItems(ctx: CommandContext, language: 'en' | 'ru'): Promise<WorkItem[]> {
  const [items, participants] = await Promise.all([
    ctx.em.find(ContentItem, { engagement: ctx.engagement }, { orderBy: { plannedOn: 'asc' } }),
    ctx.em.find(Participant, { engagement: ctx.engagement }),
  ]);
  const names = new Map(participants.map((p) => [p.user.id, p.displayName]));
  const chat = ctx.methodology.contentPlan?.chat.label[language] ?? (language === 'ru' ? 'Клиентский чат' : 'Client chat');
  return items.map((i) => ({
    channelLabel: channelLabel(ctx.methodology, { network: i.network, address: i.accountAddress ?? null }, language, chat),
    network: ctx.methodology.networks.some((n) => n.id === i.network) ? i.network : null,
    format: i.format, plannedOn: i.plannedOn, status: i.status,
    publishedOn: i.publishedAt ? i.publishedAt.toISOString().slice(0, 10) : null,
    author: i.author ? (names.get(i.author.id) ?? null) : null,
  }));
}

async function fill(deps: ServiceDeps, actorId: string, engagementId: string, kind: FillKind) {
  return runCommand(deps, engagementId, actorId, WRITERS, async (ctx) => {
    const typeId = fillTypeOf(ctx.methodology, kind);
    if (!typeId) throw new BlockedError('The document cannot be filled', ["this engagement's methodology does not say which document the KPIs fill"]);
    const current = await currentContent(ctx, typeId);
    const language = ctx.actor.locale === 'ru' ? 'ru' : 'en';
    const today = ctx.now.toISOString().slice(0, 10);
    const [kpis, items] = await Promise.all([kpiSummaries(ctx.em, { id: ctx.engagement.id, methodology: ctx.methodology }, today, ctx.now), workItems(ctx, language)]);
    let content: Record<string, unknown>;
    if (kind === 'quarterly-plan') {
      const plan = await ctx.em.findOne(ContentPlan, { engagement: ctx.engagement });
      const themes = (plan?.weekdayThemes ?? defaultThemes(ctx.methodology.contentPlan)).map((t) => ({ weekday: t.weekday, theme: t.theme[language] }));
      const formats = formatsOf(ctx.methodology);
      content = quarterlyPlanFields({
        today, planEnd: planWindow(ctx.engagement.plannedStart, ctx.engagement.snapshot.context).last, kpis, items, themes,
        regulations: (ctx.methodology.kpis?.quarterlyPlan?.regulations ?? []).map((r) => r[language]),
        formatLabel: (id) => formats.find((f) => f.id === id)?.label[language] ?? id,
      }, current);
    } else {
      const [assignments, participants] = await Promise.all([
        ctx.em.find(TrainingAssignment, { engagement: ctx.engagement }),
        ctx.em.find(Participant, { engagement: ctx.engagement }, { orderBy: { addedAt: 'asc' } }),
      ]);
      const training = participants.flatMap((p) => {
        const own = assignments.filter((a) => a.user.id === p.user.id);
        return own.length ? [{ participant: p.displayName, assigned: own.length, completed: own.filter((a) => a.completedAt).length }] : [];
      });
      content = finalEvaluationFields({ today, kpis, items, training, language }, current);
    }
    const { version } = await saveDraft(ctx, typeId, content);
    ctx.record('kpi.fillDocument', { typeId, version: version.number, kpis: kpis.length, items: items.length });
    return version;
  });
}

/** Themes and cadence per channel, who publishes what, and next quarter's KPI targets from the trend. */
export const fillQuarterlyPlan = (deps: ServiceDeps, actorId: string, engagementId: string) => fill(deps, actorId, engagementId, 'quarterly-plan');
/** Per KPI baseline, target and actual; content per channel, the on-time share, training completion. */
export const fillFinalEvaluation = (deps: ServiceDeps, actorId: string, engagementId: string) => fill(deps, actorId, engagementId, 'final-evaluation');
