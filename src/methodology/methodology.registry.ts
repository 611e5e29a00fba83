// The methodologies on disk, and the frozen copies engagements were started from.
import type { EntityManager } from '@mikro-orm/core';
import type { LoadedMethodology } from './methodology.loader.ts';
import type { Methodology } from './methodology.schema.ts';
import { MethodologyVersion } from './methodology-version.entity.ts';
import { buildEngagementMachine, type EngagementMachine } from '../engagement/engagement.machine.ts';
import { InvalidInputError } from '../errors.ts';

/** A frozen methodology as the engagements started from it read it. */
export interface FrozenMethodology {
  hash: string;
  key: string;
  definition: Methodology;
}

export class MethodologyRegistry {
  readonly #available: Map<string, LoadedMethodology>;
  readonly #machines = new Map<string, EngagementMachine>();
  /** Content-addressed, so never stale: each hash is read and parsed from the database once per process. */
  readonly #frozen = new Map<string, Promise<FrozenMethodology>>();

  constructor(available: Map<string, LoadedMethodology>) {
    this.#available = available;
  }

  list(): LoadedMethodology[] {
    return [...this.#available.values()];
  }

  defaultKey(): string {
    const e1t = [...this.#available.keys()].filter((k) => k.startsWith('e1t@')).sort();
    return e1t.at(-1) ?? [...this.#available.keys()][0]!;
  }

  /** Stores the methodology's exact content (once per hash) so the engagement keeps it for good. */
  async freeze(em: EntityManager, key: string): Promise<MethodologyVersion> {
    const loaded = this.#available.get(key);
    if (!loaded) {
      throw new InvalidInputError([{ field: 'methodology', message: 'choose one of the methodologies offered' }]);
    }
    const existing = await em.findOne(MethodologyVersion, { hash: loaded.hash });
    if (existing) return existing;
    // Two first uses racing would both insert; ON CONFLICT keeps one row and both proceed.
    await em.getConnection().execute(
      'insert into methodology_versions (hash, key, definition, first_used_at) values (?, ?, ?, now()) on conflict (hash) do nothing',
      [loaded.hash, key, JSON.stringify(loaded.definition)],
    );
    return em.findOneOrFail(MethodologyVersion, { hash: loaded.hash });
  }

  /**
   * The frozen methodology with this hash, as stored (jsonb, not the file: key order may differ).
   * Pages and commands read it here instead of loading the row's definition on every request.
   */
  frozen(em: EntityManager, hash: string): Promise<FrozenMethodology> {
    let found = this.#frozen.get(hash);
    if (!found) {
      found = readFrozen(em, hash);
      this.#frozen.set(hash, found);
      // A failed read (the database away for a moment) must not stay cached.
      found.catch(() => this.#frozen.delete(hash));
    }
    return found;
  }

  /** Several frozen methodologies by hash, for lists that span engagements. */
  async frozenMany(em: EntityManager, hashes: Iterable<string>): Promise<Map<string, FrozenMethodology>> {
    const unique = [...new Set(hashes)];
    const found = await Promise.all(unique.map((hash) => this.frozen(em, hash)));
    return new Map(found.map((f) => [f.hash, f]));
  }

  /** The machine for a frozen methodology, built once per content hash. */
  machineFor(hash: string, definition: Methodology): EngagementMachine {
    let machine = this.#machines.get(hash);
    if (!machine) {
      machine = buildEngagementMachine(definition.stages);
      this.#machines.set(hash, machine);
    }
    return machine;
  }
}

async function readFrozen(em: EntityManager, hash: string): Promise<FrozenMethodology> {
  // A connection of its own: the caller's transaction (or its failure) must not decide what is cached.
  const rows = (await em.getConnection().execute('select key, definition from methodology_versions where hash = ?', [hash])) as { key: string; definition: Methodology | string }[];
  const row = rows[0];
  if (!row) throw new Error(`no frozen methodology with hash ${hash}`);
  const definition = typeof row.definition === 'string' ? (JSON.parse(row.definition) as Methodology) : row.definition;
  // Every page and command of every engagement on this version shares the one object: nothing may change it.
  return { hash, key: row.key, definition: deepFreeze(definition) };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
