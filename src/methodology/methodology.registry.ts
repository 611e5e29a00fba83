// The methodologies on disk, and the frozen copies engagements were started from.
import type { EntityManager } from '@mikro-orm/core';
import type { LoadedMethodology } from './methodology.loader.ts';
import type { Methodology } from './methodology.schema.ts';
import { MethodologyVersion } from './methodology-version.entity.ts';
import { buildEngagementMachine, type EngagementMachine } from '../engagement/engagement.machine.ts';
import { InvalidInputError } from '../errors.ts';

export class MethodologyRegistry {
  readonly #available: Map<string, LoadedMethodology>;
  readonly #machines = new Map<string, EngagementMachine>();
  /** Frozen definitions by content hash: a hash's content never changes, so it is read from the database once. */
  readonly #frozen = new Map<string, Promise<Methodology>>();

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
   * The definition an engagement was started from, by its hash. Read with plain SQL, outside the
   * caller's unit of work: an entity holding it would be serialised again at every flush to look
   * for changes. Deep-frozen, since every command of every engagement on it shares the one object.
   */
  frozenDefinition(em: EntityManager, hash: string): Promise<Methodology> {
    let definition = this.#frozen.get(hash);
    if (!definition) {
      definition = readDefinition(em, hash);
      this.#frozen.set(hash, definition);
      definition.catch(() => this.#frozen.delete(hash)); // a failed read (an outage) is tried again next time
    }
    return definition;
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

async function readDefinition(em: EntityManager, hash: string): Promise<Methodology> {
  const rows = (await em.getConnection().execute('select definition from methodology_versions where hash = ?', [hash])) as { definition: Methodology }[];
  if (!rows[0]) throw new Error(`the frozen methodology ${hash} is missing from the database`);
  return deepFreeze(rows[0].definition);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
