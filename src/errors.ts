// Typed application errors with stable codes; the web layer maps each code to one HTTP status.
import type { Blocker } from './engagement/gate.ts';

export const errorStatus = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  INVALID_INPUT: 422,
  BLOCKED: 409,
  CONFLICT: 409,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
  get status(): number {
    return errorStatus[this.code];
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found`);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class InvalidInputError extends AppError {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[]) {
    super('INVALID_INPUT', problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.problems = problems;
  }
}

/** A transition the rules do not allow now, with every reason that holds it. */
export class BlockedError extends AppError {
  readonly reasons: string[];
  readonly blockers: Blocker[];
  constructor(message: string, reasons: string[], blockers: Blocker[] = []) {
    super('BLOCKED', reasons.length ? `${message}: ${reasons.join('; ')}` : message);
    this.reasons = reasons;
    this.blockers = blockers;
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

/** A part of the installation is missing (no browser for PDFs, say); the message says what to do. */
export class UnavailableError extends AppError {
  constructor(message: string) {
    super('UNAVAILABLE', message);
  }
}
