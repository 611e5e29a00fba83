// Shared arrangements of the content plan tests: an accounts register, and a submitted item ready for the owner.
import type { ServiceDeps } from '../../src/engagement/command.ts';
import type { Cast } from '../helpers/factories.ts';
import { saveDocumentDraft } from '../../src/documents/documents.service.ts';
import { createItem, submitItem } from '../../src/content/content-items.service.ts';

export const VK = 'vk:https://vk.com/kolosok';
export const FACEBOOK = 'facebook:https://facebook.com/kolosok';

/** A draft register is enough: with no approved version the latest one names the channels. */
export async function registerAccounts(deps: ServiceDeps, cast: Cast, engagementId: string): Promise<void> {
  await saveDocumentDraft(deps, cast.consultant.id, engagementId, 'accounts-register', {
    accounts: [
      { network: 'facebook', address: 'https://facebook.com/kolosok' },
      { network: 'vk', address: 'https://vk.com/kolosok' },
    ],
  });
}

export async function submittedItem(deps: ServiceDeps, cast: Cast, engagementId: string, plannedOn = '2026-03-10', channel = VK) {
  const staff = cast.staff[0]!;
  const item = await createItem(deps, staff.id, engagementId, { channel, format: 'post', title: 'Fresh bread on Tuesday', plannedOn, body: 'We bake **rye** today.' });
  return submitItem(deps, staff.id, engagementId, item.id);
}
