import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { QUEUES } from '#domain';
import { AppConfig, JobCatalogue, redisConnection } from '#store';

/**
 * The queues of the API process, and the one JobCatalogue every module enqueues and observes them through
 * (metrics, dashboard); it never processes jobs, the worker does. Its connection fails fast, so a
 * request never hangs because Redis is away.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ prefix: config.QUEUE_PREFIX, connection: redisConnection(config.REDIS_URL, 'producer') }),
    }),
    BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name }))),
  ],
  providers: [JobCatalogue],
  exports: [BullModule, JobCatalogue],
})
export class QueuesModule {}
