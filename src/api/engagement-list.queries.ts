// The engagements a token's owner takes part in, a page at a time by id (keyset), whatever their number.
import type { ServiceDeps } from '../engagement/command.ts';

export interface EngagementListItem {
  id: string;
  clientName: string;
  state: string;
  role: 'consultant' | 'owner' | 'staff';
  plannedStart: string;
}

/** One statement: the page's rows and one more, which tells whether another page follows. */
export async function listEngagementsAfter(deps: ServiceDeps, userId: string, afterId: string | null, limit: number): Promise<{ rows: EngagementListItem[]; hasMore: boolean }> {
  const rows = (await deps.orm.em.getConnection().execute(
    `select e.id, e.client_name, e.state, p.role, e.planned_start::text as planned_start
       from participants p join engagements e on e.id = p.engagement_id
      where p.user_id = ?${afterId ? ' and e.id > ?' : ''}
      order by e.id limit ?`,
    [userId, ...(afterId ? [afterId] : []), limit + 1],
  )) as { id: string; client_name: string; state: string; role: EngagementListItem['role']; planned_start: string }[];
  return {
    rows: rows.slice(0, limit).map((r) => ({ id: r.id, clientName: r.client_name, state: r.state, role: r.role, plannedStart: r.planned_start })),
    hasMore: rows.length > limit,
  };
}
