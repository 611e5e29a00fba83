// The channels an engagement publishes to: its accounts register (the approved version, else the latest)
// plus the client chat. Read from the documents' tables only; the content room writes no document.
import type { EntityManager } from '@mikro-orm/core';
import type { Engagement } from '../engagement/engagement.entity.ts';
import type { Methodology } from '../methodology/methodology.schema.ts';
import { ProjectDocument, DocumentVersion } from '../documents/document.entity.ts';
import { channelsFrom, FALLBACK_REGISTER, type Channel } from './content-rules.ts';

export async function readChannels(em: EntityManager, engagement: Engagement, methodology: Methodology): Promise<Channel[]> {
  const register = methodology.contentPlan?.accountsRegister ?? FALLBACK_REGISTER;
  const document = await em.findOne(ProjectDocument, { engagement, typeId: register.documentType });
  if (!document) return channelsFrom([], register);
  const version = document.approvedHash
    ? await em.findOne(DocumentVersion, { document, contentHash: document.approvedHash }, { orderBy: { number: 'desc' } })
    : await em.findOne(DocumentVersion, { document, number: document.latestVersion });
  const rows = version?.content[register.table];
  return channelsFrom(Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [], register);
}

/** A channel's name as people read it: the network's label and the account, or the chat's label. */
export function channelLabel(methodology: Methodology, channel: Pick<Channel, 'network' | 'address'>, language: 'en' | 'ru', chatFallback: string): string {
  if (channel.network === 'chat') return methodology.contentPlan?.chat.label[language] ?? chatFallback;
  const network = methodology.networks.find((n) => n.id === channel.network);
  const name = network?.label?.[language] ?? network?.name ?? channel.network;
  return channel.address ? `${name} · ${channel.address.replace(/^https?:\/\/(www\.)?/, '')}` : name;
}
