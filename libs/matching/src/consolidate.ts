import type { LineIx } from './figures.js';
import type { Model } from './model.js';
import { NetworkSimplex } from './network-simplex.js';
import type { Reach } from './reach.js';

/**
 * Stage 4b, the supplier limit (`maxSuppliersPerEnterprise`, rule 4): an enterprise should not
 * have to visit more distinct suppliers, over all products, than the zone allows.
 *
 * Quantities are settled by then (stages 1–3 rank above rule 4), so consolidation only moves
 * packs between suppliers: every enterprise keeps exactly its packs per product, pins stay where
 * they are, exclusions and the pickup distance still hold. For an enterprise over the limit it
 * tries every set K of at most `limit` suppliers among the ones it visits and its nearest others
 * (`POOL` in all, its pinned suppliers always in K), those keeping its largest pickups first (its
 * smallest pickups are the ones moved). For each product it then solves a small minimum-distance
 * transportation problem: the enterprise may take from K only; other enterprises *of the same
 * tier* around K may move their packs among the suppliers they already visit (swaps: someone
 * leaves a supplier in K for another of their own suppliers to make room), so nobody ends up
 * visiting more suppliers than before; everyone else stays as they are. The first K for which
 * every product fits is applied. Passes repeat while something changes, so an enterprise that
 * stays over the limit could not be consolidated that way in the final state (as far as the
 * pool and REGION bounds reach: on small zones they cover everything).
 *
 * What is given up: the transportation stage's distances were the minimum; a consolidated
 * enterprise (and whoever made room for it) may now travel further. The minimum is kept within
 * each re-routed region for the chosen K, but not over all possible K.
 */
export interface LimitNote {
  readonly suppliers: number;
  readonly limit: number;
  readonly reason: 'pins' | 'capacity';
}

export interface ConsolidateResult {
  /** Policy lines (pins not included), any order. */
  readonly lines: LineIx[];
  /** Enterprises brought within the limit. */
  readonly moves: number;
  /** Enterprises over the limit before consolidation. */
  readonly overBefore: number;
  /** Enterprises still over the limit, and why. */
  readonly notes: ReadonlyMap<number, LimitNote>;
}

/** Suppliers considered per enterprise: those it visits, then its nearest others. */
const POOL = 8;
/** Other enterprises that may be re-routed to make room, per product and attempt. */
const REGION = 64;

/**
 * @example const c = consolidate(model, reach, freePacks, policyLines); c.notes.get(e)?.reason // 'capacity'
 */
export function consolidate(m: Model, reach: Reach, freePacks: readonly Float64Array[], policy: readonly LineIx[]): ConsolidateResult {
  return new Consolidation(m, reach, freePacks, policy).run();
}

interface RegionSolution {
  readonly p: number;
  /** Re-routed enterprises and their new packs per supplier. */
  readonly flows: Map<number, Map<number, number>>;
}

class Consolidation {
  private readonly limit: number;
  /** [p]: enterprise → supplier → policy packs. */
  private readonly flow: Map<number, Map<number, number>>[];
  private readonly load: Float64Array[];
  /** [p][s]: enterprises with policy packs of p at s, by tier. */
  private readonly users: Map<number, Set<number>>[][];
  /** Per enterprise, bumped whenever its lines change (invalidates `ownCache`). */
  private readonly version = new Map<number, number>();
  /** (p, enterprise) → [version, suppliers it visits that stock p and it reaches, their distances]. */
  private readonly ownCache: Map<number, [number, number[], number[]]>[];
  private readonly pinnedSups = new Map<number, Set<number>>();
  /** enterprise → supplier → how many products it takes there (policy lines). */
  private readonly visits = new Map<number, Map<number, number>>();
  private readonly distCache = new Map<number, Map<number, number>>();
  /** Distance of every pair that had a line before consolidation (e * nS + s). */
  private readonly lineDist = new Map<number, number>();
  /** Changes applied so far, and the last change at each supplier (any product). */
  private epoch = 0;
  private readonly supEpoch: Int32Array;
  /** Enterprises that could not be consolidated: when, and which suppliers that depended on. */
  private readonly failed = new Map<number, { epoch: number; sups: number[] }>();

  constructor(
    private readonly m: Model,
    private readonly reach: Reach,
    private readonly freePacks: readonly Float64Array[],
    policy: readonly LineIx[],
  ) {
    const { nP, nS } = m;
    this.limit = m.maxSuppliersPerEnterprise;
    this.flow = Array.from({ length: nP }, () => new Map());
    this.load = Array.from({ length: nP }, () => new Float64Array(nS));
    this.supEpoch = new Int32Array(nS);
    this.users = Array.from({ length: nP }, () => Array.from({ length: nS }, () => new Map<number, Set<number>>()));
    this.ownCache = Array.from({ length: nP }, () => new Map());
    for (const l of policy) {
      this.set(l.p, l.e, l.s, (this.flow[l.p].get(l.e)?.get(l.s) ?? 0) + l.packs);
      this.lineDist.set(l.e * nS + l.s, l.distM);
    }
    for (const pin of m.pins) {
      const set = this.pinnedSups.get(pin.e) ?? new Set<number>();
      set.add(pin.s);
      this.pinnedSups.set(pin.e, set);
    }
  }

  run(): ConsolidateResult {
    const { m, limit } = this;
    const involved = new Set<number>();
    for (const f of this.flow) for (const e of f.keys()) involved.add(e);
    for (const e of this.pinnedSups.keys()) involved.add(e);
    const over = [...involved].filter((e) => this.visited(e).size > limit).sort((a, b) => m.tier[a] - m.tier[b] || a - b);
    const overBefore = over.length;
    let moves = 0;
    // Each pass that changes something brings someone within the limit for good (nobody else's
    // count can grow), so this ends; later passes only look again at enterprises near a change.
    for (let pass = 0; pass <= over.length; pass++) {
      let changed = false;
      for (const e of over) {
        if (this.visited(e).size <= limit) continue;
        if (this.tryConsolidate(e)) {
          moves++;
          changed = true;
        }
      }
      if (!changed) break;
    }
    const notes = new Map<number, LimitNote>();
    for (const e of over) {
      const n = this.visited(e).size;
      if (n <= limit) continue;
      notes.set(e, { suppliers: n, limit, reason: (this.pinnedSups.get(e)?.size ?? 0) > limit ? 'pins' : 'capacity' });
    }
    const lines: LineIx[] = [];
    this.flow.forEach((byE, p) => {
      for (const [e, byS] of byE) {
        for (const [s, packs] of byS) if (packs > 0) lines.push({ e, s, p, packs, distM: this.lineDist.get(e * m.nS + s) ?? this.dist(e, s) });
      }
    });
    return { lines, moves, overBefore, notes };
  }

  /** Sets enterprise e's policy packs of p at s, keeping loads and user lists in step. */
  private set(p: number, e: number, s: number, packs: number): void {
    let byS = this.flow[p].get(e);
    if (!byS) {
      byS = new Map();
      this.flow[p].set(e, byS);
    }
    const had = (byS.get(s) ?? 0) > 0;
    this.load[p][s] += packs - (byS.get(s) ?? 0);
    this.supEpoch[s] = this.epoch;
    let v = this.visits.get(e);
    if (!v) {
      v = new Map();
      this.visits.set(e, v);
    }
    this.version.set(e, (this.version.get(e) ?? 0) + 1);
    const tier = this.m.tier[e];
    let users = this.users[p][s].get(tier);
    if (!users) {
      users = new Set();
      this.users[p][s].set(tier, users);
    }
    if (packs > 0) {
      byS.set(s, packs);
      users.add(e);
      if (!had) v.set(s, (v.get(s) ?? 0) + 1);
    } else {
      byS.delete(s);
      users.delete(e);
      if (had) {
        const n = v.get(s)! - 1;
        if (n > 0) v.set(s, n);
        else v.delete(s);
      }
    }
  }

  /** Distinct suppliers enterprise e visits: policy lines of every product and its pins. */
  private visited(e: number): Set<number> {
    const out = new Set<number>(this.pinnedSups.get(e) ?? []);
    for (const s of this.visits.get(e)?.keys() ?? []) out.add(s);
    return out;
  }

  /** Reach distance (metres) from e to s, or undefined when s is out of reach or excluded. */
  private reachDist(e: number, s: number): number | undefined {
    let byS = this.distCache.get(e);
    if (!byS) {
      byS = new Map();
      for (let k = this.reach.off[e]; k < this.reach.off[e + 1]; k++) byS.set(this.reach.sup[k], this.reach.dist[k]);
      this.distCache.set(e, byS);
    }
    return byS.get(s);
  }

  private dist(e: number, s: number): number {
    return this.reachDist(e, s) ?? 0;
  }

  private tryConsolidate(e: number): boolean {
    const { limit, freePacks, reach } = this;
    // Nothing near it changed since it last failed: it would fail again.
    const last = this.failed.get(e);
    if (last && !last.sups.some((s) => this.supEpoch[s] > last.epoch)) return false;
    const pinned = this.pinnedSups.get(e) ?? new Set<number>();
    if (pinned.size > limit) return false;
    const need: { p: number; q: number }[] = [];
    const here = new Map<number, number>();
    this.flow.forEach((byE, p) => {
      const byS = byE.get(e);
      if (!byS) return;
      let q = 0;
      for (const [s, packs] of byS) {
        q += packs;
        here.set(s, (here.get(s) ?? 0) + packs);
      }
      if (q > 0) need.push({ p, q });
    });
    // The pool: what it visits, then its nearest suppliers stocking something it needs.
    const pool = [...this.visited(e)].sort((a, b) => a - b);
    for (let k = reach.off[e]; k < reach.off[e + 1] && pool.length < POOL; k++) {
      const s = reach.sup[k];
      if (!pool.includes(s) && need.some(({ p }) => freePacks[p][s] > 0)) pool.push(s);
    }
    const size = Math.min(limit, pool.length);
    const sets: { K: number[]; keep: number; km: number }[] = [];
    const forEachSubset = (from: number, chosen: number[]) => {
      if (chosen.length === size) {
        if ([...pinned].every((s) => chosen.includes(s))) {
          const keep = chosen.reduce((a, s) => a + (here.get(s) ?? 0), 0);
          const km = chosen.reduce((a, s) => a + (this.reachDist(e, s) ?? Infinity), 0);
          sets.push({ K: [...chosen], keep, km });
        }
        return;
      }
      for (let i = from; i <= pool.length - (size - chosen.length); i++) {
        chosen.push(pool[i]);
        forEachSubset(i + 1, chosen);
        chosen.pop();
      }
    };
    forEachSubset(0, []);
    sets.sort((x, y) => y.keep - x.keep || x.km - y.km || compareLists(x.K, y.K));
    // First, without moving anyone else: e alone into what K has left, nearest first (the
    // cheapest way for a single enterprise). Most enterprises are settled here.
    for (const { K } of sets) {
      const plan = this.direct(e, K, need);
      if (!plan) continue;
      this.epoch++;
      for (const { p, byS } of plan) {
        for (const s of [...(this.flow[p].get(e)?.keys() ?? [])]) if (!byS.has(s)) this.set(p, e, s, 0);
        for (const [s, packs] of byS) this.set(p, e, s, packs);
      }
      this.failed.delete(e);
      return true;
    }
    // One region per product around the whole pool; each K only narrows what e may use.
    const regions = need.map(({ p }) => this.region(e, pool, p));
    const touched = new Set<number>(pool);
    for (const r of regions) for (const s of r.sups) touched.add(s);
    let order = need.map((_, i) => i);
    // What e may use of product i within K, as a bit mask over the pool. Fewer suppliers for e
    // can never fit where more did not, so a mask inside a failed one fails too.
    const bit = new Map(pool.map((s, x) => [s, 1 << x]));
    const failedMasks: number[][] = need.map(() => []);
    const fits: Set<number>[] = need.map(() => new Set());
    for (const { K } of sets) {
      const inK = new Set(K);
      // Necessary (Hall): e and the region's enterprises that can only use suppliers e may use
      // within K must fit in what those suppliers have left.
      if (regions.some((r) => !this.hallHolds(r, inK))) continue;
      let failedAt = -1;
      for (const i of order) {
        let mask = 0;
        for (const s of regions[i].eMay) if (inK.has(s)) mask |= bit.get(s)!;
        if (fits[i].has(mask)) continue;
        if (!failedMasks[i].some((f) => (mask & ~f) === 0) && this.feasible(regions[i], inK)) {
          fits[i].add(mask);
          continue;
        }
        failedMasks[i].push(mask);
        failedAt = i;
        break;
      }
      if (failedAt >= 0) {
        // Try the product that failed first next time: most sets fail on the same one.
        order = [failedAt, ...order.filter((i) => i !== failedAt)];
        continue;
      }
      // It fits: now the shortest re-routing for this K.
      const solutions: RegionSolution[] = [];
      for (const r of regions) {
        const sol = this.solveRegion(r, inK);
        if (!sol) break;
        solutions.push(sol);
      }
      if (solutions.length < regions.length) continue;
      this.epoch++;
      for (const sol of solutions) {
        for (const [f, byS] of sol.flows) {
          for (const s of [...(this.flow[sol.p].get(f)?.keys() ?? [])]) if (!byS.has(s)) this.set(sol.p, f, s, 0);
          for (const [s, packs] of byS) this.set(sol.p, f, s, packs);
        }
      }
      this.failed.delete(e);
      return this.visited(e).size <= limit;
    }
    this.failed.set(e, { epoch: this.epoch, sups: [...touched] });
    return false;
  }

  /**
   * The region of product p around the pool: e (which may use pool suppliers), and enterprises
   * of e's tier using a supplier of the region, which may move among the suppliers they already
   * visit (the region grows through them, up to REGION enterprises); everyone else keeps their
   * packs, so what they take is not available.
   */
  /** The suppliers f already visits that stock p and that it reaches, nearest first, with distances (cached). */
  private own(f: number, p: number): [number[], number[]] {
    const ver = this.version.get(f) ?? 0;
    const hit = this.ownCache[p].get(f);
    if (hit && hit[0] === ver) return [hit[1], hit[2]];
    const v = this.visits.get(f);
    const pins = this.pinnedSups.get(f);
    const sups: number[] = [];
    const dists: number[] = [];
    const { reach } = this;
    const free = this.freePacks[p];
    for (let k = reach.off[f]; k < reach.off[f + 1]; k++) {
      const t = reach.sup[k];
      if (free[t] > 0 && (v?.has(t) || pins?.has(t))) {
        sups.push(t);
        dists.push(reach.dist[k]);
      }
    }
    this.ownCache[p].set(f, [ver, sups, dists]);
    return [sups, dists];
  }

  private region(e: number, pool: readonly number[], p: number): Region {
    const { m, freePacks } = this;
    const tier = m.tier[e];
    const allowed = new Map<number, number[]>();
    const allowedDist = new Map<number, number[]>();
    const eMay = pool.filter((s) => freePacks[p][s] > 0 && this.reachDist(e, s) !== undefined);
    allowed.set(e, eMay);
    allowedDist.set(
      e,
      eMay.map((s) => this.reachDist(e, s)!),
    );
    const sups: number[] = [];
    const inRegion = new Set<number>();
    const addSup = (s: number) => {
      if (inRegion.has(s)) return;
      inRegion.add(s);
      sups.push(s);
    };
    for (const s of eMay) addSup(s);
    for (let h = 0; h < sups.length && allowed.size <= REGION; h++) {
      for (const f of this.users[p][sups[h]].get(tier) ?? []) {
        if (allowed.size > REGION) break;
        if (allowed.has(f)) continue;
        const [own, dists] = this.own(f, p);
        allowed.set(f, own);
        allowedDist.set(f, dists);
        for (const t of own) addSup(t);
      }
    }
    const ents = [...allowed.keys()];
    const supIndex = new Map(sups.map((s, i) => [s, i]));
    const nSup = sups.length;
    // avail: what nobody outside the region takes; spare: what is left now.
    const avail = sups.map((s) => freePacks[p][s] - this.load[p][s]);
    const spare = Float64Array.from(avail);
    const cur = new Float64Array(ents.length * nSup);
    const demand = ents.map((f, j) => {
      let q = 0;
      for (const [s, packs] of this.flow[p].get(f) ?? []) {
        q += packs;
        const i = supIndex.get(s);
        if (i === undefined) continue;
        cur[j * nSup + i] = packs;
        avail[i] += packs;
      }
      return q;
    });
    const arcs = ents.map((f) => allowed.get(f)!.map((s) => supIndex.get(s)!));
    return { p, e, ents, allowed, allowedDist, sups, avail, demand, eMay: new Set(eMay), cur, spare, arcs };
  }

  /** e's packs of every product from K alone, nearest first, within what K has left; or null. */
  private direct(e: number, K: readonly number[], need: readonly { p: number; q: number }[]): { p: number; byS: Map<number, number> }[] | null {
    const byDist = K.filter((s) => this.reachDist(e, s) !== undefined).sort((a, b) => this.reachDist(e, a)! - this.reachDist(e, b)! || a - b);
    const plan: { p: number; byS: Map<number, number> }[] = [];
    for (const { p, q } of need) {
      const mine = this.flow[p].get(e);
      let left = q;
      const byS = new Map<number, number>();
      for (const s of byDist) {
        const spare = this.freePacks[p][s] - this.load[p][s] + (mine?.get(s) ?? 0);
        const take = Math.min(left, spare);
        if (take <= 0) continue;
        byS.set(s, take);
        left -= take;
        if (left === 0) break;
      }
      if (left > 0) return null;
      plan.push({ p, byS });
    }
    return plan;
  }

  /**
   * Whether e's packs fit with e limited to K: what e takes outside K is given up, then pushed
   * back along augmenting paths (e → a supplier in K → someone there moves to another of their
   * suppliers → … → a supplier with packs left, which includes those e gave up).
   */
  private feasible(r: Region, K: ReadonlySet<number>): boolean {
    const { sups, arcs, ents } = r;
    const nSup = sups.length;
    const J = ents.length;
    const eIdx = ents.indexOf(r.e);
    const f = r.cur.slice();
    const spare = r.spare.slice();
    const mayE = new Uint8Array(nSup);
    for (const i of arcs[eIdx]) if (K.has(sups[i])) mayE[i] = 1;
    let missing = 0;
    const eRow = eIdx * nSup;
    for (let i = 0; i < nSup; i++) {
      if (!mayE[i] && f[eRow + i] > 0) {
        missing += f[eRow + i];
        spare[i] += f[eRow + i];
        f[eRow + i] = 0;
      }
    }
    // Suppliers reached in the search: via which enterprise (-1: from e directly).
    const viaE = new Int32Array(nSup);
    const prevSup = new Int32Array(J);
    const seenS = new Uint8Array(nSup);
    const seenE = new Uint8Array(J);
    const queue: number[] = [];
    while (missing > 0) {
      seenS.fill(0);
      seenE.fill(0);
      queue.length = 0;
      for (const i of arcs[eIdx]) {
        if (!mayE[i] || seenS[i]) continue;
        seenS[i] = 1;
        viaE[i] = -1;
        queue.push(i);
      }
      let end = -1;
      for (let h = 0; h < queue.length; h++) {
        const i = queue[h];
        if (spare[i] > 0) {
          end = i;
          break;
        }
        for (let j = 0; j < J; j++) {
          if (j === eIdx || seenE[j] || f[j * nSup + i] <= 0) continue;
          seenE[j] = 1;
          prevSup[j] = i;
          for (const i2 of arcs[j]) {
            if (seenS[i2]) continue;
            seenS[i2] = 1;
            viaE[i2] = j;
            queue.push(i2);
          }
        }
      }
      if (end < 0) return false;
      // Bottleneck along the path back to e.
      let amount = Math.min(missing, spare[end]);
      for (let i = end; viaE[i] >= 0; i = prevSup[viaE[i]]) amount = Math.min(amount, f[viaE[i] * nSup + prevSup[viaE[i]]]);
      for (let i = end; ; ) {
        const j = viaE[i];
        if (j < 0) {
          f[eRow + i] += amount;
          break;
        }
        const from = prevSup[j];
        f[j * nSup + i] += amount;
        f[j * nSup + from] -= amount;
        i = from;
      }
      spare[end] -= amount;
      missing -= amount;
    }
    return true;
  }

  /** Hall's condition for the set {e} ∪ {f whose suppliers all lie in B}, B = what e may use in K. */
  private hallHolds(r: Region, K: ReadonlySet<number>): boolean {
    let cap = 0;
    const B = new Set<number>();
    r.sups.forEach((s, x) => {
      if (K.has(s) && r.eMay.has(s)) {
        B.add(s);
        cap += r.avail[x];
      }
    });
    let want = 0;
    r.ents.forEach((f, j) => {
      if (f === r.e || r.allowed.get(f)!.every((s) => B.has(s))) want += r.demand[j];
    });
    return want <= cap;
  }

  /** Minimum-distance re-routing of the region with e limited to K; null when it does not fit. */
  private solveRegion(r: Region, K: ReadonlySet<number>): RegionSolution | null {
    const { m } = this;
    const { ents, sups, avail, demand, allowed, e } = r;
    const supIndex = new Map(sups.map((s, i) => [s, i]));
    const nS = sups.length;
    const J = ents.length;
    const supply = new Float64Array(nS + J + 1);
    let total = 0;
    for (let i = 0; i < nS; i++) {
      supply[i] = avail[i];
      total += avail[i];
    }
    for (let j = 0; j < J; j++) {
      supply[nS + j] = -demand[j];
      total -= demand[j];
    }
    if (total < 0) return null;
    supply[nS + J] = -total;
    let arcs = 0;
    for (const f of ents) arcs += allowed.get(f)!.length;
    const ns = new NetworkSimplex(supply, arcs + nS, (m.maxDistanceM + 1) * (nS + J + 2), nS, nS + J);
    const arcF: number[] = [];
    const arcS: number[] = [];
    ents.forEach((f, j) => {
      const dists = r.allowedDist.get(f)!;
      allowed.get(f)!.forEach((s, x) => {
        if (f === e && !K.has(s)) return;
        ns.addArc(supIndex.get(s)!, nS + j, dists[x]);
        arcF.push(f);
        arcS.push(s);
      });
    });
    for (let i = 0; i < nS; i++) ns.addArc(i, nS + J, 0);
    ns.solve();
    if (ns.artificialFlow() > 0) return null;
    const flows = new Map<number, Map<number, number>>();
    for (const f of ents) flows.set(f, new Map());
    for (let a = 0; a < arcF.length; a++) {
      const x = ns.flow(ns.firstArc + a);
      if (x > 0) flows.get(arcF[a])!.set(arcS[a], x);
    }
    return { p: r.p, flows };
  }
}

interface Region {
  readonly p: number;
  readonly e: number;
  readonly ents: number[];
  readonly allowed: Map<number, number[]>;
  readonly allowedDist: Map<number, number[]>;
  readonly sups: number[];
  /** Packs of p at each region supplier not taken by anyone outside the region. */
  readonly avail: number[];
  readonly demand: number[];
  /** Pool suppliers e may take p from. */
  readonly eMay: Set<number>;
  /** Current packs per (enterprise, supplier) index (row-major), what suppliers have left, and allowed supplier indices per enterprise. */
  readonly cur: Float64Array;
  readonly spare: Float64Array;
  readonly arcs: number[][];
}

function compareLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
