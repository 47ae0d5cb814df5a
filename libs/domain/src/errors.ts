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

export interface FieldProblem {
  field: string;
  reason: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, code = 'NOT_FOUND'): DomainError {
    return new DomainError('not_found', code, `${what} not found`);
  }

  static rule(code: string, field: string, message: string): DomainError {
    return new DomainError('unprocessable', code, message, [{ field, reason: message }]);
  }
}
