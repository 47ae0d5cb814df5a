import { IntBuffer } from './int-buffer.js';
import type { Model } from './model.js';
import { NetworkSimplex } from './network-simplex.js';
import type { ProductClasses } from './fair-share.js';
import type { Reach } from './reach.js';
import { keepShape } from './shapes.js';

/**
 * Stage 4 for one product: given each enterprise's packs (fixed by stages 1–3), choose suppliers
 * to minimise Σ packs × metres: a transportation problem solved exactly by network simplex.
 *
 * It starts from a basic feasible solution built from the fair-share classes (`coarseStart`), so
 * the simplex begins close to the optimum and with no artificial flow. The simplex works on each
 * enterprise's few nearest suppliers plus the start's pairs, then prices out every other
 * reachable arc with the optimal potentials: an arc with negative reduced cost would improve the
 * objective, so it is added and the simplex resumes from its current basis. When no arc prices
 * out, the sparse optimum is optimal on the full reach graph (LP duality).
 */

/** Nearest suppliers per enterprise the simplex starts with (besides the start's own pairs). */
const INITIAL_ARCS = 4;
/** Cheapest suppliers per class in the class problem (besides those the fair-share flow uses). */
const COARSE_ARCS = 8;

export interface TransportLine {
  readonly e: number;
  readonly s: number;
  readonly packs: number;
  readonly distM: number;
}

export interface TransportResult {
  readonly lines: TransportLine[];
  readonly pricingRounds: number;
  readonly addedArcs: number;
  readonly pivots: number;
}

/**
 * @example const t = transport(model, reach, freePacks, shares.packs, shares.classes);
 */
export function transport(
  m: Model,
  reach: Reach,
  freePacks: Float64Array,
  packs: Int32Array,
  classes: ProductClasses,
): TransportResult {
  const { nS } = m;
  const entList: number[] = [];
  for (let e = 0; e < m.nE; e++) if (packs[e] > 0) entList.push(e);
  if (entList.length === 0) return { lines: [], pricingRounds: 0, addedArcs: 0, pivots: 0 };
  const ents = Int32Array.from(entList);
  const J = ents.length;
  const dummy = nS + J;
  const supply = new Float64Array(nS + J + 1);
  let totalSupply = 0;
  let totalDemand = 0;
  for (let s = 0; s < nS; s++) {
    supply[s] = freePacks[s];
    totalSupply += freePacks[s];
  }
  for (let j = 0; j < J; j++) {
    supply[nS + j] = -packs[ents[j]];
    totalDemand += packs[ents[j]];
  }
  supply[dummy] = -(totalSupply - totalDemand);
  const { off, sup, dist } = reach;

  const start = coarseStart(nS, reach, freePacks, packs, classes, ents, m.maxDistanceM);
  const startJ = start.j;
  const startK = start.k;
  const startQ = start.q;
  const remS = start.left;

  let arcHint = nS + startQ.length + J * INITIAL_ARCS;
  const artificialCost = (m.maxDistanceM + 1) * (nS + J + 2);
  const ns = new NetworkSimplex(supply, arcHint, artificialCost, nS, nS + J);
  // Arc ids map back to (enterprise slot, reach position); -1 for the dummy arcs.
  const arcJ = new IntBuffer(arcHint);
  const arcK = new IntBuffer(arcHint);
  const arcOf = new Map<number, number>();
  const add = (j: number, k: number) => {
    const id = ns.addArc(sup[k], nS + j, dist[k]);
    arcJ.push(j);
    arcK.push(k);
    arcOf.set(k, id);
    return id;
  };
  const firstReal = ns.firstArc;
  for (let j = 0; j < J; j++) {
    const e = ents[j];
    let n = 0;
    for (let k = off[e], end = off[e + 1]; k < end && n < INITIAL_ARCS; k++) {
      if (freePacks[sup[k]] > 0) {
        add(j, k);
        n++;
      }
    }
  }
  // The start's pairs, added when not among the nearest.
  const basis = new Int32Array(startQ.length + nS);
  const flows = new Float64Array(startQ.length + nS);
  let nb = 0;
  for (let i = 0; i < startQ.length; i++) {
    basis[nb] = arcOf.get(startK[i]) ?? add(startJ[i], startK[i]);
    flows[nb++] = startQ[i];
  }
  for (let s = 0; s < nS; s++) {
    if (freePacks[s] <= 0) continue;
    const id = ns.addArc(s, dummy, 0);
    arcJ.push(-1);
    arcK.push(-1);
    if (remS[s] > 0) {
      basis[nb] = id;
      flows[nb++] = remS[s];
    }
  }
  if (start.ok) ns.initFromForest(basis.subarray(0, nb), flows.subarray(0, nb));

  let rounds = 0;
  let addedArcs = 0;
  for (;;) {
    ns.solve();
    rounds++;
    const pi = ns.potentials;
    let added = 0;
    for (let j = 0; j < J; j++) {
      const e = ents[j];
      const piE = pi[nS + j];
      for (let k = off[e], end = off[e + 1]; k < end; k++) {
        const s = sup[k];
        if (freePacks[s] <= 0 || dist[k] + pi[s] - piE >= 0 || arcOf.has(k)) continue;
        add(j, k);
        added++;
      }
    }
    if (added === 0) break;
    addedArcs += added;
  }
  if (ns.artificialFlow() > 0) throw new Error('transport: fair shares are not routable (internal error)');

  const lines: TransportLine[] = [];
  for (let a = firstReal; a < ns.arcCount; a++) {
    const slot = a - firstReal;
    const j = arcJ.data[slot];
    if (j < 0) continue;
    const f = ns.flow(a);
    if (f <= 0) continue;
    const k = arcK.data[slot];
    lines.push({ e: ents[j], s: sup[k], packs: f, distM: dist[k] });
  }
  const pivots = ns.pivots;
  keepShape(ns);
  keepShape(arcJ);
  return { lines, pricingRounds: rounds, addedArcs, pivots };
}

/**
 * A near-optimal basic start from the fair-share classes: every member of a class reaches every
 * supplier of the class, and the fair-share flow routed all packs over those arcs, so the classes
 * as one transportation problem (class demand = Σ packs of its members, cost = their pack-weighted
 * mean distance) is feasible and about ten times smaller. Each class's flows are then handed to
 * its members by the least-cost method within the class. The class solution is a forest and each
 * class's hand-out is a forest over that class's suppliers, so the result is a basic feasible
 * solution of the full problem with no artificial flow (`ok`); the network simplex then only has
 * the members' differences in distance (and arcs outside the classes) left to settle.
 */
function coarseStart(
  nS: number,
  reach: Reach,
  freePacks: Float64Array,
  packs: Int32Array,
  classes: ProductClasses,
  ents: Int32Array,
  maxDistanceM: number,
): { ok: boolean; j: number[]; k: number[]; q: number[]; left: Float64Array } {
  const { off, sup, dist } = reach;
  // The fair-share classes, members with packs only (as enterprise slots j).
  const slot = new Map<number, number>();
  ents.forEach((e, j) => slot.set(e, j));
  const members: number[][] = [];
  const classSups: ArrayLike<number>[] = [];
  const classFlow: ArrayLike<number>[] = [];
  for (let c = 0; c + 1 < classes.memberOff.length; c++) {
    const mine: number[] = [];
    for (let x = classes.memberOff[c]; x < classes.memberOff[c + 1]; x++) {
      const j = slot.get(classes.members[x]);
      if (j !== undefined) mine.push(j);
    }
    if (mine.length === 0) continue;
    members.push(mine);
    classSups.push(classes.arcs.subarray(classes.arcOff[c], classes.arcOff[c + 1]));
    classFlow.push(classes.flow.subarray(classes.arcOff[c], classes.arcOff[c + 1]));
  }
  const C = members.length;
  // Class costs: the pack-weighted mean distance of its members to each class supplier.
  // Each class's cost to every supplier of the class: the pack-weighted mean distance of its
  // members. The class problem keeps the COARSE_ARCS cheapest of them and those the fair-share
  // flow uses (so it is feasible).
  const pos = new Int32Array(nS).fill(-1);
  const demand = new Float64Array(C);
  const kept: { s: number; cost: number }[][] = [];
  for (let c = 0; c < C; c++) {
    const sups = classSups[c];
    const sum = new Float64Array(sups.length);
    for (let i = 0; i < sups.length; i++) pos[sups[i]] = i;
    for (const j of members[c]) {
      const e = ents[j];
      demand[c] += packs[e];
      for (let k = off[e]; k < off[e + 1]; k++) if (pos[sup[k]] >= 0) sum[pos[sup[k]]] += packs[e] * dist[k];
    }
    for (let i = 0; i < sups.length; i++) pos[sups[i]] = -1;
    const all = Array.from(sups, (s2, i) => ({ s: s2, cost: Math.round(sum[i] / demand[c]), used: classFlow[c][i] > 0 }));
    const byCost = [...all].sort((x, y) => x.cost - y.cost || x.s - y.s);
    const keep = new Set(byCost.slice(0, COARSE_ARCS).map((x) => x.s));
    kept.push(all.filter((x) => x.used || keep.has(x.s)).map(({ s: s2, cost }) => ({ s: s2, cost })));
  }
  const cOff = new Int32Array(C + 1);
  for (let c = 0; c < C; c++) cOff[c + 1] = cOff[c] + kept[c].length;
  const cSup = new Int32Array(cOff[C]);
  const cCost = new Float64Array(cOff[C]);
  for (let c = 0; c < C; c++) {
    kept[c].forEach((x, i) => {
      cSup[cOff[c] + i] = x.s;
      cCost[cOff[c] + i] = x.cost;
    });
  }
  const supply = new Float64Array(nS + C + 1);
  let total = 0;
  for (let s = 0; s < nS; s++) {
    supply[s] = freePacks[s];
    total += freePacks[s];
  }
  for (let c = 0; c < C; c++) {
    supply[nS + c] = -demand[c];
    total -= demand[c];
  }
  supply[nS + C] = -total;
  const ns = new NetworkSimplex(supply, cOff[C] + nS, (maxDistanceM + 1) * (nS + C + 2), nS, nS + C);
  for (let c = 0; c < C; c++) for (let a = cOff[c]; a < cOff[c + 1]; a++) ns.addArc(cSup[a], nS + c, cCost[a]);
  const dummyOf = new Int32Array(nS).fill(-1);
  for (let s = 0; s < nS; s++) if (freePacks[s] > 0) dummyOf[s] = ns.addArc(s, nS + C, 0);
  leastCostStart(ns, nS, C, cOff, cSup, cCost, demand, freePacks, dummyOf);
  ns.solve();
  const left = new Float64Array(nS);
  for (let s = 0; s < nS; s++) if (dummyOf[s] >= 0) left[s] = ns.flow(dummyOf[s]);
  const out = { ok: ns.artificialFlow() === 0, j: [] as number[], k: [] as number[], q: [] as number[], left };
  if (!out.ok) return out;
  // Hand each class's flows to its members: least-cost method within the class.
  const first = ns.firstArc;
  const allot = new Float64Array(nS);
  const pairs: { j: number; k: number; d: number }[] = [];
  for (let c = 0; c < C; c++) {
    for (let a = cOff[c]; a < cOff[c + 1]; a++) allot[cSup[a]] = ns.flow(first + a);
    pairs.length = 0;
    for (const j of members[c]) {
      const e = ents[j];
      for (let k = off[e]; k < off[e + 1]; k++) if (freePacks[sup[k]] > 0 && allot[sup[k]] > 0) pairs.push({ j, k, d: dist[k] });
    }
    pairs.sort((x, y) => x.d - y.d || x.j - y.j || x.k - y.k);
    const rem = new Map<number, number>();
    for (const j of members[c]) rem.set(j, packs[ents[j]]);
    for (const { j, k } of pairs) {
      const r = rem.get(j)!;
      const s = sup[k];
      const q = r < allot[s] ? r : allot[s];
      if (q <= 0) continue;
      rem.set(j, r - q);
      allot[s] -= q;
      out.j.push(j);
      out.k.push(k);
      out.q.push(q);
    }
    for (const r of rem.values()) if (r > 0) out.ok = false;
    for (let a = cOff[c]; a < cOff[c + 1]; a++) allot[cSup[a]] = 0;
  }
  return out;
}

/**
 * The least-cost method on the class problem: class–supplier pairs in order of cost, each taking
 * what both sides still allow; what suppliers keep goes to the dummy. Each step closes a class or
 * a supplier, so the pairs form a forest with at most one open node per tree, a basis the
 * simplex can start from (far fewer pivots than from the all-artificial basis).
 */
function leastCostStart(
  ns: NetworkSimplex,
  nS: number,
  C: number,
  cOff: Int32Array,
  cSup: Int32Array,
  cCost: Float64Array,
  demand: Float64Array,
  freePacks: Float64Array,
  dummyOf: Int32Array,
): void {
  const nA = cOff[C];
  let maxCost = 0;
  for (let a = 0; a < nA; a++) if (cCost[a] > maxCost) maxCost = cCost[a];
  const bucket = new Int32Array(maxCost + 2);
  for (let a = 0; a < nA; a++) bucket[cCost[a] + 1]++;
  for (let d = 0; d <= maxCost; d++) bucket[d + 1] += bucket[d];
  const order = new Int32Array(nA);
  const classOfArc = new Int32Array(nA);
  for (let c = 0; c < C; c++) for (let a = cOff[c]; a < cOff[c + 1]; a++) classOfArc[a] = c;
  for (let a = 0; a < nA; a++) order[bucket[cCost[a]]++] = a;
  const remS = Float64Array.from(freePacks);
  const remC = Float64Array.from(demand);
  const arcs: number[] = [];
  const flows: number[] = [];
  const first = ns.firstArc;
  for (let i = 0; i < nA; i++) {
    const a = order[i];
    const c = classOfArc[a];
    const s = cSup[a];
    const q = remC[c] < remS[s] ? remC[c] : remS[s];
    if (q <= 0) continue;
    remC[c] -= q;
    remS[s] -= q;
    arcs.push(first + a);
    flows.push(q);
  }
  for (let s = 0; s < nS; s++) {
    if (dummyOf[s] >= 0 && remS[s] > 0) {
      arcs.push(dummyOf[s]);
      flows.push(remS[s]);
    }
  }
  ns.initFromForest(Int32Array.from(arcs), Float64Array.from(flows));
}
