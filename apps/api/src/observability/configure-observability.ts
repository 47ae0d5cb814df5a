import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { httpObservability } from './http-observability.js';
import { JsonLogger } from '#store';
import { MetricsService } from './metrics.service.js';
import { PINO_LOGGER } from './observability.module.js';

/**
 * Called first by configureApp: every later middleware and handler runs inside the request's log
 * context, and every Nest logger (the problem-details filter's included) writes JSON through pino.
 */
export function configureObservability(app: NestExpressApplication): void {
  app.useLogger(app.get(JsonLogger));
  app.use(httpObservability(app.get<Logger>(PINO_LOGGER), app.get(MetricsService)));
}
