// One thread as the pages read it, in one plain SQL statement (the task, document and content pages
// keep a fixed number of statements however many comments a thread holds): the engagement and the
// reader's part in it, the subject, its comments with the tasks made of them, and the participants.
import type { EntityManager } from '@mikro-orm/core';
import type { SubjectType } from './comment.entity.ts';
import { VIEWER_SQL, viewerOfRow } from '../engagement/engagement-access.ts';

export interface ThreadRows {
  engagement: { id: string; state: string; methodologyHash: string };
  reader: { role: string; actsAsOwner: boolean; readOnly: boolean };
  subject: { type: SubjectType; id: string; documentId: string | null; number: number | null; typeId: string | null; title: string | null; key: string | null; assigneeId: string | null };
  comments: { id: string; parentId: string | null; authorId: string; body: string; field: string | null; createdAt: Date; editedAt: Date | null; task: { id: string; key: string | null; title: string | null; status: string; deadline: Date | null; assigneeId: string | null } | null }[];
  participants: { userId: string; displayName: string; role: string; actsAsOwner: boolean; email: string }[];
  /** On a task made of a comment: that comment and the page it is on. */
  origin: { id: string; type: SubjectType; subjectId: string; documentId: string | null; number: number | null } | null;
}

/** The subject is named by its id, or (a document version) by the document and the version's number. */
export type ThreadKey = { type: 'task' | 'contentItem' | 'documentVersion'; id: string } | { type: 'documentNumber'; documentId: string; number: number };

const SQL = `
with subject as (
  select 'task' as type, t.id, null::uuid as document_id, null::int as number, null::text as type_id, t.title, t.key, t.assignee_id
    from tasks t where ?::text = 'task' and t.id = ?::uuid and t.engagement_id = ?::uuid
  union all
  select 'contentItem', i.id, null, null, null, i.title, null, null
    from content_items i where ?::text = 'contentItem' and i.id = ?::uuid and i.engagement_id = ?::uuid
  union all
  select 'documentVersion', v.id, d.id, v.number, d.type_id, null, null, null
    from document_versions v join documents d on d.id = v.document_id
   where d.engagement_id = ?::uuid and ((?::text = 'documentVersion' and v.id = ?::uuid) or (?::text = 'documentNumber' and d.id = ?::uuid and v.number = ?::int))
)
select e.id as engagement_id, e.state, e.methodology_hash, me.role, me.acts_as_owner, viewer.firm_role,
       (select row_to_json(s) from subject s limit 1) as subject,
       (select coalesce(json_agg(json_build_object('id', c.id, 'parent_id', c.parent_id, 'author_id', c.author_id, 'body', c.body, 'field', c.field,
                 'created_at', c.created_at, 'edited_at', c.edited_at,
                 'task', case when t.id is null then null else json_build_object('id', t.id, 'key', t.key, 'title', t.title, 'status', t.status, 'deadline', t.deadline, 'assignee_id', t.assignee_id) end)
                 order by c.created_at, c.id), '[]')
          from comments c join subject s on c.subject_type = s.type and c.subject_id = s.id left join tasks t on t.id = c.task_id
         where c.engagement_id = e.id) as comments,
       (select coalesce(json_agg(json_build_object('user_id', p.user_id, 'display_name', p.display_name, 'role', p.role, 'acts_as_owner', p.acts_as_owner, 'email', u.email) order by p.added_at), '[]')
          from participants p join users u on u.id = p.user_id where p.engagement_id = e.id) as participants,
       (select json_build_object('id', o.id, 'type', o.subject_type, 'subject_id', o.subject_id, 'document_id', ov.document_id, 'number', ov.number)
          from comments o join subject s on s.type = 'task' and o.task_id = s.id
          left join document_versions ov on o.subject_type = 'documentVersion' and ov.id = o.subject_id
         where o.engagement_id = e.id limit 1) as origin
  from engagements e join users viewer on viewer.id = ?::uuid
  left join participants me on me.engagement_id = e.id and me.user_id = viewer.id
 where e.id = ?::uuid and ${VIEWER_SQL}`;

interface Row {
  engagement_id: string;
  state: string;
  methodology_hash: string;
  role: string | null;
  acts_as_owner: boolean | null;
  firm_role: string | null;
  subject: { type: SubjectType; id: string; document_id: string | null; number: number | null; type_id: string | null; title: string | null; key: string | null; assignee_id: string | null } | null;
  comments: { id: string; parent_id: string | null; author_id: string; body: string; field: string | null; created_at: string; edited_at: string | null; task: { id: string; key: string | null; title: string | null; status: string; deadline: string | null; assignee_id: string | null } | null }[];
  participants: { user_id: string; display_name: string; role: string; acts_as_owner: boolean; email: string }[];
  origin: { id: string; type: SubjectType; subject_id: string; document_id: string | null; number: number | null } | null;
}

const date = (v: string | null) => (v ? new Date(v) : null);

/** The rows, or null when the engagement, the reader's part in it or the subject is not there. Ids are checked by the caller. */
export async function readThreadRows(em: EntityManager, engagementId: string, readerId: string, key: ThreadKey): Promise<ThreadRows | null> {
  const id = key.type === 'documentNumber' ? null : key.id;
  const documentId = key.type === 'documentNumber' ? key.documentId : null;
  const number = key.type === 'documentNumber' ? key.number : null;
  const params = [key.type, id, engagementId, key.type, id, engagementId, engagementId, key.type, id, key.type, documentId, number, readerId, engagementId];
  const [row] = (await em.getConnection().execute(SQL, params)) as Row[];
  // Who may read is engagement-access.ts's rule: a participant in their role, a firm administrator read only.
  const viewer = viewerOfRow(row);
  if (!row?.subject || !viewer) return null;
  const s = row.subject;
  return {
    engagement: { id: row.engagement_id, state: row.state, methodologyHash: row.methodology_hash },
    reader: { role: viewer.role, actsAsOwner: viewer.actsAsOwner, readOnly: viewer.readOnly },
    subject: { type: s.type, id: s.id, documentId: s.document_id, number: s.number, typeId: s.type_id, title: s.title, key: s.key, assigneeId: s.assignee_id },
    comments: row.comments.map((c) => ({
      id: c.id,
      parentId: c.parent_id,
      authorId: c.author_id,
      body: c.body,
      field: c.field,
      createdAt: new Date(c.created_at),
      editedAt: date(c.edited_at),
      task: c.task ? { id: c.task.id, key: c.task.key, title: c.task.title, status: c.task.status, deadline: date(c.task.deadline), assigneeId: c.task.assignee_id } : null,
    })),
    participants: row.participants.map((p) => ({ userId: p.user_id, displayName: p.display_name, role: p.role, actsAsOwner: p.acts_as_owner, email: p.email })),
    origin: row.origin ? { id: row.origin.id, type: row.origin.type, subjectId: row.origin.subject_id, documentId: row.origin.document_id, number: row.origin.number } : null,
  };
}
