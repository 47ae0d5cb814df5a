import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, dataSourceOptions } from '#domain';

/** The worker: its own Nest application, consuming BullMQ queues on Redis and writing to PostgreSQL. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const redis = new URL(config.REDIS_URL);
    return {
      module: WorkerModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(config.DATABASE_URL)),
        BullModule.forRoot({
          prefix: config.QUEUE_PREFIX,
          connection: {
            host: redis.hostname,
            port: Number(redis.port || 6379),
            db: Number(redis.pathname.slice(1) || 0),
            password: redis.password || undefined,
            maxRetriesPerRequest: null, // BullMQ workers block on Redis and must never give up a command
          },
        }),
      ],
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
