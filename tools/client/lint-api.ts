/**
 * npm run lint:api
 *
 * Lints the API's OpenAPI document, built without a server, with the ecosystem's own tools:
 * Spectral (.spectral.yaml, extending spectral:oas) and Redocly (redocly.yaml, recommended).
 * Fails on any error or warning: a rule that does not fit this API is switched off in its ruleset,
 * with the reason beside it. Writes the document to dist/openapi.json for a look at what was linted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildApiDocument } from './api-document.js';

const DOCUMENT_PATH = resolve('dist/openapi.json');
const BIN = resolve('node_modules/.bin');

interface Finding {
  tool: string;
  severity: 'error' | 'warning';
  rule: string;
  where: string;
  message: string;
}

function run(command: string, args: string[]): string {
  // Offline and quiet: no usage data, no update or announcement checks.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' };
  const result = spawnSync(resolve(BIN, command), args, { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (!result.stdout.trim()) throw new Error(`${command} printed nothing (exit ${result.status}): ${result.stderr}`);
  return result.stdout;
}

function spectral(): Finding[] {
  const out = run('spectral', ['lint', DOCUMENT_PATH, '--ruleset', '.spectral.yaml', '--format', 'json', '--quiet', '--fail-severity', 'error']);
  const results = JSON.parse(out.slice(out.indexOf('['))) as { code: string; message: string; path: string[]; severity: number }[];
  // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint. Only the first two fail.
  return results
    .filter((r) => r.severity <= 1)
    .map((r) => ({ tool: 'spectral', severity: r.severity === 0 ? 'error' : 'warning', rule: r.code, where: r.path.join('.'), message: r.message }));
}

function redocly(): Finding[] {
  const out = run('redocly', ['lint', DOCUMENT_PATH, '--config', 'redocly.yaml', '--format', 'json']);
  const report = JSON.parse(out.slice(out.indexOf('{'))) as {
    problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
  };
  return report.problems
    .filter((p) => p.severity === 'error' || p.severity === 'warn')
    .map((p) => ({ tool: 'redocly', severity: p.severity === 'error' ? 'error' : 'warning', rule: p.ruleId, where: p.location[0]?.pointer ?? '', message: p.message }));
}

async function main(): Promise<void> {
  const document = await buildApiDocument();
  mkdirSync(dirname(DOCUMENT_PATH), { recursive: true });
  writeFileSync(DOCUMENT_PATH, JSON.stringify(document, null, 2));
  const findings = [...spectral(), ...redocly()];
  for (const f of findings) process.stdout.write(`${f.tool} ${f.severity} ${f.rule} ${f.where}: ${f.message}\n`);
  for (const tool of ['spectral', 'redocly']) {
    const mine = findings.filter((f) => f.tool === tool);
    const errors = mine.filter((f) => f.severity === 'error').length;
    process.stdout.write(`${tool}: ${errors} errors, ${mine.length - errors} warnings\n`);
  }
  if (findings.length > 0) process.exit(1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
