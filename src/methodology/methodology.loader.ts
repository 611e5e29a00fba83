// Reads the methodology folders, validates every file, and reports every problem with file and path.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative, basename } from 'node:path';
import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import { methodologySchema, type Methodology } from './methodology.schema.ts';
import { trainingModuleSchema } from './training.schema.ts';

export const METHODOLOGY_FILE = 'methodology.yaml';

export interface MethodologyProblem {
  file: string;
  path: string;
  message: string;
}

export class MethodologyInvalidError extends Error {
  readonly problems: MethodologyProblem[];
  constructor(problems: MethodologyProblem[]) {
    super(`The methodology is invalid:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'MethodologyInvalidError';
    this.problems = problems;
  }
}

export function formatProblem(p: MethodologyProblem): string {
  return `  ${p.file}: ${p.path || '(file)'}: ${p.message}`;
}

/** A validated methodology with the key engagements refer to and a hash of its exact content. */
export interface LoadedMethodology {
  key: string;
  hash: string;
  file: string;
  definition: Methodology;
}

export function methodologyKey(m: Pick<Methodology, 'id' | 'version'>): string {
  return `${m.id}@${m.version}`;
}

/** Loads every `<dir>/<folder>/methodology.yaml`; throws one error listing every problem found. */
export function loadMethodologies(dir: string): Map<string, LoadedMethodology> {
  if (!existsSync(dir)) {
    throw new MethodologyInvalidError([{ file: dir, path: '', message: 'the methodology folder does not exist' }]);
  }
  const problems: MethodologyProblem[] = [];
  const loaded = new Map<string, LoadedMethodology>();
  const folders = readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory()).sort();
  const sources = new Map<string, FolderSource>();
  for (const folder of folders) {
    const source = readFolder(dir, folder);
    if ('problems' in source) problems.push(...source.problems);
    else sources.set(folder, source);
  }
  for (const [folder, source] of sources) {
    const resolved = resolveExtends(folder, sources);
    if ('problems' in resolved) {
      problems.push(...resolved.problems);
      continue;
    }
    const modules = readTrainingModules(resolved.trainingDir);
    problems.push(...modules.problems);
    const result = validateMethodology(resolved.raw, source.shown, modules.modules);
    if ('problems' in result) {
      problems.push(...result.problems);
      continue;
    }
    const key = methodologyKey(result.definition);
    const clash = loaded.get(key);
    if (clash) {
      problems.push({ file: source.shown, path: 'version', message: `${key} is already defined in ${clash.file}: a variant needs a new id or version` });
      continue;
    }
    loaded.set(key, { ...result, key, file: source.shown });
  }
  if (folders.length === 0) problems.push({ file: dir, path: '', message: 'no methodology found' });
  if (problems.length > 0) throw new MethodologyInvalidError(dedupe(problems));
  return loaded;
}

/** One folder's methodology.yaml as parsed YAML, before anything it extends is merged in. */
interface FolderSource {
  shown: string;
  raw: Record<string, unknown>;
  trainingDir: string;
}

function readFolder(dir: string, folder: string): FolderSource | { problems: MethodologyProblem[] } {
  const file = join(dir, folder, METHODOLOGY_FILE);
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file)) return { problems: [{ file: shown, path: '', message: `missing: every methodology folder holds a ${METHODOLOGY_FILE}` }] };
  const parsed = parseYaml(readFileSync(file, 'utf8'), shown);
  if ('problems' in parsed) return parsed;
  if (!parsed.raw || typeof parsed.raw !== 'object' || Array.isArray(parsed.raw)) {
    return { problems: [{ file: shown, path: '', message: 'must be a mapping of methodology keys (id, version, stages, ...)' }] };
  }
  return { shown, raw: parsed.raw as Record<string, unknown>, trainingDir: join(dir, folder, 'training') };
}

/**
 * `extends: <folder>` takes another methodology folder beside this one as the base: every top-level key
 * this file sets replaces the base's, and a folder without its own training/ shares the base's modules,
 * so a variant states only how it differs. A mandatoryNetworks list here clears the base's per-network
 * flags, so the variant's list is the whole truth about which networks are mandatory.
 */
function resolveExtends(folder: string, sources: Map<string, FolderSource>, chain: string[] = []): { raw: Record<string, unknown>; trainingDir: string } | { problems: MethodologyProblem[] } {
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
    return existsSync(join(source.trainingDir, '..', '..', base, METHODOLOGY_FILE)) ? { problems: [] } : problem(`no methodology folder "${base}" beside this one`);
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

/** A base's problem can reach the report through two variants; each is listed once. */
function dedupe(problems: MethodologyProblem[]): MethodologyProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = formatProblem(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function parseYaml(text: string, file: string): { raw: unknown } | { problems: MethodologyProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        file,
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  return { raw: doc.toJS() };
}

/** Parses and validates one methodology text; pure, so tests can feed it broken variants. */
export function parseMethodologyText(
  text: string,
  file: string,
  trainingModules: unknown[] = [],
): { definition: Methodology; hash: string } | { problems: MethodologyProblem[] } {
  const parsed = parseYaml(text, file);
  if ('problems' in parsed) return parsed;
  const raw = parsed.raw as Record<string, unknown> | null;
  if (raw && typeof raw === 'object' && 'extends' in raw) {
    return { problems: [{ file, path: 'extends', message: 'a methodology that extends another is read with its folder (loadMethodologies)' }] };
  }
  return validateMethodology(raw, file, trainingModules);
}

function validateMethodology(raw: unknown, file: string, trainingModules: unknown[]): { definition: Methodology; hash: string } | { problems: MethodologyProblem[] } {
  if (raw && typeof raw === 'object' && 'trainingModules' in raw) {
    return { problems: [{ file, path: 'trainingModules', message: `training modules live in the training/ folder beside ${METHODOLOGY_FILE}, one file each` }] };
  }
  const parsed = methodologySchema.safeParse(raw && typeof raw === 'object' ? { ...raw, trainingModules } : raw);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => ({ file, path: formatPath(issue.path), message: issue.message })),
    };
  }
  return { definition: parsed.data, hash: hashMethodology(parsed.data) };
}

/** Each training/<module>.yaml validated on its own, so every problem names its own file. */
function readTrainingModules(dir: string): { modules: unknown[]; problems: MethodologyProblem[] } {
  if (!existsSync(dir)) return { modules: [], problems: [] };
  const modules: unknown[] = [];
  const problems: MethodologyProblem[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const file = join(dir, name);
    const shown = relative(process.cwd(), file) || file;
    const doc = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length) {
      problems.push(...doc.errors.map((e) => ({ file: shown, path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '', message: `not valid YAML: ${e.message.split('\n')[0]}` })));
      continue;
    }
    const parsed = trainingModuleSchema.safeParse(doc.toJS());
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => ({ file: shown, path: formatPath(issue.path), message: issue.message })));
      continue;
    }
    if (parsed.data.id !== basename(name, '.yaml')) {
      problems.push({ file: shown, path: 'id', message: `the module id "${parsed.data.id}" must match the file name "${basename(name, '.yaml')}"` });
      continue;
    }
    modules.push(parsed.data);
  }
  return { modules, problems };
}

export function hashMethodology(definition: Methodology): string {
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex');
}

/** `stages[0].tasks[3].title.ru`, the way a person finds the place in the file. */
function formatPath(path: PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
