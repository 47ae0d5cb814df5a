/**
 * Optimality cross-check against the HiGHS LP solver on instances small enough for it.
 *
 * In packs (the unit every stage works in), for every tier prefix 1..t:
 * - the whole packs of tiers ≤ t lie between the LP maximum of the same transportation polytope
 *   with each enterprise capped at its need, and the LP maximum with each need rounded up to whole
 *   packs (tiers come first, nothing reachable is left unshared, rounding loses nothing and adds
 *   at most the part-packs of needs);
 * - for the first tier, the fair shares before rounding (as the explanations report them) add up
 *   to the first of those maxima;
 * and the total pack·metres equals the LP minimum for the quantities the allocation chose (the
 * network simplex is exact on the full reach graph).
 */
import fc from 'fast-check';
import highsModule from 'highs';
import { allocate, haversineM, type Problem, type Result } from '../src/index.js';
import { generate } from './generate.js';

// highs is CommonJS with an ES-style default export in its types: under nodenext the default import
// is typed as the module, at run time it is the loader function.
const loadHighs = highsModule as unknown as (typeof highsModule)['default'];
type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Highs;

beforeAll(async () => {
  highs = await loadHighs();
});

interface Arc {
  e: number;
  s: number;
  d: number;
}

function arcsOf(problem: Problem, code: string, pack: number): { arcs: Arc[]; cap: number[] } {
  const maxM = problem.settings.maxPickupDistanceKm * 1000;
  const cap = problem.suppliers.map((s) => Math.floor((s.capacity[code] ?? 0) / pack));
  const arcs: Arc[] = [];
  problem.enterprises.forEach((e, i) =>
    problem.suppliers.forEach((s, j) => {
      const d = haversineM(e.location.lat, e.location.lng, s.location.lat, s.location.lng);
      if (Math.round(d) <= maxM && cap[j] > 0) arcs.push({ e: i, s: j, d: Math.round(d) });
    }),
  );
  return { arcs, cap };
}

/** CPLEX LP text; long sums are wrapped because LP readers limit line length. */
function lp(sense: 'Maximize' | 'Minimize', objective: string[], rows: { name: string; terms: string[]; op: string; rhs: number }[]): string {
  const wrap = (terms: string[]) => {
    const out: string[] = [];
    for (let i = 0; i < terms.length; i += 8) out.push(terms.slice(i, i + 8).join(' + '));
    return out.join('\n  + ');
  };
  const lines = [sense, ` obj: ${objective.length > 0 ? wrap(objective) : '0 x_dummy'}`, 'Subject To'];
  for (const r of rows) if (r.terms.length > 0) lines.push(` ${r.name}: ${wrap(r.terms)} ${r.op} ${r.rhs}`);
  lines.push('End');
  return lines.join('\n');
}

function solve(text: string): number {
  const sol = highs.solve(text, { output_flag: false });
  if (sol.Status !== 'Optimal') throw new Error(`LP status ${sol.Status}`);
  return sol.ObjectiveValue;
}

function packsBy(result: Result, code: string, pack: number) {
  const byE = new Map<string, number>();
  let packMetres = 0;
  for (const l of result.lines) {
    if (l.productCode !== code) continue;
    byE.set(l.enterpriseId, (byE.get(l.enterpriseId) ?? 0) + l.units / pack);
    packMetres += (l.units / pack) * l.distanceM;
  }
  return { byE, packMetres };
}

describe('LP cross-check (HiGHS)', () => {
  it('allocates the LP maximum per tier prefix and travels the LP minimum for its quantities', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.double({ min: 0.2, max: 1.3, noNaN: true }),
        fc.integer({ min: 6, max: 15 }),
        fc.constantFrom<'up' | 'down'>('up', 'down'),
        // One candidate arc per enterprise forces the pricing-out rounds to find the rest.
        fc.constantFrom(1, 8),
        (seed, supplyRatio, maxKm, needRounding, candidateArcs) => {
          const problem = generate({
            seed,
            enterprises: 300,
            suppliers: 20,
            products: 1,
            areaKm: 30,
            maxPickupDistanceKm: maxKm,
            supplyRatio,
            tiers: 4,
            packSizes: [1, 5, 10],
          });
          const sut = allocate(problem, { needRounding, candidateArcs });
          expect(sut.status).toBe('ok');
          const { code, packSize } = problem.products[0];
          const { arcs, cap } = arcsOf(problem, code, packSize);
          const up = needRounding === 'up';
          const needPacks = problem.enterprises.map((e) => (e.need[code] ?? 0) / packSize);
          const capPacks = needPacks.map((x) => (up ? x : Math.floor(x)));
          const wholePacks = needPacks.map((x) => (up ? Math.ceil(x) : Math.floor(x)));
          const share = new Map(sut.explanations.map((x) => [x.enterpriseId, (x.products.find((q) => q.productCode === code)?.fairShare ?? 0) / packSize]));
          const { byE, packMetres } = packsBy(sut, code, packSize);
          const v = (a: Arc) => `x${a.e}_${a.s}`;

          const q = problem.enterprises.map((e) => byE.get(e.id) ?? 0);
          const tiers = [...new Set(problem.enterprises.map((e) => e.tier))].sort((a, b) => a - b);
          for (const t of tiers) {
            const inPrefix = (i: number) => problem.enterprises[i].tier <= t;
            const use = arcs.filter((a) => inPrefix(a.e));
            // With `fixed`, the higher tiers' rows hold exactly the whole packs they were given
            // (tier precedence: a tier shares what the higher tiers' whole packs left).
            const maxWithin = (rhs: number[], fixed = false) => {
              const rows = [
                ...problem.enterprises.map((e, i) => {
                  const held = fixed && e.tier < t;
                  return { name: `e${i}`, terms: use.filter((a) => a.e === i).map(v), op: held ? '=' : '<=', rhs: held ? q[i] : rhs[i] };
                }),
                ...cap.map((c, j) => ({ name: `s${j}`, terms: use.filter((a) => a.s === j).map(v), op: '<=', rhs: c })),
              ];
              return use.length === 0 ? 0 : solve(lp('Maximize', use.map(v), rows));
            };
            const best = maxWithin(capPacks, true);
            const sumOver = (of: (id: string) => number) => problem.enterprises.reduce((sum, e, i) => sum + (inPrefix(i) ? of(e.id) : 0), 0);
            // Later tiers share what the higher tiers' whole packs left, so shares alone add up to
            // the maximum only for the first tier; whole packs do for every prefix (below).
            // (Explanations give shares to 6 decimals of a unit: allow that much per enterprise.)
            if (t === tiers[0]) expect(Math.abs(sumOver((id) => share.get(id) ?? 0) - best)).toBeLessThanOrEqual(1e-6 * problem.enterprises.length);
            const got = sumOver((id) => byE.get(id) ?? 0);
            expect(got).toBeGreaterThanOrEqual(best - 1e-6);
            expect(got).toBeLessThanOrEqual(maxWithin(wholePacks) + 1e-6);
          }

          const rows = [
            ...q.map((qi, i) => ({ name: `e${i}`, terms: arcs.filter((a) => a.e === i).map(v), op: '=', rhs: qi })),
            ...cap.map((c, j) => ({ name: `s${j}`, terms: arcs.filter((a) => a.s === j).map(v), op: '<=', rhs: c })),
          ].filter((r) => r.terms.length > 0);
          const minDistance = arcs.length === 0 ? 0 : solve(lp('Minimize', arcs.map((a) => `${a.d} ${v(a)}`), rows));
          expect(Math.abs(packMetres - minDistance)).toBeLessThanOrEqual(1e-6 * Math.max(1, minDistance));
        },
      ),
      { numRuns: 10 },
    );
  });
});
