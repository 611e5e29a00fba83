// `extends:` lets a methodology folder build on another one beside it and state only how it differs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MethodologyProblem } from './methodology.loader.ts';

const METHODOLOGY_FILE = 'methodology.yaml';

/** One folder's methodology.yaml as parsed YAML, before anything it extends is merged in. */
export interface FolderSource {
  shown: string;
  /** The folder that holds every methodology folder, where a base is looked for. */
  root: string;
  raw: Record<string, unknown>;
  trainingDir: string;
}

/**
 * `extends: <folder>` takes another methodology folder beside this one as the base: every top-level key
 * this file sets replaces the base's, and a folder without its own training/ shares the base's modules,
 * so a variant states only how it differs. A mandatoryNetworks list here clears the base's per-network
 * flags, so the variant's list is the whole truth about which networks are mandatory.
 */
export function resolveExtends(folder: string, sources: Map<string, FolderSource>, chain: string[] = []): { raw: Record<string, unknown>; trainingDir: string } | { problems: MethodologyProblem[] } {
  const source = sources.get(folder)!;
  const { extends: base, ...own } = source.raw;
  if (base === undefined) return { raw: own, trainingDir: source.trainingDir };
  // Problems are the first file's: that is the methodology that cannot be built.
  const origin = sources.get(chain[0] ?? folder)!.shown;
  const problem = (message: string) => ({ problems: [{ file: origin, path: 'extends', message }] });
  if (typeof base !== 'string' || !base.trim()) return problem('must name the folder of another methodology beside this one, such as "e1t-1"');
  const path = [...chain, folder];
  if (path.includes(base)) return problem(`extends goes round in a circle: ${[...path, base].join(' → ')}`);
  if (!sources.has(base)) {
    // A base folder that exists but cannot be read is reported against its own file; here it is enough to stop.
    return existsSync(join(source.root, base, METHODOLOGY_FILE)) ? { problems: [] } : problem(`no methodology folder "${base}" beside this one`);
  }
  const resolvedBase = resolveExtends(base, sources, path);
  if ('problems' in resolvedBase) return resolvedBase;
  const merged: Record<string, unknown> = { ...resolvedBase.raw, ...own };
  if ('mandatoryNetworks' in own && !('networks' in own) && Array.isArray(resolvedBase.raw.networks)) {
    merged.networks = resolvedBase.raw.networks.map((n: unknown) => {
      if (!n || typeof n !== 'object') return n;
      const { mandatory: _flag, ...rest } = n as Record<string, unknown>;
      return rest;
    });
  }
  return { raw: merged, trainingDir: existsSync(source.trainingDir) ? source.trainingDir : resolvedBase.trainingDir };
}
