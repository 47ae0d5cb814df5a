import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { catchError, from, mergeMap, of, type Observable } from 'rxjs';
import { DomainError } from '#domain';
import { IdempotencyStore } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../common/problem-details.filter.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;

/**
 * A stored response, exactly as first sent, as a web Response: Nest sends its status and headers
 * in place of the route's own (201, 202…), so an error that was answered once is answered again.
 */
function replay(status: number, body: object | null): Response {
  // As Express types what the filter and the route send.
  const type = `${status >= 400 ? PROBLEM_CONTENT_TYPE : 'application/json'}; charset=utf-8`;
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type, 'idempotent-replayed': 'true' } });
}

/** What a key is bound to: method, path and body (an import's file by its digest: CsvUpload's JSON). */
export function requestHash(req: Pick<Request, 'method' | 'originalUrl' | 'body'>): string {
  return createHash('sha256').update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
}

/**
 * Every POST accepts an Idempotency-Key (per caller, 24 hours). A retry with the same key and
 * request gets the first response again without the work being done twice; the same key with a
 * different request gets 422; a retry while the first is still running gets 409. Responses that
 * failed for a transient reason (5xx) are not kept, so their retry does the work.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const key = req.headers[IDEMPOTENCY_HEADER];
    if (req.method !== 'POST' || key === undefined || !req.principal) return next.handle();
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw new DomainError('invalid', 'IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1–200 printable ASCII characters', [
        { field: 'Idempotency-Key', reason: 'must be 1–200 printable ASCII characters' },
      ]);
    }
    const userId = req.principal.userId;
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    return from(this.store.claim(userId, key, requestHash(req))).pipe(
      mergeMap((claim) => {
        if (claim.kind === 'mismatch') {
          throw new DomainError('unprocessable', 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request', [
            { field: 'Idempotency-Key', reason: 'already used with a different request' },
          ]);
        }
        if (claim.kind === 'in_flight') throw new DomainError('conflict', 'IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed; retry shortly');
        if (claim.kind === 'replay') return of(replay(claim.status, claim.body));
        return next.handle().pipe(
          // The key is settled before the response leaves, so a retry never sees a finished request as in flight.
          mergeMap(async (body) => {
            await this.store.complete(userId, key, status, body);
            return body;
          }),
          catchError((err: unknown) => {
            const problem = { ...toProblem(err), instance: req.originalUrl.split('?')[0] };
            const settle = problem.status >= 500 ? this.store.release(userId, key) : this.store.complete(userId, key, problem.status, problem);
            return from(settle).pipe(
              mergeMap(() => {
                throw err;
              }),
            );
          }),
        );
      }),
    );
  }
}
