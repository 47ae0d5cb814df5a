import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError, type DomainErrorKind, type FieldProblem } from '#domain';
import { problemInChinese, problemLanguage, type ProblemLanguage } from './problem-language.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  precondition_failed: 412,
  unprocessable: 422,
  precondition_required: 428,
  rate_limited: 429,
  unavailable: 503,
};

/** RFC 9457 body, with a stable `code` and field-level `errors` for validation failures. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldProblem[];
}

const PG_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001']);

function problem(status: number, code: string, detail: string, errors?: readonly FieldProblem[]): ProblemDetails {
  return {
    type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: code
      .toLowerCase()
      .split('_')
      .map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
      .join(' '),
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors: errors.map(({ field, reason }) => ({ field, reason })) } : {}),
  };
}

function codeForStatus(status: number): string {
  return (HttpStatus[status] as string | undefined) ?? 'ERROR';
}

function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  if (code && PG_CONNECTION_CODES.has(code)) return true;
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(message);
}

/**
 * Maps every error to application/problem+json, in English or Chinese (the `code` is the same).
 * Anything unexpected is logged and answered 500 without internals.
 */
export function toProblem(err: unknown, language: ProblemLanguage = 'en'): ProblemDetails {
  const body = toEnglishProblem(err);
  return language === 'en' ? body : { ...body, ...problemInChinese(body.code, err, body) };
}

function toEnglishProblem(err: unknown): ProblemDetails {
  if (err instanceof DomainError) return problem(STATUS_OF_KIND[err.kind], err.code, err.message, err.fields);
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse();
    const message =
      typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? err.message);
    return problem(status, codeForStatus(status), Array.isArray(message) ? message.join('; ') : String(message));
  }
  // Errors thrown by body-parser carry their own status (400 malformed JSON, 413 too large, 415 charset).
  const status = (err as { status?: unknown; type?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const detail = status === 400 ? 'The request body is not valid JSON' : (err as Error).message;
    return problem(status, codeForStatus(status), detail);
  }
  if (err instanceof QueryFailedError) {
    const pgCode = (err.driverError as { code?: string } | undefined)?.code;
    if (pgCode === '23505') return problem(409, 'CONFLICT', 'A record with the same identity already exists');
    if (pgCode === '23503') return problem(409, 'REFERENCED', 'The record is referenced by or references a missing record');
    if (pgCode === '40001' || pgCode === '40P01') return problem(409, 'RETRY', 'Concurrent change; retry the request');
  }
  if (isConnectionFailure(err)) return problem(503, 'SERVICE_UNAVAILABLE', 'The database is unreachable; retry shortly');
  return problem(500, 'INTERNAL_ERROR', 'Unexpected error; it has been logged');
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const language = problemLanguage(req.headers['accept-language']);
    const body = toProblem(exception, language);
    body.instance = req.originalUrl?.split('?')[0];
    if (body.status >= 500) {
      this.logger.error(`${req.method} ${body.instance} → ${body.status}`, exception instanceof Error ? exception.stack : String(exception));
    }
    if (body.status === 503) res.setHeader('Retry-After', '5');
    res.setHeader('Content-Language', language);
    res.vary('Accept-Language');
    res.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }
}
