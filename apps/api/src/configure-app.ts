import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { inputGuard } from './common/input-guard.js';
import { serveWebConsole } from './console/web-static.js';
import { ProblemView } from './common/openapi.js';
import { MAX_IMPORT_BYTES } from './imports/csv-table.js';
import { configureObservability } from './observability/configure-observability.js';
import type { AppConfig } from '#store';

/** HTTP concerns shared by main.ts and the end-to-end tests, so tests exercise the same stack. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  configureObservability(app); // first: request id, JSON logs and timings cover everything after it
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  app.useBodyParser('raw', { type: 'text/csv', limit: MAX_IMPORT_BYTES }); // CSV imports: bytes, decoded by ImportsService (UTF-8 or GB18030)
  app.use(helmet({ contentSecurityPolicy: false })); // the Swagger UI at /docs needs inline scripts
  app.use(inputGuard); // NUL bytes, lone surrogates, prototype keys and deep nesting: 400 before any route sees them
  const origins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins });
  app.set('trust proxy', false);
  app.enableShutdownHooks();
  serveWebConsole(app); // the web console (apps/web) at / and /app/*

  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}

/** The API description served at /docs-json; also built without a server by `npm run client:generate`. */
export function createOpenApiDocument(app: NestExpressApplication) {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Protective-materials matching service')
      .setDescription(
        'Daily demand and capacity reports, nightly fair allocation and pickup schedules for a zone’s resumed enterprises ' +
          'and protective-material makers. Every error is application/problem+json (RFC 9457) with a stable `code`.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API token issued by an admin or coordinator (ppe_…)' })
      .build(),
    { extraModels: [ProblemView] },
  );
}
