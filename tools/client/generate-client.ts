/**
 * npm run client:generate
 *
 * Writes test/client/schema.d.ts from the API's OpenAPI document. The document is built from the
 * application's modules in Nest's preview mode: no server, no PostgreSQL or Redis connection.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '#store';
import { AppModule } from '../../apps/api/src/app.module.js';
import { createOpenApiDocument } from '../../apps/api/src/configure-app.js';
import { CLIENT_TYPES_PATH, renderClientTypes } from './client-types.js';

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(loadConfig()), { preview: true, logger: false });
  const document = createOpenApiDocument(app);
  await app.close();
  const types = await renderClientTypes(document);
  mkdirSync(dirname(CLIENT_TYPES_PATH), { recursive: true });
  writeFileSync(CLIENT_TYPES_PATH, types);
  process.stdout.write(`${CLIENT_TYPES_PATH}: ${Object.keys(document.paths).length} paths, ${types.split('\n').length} lines\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
