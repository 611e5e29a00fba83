// Inside an engagement people go by the name their inviter gave them (Participant.displayName),
// never by the name on their account: inviting an address must not reveal who holds it. Every
// page and PDF that names a person inside an engagement asks here.
import type { EntityManager } from '@mikro-orm/core';
import { Participant } from './engagement.entity.ts';

export type NameOf = (user: { id: string } | null | undefined) => string | null;

export async function participantNames(em: EntityManager, engagementId: string): Promise<NameOf> {
  return namesOf(await em.find(Participant, { engagement: engagementId }, { fields: ['displayName', 'user'] }));
}

/** The same lookup over participants a page has already read. */
export function namesOf(participants: { user: { id: string }; displayName: string }[]): NameOf {
  const names = new Map(participants.map((p) => [p.user.id, p.displayName]));
  // Someone no longer taking part keeps no name here: "a former participant" is shown instead.
  return (user) => (user ? (names.get(user.id) ?? null) : null);
}
