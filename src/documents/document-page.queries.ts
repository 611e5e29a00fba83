// One document as its page reads it, in one plain SQL statement: the engagement and the reader's role,
// the document, its version history (without content), the content of the version shown and of the
// one before it, the decisions, and the names people go by in the engagement.
import type { EntityManager } from '@mikro-orm/core';
import { VIEWER_SQL, viewerOfRow } from '../engagement/engagement-access.ts';

export interface DocumentPageRows {
  engagement: { clientName: string; state: string; methodologyHash: string };
  role: string;
  actsAsOwner: boolean;
  /** A firm administrator who takes no part (engagement-access.ts): the consultant's page without its actions. */
  readOnly: boolean;
  document: { id: string; typeId: string; stageId: string; status: string; latestVersion: number; latestHash: string | null; approvedHash: string | null };
  versions: { number: number; hash: string; createdAt: Date; author: { id: string } }[];
  /** Content by version number: the version shown and the one before it. */
  contents: Map<number, Record<string, unknown>>;
  approvals: { version: number; hash: string; decision: string; comment: string | null; decidedBy: { id: string }; at: Date }[];
  participants: { user: { id: string }; displayName: string }[];
  /** The unsettled "review needed" flags on this document, oldest first: an upstream it builds on changed. */
  reviewFlags: { id: string; status: string; upstreamTypeId: string }[];
}

interface Row {
  client_name: string;
  state: string;
  methodology_hash: string;
  role: string | null;
  acts_as_owner: boolean | null;
  firm_role: string | null;
  id: string | null;
  type_id: string;
  stage_id: string;
  status: string;
  latest_version: number;
  latest_hash: string | null;
  approved_hash: string | null;
  versions: { number: number; hash: string; created_at: string; author_id: string }[];
  contents: { number: number; content: Record<string, unknown> }[];
  approvals: { version: number; hash: string; decision: string; comment: string | null; decided_by_id: string; at: string }[];
  participants: { user_id: string; display_name: string }[];
  review_flags: { id: string; status: string; upstream_type_id: string }[];
}

const DOCUMENT_PAGE_SQL = `
select e.client_name, e.state, e.methodology_hash, me.role, me.acts_as_owner, viewer.firm_role,
       d.id, d.type_id, d.stage_id, d.status, d.latest_version, d.latest_hash, d.approved_hash,
       (select coalesce(json_agg(json_build_object('number', v.number, 'hash', v.content_hash, 'created_at', v.created_at, 'author_id', v.author_id) order by v.number), '[]')
          from document_versions v where v.document_id = d.id) as versions,
       (select coalesce(json_agg(json_build_object('number', v.number, 'content', v.content)), '[]')
          from document_versions v where v.document_id = d.id and v.number in (coalesce(?::int, d.latest_version), coalesce(?::int, d.latest_version) - 1)) as contents,
       (select coalesce(json_agg(json_build_object('version', v.number, 'hash', a.content_hash, 'decision', a.decision, 'comment', a.comment,
                 'decided_by_id', a.decided_by_id, 'at', a.decided_at) order by a.decided_at), '[]')
          from approvals a join document_versions v on v.id = a.version_id where a.document_id = d.id) as approvals,
       (select coalesce(json_agg(json_build_object('user_id', p.user_id, 'display_name', p.display_name)), '[]')
          from participants p where p.engagement_id = e.id) as participants,
       (select coalesce(json_agg(json_build_object('id', f.id, 'status', f.status, 'upstream_type_id', u.type_id) order by f.raised_at), '[]')
          from review_flags f join documents u on u.id = f.upstream_id
         where f.document_id = d.id and f.status in ('open', 'changesRequested')) as review_flags
  from engagements e join users viewer on viewer.id = ?
  left join participants me on me.engagement_id = e.id and me.user_id = viewer.id
  left join documents d on d.id = ? and d.engagement_id = e.id
 where e.id = ? and ${VIEWER_SQL}`;

/** The page's rows, or null when there is no such engagement, the reader takes no part in it, or it has no such document. */
export async function readDocumentPageRows(em: EntityManager, engagementId: string, readerId: string, documentId: string, versionNumber: number | null): Promise<DocumentPageRows | null> {
  const [row] = (await em.getConnection().execute(DOCUMENT_PAGE_SQL, [versionNumber, versionNumber, readerId, documentId, engagementId])) as Row[];
  const viewer = viewerOfRow(row);
  if (!row?.id || !viewer) return null;
  return {
    engagement: { clientName: row.client_name, state: row.state, methodologyHash: row.methodology_hash },
    role: viewer.role,
    actsAsOwner: viewer.actsAsOwner,
    readOnly: viewer.readOnly,
    document: { id: row.id, typeId: row.type_id, stageId: row.stage_id, status: row.status, latestVersion: row.latest_version, latestHash: row.latest_hash, approvedHash: row.approved_hash },
    versions: row.versions.map((v) => ({ number: v.number, hash: v.hash, createdAt: new Date(v.created_at), author: { id: v.author_id } })),
    contents: new Map(row.contents.map((c) => [c.number, c.content])),
    approvals: row.approvals.map((a) => ({ version: a.version, hash: a.hash, decision: a.decision, comment: a.comment, decidedBy: { id: a.decided_by_id }, at: new Date(a.at) })),
    participants: row.participants.map((p) => ({ user: { id: p.user_id }, displayName: p.display_name })),
    reviewFlags: row.review_flags.map((f) => ({ id: f.id, status: f.status, upstreamTypeId: f.upstream_type_id })),
  };
}
