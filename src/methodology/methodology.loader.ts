// Reads the methodology folders, validates every file, and reports every problem with file and path.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative, basename } from 'node:path';
import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import { methodologySchema, type Methodology } from './methodology.schema.ts';
import { trainingModuleSchema } from './training.schema.ts';
import { resolveExtends, type FolderSource } from './methodology-extends.ts';

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

function readFolder(dir: string, folder: string): FolderSource | { problems: MethodologyProblem[] } {
  const file = join(dir, folder, METHODOLOGY_FILE);
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file)) return { problems: [{ file: shown, path: '', message: `missing: every methodology folder holds a ${METHODOLOGY_FILE}` }] };
  const parsed = parseYaml(readFileSync(file, 'utf8'), shown);
  if ('problems' in parsed) return parsed;
  if (!parsed.raw || typeof parsed.raw !== 'object' || Array.isArray(parsed.raw)) {
    return { problems: [{ file: shown, path: '', message: 'must be a mapping of methodology keys (id, version, stages, ...)' }] };
  }
  return { shown, root: dir, raw: parsed.raw as Record<string, unknown>, trainingDir: join(dir, folder, 'training') };
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
