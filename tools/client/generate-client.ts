/**
 * npm run client:generate
 *
 * Writes test/client/schema.d.ts from the API's OpenAPI document, built without a server
 * (buildApiDocument).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildApiDocument } from './api-document.js';
import { CLIENT_TYPES_PATH, renderClientTypes } from './client-types.js';

async function main(): Promise<void> {
  const document = await buildApiDocument();
  const types = await renderClientTypes(document);
  mkdirSync(dirname(CLIENT_TYPES_PATH), { recursive: true });
  writeFileSync(CLIENT_TYPES_PATH, types);
  process.stdout.write(`${CLIENT_TYPES_PATH}: ${Object.keys(document.paths).length} paths, ${types.split('\n').length} lines\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
