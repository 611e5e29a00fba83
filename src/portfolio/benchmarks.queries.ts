// The firm's experience across all its engagements, read as raw observations in one statement:
// days each stage took, rounds of changes per document, days from a submission to its approval, and
// each staff member's quiz scores beside the content they published. The statistics are made from
// these rows by the pure statistics module, so the numbers can be checked without a database.
import type { ServiceDeps } from '../engagement/command.ts';
import { isUuid } from '../engagement/command.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';

export interface StageObservation {
  engagementId: string;
  stageId: string;
  days: number;
  /** False for the stage an engagement is in now: its days so far, not a finished stage's. */
  isFinished: boolean;
}

export interface DocumentRounds {
  engagementId: string;
  typeId: string;
  /** How many times the owner asked for changes before (or without yet) approving. */
  rounds: number;
}

export interface ApprovalWait {
  engagementId: string;
  typeId: string;
  days: number;
}

export interface StaffLearning {
  engagementId: string;
  name: string;
  /** The mean of the best quiz scores of the modules they took, 0-100. */
  quizScore: number;
  published: number;
}

export interface FirmObservations {
  stages: StageObservation[];
  documents: DocumentRounds[];
  approvals: ApprovalWait[];
  staff: StaffLearning[];
}

/**
 * Every observation of the firm, in one statement whatever the number of engagements. A stage counts
 * once it has begun; its days are calendar days from its start to its end (or to now, or to the pause,
 * while it runs), pauses included.
 */
export async function readFirmObservations(deps: ServiceDeps): Promise<FirmObservations> {
  const rows = (await deps.orm.em.fork().getConnection().execute(
    `with clock as (select ?::timestamptz as now)
     select
       (select coalesce(json_agg(json_build_object('engagementId', e.id, 'stageId', x->>'id', 'isFinished', x->>'completedAt' is not null,
                 'days', extract(epoch from coalesce((x->>'completedAt')::timestamptz,
                                                     case when e.state = 'paused' then (e.snapshot->'context'->>'pausedAt')::timestamptz end,
                                                     case when e.state = x->>'id' then c.now end) - (x->>'startedAt')::timestamptz) / 86400)), '[]'::json)
          from engagements e cross join clock c, jsonb_array_elements(e.snapshot->'context'->'stages') x
         where x->>'startedAt' is not null
           and (x->>'completedAt' is not null or e.state = x->>'id' or (e.state = 'paused' and e.snapshot->'context'->>'pausedStage' = x->>'id'))) as stages,
       (select coalesce(json_agg(json_build_object('engagementId', r.engagement_id, 'typeId', r.type_id, 'rounds', r.rounds)), '[]'::json)
          from (select d.engagement_id, d.type_id, count(*) filter (where a.decision = 'changes_requested')::int as rounds
                  from documents d join approvals a on a.document_id = d.id
                 group by d.id) r) as documents,
       (select coalesce(json_agg(json_build_object('engagementId', d.engagement_id, 'typeId', d.type_id, 'days', extract(epoch from a.decided_at - sent.at) / 86400)), '[]'::json)
          from approvals a
          join documents d on d.id = a.document_id
          join document_versions v on v.id = a.version_id
          join lateral (
            select ev.at from engagement_events ev
             where ev.engagement_id = d.engagement_id and ev.type = 'document.submit'
               and ev.payload->>'documentId' = d.id::text and ev.payload->>'version' = v.number::text
             order by ev.seq desc limit 1
          ) sent on true
         where a.decision = 'approved') as approvals,
       (select coalesce(json_agg(json_build_object('engagementId', s.engagement_id, 'name', s.display_name, 'quizScore', s.quiz, 'published', s.published)), '[]'::json)
          from (select p.engagement_id, p.display_name,
                       (select avg(a.best_score)::float from training_assignments a
                         where a.engagement_id = p.engagement_id and a.user_id = p.user_id and a.best_score is not null) as quiz,
                       (select count(*)::int from content_items ci
                         where ci.engagement_id = p.engagement_id and ci.author_id = p.user_id and ci.status in ('published', 'measured')) as published
                  from participants p where p.role = 'staff') s
         where s.quiz is not null) as staff`,
    [deps.clock()],
  )) as [{ stages: StageObservation[]; documents: DocumentRounds[]; approvals: ApprovalWait[]; staff: StaffLearning[] }];
  const [first] = rows;
  return { stages: first.stages, documents: first.documents, approvals: first.approvals, staff: first.staff };
}

export interface BenchmarkedEngagement {
  id: string;
  clientName: string;
  methodologyHash: string;
}

/**
 * The engagement a person may compare against the firm: its consultant or a firm administrator.
 * Another engagement answers "not found"; its owner or staff are refused, as elsewhere.
 */
export async function findEngagementToCompare(deps: ServiceDeps, viewer: { id: string; isAdmin: boolean }, engagementId: string): Promise<BenchmarkedEngagement> {
  if (!isUuid(engagementId)) throw new NotFoundError('Engagement');
  const rows = (await deps.orm.em.fork().getConnection().execute(
    `select e.id, e.client_name, e.methodology_hash,
            (select string_agg(p.role, ',') from participants p where p.engagement_id = e.id and p.user_id = ?) as roles
       from engagements e where e.id = ?`,
    [viewer.id, engagementId],
  )) as { id: string; client_name: string; methodology_hash: string; roles: string | null }[];
  const row = rows[0];
  if (!row || (!row.roles && !viewer.isAdmin)) throw new NotFoundError('Engagement');
  if (!viewer.isAdmin && !row.roles!.split(',').includes('consultant')) throw new ForbiddenError('Only the consultant compares the engagement with the firm');
  return { id: row.id, clientName: row.client_name, methodologyHash: row.methodology_hash };
}
