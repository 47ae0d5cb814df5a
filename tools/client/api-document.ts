import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '#store';
import { AppModule } from '../../apps/api/src/app.module.js';
import { createOpenApiDocument } from '../../apps/api/src/configure-app.js';

/**
 * The API's OpenAPI document as /docs-json serves it, built from the application's modules in
 * Nest's preview mode: no server, no PostgreSQL or Redis connection.
 */
export async function buildApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(loadConfig()), { preview: true, logger: false });
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
