import type { Model } from './model.js';
import { NetworkSimplex } from './network-simplex.js';
import type { Reach } from './reach.js';

/**
 * Stage 4 for one product: given each enterprise's packs (fixed by stages 1–3), choose suppliers
 * to minimise Σ packs × metres: a transportation problem solved exactly by network simplex.
 *
 * It starts on the sparse arcs the fair-share stage used (known feasible), then prices out every
 * other reachable arc with the optimal potentials: an arc with negative reduced cost would improve
 * the objective, so it is added and the simplex resumes from its current basis. When no arc
 * prices out, the sparse optimum is optimal on the full reach graph (LP duality).
 */
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
 * @example const t = transport(model, reach, freePacks, shares.packs, shares.prefix);
 */
export function transport(
  m: Model,
  reach: Reach,
  freePacks: Float64Array,
  packs: Int32Array,
  prefix: Int32Array,
): TransportResult {
  const { nS } = m;
  const ents: number[] = [];
  for (let e = 0; e < m.nE; e++) if (packs[e] > 0) ents.push(e);
  if (ents.length === 0) return { lines: [], pricingRounds: 0, addedArcs: 0, pivots: 0 };
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
  let arcHint = nS;
  for (const e of ents) arcHint += prefix[e];
  const artificialCost = (m.maxDistanceM + 1) * (nS + J + 2);
  const ns = new NetworkSimplex(supply, arcHint, artificialCost);
  // Arc ids map back to (enterprise slot, reach position).
  const arcJ: number[] = [];
  const arcK: number[] = [];
  const add = (j: number, k: number) => {
    ns.addArc(reach.sup[k], nS + j, reach.dist[k]);
    arcJ.push(j);
    arcK.push(k);
  };
  for (let j = 0; j < J; j++) {
    const e = ents[j];
    for (let k = reach.off[e], end = k + prefix[e]; k < end; k++) if (freePacks[reach.sup[k]] > 0) add(j, k);
  }
  const firstDummyArc = ns.arcCount;
  for (let s = 0; s < nS; s++) if (freePacks[s] > 0) ns.addArc(s, dummy, 0);
  const dummyArcs = ns.arcCount - firstDummyArc;

  let rounds = 0;
  let addedArcs = 0;
  for (;;) {
    ns.solve();
    rounds++;
    let added = 0;
    for (let j = 0; j < J; j++) {
      const e = ents[j];
      const piE = ns.potential(nS + j);
      for (let k = reach.off[e] + prefix[e], end = reach.off[e + 1]; k < end; k++) {
        const s = reach.sup[k];
        if (freePacks[s] > 0 && reach.dist[k] + ns.potential(s) - piE < 0) {
          add(j, k);
          added++;
        }
      }
    }
    // Arcs added here have non-negative reduced cost after the next solve, so none is added twice.
    if (added === 0) break;
    addedArcs += added;
  }
  if (ns.artificialFlow() > 0) throw new Error('transport: fair shares are not routable (internal error)');

  const lines: TransportLine[] = [];
  const first = ns.firstArc;
  for (let a = first; a < ns.arcCount; a++) {
    if (a >= firstDummyArc && a < firstDummyArc + dummyArcs) continue;
    const f = ns.flow(a);
    if (f <= 0) continue;
    const slot = a < firstDummyArc ? a - first : a - first - dummyArcs;
    lines.push({ e: ents[arcJ[slot]], s: reach.sup[arcK[slot]], packs: f, distM: reach.dist[arcK[slot]] });
  }
  return { lines, pricingRounds: rounds, addedArcs, pivots: ns.pivots };
}
