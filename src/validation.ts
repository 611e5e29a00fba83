// Turns a Zod failure at a boundary into an InvalidInputError naming each field.
import type { z } from 'zod';
import { InvalidInputError } from './errors.ts';

export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.') || 'input', message: issue.message })),
  );
}
