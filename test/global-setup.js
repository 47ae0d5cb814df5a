// Jest loads global setup outside its transform pipeline, so this runs the compiled migration
// tools: `npm test` builds first. One fresh database per run, built by the migrations alone.
// TEST_DATABASE_URL picks another database, e.g. to run two suites side by side.
import { existsSync } from 'node:fs';

export default async function globalSetup() {
  const tools = new URL('../dist/migrations/schema-tools.js', import.meta.url);
  if (!existsSync(tools)) throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests');
  const { ensureDatabase, runMigrations } = await import(tools.href);
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ppe_test';
  process.env.TEST_DATABASE_URL = url;
  await ensureDatabase(url, { recreate: true });
  await runMigrations(url);
}
