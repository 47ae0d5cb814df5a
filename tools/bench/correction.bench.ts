/**
 * Benchmark of a day-of-service correction (issue 12, point 4) on the city instance of
 * match.bench.ts (15,000 enterprises, 200 makers, same seeded generator).
 *
 *   npm run bench:correction                          # the busiest maker loses half its capacity
 *   npm run bench:correction -- --runs 5 --confirmed 0.2 --maker S00042 --scale 0.5
 *
 * A full run is published; at 07:00 one maker (by default the one with the most published
 * appointments) loses half of its capacity of every product. `--confirmed f` first marks a seeded
 * share f of the published pickups as handed out (none by default: windows open at 08:00). The
 * correction (`correct`, mode 'minimal', the maker named as touched) is compared with a full
 * re-plan (`correct`, mode 'full'): share of enterprises whose schedule is unchanged (every pickup
 * kept: same maker, slot and units), Jain's index over fill ratios, and time. Times are end to end
 * (validation, reduced run, slots, figures, diff); one untimed correction first, a full GC before
 * each timed call; median of `--runs`. Memory: peak RSS of the process (instance and all results
 * included) and the RSS after a forced GC before the corrections.
 */
import { pathToFileURL } from 'node:url';
import { allocate, correct, seeded, type ConfirmedPickup, type CorrectionOutcome, type Problem, type PublishedPlan, type Result } from '#matching';
import { generate, SPECS } from './match.bench.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const gc = (globalThis as { gc?: () => void }).gc;

/** Σ units per supplier and product never above the problem's capacity. */
function withinCapacity(problem: Problem, result: Result): boolean {
  const cap = new Map(problem.suppliers.map((s) => [s.id, s.capacity]));
  const used = new Map<string, number>();
  for (const l of result.lines) used.set(`${l.supplierId}\n${l.productCode}`, (used.get(`${l.supplierId}\n${l.productCode}`) ?? 0) + l.units);
  for (const [k, u] of used) {
    const [s, p] = k.split('\n');
    if (u > (cap.get(s)![p] ?? 0)) return false;
  }
  return true;
}

function timed(runs: number, f: () => CorrectionOutcome): { out: CorrectionOutcome; times: number[] } {
  let out = f();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    gc?.();
    const t = performance.now();
    out = f();
    times.push(performance.now() - t);
  }
  return { out, times };
}

function main(argv: string[]): void {
  const arg = (k: string) => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const runs = Number(arg('--runs') ?? 5);
  const scale = Number(arg('--scale') ?? 1);
  const confirmedShare = Number(arg('--confirmed') ?? 0);
  const base = SPECS.city;
  const spec = scale === 1 ? base : { ...base, enterprises: Math.round(base.enterprises * scale), workers: Math.round(base.workers * scale), suppliers: Math.round(base.suppliers * scale) };
  const problem = generate(spec);

  // The published run.
  gc?.();
  let t = performance.now();
  const published = allocate(problem);
  const publishMs = performance.now() - t;
  const plan: PublishedPlan = { lines: published.lines, appointments: published.appointments, unslotted: published.unslotted, explanations: published.explanations };

  // Pickups handed out before the call (optional), and the maker that calls at 07:00.
  const rnd = seeded(spec.seed + 7);
  const done = new Set(published.appointments.filter(() => rnd() < confirmedShare).map((a) => `${a.enterpriseId}\n${a.supplierId}`));
  const confirmed: ConfirmedPickup[] = published.lines
    .filter((l) => done.has(`${l.enterpriseId}\n${l.supplierId}`))
    .map((l) => ({ enterpriseId: l.enterpriseId, supplierId: l.supplierId, productCode: l.productCode, units: l.units }));
  const perMaker = new Map<string, number>();
  for (const a of published.appointments) perMaker.set(a.supplierId, (perMaker.get(a.supplierId) ?? 0) + 1);
  const maker = arg('--maker') ?? [...perMaker].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  const heldAt = (code: string) => confirmed.filter((c) => c.supplierId === maker && c.productCode === code).reduce((s, c) => s + c.units, 0);
  const changed: Problem = {
    ...problem,
    suppliers: problem.suppliers.map((s) =>
      s.id !== maker ? s : { ...s, capacity: Object.fromEntries(Object.entries(s.capacity).map(([c, u]) => [c, Math.max(heldAt(c), Math.floor(u / 2))])) },
    ),
  };

  gc?.();
  const baseline = process.memoryUsage().rss;
  const minimal = timed(runs, () => correct(changed, { published: plan, confirmed, touched: { suppliers: [maker] } }));
  const full = timed(Math.max(1, Math.min(runs, 3)), () => correct(changed, { published: plan, confirmed, mode: 'full' }));
  const peak = process.resourceUsage().maxRSS * 1024;

  const n = problem.enterprises.length;
  const cap = problem.suppliers.find((s) => s.id === maker)!.capacity;
  const out: string[] = [];
  out.push(`== correction on the city: ${n} enterprises, ${problem.suppliers.length} makers (seed ${spec.seed})`);
  out.push(`published full run: ${(publishMs / 1000).toFixed(3)} s; ${published.appointments.length} appointments; Jain ${published.figures.jainIndex}`);
  out.push(`07:00: maker ${maker} (${perMaker.get(maker) ?? 0} published appointments) loses half its capacity: ${JSON.stringify(cap)} -> ${JSON.stringify(changed.suppliers.find((s) => s.id === maker)!.capacity)}; ${confirmed.length} confirmed pickup lines`);
  for (const [name, r] of [['correction (minimal)', minimal], ['full re-plan', full]] as const) {
    const c = r.out.counts;
    out.push(`${name.padEnd(20)} unchanged enterprises ${c.enterprisesUnchanged}/${n} = ${pct(c.enterprisesUnchanged / n)}; Jain ${r.out.result.figures.jainIndex}; pickups kept ${c.kept}, changed ${c.changed}, cancelled ${c.cancelled}, new ${c.new}; makers to notify ${c.suppliersChanged}; status ${r.out.result.status}; within capacity ${withinCapacity(changed, r.out.result) ? 'yes' : 'NO'}`);
    out.push(`${''.padEnd(20)} time end to end: median ${(median(r.times) / 1000).toFixed(3)} s over ${r.times.length} run(s) [${r.times.map((x) => (x / 1000).toFixed(3)).join(', ')}]; allocated ${r.out.result.figures.allocated}, unmet ${r.out.result.figures.unmet}, unit·km ${r.out.result.figures.unitKm}`);
  }
  out.push(`correction re-planned ${minimal.out.replanned.enterprises.length} enterprises at ${minimal.out.replanned.suppliers.length} maker(s); notes ${minimal.out.notes.length}`);
  out.push(`memory: maxRSS ${mb(peak)} (process peak incl. instance, published plan and every result); RSS after GC before the corrections ${mb(baseline)}`);
  process.stdout.write(out.join('\n') + '\n');
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) main(process.argv.slice(2));
