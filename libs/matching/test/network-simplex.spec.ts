/**
 * The network simplex on its own, against HiGHS: random transportation problems large enough
 * for thousands of pivots, so the periodic rebuild of the tree (implicit leaves), the
 * candidate-list pricing and a start from a given forest all run, must reach the LP minimum.
 */
import fc from 'fast-check';
import highsModule from 'highs';
import { NetworkSimplex } from '../src/network-simplex.js';
import { seeded } from '../src/index.js';

// highs is CommonJS with an ES-style default export in its types: under nodenext the default import
// is typed as the module, at run time it is the loader function.
const loadHighs = highsModule as unknown as (typeof highsModule)['default'];
type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Highs;

beforeAll(async () => {
  highs = await loadHighs();
});

interface Instance {
  supply: number[];
  demand: number[];
  arcs: { s: number; d: number; cost: number }[];
}

function instance(seed: number, S: number, D: number, density: number): Instance {
  const rnd = seeded(seed);
  const demand = Array.from({ length: D }, () => 1 + Math.floor(rnd() * 20));
  const total = demand.reduce((a, b) => a + b, 0);
  // Enough supply overall and per demand node: each demand node reaches at least one supplier
  // able to serve all of it, so the problem is feasible.
  const supply = Array.from({ length: S }, () => Math.ceil((total * (1.05 + rnd())) / S));
  const arcs: Instance['arcs'] = [];
  for (let d = 0; d < D; d++) {
    const must = Math.floor(rnd() * S);
    for (let s = 0; s < S; s++) if (s === must || rnd() < density) arcs.push({ s, d, cost: 1 + Math.floor(rnd() * 5000) });
  }
  for (let d = 0; d < D; d++) supply[arcs.find((a) => a.d === d)!.s] += demand[d];
  return { supply, demand, arcs };
}

/** Suppliers 0..S-1, demand nodes S..S+D-1 (the leaf range), a dummy taking what is left. */
function solve(inst: Instance, fromForest: boolean): { cost: number; pivots: number } {
  const S = inst.supply.length;
  const D = inst.demand.length;
  const b = new Float64Array(S + D + 1);
  inst.supply.forEach((x, s) => (b[s] = x));
  inst.demand.forEach((x, d) => (b[S + d] = -x));
  b[S + D] = -(inst.supply.reduce((a, c) => a + c, 0) - inst.demand.reduce((a, c) => a + c, 0));
  const ns = new NetworkSimplex(b, inst.arcs.length + S, 5001 * (S + D + 2), S, S + D);
  for (const a of inst.arcs) ns.addArc(a.s, S + a.d, a.cost);
  const dummy = Array.from({ length: S }, (_, s) => ns.addArc(s, S + D, 0));
  if (fromForest) {
    // Least-cost start: a forest with at most one open node per tree.
    const order = inst.arcs.map((_, i) => i).sort((x, y) => inst.arcs[x].cost - inst.arcs[y].cost || x - y);
    const remS = [...inst.supply];
    const remD = [...inst.demand];
    const ids: number[] = [];
    const flows: number[] = [];
    for (const i of order) {
      const { s, d } = inst.arcs[i];
      const q = Math.min(remS[s], remD[d]);
      if (q <= 0) continue;
      remS[s] -= q;
      remD[d] -= q;
      ids.push(ns.firstArc + i);
      flows.push(q);
    }
    remS.forEach((left, s) => {
      if (left > 0) {
        ids.push(dummy[s]);
        flows.push(left);
      }
    });
    expect(ns.initFromForest(Int32Array.from(ids), Float64Array.from(flows))).toBe(true);
  }
  ns.solve();
  expect(ns.artificialFlow()).toBe(0);
  let cost = 0;
  inst.arcs.forEach((a, i) => (cost += ns.flow(ns.firstArc + i) * a.cost));
  return { cost, pivots: ns.pivots };
}

function lpMinimum(inst: Instance): number {
  const v = (i: number) => `x${i}`;
  const rows: string[] = [];
  inst.demand.forEach((q, d) => {
    const terms = inst.arcs.map((a, i) => (a.d === d ? v(i) : '')).filter(Boolean);
    rows.push(` d${d}: ${chunk(terms)} = ${q}`);
  });
  inst.supply.forEach((q, s) => {
    const terms = inst.arcs.map((a, i) => (a.s === s ? v(i) : '')).filter(Boolean);
    rows.push(` s${s}: ${chunk(terms)} <= ${q}`);
  });
  const obj = chunk(inst.arcs.map((a, i) => `${a.cost} ${v(i)}`));
  const sol = highs.solve(['Minimize', ` obj: ${obj}`, 'Subject To', ...rows, 'End'].join('\n'), { output_flag: false });
  expect(sol.Status).toBe('Optimal');
  return sol.ObjectiveValue;
}

function chunk(terms: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < terms.length; i += 8) out.push(terms.slice(i, i + 8).join(' + '));
  return out.join('\n  + ');
}

describe('network simplex (HiGHS)', () => {
  it('reaches the LP minimum from the artificial basis and from a least-cost forest, through tree rebuilds', () => {
    let most = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 5, max: 25 }), fc.integer({ min: 900, max: 1500 }), (seed, S, D) => {
        const inst = instance(seed, S, D, 0.3);
        const best = lpMinimum(inst);
        for (const fromForest of [false, true]) {
          const { cost, pivots } = solve(inst, fromForest);
          most = Math.max(most, pivots);
          expect(Math.abs(cost - best)).toBeLessThanOrEqual(1e-6 * Math.max(1, best));
        }
      }),
      { numRuns: 4 },
    );
    // The tree is rebuilt every max(1000, nodes / 4) pivots: make sure that happened.
    expect(most).toBeGreaterThan(1000);
  });
});
