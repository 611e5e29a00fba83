// The titles of the stages of frozen methodologies, without reading their whole definition from the database.
import type { EntityManager } from '@mikro-orm/core';
import type { MethodologyRegistry } from '../methodology/methodology.registry.ts';

type Language = 'en' | 'ru';

/** Stage id -> title, per methodology hash. */
export type StageNames = Map<string, Map<string, string>>;

/**
 * The files on disk answer for every methodology still there (its hash is its content); only a
 * version no longer on disk is asked of the database, and then only for its stages' ids and titles,
 * so a list of engagements never parses the frozen definitions (hundreds of kilobytes each).
 */
export async function loadStageNames(em: EntityManager, methodologies: MethodologyRegistry, hashes: string[], language: Language): Promise<StageNames> {
  const names: StageNames = new Map();
  const onDisk = new Map(methodologies.list().map((m) => [m.hash, m.definition]));
  const missing: string[] = [];
  for (const hash of new Set(hashes)) {
    const definition = onDisk.get(hash);
    if (definition) names.set(hash, new Map(definition.stages.map((s) => [s.id, s.title[language]])));
    else missing.push(hash);
  }
  if (missing.length) {
    const rows = (await em.getConnection().execute(
      `select m.hash, s->>'id' as id, s->'title'->>? as title
         from methodology_versions m, jsonb_array_elements(m.definition->'stages') s
        where m.hash in (${missing.map(() => '?').join(',')})`,
      [language, ...missing],
    )) as { hash: string; id: string; title: string }[];
    for (const row of rows) {
      if (!names.has(row.hash)) names.set(row.hash, new Map());
      names.get(row.hash)!.set(row.id, row.title);
    }
  }
  return names;
}

/**
 * Every stage of the methodologies on disk, the default's first and in its order, each with its title:
 * with the lifecycle states, the values a stage filter may take.
 */
export function stagesOnDisk(methodologies: MethodologyRegistry, language: Language): Map<string, string> {
  const first = methodologies.defaultKey();
  const ordered = methodologies.list().sort((a, b) => Number(b.key === first) - Number(a.key === first));
  const stages = new Map<string, string>();
  for (const m of ordered) for (const s of m.definition.stages) if (!stages.has(s.id)) stages.set(s.id, s.title[language]);
  return stages;
}
