// What the content gate rules read, for any number of engagements in one statement: published items per
// network, and the items waiting for approval with the first titles.
import type { EntityManager } from '@mikro-orm/core';
import { LISTED_TITLES, type ContentGateFacts } from '../engagement/content-gate.ts';

export async function loadContentGateFacts(em: EntityManager, engagementIds: string[]): Promise<Map<string, ContentGateFacts>> {
  const facts = new Map<string, ContentGateFacts>(engagementIds.map((id) => [id, { publishedByNetwork: {}, awaiting: { count: 0, titles: [] } }]));
  if (!engagementIds.length) return facts;
  const rows = (await em.getConnection().execute(
    `select engagement_id, case when status = 'submitted' then null else network end as network, status = 'submitted' as is_awaiting, count(*)::int as n,
            (array_agg(title order by planned_on, created_at))[1:${LISTED_TITLES}] as titles
       from content_items
      where engagement_id in (${engagementIds.map(() => '?').join(', ')}) and status in ('published', 'measured', 'submitted')
      group by 1, 2, 3`,
    engagementIds,
  )) as { engagement_id: string; network: string | null; is_awaiting: boolean; n: number; titles: string[] }[];
  for (const row of rows) {
    const f = facts.get(row.engagement_id)!;
    if (!row.is_awaiting) f.publishedByNetwork[row.network!] = (f.publishedByNetwork[row.network!] ?? 0) + row.n;
    else f.awaiting = { count: row.n, titles: row.titles };
  }
  return facts;
}
