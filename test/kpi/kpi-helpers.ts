// Shared arrangements of the KPI tests: target criteria approved by the owner, with the rows a test names.
import type { ServiceDeps } from '../../src/engagement/command.ts';
import type { Cast } from '../helpers/factories.ts';
import { approveDocument, submitDocumentVersion } from '../../src/documents/documents.service.ts';

export const FOLLOWERS = { metric: 'Followers', network: 'vk', better: 'higher', baseline: 100, target: 500, date: '2026-05-31' };
export const LEADS = { metric: 'Leads', baseline: 0, target: 40, date: '2026-05-31', measuredBy: 'leads' };

export async function approveTargets(deps: ServiceDeps, cast: Cast, engagementId: string, rows: Record<string, unknown>[] = [FOLLOWERS, LEADS]) {
  const version = await submitDocumentVersion(deps, cast.consultant.id, engagementId, 'target-criteria', { kpis: rows });
  return approveDocument(deps, cast.owner.id, engagementId, version.document.id, version.contentHash);
}
