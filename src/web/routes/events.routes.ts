// The event log page of an engagement: /engagements/:id/events?kind=document.approve&person=…&before=120
import { Router, type Request } from 'express';
import type { WebDeps } from '../web-deps.ts';
import { localeOf } from '../context.ts';
import { en } from '../i18n/en.ts';
import { getEventLogPage, type EventLogFilter } from '../../engagement/event-log.queries.ts';
import { ListQuery, listHref, renderBadListAddress, type ListProblem } from '../list-params.ts';

/** Every kind of event the interface has words for ("document.approve" is event.document_approve). */
const NAMED_KINDS = Object.keys(en.event).map((key) => key.replace('_', '.'));
const KIND_SHAPE = /^[a-z]+\.[a-zA-Z]+$/;

export function eventRoutes(deps: WebDeps): Router {
  const router = Router();

  router.get('/engagements/:id/events', async (req: Request, res) => {
    const path = `/engagements/${req.params.id}/events`;
    const query = new ListQuery(req);
    const kind = query.text('kind');
    const filter: EventLogFilter = { kind, personId: query.uuid('person'), before: query.whole('before'), after: query.whole('after') };
    const problems: ListProblem[] = query.problems;
    if (kind && !KIND_SHAPE.test(kind)) problems.push({ key: 'notOneOf', params: { name: 'kind', value: kind.slice(0, 60), allowed: NAMED_KINDS.join(', ') } });
    // The engagement is read (and the person's right to it checked) before any filter is judged: an outsider learns nothing.
    const page = await getEventLogPage(deps, req.user!.id, String(req.params.id), problems.length ? {} : filter, localeOf(req));
    if (!problems.length && kind && !NAMED_KINDS.includes(kind) && !page.kinds.includes(kind)) {
      problems.push({ key: 'notOneOf', params: { name: 'kind', value: kind, allowed: page.kinds.join(', ') } });
    }
    if (page.isUnknownPerson) problems.push({ key: 'unknownId', params: { name: 'person', value: filter.personId! } });
    if (problems.length) return renderBadListAddress(req, res, deps.log, problems, path);
    const here = { kind: filter.kind, person: filter.personId };
    res.render('engagements/events', {
      page,
      filter,
      kinds: [...new Set([...page.kinds, ...(filter.kind ? [filter.kind] : [])])],
      isFiltered: !!(filter.kind || filter.personId),
      hrefs: {
        plain: path,
        newer: page.newerThan !== null ? listHref(path, { ...here, after: page.newerThan }) : null,
        older: page.olderThan !== null ? listHref(path, { ...here, before: page.olderThan }) : null,
      },
    });
  });

  return router;
}
