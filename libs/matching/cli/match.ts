#!/usr/bin/env node
/**
 * `npm run match -- --input problem.json [--output result.json] [--pretty]`
 *
 * Reads a problem, validates it, allocates, and writes the result as JSON (stdout by default).
 * Exit codes: 0 ok, 1 infeasible (result still written), 2 invalid input or usage error.
 * Expected failures print a readable message, never a stack trace.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { allocate } from '../src/index.js';

const USAGE = 'usage: npm run match -- --input problem.json [--output result.json] [--compact]';

function fail(message: string): never {
  process.stderr.write(`match: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): { input: string; output?: string; compact: boolean } {
  let input: string | undefined;
  let output: string | undefined;
  let compact = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--input' || a === '-i') input = argv[++i];
    else if (a === '--output' || a === '-o') output = argv[++i];
    else if (a === '--compact') compact = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else fail(`unknown argument ${a}\n${USAGE}`);
  }
  if (!input) fail(`--input is required\n${USAGE}`);
  return { input, output, compact };
}

const args = parseArgs(process.argv.slice(2));
let text: string;
try {
  text = readFileSync(args.input, 'utf8');
} catch (err) {
  fail(`cannot read ${args.input}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
}
let problem: unknown;
try {
  problem = JSON.parse(text);
} catch (err) {
  fail(`${args.input} is not valid JSON: ${(err as Error).message}`);
}
const result = allocate(problem);
if (result.status === 'invalid') {
  const lines = result.reasons.map((r) => `  ${r.path ?? '$'}: ${r.message} [${r.code}]`);
  fail(`${args.input} is not a valid problem:\n${lines.join('\n')}`);
}
const json = JSON.stringify(result, null, args.compact ? undefined : 2) + '\n';
if (args.output) {
  writeFileSync(args.output, json);
  const f = result.figures;
  process.stderr.write(
    `match: ${result.status}: ${result.lines.length} lines, allocated ${f.allocated} of ${f.demand} units (fill ${f.fillRatio}), ` +
      `${f.trips} pickups, ${result.unslotted.length} unslotted → ${args.output}\n`,
  );
} else {
  process.stdout.write(json);
}
for (const r of result.reasons) process.stderr.write(`match: ${r.code}: ${r.message}\n`);
process.exit(result.status === 'ok' ? 0 : 1);
