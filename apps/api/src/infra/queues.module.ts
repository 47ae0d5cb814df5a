import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { QUEUES } from '#domain';
import { AppConfig } from '#store';

function producerConnection(redisUrl: string) {
  const u = new URL(redisUrl);
  // A producer fails fast: a request must never hang because Redis is away.
  return { host: u.hostname, port: Number(u.port || 6379), db: Number(u.pathname.slice(1) || 0), password: u.password || undefined, maxRetriesPerRequest: 1, enableOfflineQueue: false };
}

/** The API enqueues; it never processes jobs (that is the worker's job). */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ prefix: config.QUEUE_PREFIX, connection: producerConnection(config.REDIS_URL) }),
    }),
    BullModule.registerQueue({ name: QUEUES.allocation }, { name: QUEUES.webhooks }),
  ],
  exports: [BullModule],
})
export class QueuesModule {}
