/**
 * Errors that services raise for expected outcomes. They carry a stable code and, where one
 * field is at fault, its name. The API maps them to application/problem+json; the worker logs
 * them. They are deliberately free of HTTP types so both apps can share the services.
 */
export type DomainErrorKind =
  | 'invalid' // 400: malformed request
  | 'unprocessable' // 422: well-formed but breaks a business rule
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'gone' // 410: existed, and was replaced (a superseded pickup code)
  | 'precondition_failed' // 412
  | 'precondition_required' // 428
  | 'rate_limited' // 429
  | 'unavailable'; // 503

import type { ProblemCode, ProblemParams } from './problems.js';

export interface FieldProblem {
  field: string;
  reason: string;
  /** When the reason is another problem's (a row of an import): its code and values, to translate it. Not sent. */
  code?: ProblemCode;
  params?: ProblemParams;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: ProblemCode,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
    /** The values the message names, so a translation can name them too (see PROBLEM_TEXTS_ZH). */
    readonly params: ProblemParams = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, code: ProblemCode = 'NOT_FOUND'): DomainError {
    return new DomainError('not_found', code, `${what} not found`);
  }

  static rule(code: ProblemCode, field: string, message: string, params: ProblemParams = {}): DomainError {
    return new DomainError('unprocessable', code, message, [{ field, reason: message }], params);
  }
}
