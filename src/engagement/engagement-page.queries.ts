// One engagement as its pages read it, in one plain SQL statement: the engagement, the reader's
// membership, and the rows the overview composes (tasks, people, documents, sign-offs, latest events).
// The ORM's query building and hydration cost several times the statement itself; pages only read.
import type { EntityManager } from '@mikro-orm/core';
import type { PersistedEngagement } from './engagement.machine.ts';
import type { UnsettledFlag } from '../documents/review-flags.ts';
import { VIEWER_SQL, viewerOfRow } from './engagement-access.ts';

export interface EngagementFacts {
  id: string;
  clientName: string;
  site: string | null;
  industry: string | null;
  plannedStart: string;
  feeAmount: number;
  feeCurrency: string;
  methodologyHash: string;
  state: string;
  snapshot: PersistedEngagement;
  version: number;
}

export interface TaskFacts {
  id: string;
  key: string | null;
  stageId: string;
  position: number;
  kind: string;
  role: string;
  required: boolean;
  title: string | null;
  assignee: { id: string } | null;
  deadline: Date | null;
  status: string;
  note: string | null;
  /** The title kept when a methodology upgrade archived the task. */
  archivedTitle?: { en: string; ru: string } | null;
}

export interface ParticipantFacts {
  user: { id: string; email: string; hasPassword: boolean };
  role: string;
  direction: string | null;
  displayName: string;
  /** The staff member the owner named to act as owner in this engagement. */
  actsAsOwner: boolean;
}

export interface DocumentFacts {
  id: string;
  typeId: string;
  stageId: string;
  status: string;
  latestVersion: number;
  latestHash: string | null;
  approvedHash: string | null;
}

export interface EventFacts {
  seq: number;
  at: Date;
  actor: { id: string } | null;
  type: string;
  fromState: string;
  toState: string;
  payload: Record<string, unknown>;
}

export interface EngagementPageRows {
  engagement: EngagementFacts;
  /** The reader's role in the engagement (a firm administrator reads as the consultant). */
  role: string;
  /** The reader is the owner, or the owner's delegate acting with the owner's authority beside their own role. */
  actsAsOwner: boolean;
  /** A firm administrator who takes no part: the page offers them no action (engagement-access.ts). */
  readOnly: boolean;
  tasks: TaskFacts[];
  participants: ParticipantFacts[];
  documents: DocumentFacts[];
  signoffs: { stageId: string }[];
  /** The latest events, oldest first; none for staff (unless the owner's delegate), who see no log. */
  events: EventFacts[];
  /** The unsettled "review needed" flags (src/documents/review-flags.ts), oldest first. */
  reviewFlags: UnsettledFlag[];
}

interface Row {
  id: string;
  client_name: string;
  site: string | null;
  industry: string | null;
  planned_start: string;
  fee_amount: number;
  fee_currency: string;
  methodology_hash: string;
  state: string;
  snapshot: PersistedEngagement;
  version: number;
  role: string | null;
  acts_as_owner: boolean | null;
  firm_role: string | null;
  tasks: (Omit<TaskFacts, 'assignee' | 'deadline'> & { assignee_id: string | null; deadline: string | null })[];
  participants: { user_id: string; email: string; has_password: boolean; role: string; direction: string | null; display_name: string; acts_as_owner: boolean }[];
  documents: DocumentFacts[];
  signoffs: string[];
  events: (Omit<EventFacts, 'actor' | 'at'> & { actor_id: string | null; at: string })[] | null;
  review_flags: UnsettledFlag[];
}

// json_agg keeps each list in one column; the key names are the read model's, so rows map with little work.
const ENGAGEMENT_PAGE_SQL = `
select e.id, e.client_name, e.site, e.industry, e.planned_start::text as planned_start, e.fee_amount, e.fee_currency,
       e.methodology_hash, e.state, e.snapshot, e.version, me.role, me.acts_as_owner, viewer.firm_role,
       (select coalesce(json_agg(json_build_object('id', t.id, 'key', t.key, 'stageId', t.stage_id, 'position', t.position, 'kind', t.kind,
                 'role', t.role, 'required', t.required, 'title', t.title, 'assignee_id', t.assignee_id, 'deadline', t.deadline,
                 'status', t.status, 'note', t.note, 'archivedTitle', t.archived_title) order by t.position), '[]')
          from tasks t where t.engagement_id = e.id) as tasks,
       (select coalesce(json_agg(json_build_object('user_id', u.id, 'email', u.email, 'has_password', u.password_hash is not null,
                 'role', p.role, 'direction', p.direction, 'display_name', p.display_name, 'acts_as_owner', p.acts_as_owner) order by p.added_at), '[]')
          from participants p join users u on u.id = p.user_id where p.engagement_id = e.id) as participants,
       (select coalesce(json_agg(json_build_object('id', d.id, 'typeId', d.type_id, 'stageId', d.stage_id, 'status', d.status,
                 'latestVersion', d.latest_version, 'latestHash', d.latest_hash, 'approvedHash', d.approved_hash)), '[]')
          from documents d where d.engagement_id = e.id) as documents,
       (select coalesce(json_agg(s.stage_id), '[]') from stage_signoffs s where s.engagement_id = e.id) as signoffs,
       case when me.role is distinct from 'staff' or me.acts_as_owner then
         (select coalesce(json_agg(json_build_object('seq', v.seq, 'at', v.at, 'actor_id', v.actor_id, 'type', v.type,
                   'fromState', v.from_state, 'toState', v.to_state, 'payload', v.payload) order by v.seq), '[]')
            from (select * from engagement_events x where x.engagement_id = e.id order by x.seq desc limit ?) v)
       end as events,
       (select coalesce(json_agg(json_build_object('flagId', f.id, 'documentId', d.id, 'typeId', d.type_id, 'stageId', d.stage_id,
                 'upstreamTypeId', u.type_id, 'status', f.status) order by f.raised_at), '[]')
          from review_flags f join documents d on d.id = f.document_id join documents u on u.id = f.upstream_id
         where f.engagement_id = e.id and f.status in ('open', 'changesRequested')) as review_flags
  from engagements e join users viewer on viewer.id = ?
  left join participants me on me.engagement_id = e.id and me.user_id = viewer.id
 where e.id = ? and ${VIEWER_SQL}`;

/** The engagement's page rows if the reader may open it (engagement-access.ts); null for no such engagement or one not theirs. */
export async function readEngagementPageRows(em: EntityManager, engagementId: string, readerId: string, latestEvents: number): Promise<EngagementPageRows | null> {
  const [row] = (await em.getConnection().execute(ENGAGEMENT_PAGE_SQL, [latestEvents, readerId, engagementId])) as Row[];
  const viewer = viewerOfRow(row);
  if (!row || !viewer) return null;
  return {
    engagement: {
      id: row.id,
      clientName: row.client_name,
      site: row.site,
      industry: row.industry,
      plannedStart: row.planned_start,
      feeAmount: row.fee_amount,
      feeCurrency: row.fee_currency,
      methodologyHash: row.methodology_hash,
      state: row.state,
      snapshot: row.snapshot,
      version: row.version,
    },
    role: viewer.role,
    actsAsOwner: viewer.actsAsOwner,
    readOnly: viewer.readOnly,
    tasks: row.tasks.map(({ assignee_id, deadline, ...t }) => ({ ...t, assignee: assignee_id ? { id: assignee_id } : null, deadline: deadline ? new Date(deadline) : null })),
    participants: row.participants.map((p) => ({
      user: { id: p.user_id, email: p.email, hasPassword: p.has_password },
      role: p.role,
      direction: p.direction,
      displayName: p.display_name,
      actsAsOwner: p.acts_as_owner,
    })),
    documents: row.documents,
    signoffs: row.signoffs.map((stageId) => ({ stageId })),
    events: (row.events ?? []).map(({ actor_id, at, ...e }) => ({ ...e, at: new Date(at), actor: actor_id ? { id: actor_id } : null })),
    reviewFlags: row.review_flags,
  };
}
