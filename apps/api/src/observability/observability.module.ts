import { Global, Module } from '@nestjs/common';
import type { DestinationStream, Logger } from 'pino';
import { AppConfig, createPinoLogger, JsonLogger, RunMetrics } from '#store';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { QueueErrorLog } from './queue-error-log.js';

/** The pino logger of the API process. */
export const PINO_LOGGER = Symbol('PINO_LOGGER');
/** Where the API's log lines go: stdout, unless a test captures them. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** JSON logs with request ids, the access log, Prometheus metrics at /metrics (queue depths read through the job catalogue). */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    { provide: LOG_DESTINATION, useValue: null },
    {
      provide: PINO_LOGGER,
      inject: [AppConfig, LOG_DESTINATION],
      useFactory: (config: AppConfig, destination: DestinationStream | null) =>
        createPinoLogger({ service: 'api', level: config.LOG_LEVEL, destination: destination ?? undefined }),
    },
    { provide: JsonLogger, inject: [PINO_LOGGER], useFactory: (pino: Logger) => new JsonLogger(pino) },
    RunMetrics,
    MetricsService,
    QueueErrorLog,
  ],
  exports: [PINO_LOGGER, JsonLogger, MetricsService],
})
export class ObservabilityModule {}
