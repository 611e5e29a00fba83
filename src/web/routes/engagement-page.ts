// Renders the engagement page for the routes that show it: the page itself and the forms refused on it.
import type { Request, Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { localeOf } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { getEngagementOverview } from '../../engagement/overview.ts';
import { waitingReader } from '../../cache/waiting.ts';
import { listGateSteps } from '../../queue/gate-steps.queries.ts';
import { renderTimelineSvg } from '../presenters/timeline-svg.ts';
import { describeBlockersIn } from '../presenters/blockers.ts';
import { LATEST_EVENTS, selectStage, stageTabs, waitingHere } from '../presenters/engagement-page.ts';
import { readKpiContext, kpiSummaries } from '../../kpi/kpi.queries.ts';
import { presentKpis } from '../presenters/kpi-view.ts';
import { newerMethodologyOnOffer } from '../../engagement/methodology-upgrade.service.ts';

/** A form on the page that was refused: what was typed, and why, field by field. */
export interface RefusedForm {
  values: Record<string, string | string[]>;
  errors: Record<string, string>;
  /** A refusal that belongs to no single field (the task a bulk assignment stopped at). */
  summary?: string;
}

export interface PageOptions {
  /** The stage to show; by default the one the address asks for, or the current one. */
  stage?: string;
  invite?: RefusedForm;
  bulk?: RefusedForm;
}

export async function renderEngagementPage(deps: WebDeps, req: Request, res: Response, options: PageOptions = {}): Promise<void> {
  const locale = localeOf(req);
  const userId = req.user!.id;
  const overview = await getEngagementOverview(deps, userId, String(req.params.id), locale);
  const t = (key: string, params = {}) => translate(locale, key, params);
  const selected = selectStage(overview, options.stage ?? req.query.stage);
  const monthFormat = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const [waiting, gateSteps, upgradeTo] = await Promise.all([
    waitingReader(deps).list(userId, locale, { engagementId: overview.id }),
    // Staff see no gate box (unless they act for the owner), so their page skips the lookup.
    overview.timeline.gate && (overview.role !== 'staff' || overview.actsAsOwner) ? listGateSteps(deps, overview, overview.timeline.gate, locale) : [],
    // Only the consultant chooses the methodology version, so only their page asks whether a newer one exists.
    overview.role === 'consultant' ? newerMethodologyOnOffer(deps, { methodologyHash: overview.methodologyHash, state: overview.timeline.state }) : null,
  ]);
  // The KPI summary costs its statements only once the KPIs are worked: in the last stage (Launch) and after it.
  const kpis = [overview.stages.at(-1)?.id, 'completed'].includes(overview.timeline.state) ? await readKpiContext(deps, userId, overview.id).then(async (c) => presentKpis(await kpiSummaries(c.em, { id: c.engagement.id, methodology: c.methodology }, c.today, c.now), c.methodology, locale, c.today, res.locals.formatDate as (d: string) => string)) : [];
  const isRefused = !!(options.invite || options.bulk);
  res.status(isRefused ? 422 : 200).render('engagements/show', {
    e: overview,
    selectedStage: overview.stages.find((s) => s.id === selected)!,
    tabs: stageTabs(overview, selected),
    waitingHere: waitingHere(waiting, overview.id),
    latestEvents: overview.events.slice(-LATEST_EVENTS).reverse(),
    timelineSvg: renderTimelineSvg(overview.timeline, deps.clock(), {
      today: t('timeline.today'),
      overdue: (title) => t('timeline.overdue', { title }),
      month: (date) => monthFormat.format(date),
      title: t('timeline.title'),
    }),
    gateLines: overview.timeline.gate ? describeBlockersIn(locale, overview.timeline.gate) : [],
    gateSteps,
    upgradeTo,
    kpis,
    inviteValues: options.invite?.values ?? {},
    inviteErrors: options.invite?.errors ?? {},
    bulk: options.bulk ?? { values: {}, errors: {} },
  });
}
