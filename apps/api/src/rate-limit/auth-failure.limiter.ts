import { Injectable } from '@nestjs/common';
import { DomainError } from '#domain';
import { AppConfig } from '#store';
import { RateLimitCounter } from './rate-limit.counter.js';

const WINDOW_MS = 60_000;

/**
 * AUTH_FAILURES_PER_MINUTE unknown or revoked tokens per client address, across API processes.
 * Past the limit the address gets 429 before any database query, so guessing tokens costs the
 * guesser, not PostgreSQL. Credentials already cached in the process still work from that address.
 */
@Injectable()
export class AuthFailureLimiter {
  constructor(
    private readonly counter: RateLimitCounter,
    private readonly config: AppConfig,
  ) {}

  async assertAllowed(clientAddress: string): Promise<void> {
    const failures = await this.counter.peek(this.key(clientAddress));
    if (failures !== null && failures >= this.config.AUTH_FAILURES_PER_MINUTE) {
      throw new DomainError('rate_limited', 'TOO_MANY_AUTH_FAILURES', 'Too many requests with unknown or revoked tokens from this address; retry in a minute');
    }
  }

  async recordFailure(clientAddress: string): Promise<void> {
    await this.counter.hit(this.key(clientAddress), WINDOW_MS);
  }

  private key(clientAddress: string): string {
    return `authfail:${clientAddress}`;
  }
}
