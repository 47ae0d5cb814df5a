import { BipartiteFlow, FLOW_EPS } from './max-flow.js';
import type { Model, ResolvedOptions } from './model.js';
import type { Reach } from './reach.js';

/**
 * Stage 1–3 of the policy for one product: how many packs each enterprise gets (not yet from whom).
 *
 * Tiers are served strictly in order. Within a tier, shares are max-min fair on the *claim*
 * (need plus bounded carried deficit), respecting reachability. This is progressive filling done
 * as a decomposition: at the level λ where the group's whole supply would be shared out evenly,
 * a max flow either routes everyone's share (done: one common level) or its minimum cut splits the
 * group into a poorer part that cannot reach more supply and a richer part; both are solved again
 * on their own. Higher tiers take part with fixed quantities, so their packs are routed first.
 *
 * The max flows run on a sparse graph (each enterprise's nearest suppliers). Afterwards every
 * dropped arc of the full reach graph is priced out: an arc from an enterprise at level λ to a
 * supplier whose group sits at a higher level would let the poorer side take more, so it is added
 * and the tier re-solved. When no arc prices out, the sparse answer is the full-graph answer.
 */
export interface ProductShares {
  /** Packs allocated by the policy (on top of pins), per enterprise. */
  readonly packs: Int32Array;
  /** Fair share in packs before rounding (policy part only), per enterprise. */
  readonly share: Float64Array;
  /** Prefix length of each enterprise's reach list that the solution may use. */
  readonly prefix: Int32Array;
  /** Full-graph arcs added by pricing out (diagnostics). */
  readonly addedArcs: number;
}

export interface ProductInput {
  readonly p: number;
  /** Packs left at each supplier after pins. */
  readonly freePacks: Float64Array;
  /** Packs pinned per enterprise. */
  readonly pinnedPacks: Float64Array;
  /** Whole packs of need per enterprise (floor(need / pack)). */
  readonly needPacks: Float64Array;
}

interface Group {
  ents: number[];
  sups: number[];
}

const SAT_EPS = 1e-6;

/**
 * Weighted claim in units: need + min(deficit, deficitCap × need).
 *
 * @example claimUnits(100, 80, 0.5) // 150
 */
export function claimUnits(need: number, deficit: number, deficitCap: number): number {
  return need + Math.min(deficit, deficitCap * need);
}

/**
 * Computes the fair packs of one product for every enterprise.
 *
 * @example const shares = fairShares(model, reach, options, { p: 0, freePacks, pinnedPacks, needPacks });
 */
export function fairShares(m: Model, reach: Reach, opt: ResolvedOptions, input: ProductInput): ProductShares {
  const { p, freePacks, pinnedPacks, needPacks } = input;
  const { nE, nS, nP } = m;
  const pack = m.packSize[p];
  const packs = new Int32Array(nE);
  const share = new Float64Array(nE);
  const prefix = new Int32Array(nE);
  // Weight in packs and the packs the policy may still add.
  const weight = new Float64Array(nE);
  const room = new Float64Array(nE);
  const participants: number[] = [];
  for (let e = 0; e < nE; e++) {
    const r = needPacks[e] - pinnedPacks[e];
    if (r <= 0) continue;
    let count = 0;
    let k = reach.off[e];
    const end = reach.off[e + 1];
    for (; k < end && count < opt.candidateArcs; k++) if (freePacks[reach.sup[k]] > 0) count++;
    if (count === 0) continue;
    prefix[e] = k - reach.off[e];
    const needUnits = m.need[e * nP + p];
    weight[e] = claimUnits(needUnits, m.deficit[e * nP + p], opt.deficitCap) / pack;
    room[e] = r;
    participants.push(e);
  }
  const tiers = [...new Set(participants.map((e) => m.tier[e]))].sort((a, b) => a - b);
  let addedArcs = 0;
  const frozen: number[] = [];

  for (const tier of tiers) {
    const current = participants.filter((e) => m.tier[e] === tier);
    for (;;) {
      const sol = solveTier(m, reach, freePacks, prefix, frozen, current, packs, weight, room, pinnedPacks);
      const added = priceOut(m, reach, freePacks, prefix, sol, frozen, current);
      if (added === 0) {
        roundTier(sol, current, packs, share, room);
        break;
      }
      addedArcs += added;
    }
    for (const e of current) if (packs[e] > 0) frozen.push(e);
  }
  return { packs, share, prefix, addedArcs };
}

interface TierSolution {
  readonly flow: BipartiteFlow;
  /** Local enterprise index → global. */
  readonly ents: Int32Array;
  readonly local: Map<number, number>;
  readonly groups: Group[];
  /** Level per group (Infinity: nobody in it wants more). */
  readonly level: number[];
  /** Real share per local enterprise (current tier). */
  readonly target: Float64Array;
  /** Local enterprise → is current tier. */
  readonly isCurrent: Uint8Array;
  readonly budget: number[];
}

function solveTier(
  m: Model,
  reach: Reach,
  freePacks: Float64Array,
  prefix: Int32Array,
  frozen: readonly number[],
  current: readonly number[],
  packs: Int32Array,
  weight: Float64Array,
  room: Float64Array,
  pinnedPacks: Float64Array,
): TierSolution {
  // Local graph: frozen (earlier tiers) then current, arcs from each reach prefix.
  const all = [...frozen, ...current];
  const ents = Int32Array.from(all);
  const local = new Map<number, number>();
  all.forEach((e, i) => local.set(e, i));
  const aOff = new Int32Array(all.length + 1);
  let m2 = 0;
  for (let i = 0; i < all.length; i++) {
    const e = all[i];
    for (let k = reach.off[e], end = k + prefix[e]; k < end; k++) if (freePacks[reach.sup[k]] > 0) m2++;
    aOff[i + 1] = m2;
  }
  const aSup = new Int32Array(m2);
  let a = 0;
  for (const e of all) {
    for (let k = reach.off[e], end = k + prefix[e]; k < end; k++) if (freePacks[reach.sup[k]] > 0) aSup[a++] = reach.sup[k];
  }
  const flow = new BipartiteFlow(aOff, aSup, m.nS);
  const isCurrent = new Uint8Array(all.length);
  for (let i = frozen.length; i < all.length; i++) isCurrent[i] = 1;
  const sups: number[] = [];
  for (let s = 0; s < m.nS; s++) {
    flow.sinkCap[s] = freePacks[s];
    if (freePacks[s] > 0) sups.push(s);
  }
  const target = new Float64Array(all.length);
  const groups: Group[] = [];
  const level: number[] = [];
  const budget: number[] = [];
  const stack: Group[] = components(all.length, aOff, aSup, sups, m.nS);

  while (stack.length > 0) {
    const grp = stack.pop()!;
    const g = groups.length + 1;
    for (const i of grp.ents) flow.grpE[i] = g;
    for (const s of grp.sups) flow.grpS[s] = g;
    let supply = 0;
    for (const s of grp.sups) supply += freePacks[s];
    let fixed = 0;
    const cur: number[] = [];
    const fro: number[] = [];
    for (const i of grp.ents) {
      if (isCurrent[i]) cur.push(i);
      else {
        fro.push(i);
        fixed += packs[ents[i]];
      }
    }
    const avail = supply - fixed;
    if (cur.length === 0) {
      groups.push(grp);
      level.push(Infinity);
      budget.push(avail);
      continue;
    }
    let wantAll = 0;
    for (const i of cur) wantAll += room[ents[i]];
    const lambda = wantAll <= avail + FLOW_EPS ? Infinity : solveLambda(cur, ents, weight, room, pinnedPacks, avail);
    // Warm start: a sub-group keeps the flow its parent routed; shares above the new level are
    // pulled back along their own arcs, shares below it are augmented by the max flow.
    for (const i of fro) flow.srcCap[i] = packs[ents[i]];
    for (const i of cur) {
      const d = demandAt(lambda, weight[ents[i]], pinnedPacks[ents[i]], room[ents[i]]);
      if (flow.srcFlow[i] > d) flow.shrink(i, flow.srcFlow[i] - d);
      flow.srcCap[i] = d;
    }
    flow.maxflow(g, fro);
    flow.maxflow(g, grp.ents);
    let unsaturated = false;
    for (const i of grp.ents) if (flow.srcCap[i] - flow.srcFlow[i] > SAT_EPS) unsaturated = true;
    let resolvedLevel = lambda;
    if (unsaturated) {
      const stamp = flow.stamp;
      const A: Group = { ents: [], sups: [] };
      const B: Group = { ents: [], sups: [] };
      for (const i of grp.ents) (flow.stampE[i] === stamp ? A : B).ents.push(i);
      for (const s of grp.sups) (flow.stampS[s] === stamp ? A : B).sups.push(s);
      const aCur = A.ents.some((i) => isCurrent[i]);
      if (aCur && B.sups.length > 0) {
        // Push B first so A (the poorer side) is solved next: order does not change the answer.
        stack.push(B, A);
        continue;
      }
      // Only reachable through rounding noise: keep what was routed.
      resolvedLevel = 0;
      for (const i of cur) {
        flow.srcCap[i] = flow.srcFlow[i];
        const e = ents[i];
        resolvedLevel = Math.max(resolvedLevel, (pinnedPacks[e] + flow.srcFlow[i]) / weight[e]);
      }
    }
    for (const i of cur) target[i] = flow.srcCap[i];
    groups.push(grp);
    level.push(resolvedLevel);
    let sum = 0;
    for (const i of cur) sum += target[i];
    budget.push(sum);
  }
  return { flow, ents, local, groups, level, target, isCurrent, budget };
}

/** Connected components of the sparse graph: independent sub-problems from the start. */
function components(nLocal: number, aOff: Int32Array, aSup: Int32Array, sups: readonly number[], nS: number): Group[] {
  const parent = new Int32Array(nLocal + nS);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let i = 0; i < nLocal; i++) {
    for (let a = aOff[i]; a < aOff[i + 1]; a++) {
      const r1 = find(i);
      const r2 = find(nLocal + aSup[a]);
      if (r1 !== r2) parent[Math.max(r1, r2)] = Math.min(r1, r2);
    }
  }
  const byRoot = new Map<number, Group>();
  for (let i = 0; i < nLocal; i++) {
    const r = find(i);
    const grp = byRoot.get(r) ?? { ents: [], sups: [] };
    grp.ents.push(i);
    byRoot.set(r, grp);
  }
  for (const s of sups) byRoot.get(find(nLocal + s))?.sups.push(s);
  return [...byRoot.values()];
}

/** Policy packs for an enterprise at level λ: its claim share minus what pins already gave it. */
function demandAt(lambda: number, w: number, pinned: number, room: number): number {
  if (lambda === Infinity) return room;
  const d = lambda * w - pinned;
  return d <= 0 ? 0 : d >= room ? room : d;
}

/** The level λ at which the group's shares add up to its available supply (bisection). */
function solveLambda(
  cur: readonly number[],
  ents: Int32Array,
  weight: Float64Array,
  room: Float64Array,
  pinnedPacks: Float64Array,
  avail: number,
): number {
  if (avail <= 0) return 0;
  let lo = 0;
  let hi = 0;
  for (const i of cur) {
    const e = ents[i];
    hi = Math.max(hi, (pinnedPacks[e] + room[e]) / weight[e]);
  }
  for (let it = 0; it < 100 && hi - lo > hi * 1e-15; it++) {
    const mid = (lo + hi) / 2;
    let sum = 0;
    for (const i of cur) {
      const e = ents[i];
      sum += demandAt(mid, weight[e], pinnedPacks[e], room[e]);
    }
    if (sum > avail) hi = mid;
    else lo = mid;
  }
  return lo;
}

/**
 * Adds every full-graph arc that would let a poorer enterprise (or a higher-tier enterprise routed
 * through a poor group) reach a supplier in a richer group. Returns how many prefixes grew.
 */
function priceOut(
  m: Model,
  reach: Reach,
  freePacks: Float64Array,
  prefix: Int32Array,
  sol: TierSolution,
  frozen: readonly number[],
  current: readonly number[],
): number {
  const supLevel = new Float64Array(m.nS).fill(Infinity);
  sol.groups.forEach((grp, k) => {
    for (const s of grp.sups) supLevel[s] = sol.level[k];
  });
  let added = 0;
  const check = (e: number) => {
    const i = sol.local.get(e)!;
    const lv = sol.level[sol.flow.grpE[i] - 1];
    if (lv === Infinity) return;
    const start = reach.off[e];
    let extend = 0;
    for (let k = start + prefix[e], end = reach.off[e + 1]; k < end; k++) {
      const s = reach.sup[k];
      if (freePacks[s] > 0 && supLevel[s] > lv * (1 + 1e-9) + 1e-12) extend = k - start + 1;
    }
    if (extend > 0) {
      prefix[e] = extend;
      added++;
    }
  };
  for (const e of frozen) check(e);
  for (const e of current) check(e);
  return added;
}

/**
 * Whole packs per group by largest remainder: floors first, then one more pack to the largest
 * fractional parts, as far as the network can route them; if some of those are blocked (their
 * neighbourhood has no whole pack left), the remaining fractional enterprises may take the rest.
 * The group's total is always routed: an integral flow exists between the floors and ceilings of
 * a fractional one. Each group is closed, so it is rounded on its own integral max flow.
 */
function roundTier(sol: TierSolution, current: readonly number[], packs: Int32Array, share: Float64Array, room: Float64Array): void {
  const { flow, ents, groups, level, target, isCurrent } = sol;
  for (const e of current) share[e] = target[sol.local.get(e)!];
  groups.forEach((grp, k) => {
    const g = k + 1;
    const cur = grp.ents.filter((i) => isCurrent[i]);
    if (cur.length === 0) return;
    if (level[k] === Infinity) {
      for (const i of cur) packs[ents[i]] = room[ents[i]];
      return;
    }
    const fro = grp.ents.filter((i) => !isCurrent[i]);
    flow.reset(grp.ents, grp.sups);
    let floorSum = 0;
    for (const i of fro) flow.srcCap[i] = packs[ents[i]];
    for (const i of cur) {
      const f = Math.floor(target[i] + 1e-7);
      flow.srcCap[i] = f;
      floorSum += f;
    }
    flow.maxflow(g, fro);
    flow.maxflow(g, grp.ents);
    const extra = Math.round(sol.budget[k] - floorSum);
    const order = cur
      .filter((i) => target[i] - flow.srcCap[i] > 1e-7 && flow.srcCap[i] < room[ents[i]])
      .sort((x, y) => target[y] - flow.srcCap[y] - (target[x] - flow.srcCap[x]) || ents[x] - ents[y]);
    if (extra > 0 && order.length > 0) {
      const first = order.slice(0, extra);
      for (const i of first) flow.srcCap[i] += 1;
      const routed = Math.round(flow.maxflow(g, first));
      if (routed < extra) {
        for (const i of first) flow.srcCap[i] = flow.srcFlow[i];
        const rest = order.slice(extra);
        for (const i of rest) flow.srcCap[i] += 1;
        flow.maxflow(g, rest);
      }
    }
    for (const i of cur) packs[ents[i]] = Math.round(flow.srcFlow[i]);
  });
}
