import { grown } from './int-buffer.js';
import type { Reach } from './reach.js';

/** Suppliers → the enterprises that reach them (CSR over model indices), for the backward search. */
export interface ReverseReach {
  readonly off: Int32Array;
  readonly ent: Int32Array;
}

const reverseCache = new WeakMap<Reach, ReverseReach>();

/**
 * The reach graph backwards: for each supplier, every enterprise that reaches it. Built once per
 * reach graph (all products of a run share it).
 */
export function reverseReach(reach: Reach, nS: number): ReverseReach {
  const known = reverseCache.get(reach);
  if (known) return known;
  const off = new Int32Array(nS + 1);
  for (let k = 0; k < reach.sup.length; k++) off[reach.sup[k] + 1]++;
  for (let s = 0; s < nS; s++) off[s + 1] += off[s];
  const fill = off.slice(0, nS);
  const ent = new Int32Array(off[nS]);
  const nE = reach.off.length - 1;
  for (let e = 0; e < nE; e++) for (let k = reach.off[e], end = reach.off[e + 1]; k < end; k++) ent[fill[reach.sup[k]]++] = e;
  const out = { off, ent };
  reverseCache.set(reach, out);
  return out;
}

/**
 * The backward search steps up from the enterprises without a label once the level's reverse
 * lists hold more than 1/14 of their reach arcs (Beamer's direction-optimising BFS uses the same
 * ratio): a step up stops at an enterprise's first supplier of the level, so it usually reads far
 * fewer arcs than its bound. On the city benchmark the searches took 63 ms a run top-down only and
 * 35 ms with the switch (ratios 4 to 40 measured the same); on a province slice (scale 0.3) the
 * difference was within the noise.
 */
const BOTTOM_UP_RATIO = 14;

/**
 * Share of a backward search's cost that relabelling on the spot may spend before labels are
 * worked out afresh. Searches that fail (most of a province's: 417,000 of 564,000 calls) must
 * relabel their whole neighbourhood up to "no way"; fresh labels refuse such enterprises at once.
 * On the province benchmark the fair-share stage took 14.5–15.0 s with 1/4 against 16.2 s with 1
 * (the same run's path searches 2.7 s against 3.8 s); 1/10 measured 15.7 s.
 */
const RELABEL_SHARE = 0.25;

/** Label of a node with no way to a free pack. */
const NONE = 0x3fffffff;

/**
 * Whole packs of one product held by each enterprise at each supplier, on the *full* reach graph,
 * and the augmenting path that gives an enterprise one more pack without taking one from anybody:
 * directly from a supplier with a free pack in reach, or by moving packs of others between
 * suppliers they reach (every enterprise keeps its quantity).
 *
 * Giving packs one at a time in a fixed order this way is the greedy of a transversal matroid:
 * an enterprise gets its pack exactly when it can be routed together with every pack given
 * before it, so nobody is passed over for someone later in the order.
 *
 * Paths are found with distance labels (the shortest-augmenting-path method): every node carries
 * a lower bound on its distance to a free pack, worked out exactly by a backward breadth-first
 * search from the suppliers with room, and a path follows arcs whose label drops by one. A node
 * with no such arc is relabelled on the spot (1 + its neighbours' least label) and the path
 * retreats; when the relabelling has cost about a quarter of a backward search
 * (`RELABEL_SHARE`), labels are worked out afresh. Augmenting along a shortest path never
 * shortens a distance, so labels stay lower bounds between searches, and a node whose exact
 * label says "no way" is refused at once: on the province benchmark a breadth-first search per
 * enterprise instead took 83 s in one profiled run.
 */
export class Holdings {
  /**
   * Per enterprise (model index): the suppliers it holds packs at, and how many, as a list of
   * entries in typed pools (`first`, `next`, `supplierOf`, `packsOf`), in the order they were
   * first held. A run builds several of these per product, each over every enterprise: small
   * arrays per enterprise were millions of objects for the garbage collector to copy on a province.
   */
  private readonly head: Int32Array;
  private entrySup: Int32Array;
  private entryQty: Float64Array;
  private entryNext: Int32Array;
  private entries = 0;
  /** Entries given back, linked through `entryNext`. */
  private freeEntry = -1;
  /** Per supplier: enterprises that hold (or held: pruned lazily) packs there. */
  private readonly holders: number[][];
  /** Packs held at each supplier, and whole packs held nowhere (all suppliers together). */
  private readonly load: Float64Array;
  private unheld = 0;
  private readonly labelE: Int32Array;
  private readonly labelS: Int32Array;
  /** Current arcs: position in the enterprise's reach list, in the supplier's holder list. */
  private readonly curE: Int32Array;
  private readonly curS: Int32Array;
  /** Nodes the last backward search labelled (reset by the next one): the first `labelledCount` entries of its queue. */
  private labelledCount = 0;
  private readonly queue: Int32Array;
  /** Enterprises without a label during a backward search's steps up (see `relabelAll`). */
  private readonly pending: Int32Array;
  private readonly path: Int32Array;
  /** Suppliers a path may use: `group[s] === groupId` (all stocked ones without a restriction). */
  private group: Int32Array | null = null;
  private groupId = 0;
  /** Relabelling work since the last backward search, and the budget that calls for a new one. */
  private work = 0;
  private budget = 0;
  private fresh = false;
  /** A label this high cannot be a distance (more than every node), so it means "no way". */
  private readonly bound: number;

  constructor(
    nE: number,
    private readonly reach: Reach,
    private readonly reverse: ReverseReach,
    /** Packs each supplier can give. */
    private readonly free: Float64Array,
  ) {
    const nS = free.length;
    this.head = new Int32Array(nE).fill(-1);
    this.entrySup = new Int32Array(1024);
    this.entryQty = new Float64Array(1024);
    this.entryNext = new Int32Array(1024);
    this.holders = Array.from({ length: nS }, () => []);
    this.load = new Float64Array(nS);
    for (let s = 0; s < nS; s++) if (free[s] > 0) this.unheld += free[s];
    this.labelE = new Int32Array(nE).fill(NONE);
    this.labelS = new Int32Array(nS).fill(NONE);
    this.curE = new Int32Array(nE);
    this.curS = new Int32Array(nS);
    this.queue = new Int32Array(nE + nS);
    this.pending = new Int32Array(nE);
    // A path's labels drop by one per node, so it is never longer than the bound.
    this.path = new Int32Array(nE + nS + 2);
    this.bound = Math.min(NONE, nE + nS + 1);
  }

  /** Enterprise `e`'s first holding entry, or -1. */
  first(e: number): number {
    return this.head[e];
  }

  /** The entry after `h` in its enterprise's list, or -1. */
  next(h: number): number {
    return this.entryNext[h];
  }

  supplierOf(h: number): number {
    return this.entrySup[h];
  }

  packsOf(h: number): number {
    return this.entryQty[h];
  }

  /** Packs enterprise `e` holds at supplier `s`. */
  heldAt(e: number, s: number): number {
    for (let h = this.head[e]; h >= 0; h = this.entryNext[h]) if (this.entrySup[h] === s) return this.entryQty[h];
    return 0;
  }

  /** Adds `d` packs (negative: takes them) to enterprise `e`'s holding at supplier `s`. */
  add(e: number, s: number, d: number): void {
    const { entrySup, entryNext } = this;
    let prev = -1;
    let h = this.head[e];
    while (h >= 0 && entrySup[h] !== s) {
      prev = h;
      h = entryNext[h];
    }
    if (h >= 0) {
      this.entryQty[h] += d;
      if (this.entryQty[h] === 0) {
        // Unlinked (the list keeps its order) and given back.
        if (prev >= 0) entryNext[prev] = entryNext[h];
        else this.head[e] = entryNext[h];
        entryNext[h] = this.freeEntry;
        this.freeEntry = h;
      }
    } else {
      h = this.newEntry();
      this.entrySup[h] = s;
      this.entryQty[h] = d;
      this.entryNext[h] = -1;
      if (prev >= 0) this.entryNext[prev] = h;
      else this.head[e] = h;
      this.holders[s].push(e);
    }
    this.load[s] += d;
    this.unheld -= d;
    this.fresh = false;
  }

  private newEntry(): number {
    if (this.freeEntry >= 0) {
      const h = this.freeEntry;
      this.freeEntry = this.entryNext[h];
      return h;
    }
    if (this.entries === this.entrySup.length) {
      const size = this.entries * 2;
      this.entrySup = grown(this.entrySup, size);
      this.entryQty = grown(this.entryQty, size);
      this.entryNext = grown(this.entryNext, size);
    }
    return this.entries++;
  }

  /**
   * Paths from now on use only suppliers with `group[s] === id` (`null`: every stocked supplier).
   * A group must be closed: its suppliers' holders are its own members.
   */
  restrict(group: Int32Array | null, id = 0): void {
    this.group = group;
    this.groupId = id;
    this.fresh = false;
  }

  /** Gives enterprise `e0` one more pack if an augmenting path allows it; returns whether it did. */
  giveOne(e0: number): boolean {
    // Every pack held already: nobody can get one (and no search needs to find that out).
    if (this.unheld < 1) return false;
    const { reach, holders, labelE, labelS, curE, curS, path } = this;
    // A free pack within e0's own reach: the path is that one arc (the nearest such supplier), and
    // no label is needed to find it. A one-arc path is a shortest one, so labels stay lower bounds.
    for (let k = reach.off[e0], end = reach.off[e0 + 1]; k < end; k++) {
      const s = reach.sup[k];
      if (this.room(s) && this.usable(s)) {
        const fresh = this.fresh;
        path[0] = e0;
        this.augment(0, s);
        this.fresh = fresh;
        return true;
      }
    }
    if (!this.fresh) this.relabelAll();
    if (labelE[e0] >= this.bound) return false;
    let top = 0;
    path[0] = e0;
    for (;;) {
      if (this.work > this.budget) {
        // Relabelling has cost its share of a backward search: labels afresh, the path from the start.
        this.relabelAll();
        if (labelE[e0] >= this.bound) return false;
        top = 0;
      }
      if ((top & 1) === 0) {
        const e = path[top];
        const want = labelE[e] - 1;
        let next = -1;
        for (const end = reach.off[e + 1]; curE[e] < end; curE[e]++) {
          const s = reach.sup[curE[e]];
          if (labelS[s] === want) {
            next = s;
            break;
          }
        }
        if (next >= 0) {
          if (this.room(next)) {
            this.augment(top, next);
            return true;
          }
          path[++top] = next;
          continue;
        }
        this.relabelE(e);
        if (top === 0) {
          if (labelE[e0] >= this.bound) return false;
        } else top--;
      } else {
        const s = path[top];
        const want = labelS[s] - 1;
        const list = holders[s];
        let next = -1;
        while (curS[s] < list.length) {
          const f = list[curS[s]];
          if (!(this.heldAt(f, s) > 0)) {
            // No longer holds here: drop it (the last holder takes its place, not yet looked at).
            list[curS[s]] = list[list.length - 1];
            list.pop();
            continue;
          }
          if (labelE[f] === want) {
            next = f;
            break;
          }
          curS[s]++;
        }
        if (next >= 0) {
          path[++top] = next;
          continue;
        }
        this.relabelS(s);
        top--;
      }
    }
  }

  /** Whether supplier `s` has a whole pack nobody holds. */
  private room(s: number): boolean {
    return this.free[s] - this.load[s] >= 1;
  }

  /** Whether a path may use supplier `s`. */
  private usable(s: number): boolean {
    return this.free[s] > 0 && (this.group === null || this.group[s] === this.groupId);
  }

  /** One pack along the path: each enterprise on it moves one pack from the supplier before it to the one after it. */
  private augment(top: number, last: number): void {
    const { path } = this;
    let s = last;
    for (let k = top; k >= 0; k -= 2) {
      const e = path[k];
      this.add(e, s, 1);
      if (k === 0) break;
      s = path[k - 1];
      this.add(e, s, -1);
    }
    // `add` marks labels stale, but a shortest-path augmentation keeps them lower bounds.
    this.fresh = true;
  }

  private relabelE(e: number): void {
    const { reach, labelS } = this;
    let min = NONE;
    const start = reach.off[e];
    const end = reach.off[e + 1];
    for (let k = start; k < end; k++) if (labelS[reach.sup[k]] < min) min = labelS[reach.sup[k]];
    this.work += end - start;
    this.labelE[e] = min + 1 >= this.bound ? NONE : min + 1;
    this.curE[e] = start;
  }

  private relabelS(s: number): void {
    const { labelE } = this;
    const list = this.holders[s];
    let min = NONE;
    for (const f of list) if (labelE[f] < min && this.heldAt(f, s) > 0) min = labelE[f];
    this.work += list.length;
    this.labelS[s] = min + 1 >= this.bound ? NONE : min + 1;
    this.curS[s] = 0;
  }

  /**
   * Exact distances to a free pack: a breadth-first search backwards from the suppliers with room,
   * level by level. From a level of suppliers to the enterprises that reach them it goes down each
   * supplier's reverse list, or, when those lists are long against the reach arcs of the
   * enterprises still without a label (`BOTTOM_UP_RATIO`), up from each of those enterprises
   * through its own reach list to the first supplier of the level: on a dense city the suppliers
   * with room are many, and their reverse lists would meet each enterprise dozens of times. The
   * labels are the same either way.
   */
  private relabelAll(): void {
    const { labelE, labelS, queue, reverse, curE, curS, reach, entrySup, entryNext } = this;
    const nE = labelE.length;
    for (let i = 0; i < this.labelledCount; i++) {
      const x = queue[i];
      if (x < nE) labelE[x] = NONE;
      else labelS[x - nE] = NONE;
    }
    let tail = 0;
    for (let s = 0; s < labelS.length; s++) {
      if (!this.usable(s) || !this.room(s)) continue;
      labelS[s] = 0;
      curS[s] = 0;
      queue[tail++] = nE + s;
    }
    let cost = 0;
    // Reach arcs of the enterprises still without a label: what a step up from them costs at most.
    let unlabelledArcs = reach.sup.length;
    const pending = this.pending;
    let pendingLen = -1;
    const label = (e: number, d: number) => {
      labelE[e] = d;
      curE[e] = reach.off[e];
      unlabelledArcs -= reach.off[e + 1] - reach.off[e];
      queue[tail++] = e;
    };
    for (let head = 0; head < tail; ) {
      const levelEnd = tail;
      if (queue[head] >= nE) {
        // A level of suppliers (a level holds suppliers only or enterprises only).
        const level = labelS[queue[head] - nE];
        const levelStart = head;
        let down = 0;
        for (; head < levelEnd; head++) {
          const s = queue[head] - nE;
          down += reverse.off[s + 1] - reverse.off[s];
        }
        if (down * BOTTOM_UP_RATIO <= unlabelledArcs) {
          cost += down;
          for (let i = levelStart; i < levelEnd; i++) {
            const s = queue[i] - nE;
            for (let k = reverse.off[s], end = reverse.off[s + 1]; k < end; k++) {
              const e = reverse.ent[k];
              if (labelE[e] === NONE) label(e, level + 1);
            }
          }
        } else {
          if (pendingLen < 0) {
            pendingLen = 0;
            for (let e = 0; e < nE; e++) if (labelE[e] === NONE) pending[pendingLen++] = e;
          }
          let kept = 0;
          for (let i = 0; i < pendingLen; i++) {
            const e = pending[i];
            if (labelE[e] !== NONE) continue;
            let found = false;
            for (let k = reach.off[e], end = reach.off[e + 1]; k < end; k++) {
              cost++;
              if (labelS[reach.sup[k]] === level) {
                found = true;
                break;
              }
            }
            if (found) label(e, level + 1);
            else pending[kept++] = e;
          }
          pendingLen = kept;
        }
      } else {
        for (; head < levelEnd; head++) {
          const x = queue[head];
          const d = labelE[x] + 1;
          for (let h = this.head[x]; h >= 0; h = entryNext[h]) {
            const s = entrySup[h];
            cost++;
            if (labelS[s] !== NONE || !this.usable(s)) continue;
            labelS[s] = d;
            curS[s] = 0;
            queue[tail++] = nE + s;
          }
        }
      }
    }
    this.labelledCount = tail;
    this.work = 0;
    this.budget = cost * RELABEL_SHARE + 1024;
    this.fresh = true;
  }
}
