import { FloatBuffer, IntBuffer, IntMap, grown } from './int-buffer.js';
import type { ProductModel } from './model.js';
import { NetworkSimplex } from './network-simplex.js';
import type { ProductClasses } from './fair-share.js';
import type { Reach } from './reach.js';
import { keepShape } from './shapes.js';

/**
 * Stage 5 for one product (R5, short trips): given each enterprise's packs (fixed by stage 4), choose suppliers
 * to minimise Σ packs × metres: a transportation problem solved exactly by network simplex.
 *
 * It starts from a basic feasible solution built from the fair-share classes (`coarseStart`), so
 * the simplex begins close to the optimum and with no artificial flow. The simplex works on each
 * enterprise's few cheapest suppliers at the class problem's prices (`initialArcs`) plus the
 * start's pairs, then prices out every other
 * reachable arc with the optimal potentials: an arc with negative reduced cost would improve the
 * objective, so it is added and the simplex resumes from its current basis. When no arc prices
 * out, the sparse optimum is optimal on the full reach graph (LP duality).
 */

/** Suppliers per enterprise the simplex starts with (besides the start's own pairs): see `initialArcs`. */
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
  m: ProductModel,
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
  const arcOf = new IntMap(arcHint);
  const add = (j: number, k: number) => {
    const id = ns.addArc(sup[k], nS + j, dist[k]);
    arcJ.push(j);
    arcK.push(k);
    arcOf.set(k, id);
    return id;
  };
  const firstReal = ns.firstArc;
  const price = start.ok ? start.supplierPotentials : null;
  let minPrice = Infinity;
  if (price) for (let s = 0; s < nS; s++) if (freePacks[s] > 0 && price[s] < minPrice) minPrice = price[s];
  const chosen = new Int32Array(INITIAL_ARCS);
  const chosenCost = new Float64Array(INITIAL_ARCS);
  for (let j = 0; j < J; j++) {
    const n = initialArcs(reach, ents[j], freePacks, price, minPrice, chosen, chosenCost);
    for (let x = 0; x < n; x++) add(j, chosen[x]);
  }
  // The start's pairs, added when not among the initial arcs.
  const basis = new Int32Array(startQ.length + nS);
  const flows = new Float64Array(startQ.length + nS);
  let nb = 0;
  for (let i = 0; i < startQ.length; i++) {
    const known = arcOf.get(startK[i]);
    basis[nb] = known >= 0 ? known : add(startJ[i], startK[i]);
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
    // Reach lists run nearest first, so once dist + (the lowest supplier potential) − π(e) ≥ 0 no
    // later arc of the enterprise can price out (rounding is monotone): the rest is skipped.
    let minPi = Infinity;
    for (let s = 0; s < nS; s++) if (freePacks[s] > 0 && !(pi[s] >= minPi)) minPi = pi[s]; // NaN stays NaN: no skipping
    for (let j = 0; j < J; j++) {
      const e = ents[j];
      const piE = pi[nS + j];
      for (let k = off[e], end = off[e + 1]; k < end; k++) {
        if (dist[k] + minPi - piE >= 0) break;
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
 * The reach positions of enterprise `e`'s INITIAL_ARCS stocked suppliers of least `dist + price[s]`
 * (ties: nearer first), written to `out` (their prices to `cost`); their count. `minPrice` is
 * the lowest price of a stocked supplier. `price` is the class problem's supplier
 * potentials: a supplier that is scarce at the optimum carries a price there that its distance
 * alone does not show, so these arcs are closer to the optimal routes than the nearest ones (on
 * the province benchmark 0.93 million simplex pivots instead of 1.54 million). Without prices
 * (no class start), the nearest.
 */
function initialArcs(
  reach: Reach,
  e: number,
  freePacks: Float64Array,
  price: Float64Array | null,
  minPrice: number,
  out: Int32Array,
  cost: Float64Array,
): number {
  const { off, sup, dist } = reach;
  let n = 0;
  if (!price) {
    for (let k = off[e], end = off[e + 1]; k < end && n < INITIAL_ARCS; k++) if (freePacks[sup[k]] > 0) out[n++] = k;
    return n;
  }
  for (let k = off[e], end = off[e + 1]; k < end; k++) {
    // Reach lists run nearest first: once even the lowest price cannot beat the dearest kept arc, no later one can.
    if (n === INITIAL_ARCS && !(dist[k] + minPrice < cost[n - 1])) break;
    const s = sup[k];
    if (!(freePacks[s] > 0)) continue;
    const c = dist[k] + price[s];
    if (n === INITIAL_ARCS) {
      if (!(c < cost[n - 1])) continue;
      n--;
    }
    // Insertion into the kept arcs, cheapest first (an equal one after those already kept).
    let x = n++;
    while (x > 0 && cost[x - 1] > c) {
      cost[x] = cost[x - 1];
      out[x] = out[x - 1];
      x--;
    }
    cost[x] = c;
    out[x] = k;
  }
  return n;
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
): { ok: boolean; j: number[]; k: number[]; q: number[]; left: Float64Array; supplierPotentials: Float64Array } {
  const { off, sup, dist } = reach;
  // The fair-share classes, members with packs only (as enterprise slots j).
  const slot = new Int32Array(off.length - 1).fill(-1);
  for (let j = 0; j < ents.length; j++) slot[ents[j]] = j;
  const members: Int32Array[] = [];
  const classSups: Int32Array[] = [];
  const classFlow: Float64Array[] = [];
  const mine = new IntBuffer(64);
  for (let c = 0; c + 1 < classes.memberOff.length; c++) {
    mine.length = 0;
    for (let x = classes.memberOff[c]; x < classes.memberOff[c + 1]; x++) {
      const j = slot[classes.members[x]];
      if (j >= 0) mine.push(j);
    }
    if (mine.length === 0) continue;
    members.push(mine.data.slice(0, mine.length));
    classSups.push(classes.arcs.subarray(classes.arcOff[c], classes.arcOff[c + 1]));
    classFlow.push(classes.flow.subarray(classes.arcOff[c], classes.arcOff[c + 1]));
  }
  const C = members.length;
  // Each class's cost to every supplier of the class: the pack-weighted mean distance of its
  // members. The class problem keeps the COARSE_ARCS cheapest of them (by cost, then supplier)
  // and those the fair-share flow uses (so it is feasible), in the class's supplier order.
  const pos = new Int32Array(nS).fill(-1);
  const demand = new Float64Array(C);
  const cOff = new Int32Array(C + 1);
  const keptSup = new IntBuffer(4096);
  const keptCost = new FloatBuffer(4096);
  let sum = new Float64Array(64);
  let cost = new Float64Array(64);
  const top = new Int32Array(COARSE_ARCS);
  for (let c = 0; c < C; c++) {
    const sups = classSups[c];
    const nC = sups.length;
    if (sum.length < nC) {
      sum = new Float64Array(nC * 2);
      cost = new Float64Array(nC * 2);
    }
    sum.fill(0, 0, nC);
    for (let i = 0; i < nC; i++) pos[sups[i]] = i;
    for (const j of members[c]) {
      const e = ents[j];
      const q = packs[e];
      demand[c] += q;
      // Stop once every class supplier is seen (each is in the list once; members reach them all).
      for (let k = off[e], end = off[e + 1], found = 0; k < end && found < nC; k++) {
        const i = pos[sup[k]];
        if (i < 0) continue;
        sum[i] += q * dist[k];
        found++;
      }
    }
    for (let i = 0; i < nC; i++) pos[sups[i]] = -1;
    for (let i = 0; i < nC; i++) cost[i] = Math.round(sum[i] / demand[c]);
    // The COARSE_ARCS cheapest (cost, then supplier index), kept sorted in `top`.
    let nTop = 0;
    for (let i = 0; i < nC; i++) {
      const ci = cost[i];
      const si = sups[i];
      if (nTop === COARSE_ARCS) {
        const w = top[nTop - 1];
        if (!(ci < cost[w] || (ci === cost[w] && si < sups[w]))) continue;
        nTop--;
      }
      let x = nTop++;
      while (x > 0 && (cost[top[x - 1]] > ci || (cost[top[x - 1]] === ci && sups[top[x - 1]] > si))) {
        top[x] = top[x - 1];
        x--;
      }
      top[x] = i;
    }
    for (let x = 0; x < nTop; x++) pos[sups[top[x]]] = 1;
    const flowC = classFlow[c];
    for (let i = 0; i < nC; i++) {
      if (flowC[i] > 0 || pos[sups[i]] === 1) {
        keptSup.push(sups[i]);
        keptCost.push(cost[i]);
      }
    }
    for (let x = 0; x < nTop; x++) pos[sups[top[x]]] = -1;
    cOff[c + 1] = keptSup.length;
  }
  const cSup = keptSup.toArray();
  const cCost = keptCost.toArray();
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
  const out = { ok: ns.artificialFlow() === 0, j: [] as number[], k: [] as number[], q: [] as number[], left, supplierPotentials: ns.potentials.slice(0, nS) };
  if (!out.ok) return out;
  // Hand each class's flows to its members: least-cost method within the class.
  const first = ns.firstArc;
  const allot = new Float64Array(nS);
  // Pairs sorted by (distance, slot, reach position): slots ascend with enterprises and so with
  // reach positions, so (distance, reach position) is the same order, packed in one exact key.
  const K = sup.length + 1;
  const packed = (maxDistanceM + 1) * K < 2 ** 52;
  let keys = new Float64Array(256);
  let pk = new Int32Array(256);
  let pj = new Int32Array(256);
  let idx = new Int32Array(256);
  const rem = new Float64Array(ents.length);
  for (let c = 0; c < C; c++) {
    // Suppliers with an allotment for the class; a member's list is scanned until all are seen.
    let want = 0;
    for (let a = cOff[c]; a < cOff[c + 1]; a++) {
      const f = ns.flow(first + a);
      allot[cSup[a]] = f;
      if (f > 0 && freePacks[cSup[a]] > 0) want++;
    }
    let n = 0;
    for (const j of members[c]) {
      const e = ents[j];
      for (let k = off[e], end = off[e + 1], found = 0; k < end && found < want; k++) {
        if (!(allot[sup[k]] > 0 && freePacks[sup[k]] > 0)) continue;
        found++;
        if (n === keys.length) {
          keys = grown(keys, n * 2);
          pk = grown(pk, n * 2);
          pj = grown(pj, n * 2);
          idx = new Int32Array(n * 2);
        }
        keys[n] = packed ? dist[k] * K + k : 0;
        pk[n] = k;
        pj[n++] = j;
      }
    }
    for (let x = 0; x < n; x++) idx[x] = x;
    if (packed) sortByKey(idx, keys, 0, n - 1);
    else {
      const sorted = Array.from(idx.subarray(0, n)).sort((x, y) => dist[pk[x]] - dist[pk[y]] || pk[x] - pk[y]);
      idx.set(sorted);
    }
    for (const j of members[c]) rem[j] = packs[ents[j]];
    for (let x = 0; x < n; x++) {
      const i = idx[x];
      const j = pj[i];
      const k = pk[i];
      const r = rem[j];
      const s2 = sup[k];
      const q = r < allot[s2] ? r : allot[s2];
      if (q <= 0) continue;
      rem[j] = r - q;
      allot[s2] -= q;
      out.j.push(j);
      out.k.push(k);
      out.q.push(q);
    }
    for (const j of members[c]) if (rem[j] > 0) out.ok = false;
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

/** Sorts `idx[lo..hi]` by `keys[idx[·]]` ascending (distinct keys): quicksort, insertion sort for short runs. */
function sortByKey(idx: Int32Array, keys: Float64Array, lo: number, hi: number): void {
  while (hi - lo > 24) {
    const mid = (lo + hi) >>> 1;
    let x = keys[idx[lo]];
    let y = keys[idx[mid]];
    let z = keys[idx[hi]];
    let t: number;
    if (x > y) {
      t = x;
      x = y;
      y = t;
    }
    if (y > z) {
      t = y;
      y = z;
      z = t;
    }
    if (x > y) y = x;
    const pivot = y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[idx[i]] < pivot) i++;
      while (keys[idx[j]] > pivot) j--;
      if (i <= j) {
        const u = idx[i];
        idx[i] = idx[j];
        idx[j] = u;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      sortByKey(idx, keys, lo, j);
      lo = i;
    } else {
      sortByKey(idx, keys, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = idx[i];
    const kv = keys[v];
    let j = i - 1;
    while (j >= lo && keys[idx[j]] > kv) {
      idx[j + 1] = idx[j];
      j--;
    }
    idx[j + 1] = v;
  }
}
