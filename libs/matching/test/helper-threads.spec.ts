/**
 * Products solved side by side (side-by-side.ts) give the result of products solved one after the
 * other, byte for byte. Helper threads run the compiled library only (the TypeScript sources have
 * no helper to start), so this runs `dist` (built by `npm test`) in a child process.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate } from './generate.js';

const root = new URL('../../../', import.meta.url);
const compiled = new URL('dist/libs/matching/src/index.js', root);

// In the child: each problem with helpers, then without; the results' JSON and the threads used.
const script = (library: string) => `
import { availableParallelism } from 'node:os';
import { allocate, setHelperThreads } from ${JSON.stringify(library)};
let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const problem of JSON.parse(input)) {
  const stats = {};
  const withHelpers = JSON.stringify(allocate(problem, {}, stats));
  setHelperThreads(0);
  const alone = JSON.stringify(allocate(problem));
  setHelperThreads(Math.min(3, availableParallelism() - 1));
  out.push({ same: withHelpers === alone, threads: stats.threads, status: JSON.parse(alone).status, lines: JSON.parse(alone).lines.length });
}
process.stdout.write(JSON.stringify(out));
`;

type Outcome = { same: boolean; threads: number; status: string; lines: number };
const run = (library: string, problems: unknown[]): Outcome[] =>
  JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script(library)], { input: JSON.stringify(problems), encoding: 'utf8', maxBuffer: 1 << 28 })) as Outcome[];

describe('products on helper threads', () => {
  it('gives the same result as one thread, overrides and all', () => {
    if (!existsSync(compiled)) throw new Error('dist is missing: npm test builds it first (npm run build)');
    const problems = [1, 2, 3].map((seed) =>
      generate({ seed, enterprises: 6000, suppliers: 60, products: 4, areaKm: 60, maxPickupDistanceKm: 25, supplyRatio: 0.6 + seed * 0.2, tiers: 4, overrides: seed !== 2, partPacks: seed === 3 }),
    );
    const out = run(compiled.href, problems);
    // Solved (with overrides, a pinned pickup may find no slot: 'infeasible' is a result too).
    expect(out.map((o) => o.status)).not.toContain('invalid');
    for (const o of out) expect(o.lines).toBeGreaterThan(1000);
    expect(out.map((o) => o.same)).toEqual([true, true, true]);
    // One helper per spare core (at most 3, and one thread per product at most).
    expect(out.map((o) => o.threads)).toEqual(out.map(() => Math.min(availableParallelism(), 4)));
  });

  // A copy of the compiled library whose helper is broken by `breakIt` (its helper-thread.js, in, out).
  const withBrokenHelper = (breakIt: (source: string) => string) => {
    if (!existsSync(compiled)) throw new Error('dist is missing: npm test builds it first (npm run build)');
    const dir = mkdtempSync(join(tmpdir(), 'broken-helper-'));
    try {
      cpSync(new URL('dist/libs/matching/src', root), dir, { recursive: true });
      const file = join(dir, 'helper-thread.js');
      writeFileSync(file, breakIt(readFileSync(file, 'utf8')));
      const problem = generate({ seed: 4, enterprises: 6000, suppliers: 60, products: 4, areaKm: 60, maxPickupDistanceKm: 25, supplyRatio: 0.8, tiers: 4 });
      return run(pathToFileURL(join(dir, 'index.js')).href, [problem])[0];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('does a helper\'s part on the calling thread when the helper cannot load', () => {
    const out = withBrokenHelper(() => "throw new Error('this helper cannot load');\n");
    expect(out).toMatchObject({ status: 'ok', same: true, threads: 1 });
  });

  it('does a helper\'s part on the calling thread, at once, when the helper dies on a job', () => {
    // The caller, blocked waiting, cannot hear the thread end; the helper's state flag tells it.
    // Without that, each of the run's three jobs would wait two minutes (past this test's time).
    const out = withBrokenHelper((source) => {
      const handler = "parentPort?.on('message', (job) => {";
      if (!source.includes(handler)) throw new Error('helper-thread.js changed: update this test');
      return source.replace(handler, `${handler} process.exit(3);`);
    });
    expect(out).toMatchObject({ status: 'ok', same: true, threads: 1 });
  });
});
