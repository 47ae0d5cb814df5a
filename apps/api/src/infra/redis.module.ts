import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig, redisConnection } from '#store';

export const REDIS = Symbol('REDIS');

/**
 * The API's Redis connection. As a producer it fails fast (no offline queue) so a request never
 * hangs on a Redis outage; PostgreSQL, not Redis, is the record of reports.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const redis = new Redis(redisConnection(config.REDIS_URL, 'producer'));
        redis.on('error', () => undefined); // reconnects on its own; readiness reports the outage
        return redis;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
