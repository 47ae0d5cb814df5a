import { Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** One round trip: count the hit in a fixed window and report the window's remaining time. */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;

export interface WindowCount {
  hits: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/**
 * Fixed-window counters in Redis, shared by every API process. If Redis is unreachable the
 * limiter fails open (returns null): taking reports matters more than limiting them while Redis restarts.
 */
@Injectable()
export class RateLimitCounter {
  private readonly logger = new Logger('RateLimit');
  private lastWarning = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** The window's count so far without adding to it; null when Redis is unavailable. */
  async peek(key: string): Promise<number | null> {
    try {
      return Number((await this.redis.get(`${this.prefix}:ratelimit:${key}`)) ?? 0);
    } catch (err) {
      this.warn(err);
      return null;
    }
  }

  async hit(key: string, windowMs: number): Promise<WindowCount | null> {
    try {
      const [hits, pttl] = (await this.redis.eval(INCREMENT, 1, `${this.prefix}:ratelimit:${key}`, windowMs)) as number[];
      return { hits, resetMs: Math.max(0, pttl) };
    } catch (err) {
      this.warn(err);
      return null;
    }
  }

  private warn(err: unknown): void {
    if (Date.now() - this.lastWarning > 10_000) {
      this.lastWarning = Date.now();
      this.logger.warn(`rate limiting suspended, Redis unavailable: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
