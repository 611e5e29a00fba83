// Reads the methodology folders, validates every file, and reports every problem with file and path.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import { methodologySchema, type Methodology } from './methodology.schema.ts';

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
  for (const folder of folders) {
    const file = join(dir, folder, METHODOLOGY_FILE);
    const shown = relative(process.cwd(), file) || file;
    if (!existsSync(file)) {
      problems.push({ file: shown, path: '', message: `missing: every methodology folder holds a ${METHODOLOGY_FILE}` });
      continue;
    }
    const result = parseMethodologyText(readFileSync(file, 'utf8'), shown);
    if ('problems' in result) {
      problems.push(...result.problems);
      continue;
    }
    const key = methodologyKey(result.definition);
    const clash = loaded.get(key);
    if (clash) {
      problems.push({ file: shown, path: 'version', message: `${key} is already defined in ${clash.file}: a variant needs a new id or version` });
      continue;
    }
    loaded.set(key, { ...result, key, file: shown });
  }
  if (folders.length === 0) problems.push({ file: dir, path: '', message: 'no methodology found' });
  if (problems.length > 0) throw new MethodologyInvalidError(problems);
  return loaded;
}

/** Parses and validates one methodology text; pure, so tests can feed it broken variants. */
export function parseMethodologyText(
  text: string,
  file: string,
): { definition: Methodology; hash: string } | { problems: MethodologyProblem[] } {
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
  const parsed = methodologySchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => ({ file, path: formatPath(issue.path), message: issue.message })),
    };
  }
  return { definition: parsed.data, hash: hashMethodology(parsed.data) };
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
