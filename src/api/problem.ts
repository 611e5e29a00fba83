// Errors as application/problem+json (RFC 9457): a stable type URI, a title and a detail in the token owner's language.
import type { Response } from 'express';
import { AppError, BlockedError, InvalidInputError } from '../errors.ts';
import { DuplicateSubmissionError } from '../forms/form-submission.ts';
import { translate, translateMessage, type Locale } from '../web/i18n/i18n.ts';
import { describeBlockersIn } from '../web/presenters/blockers.ts';

export const PROBLEM_TYPE = 'application/problem+json';

/** Each kind of problem: its status, the last part of its type URI, and its title's catalog key. */
export const problemKinds = {
  notFound: { status: 404, slug: 'not-found' },
  forbidden: { status: 403, slug: 'forbidden' },
  insufficientScope: { status: 403, slug: 'insufficient-scope' },
  unauthorized: { status: 401, slug: 'unauthorized' },
  invalidInput: { status: 422, slug: 'invalid-input' },
  blocked: { status: 409, slug: 'blocked' },
  conflict: { status: 409, slug: 'conflict' },
  alreadyDone: { status: 409, slug: 'already-done' },
  badRequest: { status: 400, slug: 'bad-request' },
  tooLarge: { status: 413, slug: 'too-large' },
  unsupportedMediaType: { status: 415, slug: 'unsupported-media-type' },
  unavailable: { status: 503, slug: 'unavailable' },
  internal: { status: 500, slug: 'internal' },
} as const;

export type ProblemKind = keyof typeof problemKinds;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  reasons?: string[];
}

export const problemTypeUri = (kind: ProblemKind) => `urn:troika:problem:${problemKinds[kind].slug}`;

export function problem(kind: ProblemKind, locale: Locale, detail: string, extra: Pick<ProblemBody, 'errors' | 'reasons'> = {}): ProblemBody {
  const { status } = problemKinds[kind];
  return { type: problemTypeUri(kind), title: translate(locale, `api.problem.${kind}`), status, detail, ...extra };
}

const KIND_OF_CODE: Record<AppError['code'], ProblemKind> = {
  NOT_FOUND: 'notFound',
  FORBIDDEN: 'forbidden',
  INVALID_INPUT: 'invalidInput',
  BLOCKED: 'blocked',
  CONFLICT: 'conflict',
  UNAVAILABLE: 'unavailable',
};

/** A service's refusal as a problem: its message (and its reasons, its fields) in the reader's language. */
export function problemOf(error: AppError, locale: Locale): ProblemBody {
  if (error instanceof InvalidInputError) {
    const errors = error.problems.map((p) => ({ field: p.field, message: translateMessage(locale, p.message) }));
    return problem('invalidInput', locale, translate(locale, 'api.problem.fixFields'), { errors });
  }
  if (error instanceof BlockedError) {
    const reasons = error.blockers.length ? describeBlockersIn(locale, error.blockers) : error.reasons.map((r) => translateMessage(locale, r));
    const headline = error.reasons.length ? error.message.slice(0, error.message.length - `: ${error.reasons.join('; ')}`.length) : error.message;
    return problem('blocked', locale, translateMessage(locale, headline), { reasons });
  }
  if (error instanceof DuplicateSubmissionError) return problem('alreadyDone', locale, translateMessage(locale, error.message));
  return problem(KIND_OF_CODE[error.code], locale, translateMessage(locale, error.message));
}

export function sendProblem(res: Response, body: ProblemBody): void {
  if (body.status === 401) res.set('WWW-Authenticate', 'Bearer realm="troika"');
  res.status(body.status).type(PROBLEM_TYPE).send(JSON.stringify(body));
}
