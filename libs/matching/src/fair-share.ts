import { FloatBuffer, IntBuffer } from './int-buffer.js';
import { Holdings, reverseReach } from './holdings.js';
import { BipartiteFlow, FLOW_EPS } from './max-flow.js';
import type { ProductModel, ResolvedOptions } from './model.js';
import type { Reach } from './reach.js';
import { keepShape } from './shapes.js';

/**
 * Stage 4 for one product (rules R1–R4 of the README): how many packs each enterprise gets (not
 * yet from whom).
 *
 * Tiers are served strictly in order. Within a tier, shares are max-min fair on the *claim*
 * (need plus bounded carried deficit), respecting reachability. This is progressive filling done
 * as a decomposition: at the level λ where the group's whole supply would be shared out evenly,
 * a max flow either routes everyone's share (done: one common level) or its minimum cut splits the
 * group into a poorer part that cannot reach more supply and a richer part; both are solved again
 * on their own. Higher tiers take part with fixed quantities, so their packs are routed first.
 *
 * The max flows run on a sparse graph of *classes*: enterprises whose `candidateArcs` nearest
 * stocked suppliers are the same set form one node of the flow network (a province's 200,000
 * enterprises fall into about 20,000 such classes), with the sum of their demands, and arcs to
 * every supplier all of its members reach (its nearest set at least). Within a class everyone
 * sits at the same level, so a class is never split by a cut, and each member's share follows
 * from the level of the class's group. Afterwards every arc of the full reach graph is priced out:
 * an arc from an enterprise at level λ to a supplier whose group sits at a higher level would let
 * the poorer side take more, so that enterprise leaves its class for a node of its own with all
 * the suppliers it reaches, and the groups whose levels lie between the two ends are solved again
 * (the others keep their levels, see `resolveDirty`). When no arc prices out, the sparse answer is
 * the full-graph answer.
 *
 * Speed comes from three things, none of which changes the answer:
 * - *Classes*, as above.
 * - *Warm starts*: one flow network per product lives through all tiers and pricing rounds; the
 *   flow routed for a tier is the start of the next tier's solve, and a re-solve after pricing
 *   starts from the flow it replaces.
 * - *Local re-solves*: a pricing round re-solves only the groups its new arcs can affect.
 */
export interface ProductShares {
  /** Packs allocated by the policy (on top of pins), per enterprise. */
  readonly packs: Int32Array;
  /**
   * Fair share in packs (policy part only), per enterprise: the max-min share before rounding,
   * plus the leftover packs given beyond share + credit rounded up (see `complete`).
   */
  readonly share: Float64Array;
  /**
   * The final classes (CSR): members (model enterprise indices) and the suppliers every member
   * reaches that the class's flow may use. Every member with packs gets them over these arcs, so
   * the transport stage can start from them.
   */
  readonly classes: ProductClasses;
  /** Enterprises that priced out and left their class (diagnostics). */
  readonly addedArcs: number;
  /** Pricing rounds and max-flow BFS phases (diagnostics). */
  readonly rounds: number;
  readonly phases: number;
  /**
   * Extra packs the rounding of a group could not hand out although it had entries for them
   * (diagnostics): 0 whenever no negative rounding credit holds a member below the ceiling of
   * its share, since whole packs up to the group's fractional total rounded up always route.
   */
  readonly roundingShortfall: number;
}

export interface ProductClasses {
  readonly memberOff: Int32Array;
  readonly members: Int32Array;
  readonly arcOff: Int32Array;
  readonly arcs: Int32Array;
  /** The fair-share flow on each class arc (it routes every class's packs). */
  readonly flow: Float64Array;
}

export interface ProductInput {
  readonly p: number;
  /** Packs left at each supplier after pins. */
  readonly freePacks: Float64Array;
  /** Packs pinned per enterprise. */
  readonly pinnedPacks: Float64Array;
  /**
   * Need per enterprise in packs: need / pack, a fraction of a pack included (needRounding 'up'),
   * or floor(need / pack) ('down'). Shares never exceed it; whole packs come afterwards.
   */
  readonly needPacks: Float64Array;
  /** Rounding credit per enterprise in packs (carried from earlier days), within ±1. */
  readonly credit: Float64Array;
}

/** A group whose rounded-up packs did not all route together: its requests, and how many packs are still to give. */
interface RefusedRounding {
  g: number;
  order: number[];
  extra: number;
}

/** A group of the decomposition: classes (flow nodes) and suppliers. */
interface Group {
  id: number;
  cls: number[];
  sups: number[];
  level: number;
  /** Σ fair shares of its current-tier enterprises (packs). */
  budget: number;
}

const SAT_EPS = 1e-6;
/** Pricing rounds that re-solve only the groups they touch; later rounds re-solve the whole tier. */
const INCREMENTAL_ROUNDS = 20;
/** Rounds that may only fix sparse-arc violations (floating-point noise) before the answer is kept. */
const NOISE_ROUNDS = 2;

/**
 * Weighted claim in units: need + min(deficit, deficitCap × need).
 *
 * @example claimUnits(100, 80, 0.5) // 150
 */
export function claimUnits(need: number, deficit: number, deficitCap: number): number {
  return need + Math.min(deficit, deficitCap * need);
}

/** Role of a participant in the current tier's solve. */
const INACTIVE = 0;
const FROZEN = 1;
const CURRENT = 2;

/**
 * Computes the fair packs of one product for every enterprise.
 *
 * @example const shares = fairShares(model, reach, options, { p: 0, freePacks, pinnedPacks, needPacks });
 */
export function fairShares(m: ProductModel, reach: Reach, opt: ResolvedOptions, input: ProductInput): ProductShares {
  return new FairShare(m, reach, opt, input).run();
}

class FairShare {
  private readonly nS: number;
  private readonly packs: Int32Array;
  private readonly share: Float64Array;
  /** Per member: its base class (same nearest candidates) and whether it priced out (own full reach). */
  private readonly baseOf: Int32Array;
  private readonly baseArcs: Int32Array[];
  private readonly wide: Uint8Array;
  /** Member (local index) → model enterprise; participants in model order. */
  private readonly part: Int32Array;
  /** Weight (claim in packs), room (packs the policy may add) and pinned packs per member. */
  private readonly weight: Float64Array;
  private readonly room: Float64Array;
  private readonly pinned: Float64Array;
  /** Rounding credit (packs) and the most whole packs the policy may give, per member. */
  private readonly credit: Float64Array;
  private readonly capInt: Float64Array;
  private readonly role: Uint8Array;
  /** Real share per member (current tier). */
  private readonly target: Float64Array;
  /** What each member contributes to its class's source capacity right now. */
  private readonly memberCap: Float64Array;
  /** Member → class. */
  private cls: Int32Array;
  /** Members per class (CSR, ascending). */
  private cmOff!: Int32Array;
  private cmList!: Int32Array;
  private flow!: BipartiteFlow;
  private groupSeq = 0;
  private addedArcs = 0;
  private roundingShortfall = 0;
  private rounds = 0;
  /** Scratch per supplier: marks, union-find parents, arc positions. */
  private readonly supMark: Int32Array;
  private readonly supParent: Int32Array;
  private readonly supPos: Int32Array;
  private markSeq = 0;
  /** Scratch sort keys per member (see `sortBy`). */
  private sortKeyA = new Float64Array(0);
  private sortKeyB = new Float64Array(0);
  /** Members whose candidate set grew since classes were last merged. */
  private readonly movedSinceMerge = new Set<number>();

  constructor(
    private readonly m: ProductModel,
    private readonly reach: Reach,
    opt: ResolvedOptions,
    private readonly input: ProductInput,
  ) {
    const { nE, nP } = m;
    const { p, freePacks, pinnedPacks, needPacks } = input;
    this.nS = m.nS;
    this.packs = new Int32Array(nE);
    this.share = new Float64Array(nE);
    const pack = m.packSize[p];
    const cand = opt.candidateArcs;
    // Base classes by nearest stocked candidate set, numbered in order of first appearance: each
    // distinct set is stored once (sorted) in `setPool`, found again through an open-addressing
    // hash table on its contents (no string keys).
    const partBuf = new Int32Array(nE);
    const baseBuf = new Int32Array(nE);
    let n = 0;
    let nB = 0;
    let setOff = new Int32Array(64);
    let setPool = new Int32Array(1024);
    let poolLen = 0;
    let tableSize = 1024;
    let table = new Int32Array(tableSize).fill(-1);
    let hashes = new Int32Array(64);
    const near = new Int32Array(Math.min(cand, m.nS) + 1);
    const sameSet = (b: number, len: number) => {
      const o = setOff[b];
      if (setOff[b + 1] - o !== len) return false;
      for (let x = 0; x < len; x++) if (setPool[o + x] !== near[x]) return false;
      return true;
    };
    for (let e = 0; e < nE; e++) {
      const r = needPacks[e] - pinnedPacks[e];
      if (r <= 0) continue;
      let len = 0;
      for (let k = reach.off[e], end = reach.off[e + 1]; k < end && len < cand; k++) {
        const sp = reach.sup[k];
        if (!(freePacks[sp] > 0)) continue;
        // Insertion into the sorted prefix.
        let x = len++;
        while (x > 0 && near[x - 1] > sp) {
          near[x] = near[x - 1];
          x--;
        }
        near[x] = sp;
      }
      if (len === 0) continue;
      let h = len | 0;
      for (let x = 0; x < len; x++) h = Math.imul(h ^ near[x], 0x9e3779b1) ^ (h >>> 15);
      let slot = h & (tableSize - 1);
      let b = -1;
      for (;;) {
        const t = table[slot];
        if (t < 0) break;
        if (hashes[t] === h && sameSet(t, len)) {
          b = t;
          break;
        }
        slot = (slot + 1) & (tableSize - 1);
      }
      if (b < 0) {
        b = nB++;
        if (nB + 1 >= setOff.length) {
          const o2 = new Int32Array(setOff.length * 2);
          o2.set(setOff);
          setOff = o2;
          const h2 = new Int32Array(hashes.length * 2);
          h2.set(hashes);
          hashes = h2;
        }
        if (poolLen + len > setPool.length) {
          const p2 = new Int32Array(Math.max(setPool.length * 2, poolLen + len));
          p2.set(setPool);
          setPool = p2;
        }
        setPool.set(near.subarray(0, len), poolLen);
        poolLen += len;
        setOff[b + 1] = poolLen;
        hashes[b] = h;
        table[slot] = b;
        if (nB * 2 > tableSize) {
          tableSize *= 2;
          table = new Int32Array(tableSize).fill(-1);
          for (let t = 0; t < nB; t++) {
            let sl = hashes[t] & (tableSize - 1);
            while (table[sl] >= 0) sl = (sl + 1) & (tableSize - 1);
            table[sl] = t;
          }
        }
      }
      baseBuf[n] = b;
      partBuf[n++] = e;
    }
    const part = partBuf.slice(0, n);
    const baseOf = baseBuf.slice(0, n);
    this.part = part;
    this.weight = new Float64Array(n);
    this.room = new Float64Array(n);
    this.pinned = new Float64Array(n);
    this.credit = new Float64Array(n);
    this.capInt = new Float64Array(n);
    // Whole packs at most: ceil(need / pack) ('up') or floor ('down'), lowered by a negative
    // credit (a pack received earlier still covers today), minus the pins.
    const up = opt.needRounding === 'up';
    for (let i = 0; i < n; i++) {
      const e = part[i];
      this.weight[i] = claimUnits(m.need[e * nP + p], m.deficit[e * nP + p], opt.deficitCap) / pack;
      this.room[i] = needPacks[e] - pinnedPacks[e];
      this.pinned[i] = pinnedPacks[e];
      this.credit[i] = input.credit[e];
      const np = needPacks[e];
      const hi = up ? Math.ceil(np) : np;
      this.capInt[i] = Math.max(0, Math.min(hi, Math.ceil(np + this.credit[i] - 1e-9)) - pinnedPacks[e]);
    }
    this.baseOf = baseOf;
    this.wide = new Uint8Array(n);
    // A base class's arcs: every stocked supplier that all its members reach (its members' nearest
    // candidates at least), so the class's flow can go anywhere any of its members may go.
    // Computed as the intersection of the members' stocked reach sets, which can stop early once
    // only the shared nearest set is left (it is in every member's reach).
    const bCount = new Int32Array(nB + 1);
    for (let i = 0; i < n; i++) bCount[baseOf[i] + 1]++;
    for (let b = 0; b < nB; b++) bCount[b + 1] += bCount[b];
    const byBase = new Int32Array(n);
    {
      const fill = bCount.slice(0, nB);
      for (let i = 0; i < n; i++) byBase[fill[baseOf[i]]++] = part[i];
    }
    const inSet = new Int32Array(m.nS).fill(-1);
    let cur = new Int32Array(m.nS);
    let nxt = new Int32Array(m.nS);
    const baseArcs: Int32Array[] = new Array(nB);
    let tag = 0;
    for (let b = 0; b < nB; b++) {
      const need0 = setOff[b + 1] - setOff[b];
      const e0 = byBase[bCount[b]];
      let cnt = 0;
      for (let k = reach.off[e0], end = reach.off[e0 + 1]; k < end; k++) if (freePacks[reach.sup[k]] > 0) cur[cnt++] = reach.sup[k];
      for (let x = bCount[b] + 1; x < bCount[b + 1] && cnt > need0; x++) {
        const e = byBase[x];
        tag++;
        for (let k = reach.off[e], end = reach.off[e + 1]; k < end; k++) inSet[reach.sup[k]] = tag;
        let c2 = 0;
        for (let y = 0; y < cnt; y++) if (inSet[cur[y]] === tag) nxt[c2++] = cur[y];
        [cur, nxt] = [nxt, cur];
        cnt = c2;
      }
      const arcsB = cur.slice(0, cnt);
      sortInts(arcsB);
      baseArcs[b] = arcsB;
    }
    this.baseArcs = baseArcs;
    this.role = new Uint8Array(n);
    this.target = new Float64Array(n);
    this.memberCap = new Float64Array(n);
    this.cls = new Int32Array(n);
    this.supMark = new Int32Array(m.nS);
    this.supParent = new Int32Array(m.nS);
    this.supPos = new Int32Array(m.nS);
  }

  run(): ProductShares {
    const { m, part } = this;
    const n = part.length;
    const stocked: number[] = [];
    for (let s = 0; s < this.nS; s++) if (this.input.freePacks[s] > 0) stocked.push(s);
    // Classes by candidate set; an empty network to start with.
    this.reclass(null, true);
    const byTier = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const t = m.tier[part[i]];
      const list = byTier.get(t);
      if (list) list.push(i);
      else byTier.set(t, [i]);
    }
    const tiers = [...byTier.keys()].sort((a, b) => a - b);
    const tierMembers: number[][] = [];
    for (let t = 0; t < tiers.length; t++) {
      const current = byTier.get(tiers[t])!;
      this.serveTier(current, stocked);
      tierMembers.push(current);
    }
    const classes = this.complete(tierMembers);
    const out = { packs: this.packs, share: this.share, classes, addedArcs: this.addedArcs, rounds: this.rounds, phases: this.flow.phases, roundingShortfall: this.roundingShortfall };
    keepShape(this.flow);
    keepShape(this);
    return out;
  }

  /**
   * One tier: its shares (decomposition and pricing rounds), rounded to whole packs with the
   * minimum pack; then its members take part in the next tiers with fixed quantities. A method of
   * its own so that V8 compiles it as such, not as `run`'s long loop (see `solveGroup`).
   */
  private serveTier(current: readonly number[], stocked: readonly number[]): void {
    const { part } = this;
    for (const i of current) this.role[i] = CURRENT;
    // Pricing may have split classes in the last tier: merge equal candidate sets again.
    if (this.movedSinceMerge.size > 0) {
      this.reclass(this.movedSinceMerge, true);
      this.movedSinceMerge.clear();
    }
    let groups = this.decompose(this.activeClasses(), stocked);
    let noise = 0;
    for (let round = 1; ; round++) {
      const v = this.priceOut(groups);
      if (v.extended.length === 0 && v.intervals.length === 0) break;
      if (v.extended.length === 0 && ++noise > NOISE_ROUNDS) break;
      this.rounds++;
      this.addedArcs += v.extended.length;
      if (v.extended.length > 0) groups = this.splitExtended(v.extended, groups);
      groups = round > INCREMENTAL_ROUNDS ? this.decompose(this.activeClasses(), stocked) : this.resolveDirty(groups, v.intervals, v.strays);
    }
    this.minimumPacks(current, this.roundTier(this.mergeLevels(groups)));
    // Who got packs takes part in the next tiers with a fixed quantity; the rest leave.
    for (const i of current) {
      const e = part[i];
      this.share[e] = this.target[i];
      this.role[i] = this.packs[e] > 0 ? FROZEN : INACTIVE;
      this.memberCap[i] = this.packs[e];
    }
    // Classes left without anyone taking part hold no flow (up to rounding noise).
    for (let c = 0; c < this.flow.nE; c++) this.fitClass(c);
  }

  /** A member's class key: its base class, or itself once it priced out. */
  private keyOf(i: number): number {
    return this.wide[i] ? this.baseArcs.length + i : this.baseOf[i];
  }

  /** The suppliers a member's class may use, ascending. */
  private candidates(i: number): ArrayLike<number> {
    if (!this.wide[i]) return this.baseArcs[this.baseOf[i]];
    const { reach } = this;
    const free = this.input.freePacks;
    const e = this.part[i];
    const out: number[] = [];
    for (let k = reach.off[e], end = reach.off[e + 1]; k < end; k++) if (free[reach.sup[k]] > 0) out.push(reach.sup[k]);
    return out.sort((x, y) => x - y);
  }

  /**
   * Rebuilds the classes and the flow network. Only the `moved` members (all of them on the first
   * call) look at their candidate sets again; everyone else stays with their class. With `merge`,
   * classes with equal candidate sets become one (start of a tier, when every group is solved
   * again anyway); without, each moved member goes to a new class per (old class, new candidate
   * set), which stays in the old class's group. Flow moves with the members in proportion to what
   * they contribute to their class's capacity, which keeps every supplier's load, so the new
   * network carries an equivalent flow.
   */
  private reclass(moved: ReadonlySet<number> | null, merge: boolean): void {
    const n = this.part.length;
    const old = this.flow as BipartiteFlow | undefined;
    const oldCls = this.cls;
    const oldNC = old ? old.nE : 0;
    // Keys are numbers: a member's own key (`keyOf`, below nB + n), paired with its old class when
    // not merging (old class × (nB + n) + key), and −1 − c for the members staying in old class c.
    const keys = this.baseArcs.length + n;
    const keyToClass = new Map<number, number>();
    const lists: ArrayLike<number>[] = [];
    const newCls = new Int32Array(n);
    const classKey = new Int32Array(oldNC).fill(-1);
    const stayTarget = new Int32Array(oldNC).fill(-1);
    const isMoved = (i: number) => !old || moved === null || moved.has(i);
    // The class of a key; a new class takes member i's candidates, or (i < 0) old class c's arcs.
    const classOf = (key: number, i: number, c: number) => {
      let cls = keyToClass.get(key);
      if (cls === undefined) {
        cls = lists.length;
        keyToClass.set(key, cls);
        lists.push(i >= 0 ? this.candidates(i) : old!.aSup.subarray(old!.aOff[c], old!.aOff[c + 1]));
      }
      return cls;
    };
    for (let i = 0; i < n; i++) {
      if (isMoved(i)) {
        const key = this.keyOf(i);
        newCls[i] = classOf(merge ? key : oldCls[i] * keys + key, i, -1);
        continue;
      }
      const c = oldCls[i];
      if (stayTarget[c] < 0) {
        if (merge && classKey[c] < 0) classKey[c] = this.keyOf(i);
        stayTarget[c] = classOf(merge ? classKey[c] : -1 - c, -1, c);
      }
      newCls[i] = stayTarget[c];
    }
    const nC = lists.length;
    const aOff = new Int32Array(nC + 1);
    for (let c = 0; c < nC; c++) aOff[c + 1] = aOff[c] + lists[c].length;
    const aSup = new Int32Array(aOff[nC]);
    for (let c = 0; c < nC; c++) aSup.set(lists[c], aOff[c]);
    const flow = new BipartiteFlow(aOff, aSup, this.nS);
    // Members per class.
    const cmOff = new Int32Array(nC + 1);
    for (let i = 0; i < n; i++) cmOff[newCls[i] + 1]++;
    for (let c = 0; c < nC; c++) cmOff[c + 1] += cmOff[c];
    const fill = cmOff.slice(0, nC);
    const cmList = new Int32Array(n);
    for (let i = 0; i < n; i++) cmList[fill[newCls[i]]++] = i;
    for (let i = 0; i < n; i++) flow.srcCap[newCls[i]] += this.memberCap[i];
    for (let s = 0; s < this.nS; s++) flow.sinkCap[s] = this.input.freePacks[s];
    if (old) this.carryFlow(old, flow, oldCls, newCls, stayTarget, moved, merge);
    this.flow = flow;
    this.cls = newCls;
    this.cmOff = cmOff;
    this.cmList = cmList;
  }
  /**
   * Warm start of a new class network from the old one: each old class's flow is shared out among
   * the new classes its members went to (in proportion to their capacity). A method of its own
   * so that V8 compiles it as such, not as part of `reclass`'s long body (see `solveGroup`).
   */
  private carryFlow(old: BipartiteFlow, flow: BipartiteFlow, oldCls: Int32Array, newCls: Int32Array, stayTarget: Int32Array, moved: ReadonlySet<number> | null, merge: boolean): void {
    const n = this.part.length;
    const oldNC = old.nE;
    const nC = flow.nE;
    const { aOff, aSup } = flow;
    flow.sinkFlow.set(old.sinkFlow);
    flow.grpS.set(old.grpS);
    flow.stamp = old.stamp;
    flow.phases = old.phases;
    // Share of each old class's flow that goes to each new class.
    const oldCap = new Float64Array(oldNC);
    const oldCount = new Float64Array(oldNC);
    for (let i = 0; i < n; i++) {
      oldCap[oldCls[i]] += this.memberCap[i];
      oldCount[oldCls[i]]++;
    }
    const weight = (i: number) => (oldCap[oldCls[i]] > 0 ? this.memberCap[i] / oldCap[oldCls[i]] : 1 / oldCount[oldCls[i]]);
    const movedW = new Float64Array(oldNC);
    const pairs = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      if (moved !== null && !moved.has(i)) continue;
      const w = weight(i);
      movedW[oldCls[i]] += w;
      const k = oldCls[i] * nC + newCls[i];
      pairs.set(k, (pairs.get(k) ?? 0) + w);
    }
    for (let c = 0; c < oldNC; c++) if (stayTarget[c] >= 0) pairs.set(c * nC + stayTarget[c], Math.max(0, 1 - movedW[c]));
    const byNew = [...pairs.entries()].sort((x, y) => (x[0] % nC) - (y[0] % nC) || x[0] - y[0]);
    let lastNew = -1;
    for (const [k, phi] of byNew) {
      const c = Math.floor(k / nC);
      const cn = k % nC;
      if (cn !== lastNew) {
        for (let a = aOff[cn]; a < aOff[cn + 1]; a++) this.supPos[aSup[a]] = a;
        lastNew = cn;
        flow.grpE[cn] = merge ? 0 : old.grpE[c];
      }
      flow.srcFlow[cn] += phi * old.srcFlow[c];
      for (let a = old.aOff[c]; a < old.aOff[c + 1]; a++) {
        const f = old.flow[a];
        if (f !== 0) flow.flow[this.supPos[old.aSup[a]]] += phi * f;
      }
    }
    flow.syncLists();
  }

  /** Members leave their classes for classes of their own with every stocked supplier they reach. */
  private widen(members: readonly number[]): void {
    for (const i of members) {
      this.wide[i] = 1;
      this.movedSinceMerge.add(i);
    }
    this.reclass(new Set(members), false);
  }

  /** Members that priced out get their wider candidate sets; their groups gain the new classes. */
  private splitExtended(extended: readonly number[], groups: Group[]): Group[] {
    this.reclass(new Set(extended), false);
    for (const i of extended) this.movedSinceMerge.add(i);
    const byId = new Map<number, Group>();
    for (const g of groups) {
      g.cls = [];
      byId.set(g.id, g);
    }
    for (let c = 0; c < this.flow.nE; c++) byId.get(this.flow.grpE[c])?.cls.push(c);
    return groups;
  }

  /** Classes with someone frozen or current in them. */
  private activeClasses(): number[] {
    const out: number[] = [];
    for (let c = 0; c < this.flow.nE; c++) {
      for (let k = this.cmOff[c]; k < this.cmOff[c + 1]; k++) {
        if (this.role[this.cmList[k]] !== INACTIVE) {
          out.push(c);
          break;
        }
      }
    }
    return out;
  }

  /**
   * Solves the given classes and suppliers from their current flow: connected components first,
   * then the decomposition. The nodes must form a closed part of the solution (no flow between
   * them and anything outside).
   */
  private decompose(classes: readonly number[], sups: readonly number[]): Group[] {
    const { flow } = this;
    for (const c of classes) flow.grpE[c] = 0;
    for (const s of sups) flow.grpS[s] = 0;
    const stack = this.components(classes, sups);
    const groups: Group[] = [];
    // Frozen (higher-tier) packs per class of the group being solved.
    const capFro = new Float64Array(flow.nE);
    while (stack.length > 0) {
      const grp = stack.pop()!;
      const parts = this.solveGroup(grp, capFro);
      // Push B first so A (the poorer side) is solved next: order does not change the answer.
      if (parts) stack.push(parts[1], parts[0]);
      else groups.push(grp);
    }
    return groups;
  }

  /**
   * One group of the decomposition: its level, the shares at that level and their flow. Returns
   * the poorer and the richer side when the minimum cut splits the group (each to be solved on its
   * own), or null when the group is settled (`level` and `budget` set).
   *
   * Each step is a method of its own, not one long loop body: V8 compiles a long-running loop
   * while it runs (on-stack replacement) and again after every invalidation, and a method holding
   * all of this took up to 375 ms per compile, 29 compiles in one province run (both threads).
   */
  private solveGroup(grp: Group, capFro: Float64Array): [Group, Group] | null {
    const { flow } = this;
    const g = ++this.groupSeq;
    grp.id = g;
    for (const c of grp.cls) flow.grpE[c] = g;
    for (const s of grp.sups) flow.grpS[s] = g;
    const cur: number[] = [];
    const froCls: number[] = [];
    const avail = this.groupSupply(grp) - this.membersByRole(grp, capFro, cur, froCls);
    const lambda = this.shareAtLevel(cur, avail);
    this.routeFrozen(grp, capFro, g, froCls);
    if (cur.length === 0) {
      grp.level = Infinity;
      grp.budget = 0;
      return null;
    }
    flow.maxflow(g, grp.cls);
    let unsaturated = false;
    for (const c of grp.cls) if (flow.srcCap[c] - flow.srcFlow[c] > SAT_EPS) unsaturated = true;
    let resolvedLevel = lambda;
    if (unsaturated) {
      const parts = this.cut(grp);
      if (parts) return parts;
      // Only reachable through rounding noise: keep what was routed, shared in proportion.
      resolvedLevel = this.keepRouted(grp, capFro);
    }
    let sum = 0;
    for (const i of cur) {
      this.target[i] = this.memberCap[i];
      sum += this.target[i];
    }
    grp.level = resolvedLevel;
    grp.budget = sum;
    return null;
  }

  private groupSupply(grp: Group): number {
    let supply = 0;
    for (const s of grp.sups) supply += this.input.freePacks[s];
    return supply;
  }

  /** Collects the group's current-tier members and the classes holding frozen packs; returns the frozen packs. */
  private membersByRole(grp: Group, capFro: Float64Array, cur: number[], froCls: number[]): number {
    const { role, memberCap, cmOff, cmList } = this;
    let fixed = 0;
    for (const c of grp.cls) {
      let fro = 0;
      for (let k = cmOff[c]; k < cmOff[c + 1]; k++) {
        const i = cmList[k];
        if (role[i] === CURRENT) cur.push(i);
        else if (role[i] === FROZEN) fro += memberCap[i];
      }
      capFro[c] = fro;
      fixed += fro;
      if (fro > 0) froCls.push(c);
    }
    return fixed;
  }

  /** The group's level λ for `avail` packs (∞ when everyone's room fits), and each member's share at it. */
  private shareAtLevel(cur: readonly number[], avail: number): number {
    const { weight, room, pinned, memberCap } = this;
    let lambda = Infinity;
    if (cur.length > 0) {
      let wantAll = 0;
      for (const i of cur) wantAll += room[i];
      if (wantAll > avail + FLOW_EPS) lambda = solveLambda(cur, weight, room, pinned, avail);
    }
    for (const i of cur) memberCap[i] = demandAt(lambda, weight[i], pinned[i], room[i]);
    return lambda;
  }

  /**
   * Higher tiers' packs are routed first (never pulled back below them), then the shares get the
   * classes' capacities. Warm start: flow above the new capacity is pulled back along the class's
   * own arcs.
   */
  private routeFrozen(grp: Group, capFro: Float64Array, g: number, froCls: number[]): void {
    const { flow } = this;
    for (const c of grp.cls) {
      const cap = this.classCap(c);
      if (flow.srcFlow[c] > cap) flow.shrink(c, flow.srcFlow[c] - cap);
      flow.srcCap[c] = Math.max(capFro[c], flow.srcFlow[c]);
    }
    flow.maxflow(g, froCls);
    for (const c of grp.cls) flow.srcCap[c] = this.classCap(c);
  }

  /** The minimum cut's sides (poorer, richer) when the poorer side has current members and the richer side suppliers. */
  private cut(grp: Group): [Group, Group] | null {
    const { flow, role, cmOff, cmList } = this;
    const stamp = flow.stamp;
    const A: Group = { id: 0, cls: [], sups: [], level: 0, budget: 0 };
    const B: Group = { id: 0, cls: [], sups: [], level: 0, budget: 0 };
    for (const c of grp.cls) (flow.stampE[c] === stamp ? A : B).cls.push(c);
    for (const s of grp.sups) (flow.stampS[s] === stamp ? A : B).sups.push(s);
    const aCur = A.cls.some((c) => {
      for (let k = cmOff[c]; k < cmOff[c + 1]; k++) if (role[cmList[k]] === CURRENT) return true;
      return false;
    });
    return aCur && B.sups.length > 0 ? [A, B] : null;
  }

  /** Shares cut to what was routed, in proportion per class; returns the highest level reached. */
  private keepRouted(grp: Group, capFro: Float64Array): number {
    const { flow, role, weight, pinned, memberCap, cmOff, cmList } = this;
    let resolvedLevel = 0;
    for (const c of grp.cls) {
      const want = flow.srcCap[c] - capFro[c];
      const got = Math.max(0, flow.srcFlow[c] - capFro[c]);
      const f = want > 0 ? Math.min(1, got / want) : 1;
      for (let k = cmOff[c]; k < cmOff[c + 1]; k++) {
        const i = cmList[k];
        if (role[i] !== CURRENT) continue;
        memberCap[i] *= f;
        resolvedLevel = Math.max(resolvedLevel, (pinned[i] + memberCap[i]) / weight[i]);
      }
      flow.srcCap[c] = capFro[c] + want * f;
    }
    return resolvedLevel;
  }

  /** Connected components of the sparse graph restricted to the given nodes. */
  private components(classes: readonly number[], sups: readonly number[]): Group[] {
    const { flow } = this;
    const mark = ++this.markSeq;
    for (const s of sups) this.supMark[s] = mark;
    // Union-find over suppliers; each class joins the suppliers it has arcs to.
    const parent = this.supParent;
    const find = (x: number): number => {
      let r = x;
      while (parent[r] !== r) r = parent[r];
      while (x !== r) {
        const nx = parent[x];
        parent[x] = r;
        x = nx;
      }
      return r;
    };
    for (const s of sups) parent[s] = s;
    const firstSup = new Int32Array(classes.length).fill(-1);
    classes.forEach((c, j) => {
      let root = -1;
      for (let a = flow.aOff[c], end = flow.aOff[c + 1]; a < end; a++) {
        const s = flow.aSup[a];
        if (this.supMark[s] !== mark) continue;
        const r = find(s);
        if (root < 0) root = r;
        else if (r !== root) {
          const lo = Math.min(r, root);
          parent[Math.max(r, root)] = lo;
          root = lo;
        }
      }
      firstSup[j] = root;
    });
    const byRoot = new Map<number, Group>();
    const loose: Group[] = [];
    classes.forEach((c, j) => {
      if (firstSup[j] < 0) {
        // No supplier among its arcs here: a group of its own (it gets nothing).
        loose.push({ id: 0, cls: [c], sups: [], level: 0, budget: 0 });
        return;
      }
      const r = find(firstSup[j]);
      const grp = byRoot.get(r) ?? { id: 0, cls: [], sups: [], level: 0, budget: 0 };
      grp.cls.push(c);
      byRoot.set(r, grp);
    });
    for (const s of sups) byRoot.get(find(s))?.sups.push(s);
    return [...loose, ...byRoot.values()];
  }

  /**
   * After pricing: every violation is an arc from an enterprise at level lo to a supplier at a
   * higher level hi. Groups with levels outside every [lo, hi] keep their solution: a group
   * richer than every hi has no arc from the groups being re-solved (those are poorer than it and
   * had no arc into it), and re-solving a set of groups on their own keeps their levels within
   * [min lo, max hi] (their supply is the same, and more arcs can only even it out), so no new
   * violation can appear between the re-solved groups and the rest. The next pricing round checks
   * every arc again, so this is an optimisation, not an assumption the answer rests on.
   */
  private resolveDirty(groups: Group[], intervals: [number, number][], strays: readonly number[]): Group[] {
    intervals.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const merged: [number, number][] = [];
    for (const [lo, hi] of intervals) {
      const last = merged[merged.length - 1];
      if (last && lo <= last[1] * (1 + 1e-9) + 1e-12) last[1] = Math.max(last[1], hi);
      else merged.push([lo, hi]);
    }
    const inside = (lv: number) => merged.some(([lo, hi]) => lv >= lo * (1 - 1e-9) - 1e-12 && lv <= hi * (1 + 1e-9) + 1e-12);
    const keep: Group[] = [];
    const classes: number[] = [];
    const sups: number[] = [...strays];
    for (const g of groups) {
      if (inside(g.level)) {
        classes.push(...g.cls);
        sups.push(...g.sups);
      } else keep.push(g);
    }
    classes.sort((a, b) => a - b);
    sups.sort((a, b) => a - b);
    return [...keep, ...this.decompose(classes, sups)];
  }

  /**
   * Checks every full-graph arc of the tier's enterprises (and of the higher tiers' routed inside
   * it): an arc from an enterprise of a group at level λ to a supplier of a group at a higher level
   * (or of none) would let the poorer side take more. A member with such an arc leaves its class
   * for a class of its own with all the suppliers it reaches.
   */
  private priceOut(groups: readonly Group[]): { extended: number[]; intervals: [number, number][]; strays: number[] } {
    const { reach, part, flow, role, cls, wide } = this;
    const free = this.input.freePacks;
    const levelOf = new Map<number, number>();
    for (const g of groups) levelOf.set(g.id, g.level);
    const supLevel = new Float64Array(this.nS).fill(Infinity);
    const grouped = new Uint8Array(this.nS);
    for (const g of groups) {
      for (const s of g.sups) {
        supLevel[s] = g.level;
        grouped[s] = 1;
      }
    }
    // Levels with the suppliers out of stock at −∞, so one test skips them too.
    const blocked = new Float64Array(this.nS);
    for (let s = 0; s < this.nS; s++) blocked[s] = free[s] <= 0 ? -Infinity : supLevel[s];
    const extended: number[] = [];
    const intervals: [number, number][] = [];
    const strays = new Set<number>();
    for (let i = 0; i < part.length; i++) {
      if (role[i] === INACTIVE) continue;
      const lv = levelOf.get(flow.grpE[cls[i]]) ?? Infinity;
      if (lv === Infinity) continue;
      const e = part[i];
      const start = reach.off[e];
      const limit = lv * (1 + 1e-9) + 1e-12;
      let hi = -1;
      for (let k = start, end = reach.off[e + 1]; k < end; k++) {
        const s = reach.sup[k];
        if (blocked[s] <= limit || (limit !== limit && free[s] <= 0)) continue;
        if (supLevel[s] > hi) hi = supLevel[s];
        if (!grouped[s]) strays.add(s);
      }
      if (hi < 0) continue;
      intervals.push([lv, hi]);
      // An arc inside the class's own set can only show up through rounding noise.
      if (!wide[i]) {
        wide[i] = 1;
        extended.push(i);
      }
    }
    return { extended, intervals, strays: [...strays].sort((a, b) => a - b) };
  }

  /**
   * Groups to round: the decomposition's groups, with groups at the same level joined when a
   * participant of one reaches a stocked supplier of the other. The decomposition splits what
   * its class network cannot connect, and which classes exist depends on `candidateArcs`; the
   * levels do not (they are the full graph's), and neither do these joined groups, so each
   * group's whole packs (its fractional total rounded up) are the same for any `candidateArcs`.
   */
  private mergeLevels(solved: readonly Group[]): Group[] {
    const { flow, reach, part, role, cmOff, cmList } = this;
    const free = this.input.freePacks;
    // A stocked supplier in no group is used by nobody of the tier: level ∞, like the groups
    // whose members get their whole need (which class arcs happen to reach it is not canonical).
    const grouped = new Uint8Array(this.nS);
    for (const g of solved) for (const sp of g.sups) grouped[sp] = 1;
    const groups: Group[] = [...solved];
    for (let sp = 0; sp < this.nS; sp++) if (!grouped[sp] && free[sp] > 0) groups.push({ id: 0, cls: [], sups: [sp], level: Infinity, budget: 0 });
    const same = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-12;
    // Only levels held by more than one group can join anything.
    const shared = new Uint8Array(groups.length);
    const byLevel = [...groups.keys()].sort((x, y) => groups[x].level - groups[y].level || x - y);
    let any = false;
    for (let k = 1; k < byLevel.length; k++) {
      if (same(groups[byLevel[k - 1]].level, groups[byLevel[k]].level)) {
        shared[byLevel[k - 1]] = shared[byLevel[k]] = 1;
        any = true;
      }
    }
    if (!any) return [...solved];
    const supGroup = new Int32Array(this.nS).fill(-1);
    groups.forEach((g, x) => {
      if (shared[x]) for (const sp of g.sups) supGroup[sp] = x;
    });
    const parent = groups.map((_, x) => x);
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x] = parent[parent[x]];
      return x;
    };
    groups.forEach((g, x) => {
      if (!shared[x]) return;
      for (const c of g.cls) {
        for (let k = cmOff[c]; k < cmOff[c + 1]; k++) {
          const i = cmList[k];
          if (role[i] === INACTIVE) continue;
          const e = part[i];
          for (let a = reach.off[e], end = reach.off[e + 1]; a < end; a++) {
            const y = supGroup[reach.sup[a]];
            // Its own group's suppliers (most of them) join nothing.
            if (y < 0 || y === x || !(free[reach.sup[a]] > 0) || !same(g.level, groups[y].level)) continue;
            const rx = find(x);
            const ry = find(y);
            if (rx !== ry) parent[Math.max(rx, ry)] = Math.min(rx, ry);
          }
        }
      }
    });
    const size = new Int32Array(groups.length);
    groups.forEach((_, x) => size[find(x)]++);
    const out: Group[] = [];
    const joined = new Map<number, Group>();
    groups.forEach((g, x) => {
      const r = find(x);
      if (size[r] === 1) {
        if (g.cls.length > 0) out.push(g);
        return;
      }
      let m = joined.get(r);
      if (!m) {
        m = { id: ++this.groupSeq, cls: [], sups: [], level: g.level, budget: 0 };
        joined.set(r, m);
        out.push(m);
      }
      m.cls.push(...g.cls);
      m.sups.push(...g.sups);
      m.budget += g.budget;
    });
    for (const m of joined.values()) {
      for (const c of m.cls) flow.grpE[c] = m.id;
      for (const sp of m.sups) flow.grpS[sp] = m.id;
    }
    return out;
  }

  /**
   * Whole packs per group: floors first, then one more pack at a time in the order of `requests`
   * until the group's total is its fractional total rounded up (a group whose supply covers its
   * need keeps the part-pack rather than pass it to a lower tier; a group short of supply has a
   * whole number of packs anyway), as far as the network can route them; an entry that cannot be
   * routed is passed over for the next. An integral flow exists between the floors and ceilings
   * of a fractional one, so the total is always routed. Each group is closed, so it is rounded on
   * its own max flow: the fractional flow is pulled back to the floors and the first choices
   * offered together. When they do not all route, the group's extra packs are given one by one,
   * in order, on whole packs (`Holdings`, kept to the group's suppliers), after every group has
   * been tried; the holdings are returned for the minimum pack, which goes on from them.
   */
  private roundTier(groups: readonly Group[]): Holdings | null {
    const { part, packs, memberCap, flow } = this;
    const refused: RefusedRounding[] = [];
    for (const grp of groups) {
      const r = this.roundGroup(grp);
      if (r) refused.push(r);
    }
    if (refused.length === 0) return null;
    // Each group on its own suppliers (its packs are its own): the flow's group ids stand until
    // the minimum pack writes the holdings back.
    const holdings = this.holdingsFromFlow(groups);
    for (const { g, order, extra } of refused) {
      holdings.restrict(flow.grpS, g);
      let given = 0;
      for (let k = 0; k < order.length && given < extra; k++) {
        const i = order[k];
        if (!holdings.giveOne(part[i])) continue;
        memberCap[i] += 1;
        given++;
      }
      this.roundingShortfall += Math.min(extra, order.length) - given;
      for (const i of order) packs[part[i]] = Math.round(memberCap[i]);
    }
    holdings.restrict(null);
    return holdings;
  }

  /**
   * Rounds one group of the tier: floors, then the extra packs to the first requests when they
   * route together. Returns what is left to hand out one pack at a time when they do not. A
   * method of its own so that V8 compiles it as such, not as a long loop body of `roundTier`
   * (see `solveGroup`).
   */
  private roundGroup(grp: Group): RefusedRounding | null {
    const { part, role, target, credit, capInt, packs, memberCap, flow, cmOff, cmList } = this;
    const g = grp.id;
    const cur: number[] = [];
    for (const c of grp.cls) for (let k = cmOff[c]; k < cmOff[c + 1]; k++) if (role[cmList[k]] === CURRENT) cur.push(cmList[k]);
    if (cur.length === 0) return null;
    // Floors of the share, lowered where a negative credit says a pack received earlier still
    // covers today (so they are always routable: the fractional shares were).
    let floorSum = 0;
    for (const i of cur) {
      const f = Math.max(0, Math.min(Math.floor(target[i] + 1e-7), Math.floor(target[i] + credit[i] + 1e-7), capInt[i]));
      memberCap[i] = f;
      packs[part[i]] = f;
      floorSum += f;
    }
    for (const c of grp.cls) this.fitClass(c);
    flow.maxflow(g, grp.cls);
    const extra = Math.ceil(grp.budget - floorSum - 1e-7);
    const order = this.requests(cur);
    if (extra <= 0 || order.length === 0) return null;
    const first = order.slice(0, extra);
    const firstCls = [...new Set(first.map((i) => this.cls[i]))];
    for (const i of first) flow.srcCap[this.cls[i]] += 1;
    const routed = flow.maxflow(g, firstCls);
    if (routed >= first.length - 0.5) {
      for (const i of first) memberCap[i] += 1;
      for (const i of cur) packs[part[i]] = Math.round(memberCap[i]);
      return null;
    }
    // Not all first choices fit together: back to the floors, and the extra packs are handed
    // out one by one in whole packs below.
    for (const c of firstCls) this.fitClass(c);
    return { g, order, extra };
  }

  /**
   * The extra packs members may get beyond their floors, one entry per pack, best first. With
   * r = share + credit (packs), the j-th pack is owed when r − j ≥ 1 (the floors of r: these come
   * first, else the member would fall a pack behind its cumulative share); the others go by
   * *days owed*, (r − j) / share: how many days of today's share the pack stands for, largest
   * first (then the larger r − j, then model order). A clinic whose share is a tenth of a box
   * thus waits its turn against a factory's last part-box instead of losing every draw: over
   * consecutive days, whoever has waited longest relative to its share is served first. Nobody
   * gets more than ceil(r) or its cap.
   */
  private requests(members: readonly number[]): number[] {
    const { capInt, memberCap, part } = this;
    // One row per extra pack, in typed columns; the order is total (a member's rows differ in rem).
    let count = 0;
    for (const i of members) {
      const hi = Math.min(capInt[i], Math.max(0, Math.ceil(this.rounding(i) - 1e-7)));
      for (let j = memberCap[i]; j < hi; j++) count++;
    }
    const rowI = new Int32Array(count);
    const owed = new Float64Array(count);
    const days = new Float64Array(count);
    const rem = new Float64Array(count);
    let x = 0;
    for (const i of members) {
      const r = this.rounding(i);
      const hi = Math.min(capInt[i], Math.max(0, Math.ceil(r - 1e-7)));
      for (let j = memberCap[i]; j < hi; j++) {
        rowI[x] = i;
        owed[x] = r - j >= 1 - 1e-7 ? 1 : 0;
        days[x] = this.slack(i, j);
        rem[x++] = quantize(r - j);
      }
    }
    const order = Array.from({ length: count }, (_, y) => y);
    order.sort((a, b) => owed[b] - owed[a] || days[b] - days[a] || rem[b] - rem[a] || part[rowI[a]] - part[rowI[b]]);
    return order.map((y) => rowI[y]);
  }

  /** Share + rounding credit of a member, in packs. */
  private rounding(i: number): number {
    return this.target[i] + this.credit[i];
  }

  /** Days of today's share that the member's pack number j (0-based) stands for; −∞ without a share. */
  private daysOwed(i: number, j: number): number {
    const t = this.target[i];
    return t > 1e-9 ? quantize((this.rounding(i) - j) / t) : -Infinity;
  }

  /** Days until the member falls a pack behind without its pack number j; −∞ without a share. */
  private slack(i: number, j: number): number {
    const t = this.target[i];
    return t > 1e-9 ? quantize((this.rounding(i) - j - 1) / t) : -Infinity;
  }

  /** Members in the order the next pack goes (leftovers): slack for one more pack, then r − packs, then model order. */
  private bySlack(members: number[]): number[] {
    const { memberCap } = this;
    return this.sortBy(members, (i) => this.slack(i, memberCap[i]));
  }

  /** Members in the order the minimum pack goes: days owed (share + credit over share), then r, then model order. */
  private byDaysOwed(members: number[]): number[] {
    const { memberCap } = this;
    return this.sortBy(members, (i) => this.daysOwed(i, memberCap[i]));
  }

  /**
   * Sorts members by `key` descending, then quantize(r − packs) descending, then model order (a
   * total order); the keys are worked out once per member, not per comparison.
   */
  private sortBy(members: number[], key: (i: number) => number): number[] {
    const { memberCap, part } = this;
    const n = part.length;
    if (this.sortKeyA.length < n) {
      this.sortKeyA = new Float64Array(n);
      this.sortKeyB = new Float64Array(n);
    }
    const ka = this.sortKeyA;
    const kb = this.sortKeyB;
    for (const i of members) {
      ka[i] = key(i);
      kb[i] = quantize(this.rounding(i) - memberCap[i]);
    }
    return members.sort((x, y) => ka[y] - ka[x] || kb[y] - kb[x] || part[x] - part[y]);
  }

  /**
   * The minimum-pack rule, right after a tier is rounded and before the next tier is served:
   * a member left at zero packs although its share (plus credit) is positive gets one pack if one
   * can be routed to it without taking any from anyone already served (an augmenting path), in
   * order of days owed ((share + credit) / share: who has waited longest relative to its share).
   * So no enterprise ends at zero while a lower tier
   * takes a pack it could have reached, except one whose negative credit says a pack it received
   * on an earlier day still covers today. The packs are given on the full reach graph in whole
   * packs (`Holdings`: one augmenting path per member); members whose packs then sit outside their
   * class's arcs take classes of their own. When every whole pack is held already, nothing is
   * built or searched.
   */
  private minimumPacks(current: readonly number[], rounded: Holdings | null): void {
    const { part, packs, memberCap, target, credit, capInt } = this;
    const want = current.filter((i) => memberCap[i] === 0 && capInt[i] >= 1 && target[i] + credit[i] > 1e-9 && target[i] > 1e-9);
    let holdings = rounded;
    // With every whole pack given already (the last tier of a short product), nobody can get one.
    if (want.length > 0 && (holdings !== null || this.unheldPacks() >= 1)) {
      this.byDaysOwed(want);
      holdings ??= this.holdingsFromFlow();
      for (const i of want) if (holdings.giveOne(part[i])) memberCap[i] = 1;
    }
    if (holdings) this.flowFromHoldings(holdings);
    for (const i of current) packs[part[i]] = Math.round(memberCap[i]);
  }

  /**
   * Whole packs up to the maximum flow, after every tier: every member below its cap (ceil or
   * floor of its need in packs, see `capInt`) is offered one more pack, tier by tier and within a
   * tier by slack (see `requests`), round after round, and
   * gets it if an augmenting path on the *full* reach graph leads to a free pack: directly, or by
   * moving packs of others between suppliers they reach (nobody's quantity changes). A search that
   * fails leaves every node it saw unable to reach a free pack for good (augmentations elsewhere
   * do not touch them), so those are skipped afterwards. When no member below its cap has an
   * augmenting path, the flow is maximum: the total is the maximum flow of the reach graph with
   * these caps, whatever the classes were.
   *
   * Returns the classes for the transport stage: the class network's flow made integral (floors,
   * then augmented), handed to members, and members whose packs left their class's suppliers
   * in classes of their own.
   */
  private complete(tierMembers: readonly (readonly number[])[]): ProductClasses {
    const { flow, part, packs, memberCap, capInt, nS, cmOff, cmList } = this;
    const nC = flow.nE;
    const holdings = this.holdingsFromFlow();
    // Leftovers: augmenting paths on the full reach graph, tier by tier.
    // What rounding and the minimum pack gave, before the leftovers:
    const before = memberCap.slice();
    for (const members of tierMembers) {
      let want = this.bySlack(members.filter((i) => memberCap[i] < capInt[i]));
      while (want.length > 0) {
        const next: number[] = [];
        for (const i of want) {
          if (!holdings.giveOne(part[i])) continue;
          memberCap[i] += 1;
          if (memberCap[i] < capInt[i]) next.push(i);
        }
        want = next;
      }
      for (const i of members) {
        const e = part[i];
        packs[e] = Math.round(memberCap[i]);
        // A leftover pack beyond the rounded share (share + credit, rounded up) is not a rounding
        // pack: its supply was in nobody's share (a part-pack the higher tiers' rounding or a
        // richer group left, or a pack a covered enterprise's credit declined), so it counts as
        // share too. Charging it to the credit would push the credit below −1 pack with nothing
        // to pay it back from: the week's packs would drift from the week's shares.
        const beyond = packs[e] - Math.max(Math.round(before[i]), Math.ceil(this.rounding(i) - 1e-7));
        if (beyond > 0) this.share[e] += beyond;
      }
    }
    // Classes for the transport stage: members stay in their class when every pack they hold
    // is at one of its suppliers, else they get a class of their own.
    const memberOff = new IntBuffer(nC + 64);
    const members = new IntBuffer(part.length + 16);
    const arcOff = new IntBuffer(nC + 64);
    const arcs = new IntBuffer(flow.aSup.length + 64);
    const flows = new FloatBuffer(flow.aSup.length + 64);
    memberOff.push(0);
    arcOff.push(0);
    const mark = new Int32Array(nS).fill(-1);
    const qty = new Float64Array(nS);
    const own = new IntBuffer(64);
    const ownSups: number[] = [];
    for (let c = 0; c < nC; c++) {
      const a0 = flow.aOff[c];
      const a1 = flow.aOff[c + 1];
      for (let a = a0; a < a1; a++) {
        mark[flow.aSup[a]] = a - a0;
        qty[a - a0] = 0;
      }
      own.length = 0;
      const before = members.length;
      for (let k = cmOff[c]; k < cmOff[c + 1]; k++) {
        const e = part[cmList[k]];
        let inside = true;
        for (let h = holdings.first(e); h >= 0 && inside; h = holdings.next(h)) if (mark[holdings.supplierOf(h)] < 0) inside = false;
        if (inside) {
          members.push(e);
          for (let h = holdings.first(e); h >= 0; h = holdings.next(h)) qty[mark[holdings.supplierOf(h)]] += holdings.packsOf(h);
        } else own.push(e);
      }
      if (members.length > before) {
        memberOff.push(members.length);
        for (let a = a0; a < a1; a++) {
          arcs.push(flow.aSup[a]);
          flows.push(qty[a - a0]);
        }
        arcOff.push(arcs.length);
      }
      for (let o = 0; o < own.length; o++) {
        const e = own.data[o];
        // The class's suppliers and the member's holdings, ascending, each once.
        ownSups.length = 0;
        for (let a = a0; a < a1; a++) ownSups.push(flow.aSup[a]);
        for (let h = holdings.first(e); h >= 0; h = holdings.next(h)) if (mark[holdings.supplierOf(h)] < 0) ownSups.push(holdings.supplierOf(h));
        ownSups.sort((x, y) => x - y);
        members.push(e);
        memberOff.push(members.length);
        for (const s of ownSups) {
          arcs.push(s);
          flows.push(holdings.heldAt(e, s));
        }
        arcOff.push(arcs.length);
      }
      for (let a = a0; a < a1; a++) mark[flow.aSup[a]] = -1;
    }
    keepShape(holdings);
    return {
      memberOff: memberOff.toArray(),
      members: members.toArray(),
      arcOff: arcOff.toArray(),
      arcs: arcs.toArray(),
      flow: flows.toArray(),
    };
  }

  /**
   * The class network's flow as whole packs per member and supplier: every arc's flow rounded
   * down, the classes' packs routed again in whole packs (an integral flow exists: the fractional
   * one routes them and every capacity is whole), then each class's packs handed to its members
   * in order along its arcs. With `groups`, each group is routed again on its own.
   */
  private holdingsFromFlow(groups: readonly Group[] | null = null): Holdings {
    const { flow, part, memberCap, cmOff, cmList } = this;
    const nC = flow.nE;
    flow.sinkFlow.fill(0);
    for (let c = 0; c < nC; c++) {
      let sum = 0;
      for (let a = flow.aOff[c]; a < flow.aOff[c + 1]; a++) {
        const f = Math.floor(flow.flow[a] + 1e-7);
        flow.flow[a] = f;
        sum += f;
        flow.sinkFlow[flow.aSup[a]] += f;
      }
      flow.srcFlow[c] = sum;
      flow.srcCap[c] = this.classCap(c);
    }
    flow.syncLists();
    if (groups === null) {
      const g = ++this.groupSeq;
      flow.grpE.fill(g);
      flow.grpS.fill(g);
      flow.maxflow(g, Int32Array.from({ length: nC }, (_, c) => c));
    } else {
      // Each group on its own suppliers: a class short after rounding down must not take the room
      // another group's hand-out is about to give.
      for (const grp of groups) flow.maxflow(grp.id, grp.cls);
    }
    const holdings = new Holdings(this.m.nE, this.reach, reverseReach(this.reach, this.nS), this.input.freePacks);
    for (let c = 0; c < nC; c++) {
      // Packs the class could not route integrally (never expected) are taken back, last first.
      let short = this.classCap(c) - flow.srcFlow[c];
      for (let k = cmOff[c + 1] - 1; k >= cmOff[c] && short > 0; k--) {
        const i = cmList[k];
        const d = Math.min(short, memberCap[i]);
        memberCap[i] -= d;
        short -= d;
      }
      let a = flow.aOff[c];
      let left = a < flow.aOff[c + 1] ? flow.flow[a] : 0;
      for (let k = cmOff[c]; k < cmOff[c + 1]; k++) {
        const i = cmList[k];
        let want = memberCap[i];
        while (want > 0 && a < flow.aOff[c + 1]) {
          if (left <= 0) {
            a++;
            left = a < flow.aOff[c + 1] ? flow.flow[a] : 0;
            continue;
          }
          const q = Math.min(want, left);
          holdings.add(part[i], flow.aSup[a], q);
          want -= q;
          left -= q;
        }
      }
    }
    return holdings;
  }

  /**
   * Makes the class network carry exactly the given holdings: members holding packs at a
   * supplier outside their class's arcs take classes of their own with their whole reach, then
   * every arc's flow is what the class's members hold there.
   */
  private flowFromHoldings(holdings: Holdings): void {
    const { part } = this;
    const outside: number[] = [];
    const mark = this.supPos;
    {
      const { flow, cmOff, cmList, wide } = this;
      for (let c = 0; c < flow.nE; c++) {
        for (let a = flow.aOff[c]; a < flow.aOff[c + 1]; a++) mark[flow.aSup[a]] = -2 - c;
        for (let k = cmOff[c]; k < cmOff[c + 1]; k++) {
          const i = cmList[k];
          if (wide[i]) continue;
          for (let h = holdings.first(part[i]); h >= 0; h = holdings.next(h)) {
            if (mark[holdings.supplierOf(h)] !== -2 - c) {
              outside.push(i);
              break;
            }
          }
        }
        for (let a = flow.aOff[c]; a < flow.aOff[c + 1]; a++) mark[flow.aSup[a]] = 0;
      }
    }
    if (outside.length > 0) this.widen(outside);
    const { flow, cmOff, cmList } = this;
    flow.flow.fill(0);
    flow.sinkFlow.fill(0);
    for (let c = 0; c < flow.nE; c++) {
      for (let a = flow.aOff[c]; a < flow.aOff[c + 1]; a++) mark[flow.aSup[a]] = a;
      let sum = 0;
      for (let k = cmOff[c]; k < cmOff[c + 1]; k++) {
        const e = part[cmList[k]];
        for (let h = holdings.first(e); h >= 0; h = holdings.next(h)) {
          const s = holdings.supplierOf(h);
          const q = holdings.packsOf(h);
          flow.flow[mark[s]] += q;
          flow.sinkFlow[s] += q;
          sum += q;
        }
      }
      flow.srcFlow[c] = sum;
      flow.srcCap[c] = this.classCap(c);
    }
    flow.syncLists();
  }

  /** Whole packs of the product nobody has been given (the flow routes every pack given). */
  private unheldPacks(): number {
    let left = 0;
    for (let s = 0; s < this.nS; s++) if (this.input.freePacks[s] > 0) left += this.input.freePacks[s];
    for (let i = 0; i < this.part.length; i++) left -= this.memberCap[i];
    return Math.round(left);
  }

  /** What a class's members hold right now (its source capacity). */
  private classCap(c: number): number {
    let cap = 0;
    for (let k = this.cmOff[c]; k < this.cmOff[c + 1]; k++) cap += this.memberCap[this.cmList[k]];
    return cap;
  }

  /** Class c's source capacity set to what its members hold; flow above it is pulled back along the class's own arcs. */
  private fitClass(c: number): void {
    const { flow } = this;
    const cap = this.classCap(c);
    if (flow.srcFlow[c] > cap) flow.shrink(c, flow.srcFlow[c] - cap);
    flow.srcCap[c] = cap;
  }
}

/** Ascending in place (insertion sort for short lists). */
function sortInts(a: Int32Array): void {
  if (a.length > 64) {
    a.sort();
    return;
  }
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** Rounds away floating-point noise so that equal priorities tie (and ties go by model order). */
function quantize(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** Policy packs for an enterprise at level λ: its claim share minus what pins already gave it. */
function demandAt(lambda: number, w: number, pinned: number, room: number): number {
  if (lambda === Infinity) return room;
  const d = lambda * w - pinned;
  return d <= 0 ? 0 : d >= room ? room : d;
}

/**
 * The level λ at which the group's shares add up to its available supply. The sum of shares is
 * piecewise linear and non-decreasing in λ: Newton steps (exact once in the right linear piece),
 * kept inside a bisection bracket.
 */
function solveLambda(cur: readonly number[], weight: Float64Array, room: Float64Array, pinned: Float64Array, avail: number): number {
  if (avail <= 0) return 0;
  let lo = 0;
  let hi = 0;
  for (const i of cur) hi = Math.max(hi, (pinned[i] + room[i]) / weight[i]);
  let x = hi / 2;
  for (let it = 0; it < 200 && hi - lo > hi * 1e-15; it++) {
    let sum = 0;
    let slope = 0;
    for (const i of cur) {
      const d = x * weight[i] - pinned[i];
      if (d <= 0) continue;
      if (d >= room[i]) sum += room[i];
      else {
        sum += d;
        slope += weight[i];
      }
    }
    if (Math.abs(sum - avail) <= 1e-12 * avail) return x;
    if (sum > avail) hi = x;
    else lo = x;
    const newton = slope > 0 ? x + (avail - sum) / slope : NaN;
    x = newton > lo && newton < hi ? newton : (lo + hi) / 2;
  }
  return lo;
}
