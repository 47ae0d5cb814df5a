import type { LineIx } from './figures.js';
import type { TransportLine } from './transport.js';
import { FloatBuffer, IntBuffer } from './int-buffer.js';
import type { Model } from './model.js';
import { NetworkSimplex } from './network-simplex.js';
import type { Reach } from './reach.js';
import { keepShape } from './shapes.js';

/**
 * Stage 6, the supplier limit (`maxSuppliersPerEnterprise`, R5): an enterprise should not
 * have to visit more distinct suppliers, over all products, than the zone allows.
 *
 * Quantities are settled by then (R1–R4 rank above R5), so consolidation only moves
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
  /** Policy lines (pins not included), in order of enterprise, supplier and product. */
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
 * @example const c = consolidate(model, reach, freePacks, transportLinesByProduct); c.notes.get(e)?.reason // 'capacity'
 */
export function consolidate(m: Model, reach: Reach, freePacks: readonly Float64Array[], policy: readonly (readonly TransportLine[])[]): ConsolidateResult {
  return new Consolidation(m, reach, freePacks, policy).run();
}

interface RegionSolution {
  readonly p: number;
  /** Re-routed enterprises and their new packs per supplier. */
  readonly flows: Map<number, Map<number, number>>;
}

class Consolidation {
  private readonly limit: number;
  /**
   * Per enterprise a row of slots, one per supplier it visits (policy lines or pins), with room
   * for `limit` more (an enterprise being consolidated may pick up new suppliers before it drops
   * old ones; everyone else only ever drops suppliers). `slotQ[p]` holds its policy packs of p.
   */
  private readonly rowOff: Int32Array;
  private readonly rowLen: Int32Array;
  private readonly slotSup: Int32Array;
  /** Distance of the pair (metres), -1 when out of reach (a pin can be). */
  private readonly slotDist: Int32Array;
  private readonly slotPin: Uint8Array;
  private readonly slotQ: Float64Array[];
  private readonly load: Float64Array[];
  /** [p][s]: enterprises with policy packs of p at s, by tier. */
  private readonly users: Map<number, Set<number>>[][];
  /** Scratch per enterprise for region building. */
  private readonly entSeen: Int32Array;
  private readonly distCache = new Map<number, Map<number, number>>();
  /** Scratch of `feasible`, grown as needed. */
  private fBuf = new Float64Array(64);
  private spareBuf = new Float64Array(64);
  private viaBuf = new Int32Array(64);
  private seenSBuf = new Uint8Array(64);
  private queueBuf = new Int32Array(64);
  private backBuf = new Int32Array(64);
  private seenEBuf = new Uint8Array(64);
  /** Scratch per supplier for region building. */
  private readonly supSlot: Int32Array;
  private readonly supSeen: Int32Array;
  private regionStamp = 0;
  /** Scratch of `region`: the arcs being collected. */
  private readonly arcS = new IntBuffer(256);
  private readonly arcD = new FloatBuffer(256);
  private readonly arcQ = new FloatBuffer(256);
  private readonly offs = new IntBuffer(128);
  /** Changes applied so far, and the last change at each supplier (any product). */
  private epoch = 0;
  private readonly supEpoch: Int32Array;
  /** Enterprises that could not be consolidated: when, and which suppliers that depended on. */
  private readonly failed = new Map<number, { epoch: number; sups: number[] }>();

  constructor(
    private readonly m: Model,
    private readonly reach: Reach,
    private readonly freePacks: readonly Float64Array[],
    policy: readonly (readonly TransportLine[])[],
  ) {
    const { nP, nS, nE } = m;
    this.limit = m.maxSuppliersPerEnterprise;
    this.load = Array.from({ length: nP }, () => new Float64Array(nS));
    this.supEpoch = new Int32Array(nS);
    this.supSlot = new Int32Array(nS);
    this.supSeen = new Int32Array(nS);
    this.users = Array.from({ length: nP }, () => Array.from({ length: nS }, () => new Map<number, Set<number>>()));
    this.entSeen = new Int32Array(nE);
    // Rows: distinct suppliers per enterprise (lines and pins), plus room for `limit` more.
    const pairs: number[] = [];
    for (const lines of policy) for (const l of lines) pairs.push(l.e * nS + l.s);
    for (const pin of m.pins) pairs.push(pin.e * nS + pin.s);
    const sorted = Float64Array.from(pairs).sort();
    const count = new Int32Array(nE);
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) count[Math.floor(sorted[i] / nS)]++;
    this.rowOff = new Int32Array(nE + 1);
    for (let e = 0; e < nE; e++) this.rowOff[e + 1] = this.rowOff[e] + (count[e] > 0 ? count[e] + this.limit : 0);
    const size = this.rowOff[nE];
    this.rowLen = new Int32Array(nE);
    this.slotSup = new Int32Array(size);
    this.slotDist = new Int32Array(size);
    this.slotPin = new Uint8Array(size);
    this.slotQ = Array.from({ length: nP }, () => new Float64Array(size));
    for (const pin of m.pins) {
      const x = this.slotOf(pin.e, pin.s) ?? this.addSlot(pin.e, pin.s, this.reachDist(pin.e, pin.s) ?? -1);
      this.slotPin[x] = 1;
    }
    for (let p = 0; p < nP; p++) {
      for (const l of policy[p]) {
        const x = this.slotOf(l.e, l.s);
        this.set(p, l.e, l.s, (x === undefined ? 0 : this.slotQ[p][x]) + l.packs, l.distM);
      }
    }
  }

  run(): ConsolidateResult {
    const { m, limit } = this;
    const over: number[] = [];
    for (let e = 0; e < m.nE; e++) if (this.rowLen[e] > limit) over.push(e);
    over.sort((a, b) => m.tier[a] - m.tier[b] || a - b);
    const overBefore = over.length;
    let moves = 0;
    // Each pass that changes something brings someone within the limit for good (nobody else's
    // count can grow), so this ends; later passes only look again at enterprises near a change.
    for (let pass = 0; pass <= over.length; pass++) {
      let changed = false;
      for (const e of over) {
        if (this.rowLen[e] <= limit) continue;
        if (this.tryConsolidate(e)) {
          moves++;
          changed = true;
        }
      }
      if (!changed) break;
    }
    const notes = new Map<number, LimitNote>();
    for (const e of over) {
      const n = this.rowLen[e];
      if (n <= limit) continue;
      let pins = 0;
      for (let x = this.rowOff[e]; x < this.rowOff[e] + n; x++) pins += this.slotPin[x];
      notes.set(e, { suppliers: n, limit, reason: pins > limit ? 'pins' : 'capacity' });
    }
    const lines: LineIx[] = [];
    const bySup: number[] = [];
    for (let e = 0; e < m.nE; e++) {
      // The row's slots by supplier (a handful): lines come out in result order, with no sort of all lines.
      bySup.length = 0;
      for (let x = this.rowOff[e], end = x + this.rowLen[e]; x < end; x++) bySup.push(x);
      bySup.sort((x, y) => this.slotSup[x] - this.slotSup[y]);
      for (const x of bySup) {
        for (let p = 0; p < m.nP; p++) {
          const q = this.slotQ[p][x];
          if (q > 0) lines.push({ e, s: this.slotSup[x], p, packs: q, distM: Math.max(0, this.slotDist[x]) });
        }
      }
    }
    keepShape(this);
    return { lines, moves, overBefore, notes };
  }

  /** The slot of supplier s in e's row, if e visits s. */
  private slotOf(e: number, s: number): number | undefined {
    for (let x = this.rowOff[e], end = x + this.rowLen[e]; x < end; x++) if (this.slotSup[x] === s) return x;
    return undefined;
  }

  private addSlot(e: number, s: number, dist: number): number {
    if (this.rowOff[e] + this.rowLen[e] >= this.rowOff[e + 1]) throw new Error('consolidate: row full (internal error)');
    const x = this.rowOff[e] + this.rowLen[e]++;
    this.slotSup[x] = s;
    this.slotDist[x] = dist;
    this.slotPin[x] = 0;
    for (const q of this.slotQ) q[x] = 0;
    return x;
  }

  /** Drops slot x of e's row (the last slot moves into its place). */
  private dropSlot(e: number, x: number): void {
    const last = this.rowOff[e] + --this.rowLen[e];
    this.slotSup[x] = this.slotSup[last];
    this.slotDist[x] = this.slotDist[last];
    this.slotPin[x] = this.slotPin[last];
    for (const q of this.slotQ) q[x] = q[last];
  }

  /** Sets enterprise e's policy packs of p at s, keeping loads, user lists and rows in step. */
  private set(p: number, e: number, s: number, packs: number, dist?: number): void {
    let x = this.slotOf(e, s);
    if (x === undefined) {
      if (packs <= 0) return;
      x = this.addSlot(e, s, dist ?? this.reachDist(e, s) ?? -1);
    }
    const old = this.slotQ[p][x];
    this.load[p][s] += packs - old;
    this.supEpoch[s] = this.epoch;
    this.slotQ[p][x] = packs;
    const tier = this.m.tier[e];
    let users = this.users[p][s].get(tier);
    if (!users) {
      users = new Set();
      this.users[p][s].set(tier, users);
    }
    if (packs > 0) users.add(e);
    else users.delete(e);
    if (packs <= 0 && !this.slotPin[x] && this.slotQ.every((q) => q[x] <= 0)) this.dropSlot(e, x);
  }

  /** e's policy packs of p per supplier. */
  private packsOf(e: number, p: number): Map<number, number> {
    const out = new Map<number, number>();
    const q = this.slotQ[p];
    for (let x = this.rowOff[e], end = x + this.rowLen[e]; x < end; x++) if (q[x] > 0) out.set(this.slotSup[x], q[x]);
    return out;
  }

  /** Replaces e's policy packs of p by `byS`. */
  private replace(p: number, e: number, byS: ReadonlyMap<number, number>): void {
    // The suppliers left, in row order, gathered first: `set` may drop a slot and reorder the row.
    const q = this.slotQ[p];
    const left: number[] = [];
    for (let x = this.rowOff[e], end = x + this.rowLen[e]; x < end; x++) if (q[x] > 0 && !byS.has(this.slotSup[x])) left.push(this.slotSup[x]);
    for (const s of left) this.set(p, e, s, 0);
    for (const [s, packs] of byS) this.set(p, e, s, packs);
  }

  /** Distinct suppliers enterprise e visits: policy lines of every product and its pins. */
  private visited(e: number): number[] {
    return Array.from(this.slotSup.subarray(this.rowOff[e], this.rowOff[e] + this.rowLen[e]));
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

  private tryConsolidate(e: number): boolean {
    const { limit, freePacks, reach } = this;
    // Nothing near it changed since it last failed: it would fail again.
    const last = this.failed.get(e);
    if (last && !last.sups.some((s) => this.supEpoch[s] > last.epoch)) return false;
    const pinned: number[] = [];
    for (let x = this.rowOff[e]; x < this.rowOff[e] + this.rowLen[e]; x++) if (this.slotPin[x]) pinned.push(this.slotSup[x]);
    if (pinned.length > limit) return false;
    const need: { p: number; q: number }[] = [];
    // What e holds of each needed product per supplier, and of all products together.
    const mines: Map<number, number>[] = [];
    const here = new Map<number, number>();
    for (let p = 0; p < this.m.nP; p++) {
      const mine = this.packsOf(e, p);
      let q = 0;
      for (const [s, packs] of mine) {
        q += packs;
        here.set(s, (here.get(s) ?? 0) + packs);
      }
      if (q > 0) {
        need.push({ p, q });
        mines.push(mine);
      }
    }
    // The pool: what it visits, then its nearest suppliers stocking something it needs.
    const pool = this.visited(e).sort((a, b) => a - b).slice(0, 30); // bit masks below
    for (let k = reach.off[e]; k < reach.off[e + 1] && pool.length < POOL; k++) {
      const s = reach.sup[k];
      if (!pool.includes(s) && need.some(({ p }) => freePacks[p][s] > 0)) pool.push(s);
    }
    const sets = this.candidateSets(e, pool, pinned, here);
    // First, without moving anyone else: e alone into what K has left, nearest first (the
    // cheapest way for a single enterprise). What e holds and the pool's order by distance are
    // the same for every K.
    const byDist = pool.filter((s) => this.reachDist(e, s) !== undefined).sort((a, b) => this.reachDist(e, a)! - this.reachDist(e, b)! || a - b);
    for (const { K } of sets) {
      const plan = this.direct(K, need, mines, byDist);
      if (!plan) continue;
      this.epoch++;
      for (const { p, byS } of plan) this.replace(p, e, byS);
      this.failed.delete(e);
      return true;
    }
    return this.viaRegions(e, pool, sets, need);
  }

  /**
   * The sets K of at most `limit` suppliers of the pool that hold e's pins, those keeping its
   * largest pickups first, then the nearest. (Steps of `tryConsolidate` are methods of their own
   * so that V8 compiles each on its own, see solveGroup in fair-share.ts.)
   */
  private candidateSets(e: number, pool: readonly number[], pinned: readonly number[], here: ReadonlyMap<number, number>): { K: number[]; keep: number; km: number }[] {
    const size = Math.min(this.limit, pool.length);
    const sets: { K: number[]; keep: number; km: number }[] = [];
    const forEachSubset = (from: number, chosen: number[]) => {
      if (chosen.length === size) {
        if (pinned.every((s) => chosen.includes(s))) {
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
    return sets.sort((x, y) => y.keep - x.keep || x.km - y.km || compareLists(x.K, y.K));
  }

  /**
   * The sets K in order, each with other enterprises of e's tier re-routed around it; the first
   * one every product fits in is applied. Returns whether e is within the limit then; when none
   * fits, e is remembered as failed with the suppliers that depended on.
   */
  private viaRegions(e: number, pool: readonly number[], sets: readonly { K: number[] }[], need: readonly { p: number; q: number }[]): boolean {
    const { limit } = this;
    // One region per product around the whole pool (built when first needed); each K only
    // narrows what e may use.
    const regions: (Region | undefined)[] = need.map(() => undefined);
    const regionOf = (i: number) => (regions[i] ??= this.region(e, pool, need[i].p));
    let order = need.map((_, i) => i);
    // What e may use of product i within K, as a bit mask over the pool. Fewer suppliers for e
    // can never fit where more did not, so a mask inside a failed one fails too.
    const failedMasks: number[][] = need.map(() => []);
    const fits: Set<number>[] = need.map(() => new Set());
    for (const { K } of sets) {
      let kMask = 0;
      for (const s of K) kMask |= 1 << pool.indexOf(s);
      let failedAt = -1;
      for (const i of order) {
        const r = regionOf(i);
        const mask = kMask & r.eMask;
        if (fits[i].has(mask)) continue;
        // Necessary (Hall): e and the region's enterprises that can only use suppliers e may
        // use within K must fit in what those suppliers have left; then the real test.
        if (!failedMasks[i].some((f) => (mask & ~f) === 0) && this.hallHolds(r, mask) && this.feasible(r, mask)) {
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
      for (let i = 0; i < need.length; i++) {
        const r = regionOf(i);
        const sol = this.solveRegion(r, kMask & r.eMask);
        if (!sol) break;
        solutions.push(sol);
      }
      if (solutions.length < need.length) continue;
      this.epoch++;
      for (const sol of solutions) for (const [f, byS] of sol.flows) this.replace(sol.p, f, byS);
      this.failed.delete(e);
      return this.rowLen[e] <= limit;
    }
    const touched = new Set<number>(pool);
    for (const r of regions) for (const s of r?.sups ?? []) touched.add(s);
    this.failed.set(e, { epoch: this.epoch, sups: [...touched] });
    return false;
  }

  /**
   * e's packs of every product from K alone, nearest first, within what K has left; or null.
   * `mines`: what e holds of each needed product per supplier; `byDist`: the pool suppliers e
   * reaches, nearest first (ties by supplier).
   */
  private direct(
    K: readonly number[],
    need: readonly { p: number; q: number }[],
    mines: readonly ReadonlyMap<number, number>[],
    byDist: readonly number[],
  ): { p: number; byS: Map<number, number> }[] | null {
    const plan: { p: number; byS: Map<number, number> }[] = [];
    for (let i = 0; i < need.length; i++) {
      const { p, q } = need[i];
      const mine = mines[i];
      let left = q;
      const byS = new Map<number, number>();
      for (const s of byDist) {
        if (!K.includes(s)) continue;
        const spare = this.freePacks[p][s] - this.load[p][s] + (mine.get(s) ?? 0);
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
   * The region of product p around the pool: e (which may use pool suppliers), and enterprises
   * of e's tier using a supplier of the region that visit another supplier stocking p, which may
   * move among the suppliers they already visit (the region grows through them, up to REGION
   * enterprises); everyone else keeps their packs, so what they take is not available. Arcs are kept flat: per enterprise (e first) the
   * suppliers it may use, with distance and current packs.
   */
  private region(e: number, pool: readonly number[], p: number): Region {
    const { m, freePacks } = this;
    const tier = m.tier[e];
    const stamp = ++this.regionStamp;
    const slot = this.supSlot;
    const sups: number[] = [];
    const addSup = (s: number) => {
      if (this.supSeen[s] === stamp) return;
      this.supSeen[s] = stamp;
      slot[s] = sups.length;
      sups.push(s);
    };
    const ents: number[] = [e];
    // Each enterprise's arcs (e first), flat: supplier, distance, current packs; `offs` per enterprise.
    const { arcS, arcD, arcQ, offs } = this;
    arcS.length = 0;
    arcD.length = 0;
    arcQ.length = 0;
    offs.length = 0;
    offs.push(0);
    const fp = freePacks[p];
    const eMay = pool.filter((s) => fp[s] > 0 && this.reachDist(e, s) !== undefined);
    const mine = this.packsOf(e, p);
    for (const s of eMay) {
      arcS.push(s);
      arcD.push(this.reachDist(e, s)!);
      arcQ.push(mine.get(s) ?? 0);
    }
    offs.push(arcS.length);
    this.entSeen[e] = stamp;
    for (const s of eMay) addSup(s);
    const qp = this.slotQ[p];
    for (let h = 0; h < sups.length && ents.length <= REGION; h++) {
      for (const f of this.users[p][sups[h]].get(tier) ?? []) {
        if (ents.length > REGION) break;
        if (this.entSeen[f] === stamp) continue;
        this.entSeen[f] = stamp;
        // The suppliers it visits that stock p and that it reaches. With one, it cannot move:
        // it stays outside, its packs not available (most visit one supplier: no need to look).
        if (this.rowLen[f] < 2) continue;
        const first = arcS.length;
        for (let x = this.rowOff[f], end = x + this.rowLen[f]; x < end; x++) {
          const t = this.slotSup[x];
          if (fp[t] <= 0 || this.slotDist[x] < 0) continue;
          arcS.push(t);
          arcD.push(this.slotDist[x]);
          arcQ.push(qp[x]);
        }
        if (arcS.length - first < 2) {
          // It cannot move after all: its arcs are taken back.
          arcS.length = first;
          arcD.length = first;
          arcQ.length = first;
          continue;
        }
        offs.push(arcS.length);
        ents.push(f);
        for (let a = first; a < arcS.length; a++) addSup(arcS.data[a]);
      }
    }
    const J = ents.length;
    const nSup = sups.length;
    const arcOff = offs.toArray();
    const nA = arcOff[J];
    const arcSup = new Int32Array(nA);
    const arcDist = arcD.toArray();
    const arcFlow = arcQ.toArray();
    const avail = new Float64Array(nSup);
    for (let i = 0; i < nSup; i++) avail[i] = fp[sups[i]] - this.load[p][sups[i]];
    const spare = Float64Array.from(avail);
    const demand = new Float64Array(J);
    for (let j = 0; j < J; j++) {
      for (let a = arcOff[j]; a < arcOff[j + 1]; a++) {
        const i = slot[arcS.data[a]];
        arcSup[a] = i;
        const q = arcFlow[a];
        demand[j] += q;
        avail[i] += q;
      }
    }
    // Arcs into each supplier (CSR), for the search back from a supplier to who takes from it.
    const inOff = new Int32Array(nSup + 1);
    for (let a = 0; a < nA; a++) inOff[arcSup[a] + 1]++;
    for (let i = 0; i < nSup; i++) inOff[i + 1] += inOff[i];
    const fill = inOff.slice(0, nSup);
    const inArc = new Int32Array(nA);
    const arcOwner = new Int32Array(nA);
    for (let j = 0; j < J; j++) for (let a = arcOff[j]; a < arcOff[j + 1]; a++) arcOwner[a] = j;
    for (let a = 0; a < nA; a++) inArc[fill[arcSup[a]]++] = a;
    // For Hall's test: each enterprise's suppliers as a mask over the pool (-1: not all in it);
    // e's arcs as pool bits; what each pool supplier has for the region.
    const bitOf = (s: number) => {
      const x = pool.indexOf(s);
      return x < 0 ? -1 : 1 << x;
    };
    const poolMask = new Int32Array(J);
    for (let j = 0; j < J; j++) {
      let mask = 0;
      for (let a = arcOff[j]; a < arcOff[j + 1] && mask >= 0; a++) {
        const b = bitOf(arcS.data[a]);
        mask = b < 0 ? -1 : mask | b;
      }
      poolMask[j] = mask;
    }
    const eArcBit = eMay.map(bitOf);
    const availBit = new Float64Array(pool.length);
    for (let x = 0; x < pool.length; x++) if (this.supSeen[pool[x]] === stamp) availBit[x] = avail[slot[pool[x]]];
    const eMask = eArcBit.reduce((mask, b) => mask | b, 0);
    return { p, ents, sups, arcOff, arcSup, arcDist, arcFlow, arcOwner, inOff, inArc, avail, spare, demand, poolMask, eArcBit, availBit, eMask };
  }

  /** Hall's condition for the set {e} ∪ {f whose suppliers all lie in B} (B: pool bits e may use). */
  private hallHolds(r: Region, B: number): boolean {
    let cap = 0;
    for (let x = 0; x < r.availBit.length; x++) if (B & (1 << x)) cap += r.availBit[x];
    let want = r.demand[0];
    for (let j = 1; j < r.ents.length; j++) {
      const mask = r.poolMask[j];
      if (mask >= 0 && (mask & ~B) === 0) want += r.demand[j];
    }
    return want <= cap;
  }

  /**
   * Whether e's packs fit when e may only use the pool suppliers in B: what e takes elsewhere is
   * given up, then pushed back along augmenting paths (e → a supplier in B → someone there moves
   * to another of their suppliers → … → a supplier with packs left, which includes those e gave up).
   */
  private feasible(r: Region, B: number): boolean {
    const { arcOff, arcSup, arcOwner, inOff, inArc, eArcBit } = r;
    const nSup = r.sups.length;
    const J = r.ents.length;
    // Scratch reused across calls (this runs thousands of times; garbage is what drives memory).
    const nA = r.arcFlow.length;
    if (this.fBuf.length < nA) this.fBuf = new Float64Array(2 * nA);
    if (this.spareBuf.length < nSup) {
      this.spareBuf = new Float64Array(2 * nSup);
      this.viaBuf = new Int32Array(2 * nSup);
      this.seenSBuf = new Uint8Array(2 * nSup);
      this.queueBuf = new Int32Array(2 * nSup);
    }
    if (this.backBuf.length < J) {
      this.backBuf = new Int32Array(2 * J);
      this.seenEBuf = new Uint8Array(2 * J);
    }
    const f = this.fBuf;
    const spare = this.spareBuf;
    f.set(r.arcFlow);
    spare.set(r.spare);
    let missing = 0;
    for (let x = 0; x < eArcBit.length; x++) {
      if (B & eArcBit[x]) continue;
      const a = arcOff[0] + x;
      missing += f[a];
      spare[arcSup[a]] += f[a];
      f[a] = 0;
    }
    // viaArc[i]: the arc by which supplier i was reached; backArc[j]: the arc j gives up.
    const viaArc = this.viaBuf;
    const backArc = this.backBuf;
    const seenS = this.seenSBuf;
    const seenE = this.seenEBuf;
    const queue = this.queueBuf;
    while (missing > 0) {
      seenS.fill(0, 0, nSup);
      seenE.fill(0, 0, J);
      let tail = 0;
      seenE[0] = 1;
      for (let x = 0; x < eArcBit.length; x++) {
        const i = arcSup[arcOff[0] + x];
        if (!(B & eArcBit[x]) || seenS[i]) continue;
        seenS[i] = 1;
        viaArc[i] = arcOff[0] + x;
        queue[tail++] = i;
      }
      let end = -1;
      for (let h = 0; h < tail && end < 0; h++) {
        const i = queue[h];
        if (spare[i] > 0) {
          end = i;
          break;
        }
        for (let k = inOff[i]; k < inOff[i + 1]; k++) {
          const a = inArc[k];
          const j = arcOwner[a];
          if (seenE[j] || f[a] <= 0) continue;
          seenE[j] = 1;
          backArc[j] = a;
          for (let b = arcOff[j]; b < arcOff[j + 1]; b++) {
            const i2 = arcSup[b];
            if (seenS[i2]) continue;
            seenS[i2] = 1;
            viaArc[i2] = b;
            queue[tail++] = i2;
          }
        }
      }
      if (end < 0) return false;
      let amount = Math.min(missing, spare[end]);
      for (let i = end; arcOwner[viaArc[i]] !== 0; i = arcSup[backArc[arcOwner[viaArc[i]]]]) amount = Math.min(amount, f[backArc[arcOwner[viaArc[i]]]]);
      for (let i = end; ; ) {
        const a = viaArc[i];
        f[a] += amount;
        const j = arcOwner[a];
        if (j === 0) break;
        const back = backArc[j];
        f[back] -= amount;
        i = arcSup[back];
      }
      spare[end] -= amount;
      missing -= amount;
    }
    return true;
  }

  /** Minimum-distance re-routing of the region with e limited to the pool suppliers in B; null when it does not fit. */
  private solveRegion(r: Region, B: number): RegionSolution | null {
    const { ents, sups, avail, demand, arcOff, arcSup, arcDist, arcOwner, eArcBit } = r;
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
    const ns = new NetworkSimplex(supply, arcOff[J] + nS, (this.m.maxDistanceM + 1) * (nS + J + 2), nS, nS + J);
    const used: number[] = [];
    for (let j = 0; j < J; j++) {
      for (let a = arcOff[j]; a < arcOff[j + 1]; a++) {
        if (j === 0 && !(B & eArcBit[a - arcOff[0]])) continue;
        ns.addArc(arcSup[a], nS + j, arcDist[a]);
        used.push(a);
      }
    }
    for (let i = 0; i < nS; i++) ns.addArc(i, nS + J, 0);
    ns.solve();
    if (ns.artificialFlow() > 0) return null;
    const flows = new Map<number, Map<number, number>>();
    for (const f of ents) flows.set(f, new Map());
    used.forEach((a, x) => {
      const q = ns.flow(ns.firstArc + x);
      if (q > 0) flows.get(ents[arcOwner[a]])!.set(sups[arcSup[a]], q);
    });
    return { p: r.p, flows };
  }
}

interface Region {
  readonly p: number;
  /** Enterprises (e first) and suppliers of the region. */
  readonly ents: number[];
  readonly sups: number[];
  /** Arcs per enterprise (CSR): supplier index, distance, current packs, owner. */
  readonly arcOff: Int32Array;
  readonly arcSup: Int32Array;
  readonly arcDist: Float64Array;
  readonly arcFlow: Float64Array;
  readonly arcOwner: Int32Array;
  /** Arcs into each supplier (CSR). */
  readonly inOff: Int32Array;
  readonly inArc: Int32Array;
  /** Packs of p at each supplier not taken by anyone outside the region, and not taken at all. */
  readonly avail: Float64Array;
  readonly spare: Float64Array;
  readonly demand: Float64Array;
  /** Hall's test: suppliers per enterprise as a pool bit mask (-1: not all in the pool); avail per pool bit. */
  readonly poolMask: Int32Array;
  readonly availBit: Float64Array;
  /** Pool bit of each of e's arcs, and all of them. */
  readonly eArcBit: number[];
  readonly eMask: number;
}

function compareLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
