import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError } from '#domain';
import { AppConfig } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { RateLimitCounter } from './rate-limit.counter.js';

const WINDOW_MS = 60_000;

/**
 * RATE_LIMIT_PER_MINUTE requests per credential per minute, across every route and every API
 * process. Runs after authentication; public routes (health, docs) are not limited.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly counter: RateLimitCounter,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const principal = http.getRequest<{ principal?: Principal }>().principal;
    if (!principal) return true;
    const count = await this.counter.hit(`user:${principal.userId}`, WINDOW_MS);
    if (!count) return true;
    const limit = this.config.RATE_LIMIT_PER_MINUTE;
    const res = http.getResponse<Response>();
    const resetSeconds = Math.ceil(count.resetMs / 1000);
    res.setHeader('RateLimit-Limit', limit);
    res.setHeader('RateLimit-Remaining', Math.max(0, limit - count.hits));
    res.setHeader('RateLimit-Reset', resetSeconds);
    if (count.hits <= limit) return true;
    res.setHeader('Retry-After', Math.max(1, resetSeconds));
    throw new DomainError('rate_limited', 'TOO_MANY_REQUESTS', `More than ${limit} requests a minute with this credential; retry in ${Math.max(1, resetSeconds)} s`, [], { limit, retryAfter: Math.max(1, resetSeconds) });
  }
}
