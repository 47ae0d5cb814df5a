/**
 * Dinic's maximum flow on the bipartite graph source → enterprise → supplier → sink, with
 * uncapacitated enterprise → supplier arcs. Typed arrays throughout; flows are float64 because the
 * fair-share stage routes fractional shares (integral capacities give integral flows, exactly).
 *
 * Work can be restricted to a *group*: only enterprises and suppliers whose group id equals the
 * one passed in are touched, which lets the fair-share decomposition solve independent
 * sub-problems on one shared structure.
 */
export const FLOW_EPS = 1e-9;

export class BipartiteFlow {
  readonly nE: number;
  readonly nS: number;
  /** Arc → enterprise (local index). */
  readonly aEnt: Int32Array;
  /** Supplier CSR of incoming arc ids. */
  readonly sOff: Int32Array;
  readonly sArc: Int32Array;
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
  private readonly levelE: Int32Array;
  private readonly levelS: Int32Array;
  private readonly curE: Int32Array;
  private readonly curS: Int32Array;
  private readonly queue: Int32Array;
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
    this.sOff = count.slice();
    this.sArc = new Int32Array(m);
    const fill = count.slice(0, nS);
    for (let a = 0; a < m; a++) this.sArc[fill[aSup[a]]++] = a;
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
  }

  /** Zeroes the flow of a group's enterprises (their arcs and source arcs) and suppliers. */
  reset(ents: ArrayLike<number>, sups: ArrayLike<number>): void {
    for (let i = 0; i < ents.length; i++) {
      const e = ents[i];
      this.srcFlow[e] = 0;
      this.flow.fill(0, this.aOff[e], this.aOff[e + 1]);
    }
    for (let i = 0; i < sups.length; i++) this.sinkFlow[sups[i]] = 0;
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
          const pushed = this.dfsE(e, room);
          if (pushed <= 0) break;
          this.srcFlow[e] += pushed;
          total += pushed;
        }
      }
    }
    return total;
  }

  private bfs(sources: ArrayLike<number>): boolean {
    const stamp = ++this.stamp;
    const { queue, levelE, levelS, stampE, stampS, aOff, aSup, grpS, grpE, sOff, sArc, aEnt, flow, curE, curS } = this;
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
        if (this.sinkCap[s] - this.sinkFlow[s] > FLOW_EPS && lv < sinkLevel) sinkLevel = lv;
        if (lv >= sinkLevel) continue;
        for (let k = sOff[s], end = sOff[s + 1]; k < end; k++) {
          const a = sArc[k];
          const e = aEnt[a];
          if (stampE[e] === stamp || flow[a] <= FLOW_EPS || grpE[e] !== g) continue;
          stampE[e] = stamp;
          levelE[e] = lv;
          curE[e] = aOff[e];
          queue[tail++] = e;
        }
      }
    }
    this.sinkLevel = sinkLevel;
    return sinkLevel !== 0x7fffffff;
  }

  private dfsE(e: number, f: number): number {
    const { aOff, aSup, stampS, levelS, curE, flow } = this;
    const stamp = this.stamp;
    const want = this.levelE[e] + 1;
    for (let end = aOff[e + 1]; curE[e] < end; curE[e]++) {
      const a = curE[e];
      const s = aSup[a];
      if (stampS[s] !== stamp || levelS[s] !== want) continue;
      const pushed = this.dfsS(s, f);
      if (pushed > 0) {
        flow[a] += pushed;
        return pushed;
      }
    }
    return 0;
  }

  private dfsS(s: number, f: number): number {
    const lv = this.levelS[s];
    if (lv === this.sinkLevel - 1) {
      const room = this.sinkCap[s] - this.sinkFlow[s];
      if (room <= FLOW_EPS) return 0;
      const d = f < room ? f : room;
      this.sinkFlow[s] += d;
      return d;
    }
    const { sOff, sArc, aEnt, stampE, levelE, curS, flow } = this;
    const stamp = this.stamp;
    for (let end = sOff[s + 1]; curS[s] < end; curS[s]++) {
      const a = sArc[curS[s]];
      const e = aEnt[a];
      const fa = flow[a];
      if (fa <= FLOW_EPS || stampE[e] !== stamp || levelE[e] !== lv + 1) continue;
      const pushed = this.dfsE(e, f < fa ? f : fa);
      if (pushed > 0) {
        flow[a] -= pushed;
        return pushed;
      }
    }
    return 0;
  }
}
