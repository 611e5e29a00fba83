// Who may open an engagement, and in which role: the one rule the engagement page, the KPI page and the
// API share. A participant reads it in their own role. A firm administrator sees every engagement in the
// portfolio, so they may open any of them too, but the product gives administrators accounts and
// methodology versions to manage, not the engagements' work: they read with the consultant's view and
// change nothing (every command still goes through authorize(), which knows only participants).
// Every read model of an engagement's pages asks requireViewer() (or, in one statement, VIEWER_SQL and
// viewerOf()), so the rule is written once, here.
import type { EntityManager } from '@mikro-orm/core';
import type { Role } from '../methodology/methodology.schema.ts';
import type { FirmRole } from '../users/user.entity.ts';
import { isUuid } from './command.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';

export interface EngagementViewer {
  role: Role;
  /** The owner, or the owner's delegate. */
  actsAsOwner: boolean;
  /** A firm administrator who takes no part: they read, and are offered no action. */
  readOnly: boolean;
}

/** The rule itself: the person's part in the engagement (if any) and their role in the firm. */
export function viewerOf(participant: { role: string; actsAsOwner: boolean } | null, firmRole: FirmRole | string | null): EngagementViewer | null {
  if (participant) return { role: participant.role as Role, actsAsOwner: participant.role === 'owner' || participant.actsAsOwner, readOnly: false };
  if (firmRole === 'admin') return { role: 'consultant', actsAsOwner: false, readOnly: true };
  return null;
}

/** In SQL, for the statements that read a whole page at once: true where viewerOf would give a viewer. */
export const VIEWER_SQL = `(me.user_id is not null or viewer.firm_role = 'admin')`;

/** The columns those statements select for it (`me.role, me.acts_as_owner, viewer.firm_role`), read by the same rule. */
export interface ViewerColumns {
  role: string | null;
  acts_as_owner: boolean | null;
  firm_role: string | null;
}

export function viewerOfRow(row: ViewerColumns | undefined): EngagementViewer | null {
  return row ? viewerOf(row.role ? { role: row.role, actsAsOwner: !!row.acts_as_owner } : null, row.firm_role) : null;
}

/** How this person opens this engagement, or null: no such engagement, or not theirs to open (answered as "not found"). */
export async function resolveViewer(em: EntityManager, engagementId: string, userId: string): Promise<EngagementViewer | null> {
  if (!isUuid(engagementId) || !isUuid(userId)) return null;
  const [row] = (await em.getConnection().execute(
    `select me.role, me.acts_as_owner, viewer.firm_role
       from engagements e join users viewer on viewer.id = ?
       left join participants me on me.engagement_id = e.id and me.user_id = viewer.id
      where e.id = ?`,
    [userId, engagementId],
  )) as ViewerColumns[];
  return viewerOfRow(row);
}

/** A page that exists only to change something (an editor, a new item's form) is not offered to a read-only viewer. */
export function refuseReadOnly(viewer: { readOnly: boolean }): void {
  if (viewer.readOnly) throw new ForbiddenError('A firm administrator who takes no part reads this engagement and changes nothing');
}

/**
 * Which engagements this person may read, for the searches that span them (a hash to verify): a firm
 * administrator every one ('every'), anyone else the engagements they take part in.
 */
export async function readableEngagementIds(em: EntityManager, userId: string): Promise<'every' | string[]> {
  if (!isUuid(userId)) return [];
  const rows = (await em.getConnection().execute(
    `select viewer.firm_role, (select coalesce(json_agg(p.engagement_id), '[]') from participants p where p.user_id = viewer.id) as ids
       from users viewer where viewer.id = ?`,
    [userId],
  )) as { firm_role: string | null; ids: string[] }[];
  const [row] = rows;
  if (!row) return [];
  return viewerOf(null, row.firm_role) ? 'every' : row.ids;
}

const READERS: Role[] = ['consultant', 'owner', 'staff'];

/**
 * For the read models behind an engagement's pages: how this person reads it, else "not found" (an
 * outsider) or "forbidden" (a participant whose role the page is not for; the owner's delegate is let in
 * wherever the owner is, as authorize() does). An administrator who takes no part reads as the consultant,
 * readOnly: the read model offers them no action.
 */
export async function requireViewer(em: EntityManager, engagementId: string, userId: string, roles: Role[] = READERS): Promise<EngagementViewer> {
  const viewer = await resolveViewer(em, engagementId, userId);
  if (!viewer) throw new NotFoundError('Engagement');
  if (!roles.includes(viewer.role) && !(viewer.actsAsOwner && roles.includes('owner'))) throw new ForbiddenError(`Only ${roles.join(' or ')} may do this`);
  return viewer;
}
