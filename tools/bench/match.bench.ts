/**
 * Benchmark of the allocation library on seeded synthetic instances.
 *
 *   npm run bench:match                      # city then province, each in its own child process
 *   npm run bench:match -- --only city       # one instance in this process
 *   npm run bench:match -- --only province --runs 1
 *   npm run bench:match -- --only province --scale 0.25      # a quarter of the instance
 *   npm run bench:match -- --only city --candidate-arcs 16   # an option of allocate
 *
 * Solve time is the median of `--runs` calls of `allocate` (city default 5, province default 1).
 * Peak memory is the process's peak resident set size (`process.resourceUsage().maxRSS`) with each
 * instance in its own process, so it includes the instance itself (problem objects and result) and
 * Node's baseline; the RSS after a forced GC before solving is printed as the baseline. One
 * untimed call comes first (it compiles the code); a full GC is forced before each timed call.
 * The stage times printed are those of the timed call whose time is the median (AllocateStats.stageMs):
 * `products` is the wall time of the fair-share and transport stages of all products, which run side
 * by side on helper threads when the machine has more than one core (`threads`); each product's own
 * times follow. Each instance's process runs in the worker's allocator setting (ALLOCATION_ENV).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allocate, seeded, type AllocateOptions, type AllocateStats, type Enterprise, type Problem, type Result, type Supplier } from '#matching';
import { ALLOCATION_ENV } from '../processes.js';
import { clusteredArea, type ClusteredArea, type SyntheticSize } from './synthetic-area.js';

/** An instance: its size, and its industrial parks (or cities) on a map whose origin `generate` sets. */
export interface InstanceSpec extends SyntheticSize, Omit<ClusteredArea, 'origin'> {
  name: 'city' | 'province';
}

const PRODUCTS = [
  { code: 'MASK', packSize: 50, perWorker: 2, supplyRatio: 0.7 },
  { code: 'GLOVES', packSize: 100, perWorker: 1, supplyRatio: 0.9 },
  { code: 'SANITIZER', packSize: 12, perWorker: 0.2, supplyRatio: 0.8 },
  { code: 'DISINFECTANT', packSize: 4, perWorker: 0.05, supplyRatio: 1.1 },
];

export const SPECS: Record<InstanceSpec['name'], InstanceSpec> = {
  city: {
    name: 'city',
    seed: 20200224,
    enterprises: 15_000,
    workers: 600_000,
    suppliers: 200,
    clusters: 8,
    widthKm: 60,
    heightKm: 50,
    clusterSigmaKm: 6,
    maxPickupDistanceKm: 20,
  },
  province: {
    name: 'province',
    seed: 20200210,
    enterprises: 200_000,
    workers: 8_000_000,
    suppliers: 2_000,
    clusters: 40,
    widthKm: 450,
    heightKm: 350,
    clusterSigmaKm: 12,
    maxPickupDistanceKm: 30,
  },
};

export function generate(spec: InstanceSpec): Problem {
  const rnd = seeded(spec.seed);
  // Industry concentrates in parks; headcounts are heavy-tailed.
  const { place, headcounts } = clusteredArea(rnd, { ...spec, origin: { lat: 31.8, lng: 119.9 } });
  const heads = headcounts(spec.enterprises, spec.workers);
  const demand = PRODUCTS.map(() => 0);
  const enterprises: Enterprise[] = heads.map((h, i) => {
    const u = rnd();
    const tier = u < 0.05 ? 1 : u < 0.2 ? 2 : u < 0.5 ? 3 : 4;
    const need: Record<string, number> = {};
    const deficit: Record<string, number> = {};
    PRODUCTS.forEach((p, k) => {
      if (k > 0 && rnd() < 0.3) return; // not everyone needs every product
      const units = Math.max(1, Math.round(h * p.perWorker));
      need[p.code] = units;
      demand[k] += units;
      if (rnd() < 0.2) deficit[p.code] = Math.round(units * rnd());
    });
    const e: Enterprise = { id: `E${String(i).padStart(6, '0')}`, location: place(), tier, need, deficit };
    return rnd() < 0.3 ? { ...e, preferredWindow: { startMinute: 480, endMinute: 720 } } : e;
  });
  const weights = Array.from({ length: spec.suppliers }, () => 0.3 + rnd());
  const wSum = weights.reduce((a, b) => a + b, 0);
  const pickupsPerSupplier = (spec.enterprises * 2) / spec.suppliers;
  const suppliers: Supplier[] = weights.map((w, i) => {
    const capacity: Record<string, number> = {};
    PRODUCTS.forEach((p, k) => {
      if (k > 0 && rnd() < 0.4) return;
      capacity[p.code] = Math.round(((demand[k] * p.supplyRatio * w) / wSum) * (k === 0 ? 1 : 1.6));
    });
    const vehicles = Math.max(2, Math.ceil((pickupsPerSupplier * w) / (wSum / spec.suppliers) / 18));
    return {
      id: `S${String(i).padStart(5, '0')}`,
      location: place(),
      windows: [
        { startMinute: 480, endMinute: 720, vehicles },
        { startMinute: 780, endMinute: 1080, vehicles },
      ],
      capacity,
    };
  });
  return {
    products: PRODUCTS.map((p) => ({ code: p.code, packSize: p.packSize })),
    enterprises,
    suppliers,
    settings: { maxPickupDistanceKm: spec.maxPickupDistanceKm, maxSuppliersPerEnterprise: 3, slotMinutes: 30 },
  };
}

/** Product codes in the model's order (sorted by code), for the per-product times. */
const PRODUCTS_BY_CODE = PRODUCTS.map((p) => p.code).sort();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

function runOne(name: InstanceSpec['name'], runs: number, scale: number, options: AllocateOptions): void {
  const base = SPECS[name];
  // --scale shrinks an instance (enterprises, workers, suppliers) for quick experiments.
  const spec = scale === 1 ? base : { ...base, enterprises: Math.round(base.enterprises * scale), workers: Math.round(base.workers * scale), suppliers: Math.round(base.suppliers * scale) };
  const t0 = performance.now();
  const problem = generate(spec);
  const genMs = performance.now() - t0;
  gc?.();
  const baseline = process.memoryUsage().rss;
  if (!(runs >= 1)) throw new Error('--runs must be at least 1');
  const times: number[] = [];
  const allStats: AllocateStats[] = [];
  // The untimed call compiles the code. Each call's result is dropped before the next call, so
  // the peak is one solve's (the instance, the solver's working memory and one result), not two.
  let result: Result | undefined = allocate(problem, options);
  for (let r = 0; r < runs; r++) {
    result = undefined;
    gc?.();
    const stats = {} as AllocateStats;
    const t = performance.now();
    result = allocate(problem, options, stats);
    times.push(performance.now() - t);
    allStats.push(stats);
  }
  // The stage times of the run whose time is the median (the lower middle one for an even count).
  const byTime = times.map((t, r) => [t, r]).sort((a, b) => a[0] - b[0]);
  const stats = allStats[byTime[Math.floor((byTime.length - 1) / 2)][1]];
  const peak = process.resourceUsage().maxRSS * 1024;
  if (!result) throw new Error('no result');
  const f = result.figures;
  const out: string[] = [];
  out.push(`== ${name}: ${spec.enterprises} enterprises, ${spec.workers} workers, ${spec.suppliers} suppliers, ${PRODUCTS.length} products, max distance ${spec.maxPickupDistanceKm} km (seed ${spec.seed})`);
  out.push(`solve time: median ${(median(times) / 1000).toFixed(3)} s over ${runs} run(s) [${times.map((t) => (t / 1000).toFixed(3)).join(', ')}] (generation ${(genMs / 1000).toFixed(2)} s, not included)`);
  out.push(`peak memory: maxRSS ${mb(peak)} (process peak incl. instance); RSS after GC before solving ${mb(baseline)}`);
  out.push(`status ${result.status}; reach arcs ${stats.reachArcs}; fair-share: ${stats.fairAddedArcs} enterprises priced out in ${stats.fairRounds} rounds, ${stats.flowPhases} max-flow phases; transport arcs added ${stats.transportAddedArcs} in ${stats.transportRounds} solves; simplex pivots ${stats.pivots}`);
  out.push(`stages (ms, median run): ${JSON.stringify(stats.stageMs)}; threads ${stats.threads}`);
  out.push(`per product (ms, fair share / transport): ${(stats.productMs ?? []).map((t, p) => `${PRODUCTS_BY_CODE[p]} ${t.fairShare}/${t.transport}`).join(', ')}`);
  out.push(`demand ${f.demand}  supply ${f.supply}  allocated ${f.allocated}  unmet ${f.unmet}  surplus ${f.surplus}  fill ${f.fillRatio}  Jain ${f.jainIndex}`);
  out.push(`distance ${f.unitKm} unit·km, ${f.packKm} pack·km; ${f.trips} pickups, ${f.tripKm} trip·km; pickups/enterprise mean ${f.pickupsPerEnterprise.mean} max ${f.pickupsPerEnterprise.max}; splits ${f.splits}; over supplier limit ${f.overSupplierLimit} (before consolidation ${stats.overLimitBefore}, ${stats.consolidatedMoves} consolidated); unslotted ${result.unslotted.length}`);
  out.push(`min fill ratio per tier: ${JSON.stringify(f.minFillRatioByTier)}`);
  for (const p of f.byProduct) {
    out.push(`  ${p.productCode.padEnd(12)} demand ${p.demand} supply ${p.supply} allocated ${p.allocated} unmet ${p.unmet} surplus ${p.surplus} Jain ${p.jainIndex} unit·km ${p.unitKm} splits ${p.splits}`);
    out.push(`  ${''.padEnd(12)} fill by tier ${JSON.stringify(p.fillRatioByTier)} min by tier ${JSON.stringify(p.minFillRatioByTier)}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
const argv = isMain ? process.argv.slice(2) : ['--none'];
const arg = (k: string) => {
  const i = argv.indexOf(k);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = arg('--only');
if (!isMain) {
  // Imported for its generator (profiling scripts): run nothing.
} else if (only !== undefined && only !== 'city' && only !== 'province') {
  process.stderr.write('usage: match.bench [--only city|province] [--runs N] [--scale f] [--candidate-arcs n]\n');
  process.exit(2);
} else if (only) {
  runOne(only, Number(arg('--runs') ?? (only === 'city' ? 5 : 1)), Number(arg('--scale') ?? 1), arg('--candidate-arcs') ? { candidateArcs: Number(arg('--candidate-arcs')) } : {});
} else {
  const self = fileURLToPath(import.meta.url);
  for (const name of ['city', 'province'] as const) {
    const extra = arg('--runs') ? ['--runs', arg('--runs')!] : [];
    const r = spawnSync(process.execPath, ['--expose-gc', self, '--only', name, ...extra], { stdio: 'inherit', env: { ...process.env, ...ALLOCATION_ENV } });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
