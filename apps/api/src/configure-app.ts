import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { inputGuard } from './common/input-guard.js';
import { serveWebConsole } from './console/web-static.js';
import { describeApi, ProblemView } from './common/openapi.js';
import { SESSION_COOKIE } from './sessions/cookies.js';
import { configureObservability } from './observability/configure-observability.js';
import type { AppConfig } from '#store';

/** HTTP concerns shared by main.ts and the end-to-end tests, so tests exercise the same stack. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  configureObservability(app); // first: request id, JSON logs and timings cover everything after it
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  // CSV imports are read as they arrive by the imports' own middleware (imports/csv-upload.middleware.ts).
  app.use(helmet({ contentSecurityPolicy: false })); // the Swagger UI at /docs needs inline scripts
  app.use(inputGuard); // NUL bytes, lone surrogates, prototype keys and deep nesting: 400 before any route sees them
  const origins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.length > 0) app.enableCors({ origin: origins });
  // Only a configured proxy's X-Forwarded-* is believed (req.secure marks the session cookie Secure, req.ip feeds the rate limits).
  app.set('trust proxy', config.TRUST_PROXY === '' ? false : /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY.split(',').map((s) => s.trim()));
  app.enableShutdownHooks();
  serveWebConsole(app); // the web console (apps/web) at / and /app/*

  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}

/** The tags operations are grouped by, in the order the docs show them. */
const TAGS: [string, string][] = [
  ['zones', 'A development zone: its settings (cutoff, run time, tiers) and who coordinates it'],
  ['products', 'A zone’s catalogue of protective materials: pack sizes, norms per worker, caps'],
  ['organizations', 'Enterprises and suppliers registered in a zone, and suppliers’ pickup windows'],
  ['accounts', 'Who is calling, staff accounts, API credentials and the audit log'],
  ['sessions', 'Web console sign-in links, cookie sessions and their revocation'],
  ['demand', 'Enterprises’ daily demand reports, versioned'],
  ['capacity', 'Suppliers’ daily capacity reports, versioned'],
  ['imports', 'Whole-zone CSV imports of demand or capacity'],
  ['day-summary', 'A zone’s day: demand against capacity and who has not reported'],
  ['runs', 'Allocation runs: start, read, compare, override, re-run and publish'],
  ['provinces', 'Provinces whose zones run their night together'],
  ['schedules', 'Published pickup schedules for enterprises and suppliers, and pickup confirmation'],
  ['exports', 'A run’s schedule and shortages as CSV or Excel, and printable pickup slips'],
  ['share links', 'Read-only links to a pickup slip and calendar feeds that open without a token'],
  ['webhooks', 'An organization’s webhook and its deliveries'],
  ['console', 'Reads shaped for the web console (map, progress, explanations)'],
  ['health', 'Liveness and readiness for load balancers and orchestrators'],
];

/**
 * An operation's id is its controller method's name, which reads as verb and object
 * (createZone, issueCredential); `.spectral.yaml` checks the form and that each is unique.
 */
const operationId = (_controller: string, method: string) => method;

/** The API description served at /docs-json; also built without a server by `npm run client:generate` and `npm run lint:api`. */
export function createOpenApiDocument(app: NestExpressApplication) {
  const builder = new DocumentBuilder()
    .setTitle('Protective-materials matching service')
    .setDescription(
      'Daily demand and capacity reports, nightly fair allocation and pickup schedules for a zone’s resumed enterprises ' +
        'and protective-material makers. Every error is application/problem+json (RFC 9457) with a stable `code`.',
    )
    .setVersion('0.1.0')
    .addServer('/', 'The host serving this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque token (ppe_…)', description: 'An API token issued by an admin or coordinator (ppe_…); not a JWT' })
    .addCookieAuth(SESSION_COOKIE, { type: 'apiKey', in: 'cookie', description: 'The web console’s session, opened with a sign-in link (POST /sessions); changes also need the CSRF header' }, SESSION_COOKIE);
  for (const [name, description] of TAGS) builder.addTag(name, description);
  return describeApi(SwaggerModule.createDocument(app, builder.build(), { extraModels: [ProblemView], operationIdFactory: operationId }));
}
