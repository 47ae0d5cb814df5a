import { Module } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '#store';
import { REDIS } from '../infra/redis.module.js';
import { RateLimitCounter } from './rate-limit.counter.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { AuthFailureLimiter } from './auth-failure.limiter.js';

@Module({
  providers: [
    { provide: RateLimitCounter, inject: [REDIS, AppConfig], useFactory: (redis: Redis, config: AppConfig) => new RateLimitCounter(redis, config.QUEUE_PREFIX) },
    RateLimitGuard,
    AuthFailureLimiter,
  ],
  exports: [RateLimitGuard, AuthFailureLimiter],
})
export class RateLimitModule {}
