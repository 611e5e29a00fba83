// The portfolio (/portfolio, its CSV export) and the firm's benchmarks, firm-wide and against one engagement.
import { Router, type Request } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { localeOf } from '../context.ts';
import { translator } from '../i18n/i18n.ts';
import { ListQuery, listHref, renderBadListAddress } from '../list-params.ts';
import { ForbiddenError } from '../../errors.ts';
import { LIFECYCLE_STATES } from '../../engagement/engagement-list.queries.ts';
import { stagesOnDisk } from '../../engagement/stage-names.queries.ts';
import { HEALTHS, AT_RISK_APPROVAL_DAYS, AT_RISK_STAGE_END_DAYS, type Health } from '../../portfolio/health.ts';
import { listPortfolio, listPortfolioForExport, PORTFOLIO_SORTS, type PortfolioFilter, type PortfolioSort, type PortfolioViewer, type SortDirection } from '../../portfolio/portfolio.queries.ts';
import { findEngagementToCompare, readFirmObservations } from '../../portfolio/benchmarks.queries.ts';
import { buildBenchmarks } from '../../portfolio/benchmarks.ts';
import { documentTypesOnDisk, presentBenchmarks } from '../presenters/benchmarks-page.ts';
import { portfolioCsv, presentPortfolioRow } from '../presenters/portfolio-page.ts';
import { kpiAttainmentOf } from '../../portfolio/kpi-attainment.ts';

const PATH = '/portfolio';

/** The order a column sorts in when first chosen: names and stages from A and the first, figures from the largest. */
export const defaultDirection = (sort: PortfolioSort): SortDirection => (sort === 'client' || sort === 'stage' ? 'asc' : 'desc');

/** Only the firm's people have a portfolio: owners and staff are refused, as on the firm's other pages. */
function viewerOf(req: Request): PortfolioViewer {
  const user = req.user!;
  if (user.firmRole !== 'admin' && user.firmRole !== 'consultant') throw new ForbiddenError('Only the firm’s consultants and administrators see the portfolio');
  return { id: user.id, isAdmin: user.firmRole === 'admin' };
}

/** The filters as the address holds them: /portfolio?stage=formatting&health=late&q=anna&sort=days&dir=asc&page=2 */
function readFilter(req: Request, stages: string[]) {
  const query = new ListQuery(req);
  const sort = (query.oneOf('sort', PORTFOLIO_SORTS) ?? 'health') as PortfolioSort;
  const filter: PortfolioFilter = {
    stage: query.oneOf('stage', stages),
    health: query.oneOf('health', HEALTHS) as Health | undefined,
    search: query.search('q'),
    sort,
    direction: (query.oneOf('dir', ['asc', 'desc']) ?? defaultDirection(sort)) as SortDirection,
    page: query.page(),
  };
  return { filter, problems: query.problems };
}

/** One address per view: the default sort and direction are left out. */
export function portfolioHref(filter: Omit<PortfolioFilter, 'page'>, page = 1, path = PATH): string {
  return listHref(path, {
    stage: filter.stage,
    health: filter.health,
    q: filter.search,
    sort: filter.sort === 'health' ? undefined : filter.sort,
    dir: filter.direction === defaultDirection(filter.sort) ? undefined : filter.direction,
    page,
  });
}

export function portfolioRoutes(deps: WebDeps): Router {
  const router = Router();

  const readRequest = (req: Request) => {
    const viewer = viewerOf(req);
    const stageTitles = stagesOnDisk(deps.methodologies, localeOf(req));
    const stages = [...stageTitles.keys(), ...LIFECYCLE_STATES];
    return { viewer, stageTitles, stages, ...readFilter(req, stages) };
  };

  router.get(PATH, async (req, res) => {
    const locale = localeOf(req);
    const { viewer, stageTitles, stages, filter, problems } = readRequest(req);
    if (problems.length) return renderBadListAddress(req, res, deps.log, problems, PATH);
    const portfolio = await listPortfolio(deps, viewer, filter, locale);
    const kpis = await kpiAttainmentOf(deps, portfolio.rows.map((r) => r.id), deps.clock().toISOString().slice(0, 10));
    const t = translator(locale);
    const stateLabel = (s: string) => stageTitles.get(s) ?? t(`state.${s}`);
    // A column heading sorts by it; chosen again, it turns the order round.
    const sortHrefs = Object.fromEntries(PORTFOLIO_SORTS.map((sort) => {
      const direction = filter.sort === sort ? (filter.direction === 'asc' ? 'desc' : 'asc') : defaultDirection(sort);
      return [sort, portfolioHref({ ...filter, sort, direction })];
    }));
    res.render('portfolio/index', {
      title: t('portfolio.title'),
      portfolio,
      viewer,
      filter,
      requestedPage: filter.page,
      isFiltered: !!(filter.stage || filter.health || filter.search),
      rows: portfolio.rows.map((r) => presentPortfolioRow(r, t, res.locals.formatDate as (d: Date | null) => string, stateLabel, kpis.get(r.id))),
      stageOptions: stages.map((s) => ({ value: s, label: stateLabel(s) })),
      healthCounts: HEALTHS.map((h) => ({ health: h, count: portfolio.counts.byHealth[h] ?? 0, href: portfolioHref({ ...filter, health: h }) })),
      rule: { approvalDays: AT_RISK_APPROVAL_DAYS, stageDays: AT_RISK_STAGE_END_DAYS },
      sortHrefs,
      hrefs: {
        all: portfolioHref({ sort: filter.sort, direction: filter.direction }),
        csv: portfolioHref(filter, 1, `${PATH}.csv`),
        previous: portfolio.page > 1 ? portfolioHref(filter, portfolio.page - 1) : null,
        next: portfolio.page < portfolio.pageCount ? portfolioHref(filter, portfolio.page + 1) : null,
      },
    });
  });

  // The same filters and order as the page, every matching engagement, one row each.
  router.get(`${PATH}.csv`, async (req, res) => {
    const locale = localeOf(req);
    const { viewer, stageTitles, filter, problems } = readRequest(req);
    if (problems.length) return renderBadListAddress(req, res, deps.log, problems, PATH);
    const rows = await listPortfolioForExport(deps, viewer, filter, locale);
    const t = translator(locale);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="portfolio.csv"');
    const kpis = await kpiAttainmentOf(deps, rows.map((r) => r.id), deps.clock().toISOString().slice(0, 10));
    res.send(portfolioCsv(rows, t, (s) => stageTitles.get(s) ?? t(`state.${s}`), kpis));
  });

  router.get(`${PATH}/benchmarks`, async (req, res) => {
    viewerOf(req);
    const locale = localeOf(req);
    const benchmarks = buildBenchmarks(await readFirmObservations(deps), orderOf(deps, locale));
    res.render('portfolio/benchmarks', { title: translator(locale)('portfolio.bench.title'), page: presentBenchmarks(benchmarks, translator(locale), names(deps, locale), locale, false), engagement: null });
  });

  router.get('/engagements/:id/benchmarks', async (req, res) => {
    const viewer = { id: req.user!.id, isAdmin: req.user!.firmRole === 'admin' };
    const engagement = await findEngagementToCompare(deps, viewer, String(req.params.id));
    const locale = localeOf(req);
    const t = translator(locale);
    const benchmarks = buildBenchmarks(await readFirmObservations(deps), orderOf(deps, locale), engagement.id);
    res.render('portfolio/benchmarks', { title: t('portfolio.bench.ownTitle', { client: engagement.clientName }), page: presentBenchmarks(benchmarks, t, names(deps, locale), locale, true), engagement });
  });

  return router;
}

function names(deps: WebDeps, locale: 'en' | 'ru') {
  return { stages: stagesOnDisk(deps.methodologies, locale), documentTypes: documentTypesOnDisk(deps.methodologies, locale) };
}

function orderOf(deps: WebDeps, locale: 'en' | 'ru') {
  const n = names(deps, locale);
  return { stages: [...n.stages.keys()], documentTypes: [...n.documentTypes.keys()] };
}
