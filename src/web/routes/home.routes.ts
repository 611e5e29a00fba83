// Each person's home: what waits for them, the consultant's engagements, the owner's progress, the staff member's tasks.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { listMyTasks } from '../../engagement/overview.ts';
import { listEngagementPage, isStaffAnywhere, LIFECYCLE_STATES, type EngagementListFilter, type EngagementListPage } from '../../engagement/engagement-list.queries.ts';
import { stagesOnDisk } from '../../engagement/stage-names.queries.ts';
import { waitingReader } from '../../cache/waiting.ts';
import { ChangeCache, minuteStamp } from '../../cache/change-cache.ts';
import { localeOf } from '../context.ts';
import { ListQuery, listHref, renderBadListAddress } from '../list-params.ts';

/** The top bar's "waiting for me" count: one query, only for pages a signed-in person reads. */
/**
 * The top bar's count on every page. For a consultant of many engagements it reads all of them, so it
 * is computed again only when the data has changed (the change feed) or the minute has (deadlines pass).
 */
export function countWaitingForTopBar(deps: WebDeps) {
  const waiting = waitingReader(deps);
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' && req.user && !req.path.endsWith('.pdf')) res.locals.waitingCount = await waiting.count(req.user.id);
    next();
  };
}

/** The home page lists the first few things waiting; the rest are on /waiting, a page at a time. */
const WAITING_ON_HOME = 10;
const WAITING_PER_PAGE = 50;

/** The home page's filters as its address holds them: /?stage=formatting&overdue=1&waiting=1&q=anna&page=2 */
function readFilter(req: Request, stages: Iterable<string>) {
  const query = new ListQuery(req);
  const filter: EngagementListFilter = {
    stage: query.oneOf('stage', stages),
    isOverdue: query.flag('overdue'),
    isWaitingForApproval: query.flag('waiting'),
    search: query.search('q'),
    page: query.page(),
  };
  return { filter, problems: query.problems };
}

const addressOf = (filter: EngagementListFilter, page = filter.page) =>
  listHref('/', { stage: filter.stage, overdue: filter.isOverdue, waiting: filter.isWaitingForApproval, q: filter.search, page });

export function homeRoutes(deps: WebDeps): Router {
  const router = Router();
  // A consultant's lists count across all their engagements: kept per address until the data changes.
  const lists = new ChangeCache<EngagementListPage>(deps.changes, 2_000);
  const listPage = (userId: string, role: 'consultant' | 'owner', filter: EngagementListFilter, locale: 'en' | 'ru') => {
    return lists.get(JSON.stringify([userId, role, filter, locale]), minuteStamp(deps.clock), () => listEngagementPage(deps, userId, role, filter, locale));
  };

  router.get('/', async (req, res) => {
    const locale = localeOf(req);
    const userId = req.user!.id;
    const stageTitles = stagesOnDisk(deps.methodologies, locale);
    const stages = [...stageTitles.keys(), ...LIFECYCLE_STATES];
    const { filter, problems } = readFilter(req, stages);
    if (problems.length) return renderBadListAddress(req, res, deps.log, problems, '/');
    const [consulting, owning, waiting, isStaff] = await Promise.all([
      listPage(userId, 'consultant', filter, locale),
      listPage(userId, 'owner', { page: 1 }, locale),
      waitingReader(deps).list(userId, locale),
      isStaffAnywhere(deps, userId),
    ]);
    const isFiltered = !!(filter.stage || filter.isOverdue || filter.isWaitingForApproval || filter.search);
    res.render('home/index', {
      consulting,
      owning,
      waiting,
      waitingOnHome: WAITING_ON_HOME,
      isStaff,
      filter,
      isFiltered,
      requestedPage: filter.page,
      // Each stage the consultant has engagements in, in the methodology's order, then the lifecycle states.
      stageCounts: stages.filter((s) => consulting.counts.byState[s]).map((s) => ({ state: s, count: consulting.counts.byState[s]!, href: listHref('/', { stage: s }) })),
      stageOptions: stages,
      stageTitles: Object.fromEntries(stageTitles),
      hrefs: {
        overdue: listHref('/', { overdue: true }),
        waiting: listHref('/', { waiting: true }),
        previous: consulting.page > 1 ? addressOf(filter, consulting.page - 1) : null,
        next: consulting.page < consulting.pageCount ? addressOf(filter, consulting.page + 1) : null,
      },
    });
  });

  // Everything waiting, a page at a time: the home page shows only the first few.
  router.get('/waiting', async (req, res) => {
    const query = new ListQuery(req);
    const page = query.page();
    if (query.problems.length) return renderBadListAddress(req, res, deps.log, query.problems, '/waiting');
    const all = await waitingReader(deps).list(req.user!.id, localeOf(req));
    const pageCount = Math.max(1, Math.ceil(all.length / WAITING_PER_PAGE));
    const shown = Math.min(page, pageCount);
    const items = all.slice((shown - 1) * WAITING_PER_PAGE, shown * WAITING_PER_PAGE);
    res.render('home/waiting', {
      items,
      count: all.length,
      first: (shown - 1) * WAITING_PER_PAGE + 1,
      last: (shown - 1) * WAITING_PER_PAGE + items.length,
      previous: shown > 1 ? listHref('/waiting', { page: shown - 1 }) : null,
      next: shown < pageCount ? listHref('/waiting', { page: shown + 1 }) : null,
    });
  });

  router.get('/tasks', async (req, res) => {
    const tasks = await listMyTasks(deps, req.user!.id, localeOf(req));
    res.render('tasks/mine', { tasks });
  });

  return router;
}
