// The engagement's event log through the API, oldest first after a cursor: a program reads on from the last id it saw.
import { requireViewer } from '../../engagement/engagement-access.ts';
import { endpoint } from '../endpoint.ts';
import * as s from '../api.schemas.ts';

interface EventRow {
  id: string;
  seq: number;
  type: string;
  at: Date | string;
  actor_id: string | null;
  from_state: string;
  to_state: string;
  payload: Record<string, unknown>;
}

export const eventEndpoints = [
  endpoint({
    method: 'get',
    path: '/engagements/{engagementId}/events',
    operationId: 'listEvents',
    summary: 'The event log, oldest first, after the event id given (consultant and owner, as the event log page)',
    tag: 'Events',
    writes: false,
    query: s.EventQuery,
    success: { status: 200, schema: s.EventPage, description: 'Events after the cursor' },
    async handle(call) {
      const em = call.deps.orm.em.fork();
      const engagementId = call.params.engagementId!;
      // As the event log page: consultant and owner, and a firm administrator reading as the consultant.
      await requireViewer(em, engagementId, call.holder.userId, ['consultant', 'owner']);
      const after = call.query.after ?? '0';
      // By the log's own key: ids only grow, so a reader that keeps the last one misses nothing and sees nothing twice.
      const rows = (await em.getConnection().execute(
        `select id::text as id, seq, type, at, actor_id, from_state, to_state, payload from engagement_events
          where engagement_id = ? and engagement_events.id > ? order by engagement_events.id limit ?`,
        [engagementId, after, call.query.limit + 1],
      )) as EventRow[];
      const page = rows.slice(0, call.query.limit);
      return {
        items: page.map((r) => ({ id: r.id, seq: r.seq, type: r.type, at: new Date(r.at).toISOString(), actorId: r.actor_id, fromState: r.from_state, toState: r.to_state, payload: r.payload })),
        nextCursor: rows.length > call.query.limit ? page.at(-1)!.id : null,
      };
    },
  }),
];
