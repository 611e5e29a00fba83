// Request input checked with the API's schemas; each problem names its field in words the catalog translates.
import type { z } from 'zod';
import { InvalidInputError, type FieldProblem } from '../errors.ts';

type Issue = z.core.$ZodRawIssue;

const KIND: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', object: 'an object', array: 'a list', record: 'an object' };
const FORMAT: Record<string, string> = {
  uuid: 'must be an id (a UUID)',
  date: 'must be a date such as 2026-05-01',
  datetime: 'must be a date and time with its offset, such as 2026-05-01T10:00:00Z',
  regex: 'is not in the expected form',
};

/** English messages for what the schemas say in Zod's own words; the Russian is in api.ru.ts. */
function messageOf(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${KIND[issue.expected] ?? 'of another type'}`;
    case 'too_small':
      if (issue.origin === 'string') return `must have at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `must have at least ${issue.minimum} entries`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `use at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `give at most ${issue.maximum} entries`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_format':
      return FORMAT[issue.format] ?? 'is not in the expected form';
    case 'invalid_value':
      return `must be one of "${issue.values.map(String).join(', ')}"`;
    case 'invalid_union':
      return 'is not in the expected form';
    default:
      return 'is not valid';
  }
}

const pathOf = (path: PropertyKey[]) => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');

/** The parsed input, or an InvalidInputError with one problem per field (an unknown field is one too). */
export function parseApiInput<S extends z.ZodType>(schema: S, raw: unknown, where = ''): z.output<S> {
  const parsed = schema.safeParse(raw, { error: (issue) => messageOf(issue as Issue) });
  if (parsed.success) return parsed.data;
  const problems: FieldProblem[] = parsed.error.issues.flatMap((issue) => {
    const path = [...(where ? [where] : []), ...issue.path];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: pathOf([...path, key]), message: 'is not a known field' }));
    return [{ field: pathOf(path) || 'body', message: issue.message }];
  });
  throw new InvalidInputError(problems);
}
