// What the content gate rules hold, pure: the mandatory networks short of published items, and the
// content items still waiting for the owner's approval. Facts come from src/content/content-gate.queries.ts.
import type { Network } from '../methodology/methodology.schema.ts';
import type { ContentGateRule } from '../methodology/content-gate-rules.ts';

/** What the content rules read of one engagement's items. */
export interface ContentGateFacts {
  /** Items published (or published and measured), by network id. */
  publishedByNetwork: Record<string, number>;
  /** How many items wait for approval, and the first few titles in planned order. */
  awaiting: { count: number; titles: string[] };
}

export type ContentBlocker =
  /** A mandatory network with fewer published items than the rule asks; title is the network's name. */
  | { kind: 'published'; id: string; title: string; published: number; required: number }
  /** Items sent for approval and not decided; title lists the first of them. */
  | { kind: 'contentApproval'; id: 'content-approval'; title: string; count: number };

/** How many item titles a gate line names before it stops listing them. */
export const LISTED_TITLES = 3;

export function contentBlockers(rule: ContentGateRule, networks: Network[], facts: ContentGateFacts | undefined, language: 'en' | 'ru'): ContentBlocker[] {
  const content = facts ?? { publishedByNetwork: {}, awaiting: { count: 0, titles: [] } };
  if (rule.rule === 'published-per-network') {
    return networks
      .filter((n) => n.mandatory)
      .flatMap((n): ContentBlocker[] => {
        const published = content.publishedByNetwork[n.id] ?? 0;
        return published >= rule.atLeast ? [] : [{ kind: 'published', id: n.id, title: n.label?.[language] ?? n.name, published, required: rule.atLeast }];
      });
  }
  if (!content.awaiting.count) return [];
  const more = content.awaiting.count > content.awaiting.titles.length ? '; …' : '';
  return [{ kind: 'contentApproval', id: 'content-approval', title: `${content.awaiting.titles.join('; ')}${more}`, count: content.awaiting.count }];
}
