/**
 * Dinic's maximum flow on the bipartite graph source → enterprise → supplier → sink, with
 * uncapacitated enterprise → supplier arcs. Typed arrays throughout; flows are float64 because the
 * fair-share stage routes fractional shares (integral capacities give integral flows, exactly,
 * when started from an integral flow).
 *
 * Work can be restricted to a *group*: only enterprises and suppliers whose group id equals the
 * one passed in are touched, which lets the fair-share decomposition solve independent
 * sub-problems on one shared structure, and keep the flow of one solve as the warm start of the
 * next.
 *
 * Going backwards from a supplier (along an arc that carries flow) only needs the arcs that carry
 * flow, and those are few: a supplier may be reachable from a thousand enterprises while twenty
 * pick up from it. Each supplier therefore keeps a list of its flow-carrying arcs (added to when
 * an arc's flow rises from zero, pruned lazily when a search finds an arc empty), so a search
 * costs what the flow touches, not the supplier's whole in-degree. Augmentation is an iterative
 * depth-first search (no recursion), so long paths across a large region cannot overflow the stack.
 */
export const FLOW_EPS = 1e-9;

export class BipartiteFlow {
  readonly nE: number;
  readonly nS: number;
  /** Arc → enterprise (local index). */
  readonly aEnt: Int32Array;
  /** Supplier regions (in-degree each) holding the flow-carrying arc ids: `fl[sOff[s] .. sOff[s] + flCnt[s])`. */
  readonly sOff: Int32Array;
  private readonly fl: Int32Array;
  private readonly flCnt: Int32Array;
  private readonly inFl: Uint8Array;
  readonly flow: Float64Array;
  readonly srcCap: Float64Array;
  readonly srcFlow: Float64Array;
  readonly sinkCap: Float64Array;
  readonly sinkFlow: Float64Array;
  readonly grpE: Int32Array;
  readonly grpS: Int32Array;
  /** Nodes reached by the last BFS carry the current stamp. */
  readonly stampE: Int32Array;
  readonly stampS: Int32Array;
  stamp = 0;
  /** BFS phases run (diagnostics). */
  phases = 0;
  private readonly levelE: Int32Array;
  private readonly levelS: Int32Array;
  private readonly curE: Int32Array;
  private readonly curS: Int32Array;
  private readonly queue: Int32Array;
  /** Augmenting path of the iterative DFS: enterprises, forward arcs, suppliers, list slots of backward arcs. */
  private readonly pathE: Int32Array;
  private readonly pathA: Int32Array;
  private readonly pathB: Int32Array;
  private sinkLevel = 0;
  private g = 0;

  /** `aOff`/`aSup`: enterprise CSR of arcs to suppliers (supplier indices in 0..nS-1). */
  constructor(
    readonly aOff: Int32Array,
    readonly aSup: Int32Array,
    nS: number,
  ) {
    const nE = aOff.length - 1;
    const m = aSup.length;
    this.nE = nE;
    this.nS = nS;
    this.aEnt = new Int32Array(m);
    const count = new Int32Array(nS + 1);
    for (let e = 0; e < nE; e++) {
      for (let a = aOff[e]; a < aOff[e + 1]; a++) {
        this.aEnt[a] = e;
        count[aSup[a] + 1]++;
      }
    }
    for (let s = 0; s < nS; s++) count[s + 1] += count[s];
    this.sOff = count;
    this.fl = new Int32Array(m);
    this.flCnt = new Int32Array(nS);
    this.inFl = new Uint8Array(m);
    this.flow = new Float64Array(m);
    this.srcCap = new Float64Array(nE);
    this.srcFlow = new Float64Array(nE);
    this.sinkCap = new Float64Array(nS);
    this.sinkFlow = new Float64Array(nS);
    this.grpE = new Int32Array(nE);
    this.grpS = new Int32Array(nS);
    this.stampE = new Int32Array(nE);
    this.stampS = new Int32Array(nS);
    this.levelE = new Int32Array(nE);
    this.levelS = new Int32Array(nS);
    this.curE = new Int32Array(nE);
    this.curS = new Int32Array(nS);
    this.queue = new Int32Array(nE + nS);
    const depth = Math.min(nE, nS) + 2;
    this.pathE = new Int32Array(depth);
    this.pathA = new Int32Array(depth);
    this.pathB = new Int32Array(depth);
  }

  /** Rebuilds the lists of flow-carrying arcs after `flow` was written from outside. */
  syncLists(): void {
    this.flCnt.fill(0);
    this.inFl.fill(0);
    for (let a = 0; a < this.flow.length; a++) if (this.flow[a] > 0) this.track(a);
  }

  /** Puts arc `a` on its supplier's list of flow-carrying arcs (once). */
  private track(a: number): void {
    if (this.inFl[a] !== 0) return;
    this.inFl[a] = 1;
    const s = this.aSup[a];
    this.fl[this.sOff[s] + this.flCnt[s]++] = a;
  }

  /**
   * Lowers enterprise `e`'s flow by `amount` along its arcs (source → e → s → sink paths), so a
   * solved group can be re-solved at a lower level without starting from zero.
   */
  shrink(e: number, amount: number): void {
    const { aOff, aSup, flow, sinkFlow } = this;
    for (let a = aOff[e], end = aOff[e + 1]; a < end && amount > 0; a++) {
      const take = flow[a] < amount ? flow[a] : amount;
      if (take <= 0) continue;
      flow[a] -= take;
      sinkFlow[aSup[a]] -= take;
      this.srcFlow[e] -= take;
      amount -= take;
    }
  }

  /**
   * Augments to a maximum flow inside group `g`, pushing only from `sources` (in that order).
   * Flow on source arcs never decreases, so a first call with high-priority sources followed by a
   * call with all sources keeps the first ones saturated. Returns the flow added.
   * Afterwards, nodes with `stampE/stampS === stamp` form the source side of a minimum cut.
   */
  maxflow(g: number, sources: ArrayLike<number>): number {
    this.g = g;
    let total = 0;
    while (this.bfs(sources)) {
      for (let i = 0; i < sources.length; i++) {
        const e = sources[i];
        if (this.stampE[e] !== this.stamp || this.levelE[e] !== 0) continue;
        for (;;) {
          const room = this.srcCap[e] - this.srcFlow[e];
          if (room <= FLOW_EPS) break;
          const pushed = this.augment(e, room);
          if (pushed <= 0) break;
          this.srcFlow[e] += pushed;
          total += pushed;
        }
      }
    }
    return total;
  }

  private bfs(sources: ArrayLike<number>): boolean {
    this.phases++;
    const stamp = ++this.stamp;
    const { queue, levelE, levelS, stampE, stampS, aOff, aSup, grpS, grpE, sOff, fl, flCnt, inFl, aEnt, flow, curE, curS, sinkCap, sinkFlow } = this;
    const g = this.g;
    const nE = this.nE;
    let head = 0;
    let tail = 0;
    for (let i = 0; i < sources.length; i++) {
      const e = sources[i];
      if (stampE[e] !== stamp && this.srcCap[e] - this.srcFlow[e] > FLOW_EPS) {
        stampE[e] = stamp;
        levelE[e] = 0;
        curE[e] = aOff[e];
        queue[tail++] = e;
      }
    }
    let sinkLevel = 0x7fffffff;
    while (head < tail) {
      const x = queue[head++];
      if (x < nE) {
        const lv = levelE[x] + 1;
        if (lv >= sinkLevel) continue;
        for (let a = aOff[x], end = aOff[x + 1]; a < end; a++) {
          const s = aSup[a];
          if (stampS[s] === stamp || grpS[s] !== g) continue;
          stampS[s] = stamp;
          levelS[s] = lv;
          curS[s] = sOff[s];
          queue[tail++] = nE + s;
        }
      } else {
        const s = x - nE;
        const lv = levelS[s] + 1;
        if (sinkCap[s] - sinkFlow[s] > FLOW_EPS && lv < sinkLevel) sinkLevel = lv;
        if (lv >= sinkLevel) continue;
        const base = sOff[s];
        let cnt = flCnt[s];
        for (let k = base; k < base + cnt; ) {
          const a = fl[k];
          if (flow[a] <= FLOW_EPS) {
            // Prune: the arc carries no flow any more.
            inFl[a] = 0;
            fl[k] = fl[base + --cnt];
            continue;
          }
          k++;
          const e = aEnt[a];
          if (stampE[e] === stamp || grpE[e] !== g) continue;
          stampE[e] = stamp;
          levelE[e] = lv;
          curE[e] = aOff[e];
          queue[tail++] = e;
        }
        flCnt[s] = cnt;
      }
    }
    this.sinkLevel = sinkLevel;
    return sinkLevel !== 0x7fffffff;
  }

  /** Next list slot of supplier `s` leading back to an enterprise at level `want`, or -1. */
  private nextBack(s: number, want: number): number {
    const { fl, flCnt, sOff, curS, flow, aEnt, stampE, levelE } = this;
    const stamp = this.stamp;
    for (; curS[s] < sOff[s] + flCnt[s]; curS[s]++) {
      const a = fl[curS[s]];
      if (flow[a] <= FLOW_EPS) continue;
      const e = aEnt[a];
      if (stampE[e] === stamp && levelE[e] === want) return curS[s];
    }
    return -1;
  }

  /** One augmenting path from source-side enterprise `e0` in the level graph, at most `limit`. */
  private augment(e0: number, limit: number): number {
    const { aOff, aSup, stampS, levelS, levelE, curE, curS, flow, fl, aEnt, pathE, pathA, pathB, sinkCap, sinkFlow } = this;
    const stamp = this.stamp;
    const sinkLevel = this.sinkLevel;
    let k = 0;
    pathE[0] = e0;
    for (;;) {
      const e = pathE[k];
      const want = levelE[e] + 1;
      let next = -1;
      for (const end = aOff[e + 1]; curE[e] < end; curE[e]++) {
        const a = curE[e];
        const s = aSup[a];
        if (stampS[s] !== stamp || levelS[s] !== want) continue;
        if (want === sinkLevel - 1) {
          if (sinkCap[s] - sinkFlow[s] <= FLOW_EPS) continue;
          // A path: source → pathE[0] → … → e → s → sink.
          let d = limit < sinkCap[s] - sinkFlow[s] ? limit : sinkCap[s] - sinkFlow[s];
          for (let j = 0; j < k; j++) {
            const back = flow[fl[pathB[j]]];
            if (back < d) d = back;
          }
          for (let j = 0; j < k; j++) {
            flow[pathA[j]] += d;
            this.track(pathA[j]);
            flow[fl[pathB[j]]] -= d;
          }
          flow[a] += d;
          this.track(a);
          sinkFlow[s] += d;
          return d;
        }
        const b = this.nextBack(s, want + 1);
        if (b < 0) continue;
        pathA[k] = a;
        pathB[k] = b;
        next = aEnt[fl[b]];
        break;
      }
      if (next >= 0) {
        pathE[++k] = next;
        continue;
      }
      // Dead end: retreat and skip the backward arc that led here.
      if (k === 0) return 0;
      k--;
      curS[aSup[pathA[k]]]++;
    }
  }
}
