import { grown } from './int-buffer.js';

/**
 * Primal network simplex for uncapacitated minimum-cost flow with balanced integer supplies,
 * after LEMON's NetworkSimplex (Király–Kovács): a spanning tree stored with parent / thread /
 * successor-count arrays, candidate-list pricing (`findEnteringArc`), and LEMON's leaving-arc
 * selection on strongly feasible trees, so no cycling. Costs and flows are integers held in
 * float64, exact below 2^53. It can start from the all-artificial basis or from a given forest
 * (`initFromForest`).
 *
 * Arcs can be appended between solves (`addArc` then `solve` again): the current tree stays a
 * feasible basis, so pricing-out rounds resume where the previous solve stopped.
 *
 * *Implicit leaves.* In a transportation problem with many more demand nodes than supply nodes,
 * almost every demand node is a leaf of the basis tree (it is served by one supplier), and a
 * pivot that re-hangs a supplier's subtree would walk all of its leaves to update their
 * potentials. Nodes in the `leaf` range that have no children are therefore kept out of the
 * thread (the preorder the tree updates walk): a leaf's potential is its parent's plus the arc
 * cost (`leafOff`), read on demand. A leaf that gets a child is promoted into the thread first; a
 * node that loses its children becomes a leaf again when the structure is rebuilt (every n/16
 * pivots). Which nodes are leaves changes nothing in the pivot rules, only the bookkeeping.
 */
const STATE_UPPER = -1;
const STATE_TREE = 0;
const STATE_LOWER = 1;
const DIR_UP = 1;
const DIR_DOWN = -1;

export class NetworkSimplex {
  private readonly n: number;
  private readonly root: number;
  private m = 0;
  private source: Int32Array;
  private target: Int32Array;
  private cost: Float64Array;
  private flowArr: Float64Array;
  private state: Int8Array;
  private readonly pi: Float64Array;
  private readonly parent: Int32Array;
  private readonly pred: Int32Array;
  private readonly thread: Int32Array;
  private readonly revThread: Int32Array;
  private readonly succNum: Int32Array;
  private readonly lastSucc: Int32Array;
  private readonly predDir: Int8Array;
  private readonly dirty: Int32Array;
  /** 1 for an implicit leaf (not in the thread); its potential is pi[parent] + leafOff. */
  private readonly leaf: Uint8Array;
  private readonly leafOff: Float64Array;
  /** Scratch for rebuilds. */
  private readonly scratchA: Int32Array;
  private readonly scratchB: Int32Array;
  private readonly scratchC: Int32Array;
  private initialized = false;
  private nextArc = 0;
  /** Candidate list of the pricing (arcs last seen with a negative reduced cost). */
  private cand = new Int32Array(64);
  private candLen = 0;
  private inCand: Uint8Array;
  private inArc = 0;
  private join = 0;
  private uIn = 0;
  private vIn = 0;
  private uOut = 0;
  private delta = 0;
  /** Pivots done (diagnostics). */
  pivots = 0;

  /** `supply[v] > 0` supplies, `< 0` demands; the sum must be 0. */
  /** Nodes `leafFrom .. leafTo-1` may be implicit leaves (the demand side of a transportation problem). */
  constructor(
    private readonly supply: Float64Array,
    arcCapacityHint: number,
    private readonly artificialCost: number,
    private readonly leafFrom = 0,
    private readonly leafTo = 0,
  ) {
    this.n = supply.length;
    this.root = this.n;
    const cap = Math.max(16, arcCapacityHint + this.n);
    this.source = new Int32Array(cap);
    this.target = new Int32Array(cap);
    this.cost = new Float64Array(cap);
    this.flowArr = new Float64Array(cap);
    this.state = new Int8Array(cap);
    this.inCand = new Uint8Array(cap);
    const nn = this.n + 1;
    this.pi = new Float64Array(nn);
    this.parent = new Int32Array(nn);
    this.pred = new Int32Array(nn);
    this.thread = new Int32Array(nn);
    this.revThread = new Int32Array(nn);
    this.succNum = new Int32Array(nn);
    this.lastSucc = new Int32Array(nn);
    this.predDir = new Int8Array(nn);
    this.dirty = new Int32Array(nn);
    this.leaf = new Uint8Array(nn);
    this.leafOff = new Float64Array(nn);
    this.scratchA = new Int32Array(nn + 1);
    this.scratchB = new Int32Array(nn + 1);
    this.scratchC = new Int32Array(nn + 1);
    // Arcs 0..n-1 are the artificial root arcs; real arcs follow, so appending is trivial.
    this.m = this.n;
  }

  /** Adds an arc u → v with the given cost; returns its id. */
  addArc(u: number, v: number, c: number): number {
    if (this.m === this.source.length) this.grow();
    const id = this.m++;
    this.source[id] = u;
    this.target[id] = v;
    this.cost[id] = c;
    this.flowArr[id] = 0;
    this.state[id] = STATE_LOWER;
    return id;
  }

  flow(arc: number): number {
    return this.flowArr[arc];
  }

  /** Node potential in the convention reducedCost(u→v) = cost + potential(u) − potential(v). */
  potential(v: number): number {
    return this.leaf[v] ? this.pi[this.parent[v]] + this.leafOff[v] : this.pi[v];
  }

  /** Arc ids of real arcs are `firstArc .. arcCount-1`. */
  get firstArc(): number {
    return this.n;
  }

  get arcCount(): number {
    return this.m;
  }

  /** All node potentials (read-only view), in the convention of `potential`; leaves brought up to date. */
  get potentials(): Float64Array {
    const { pi, leaf, parent, leafOff } = this;
    for (let v = 0; v < this.n; v++) if (leaf[v]) pi[v] = pi[parent[v]] + leafOff[v];
    return pi;
  }

  /**
   * Starts from a given forest instead of the all-artificial basis: `arcs` are real arc ids with
   * positive `flows` forming a forest in which every tree (component) has at most one node whose
   * supply is not balanced by the forest's flows (as the least-cost method leaves them). Each tree
   * hangs from the root by one artificial arc at that node (or at its first node when balanced),
   * carrying the imbalance; zero-flow artificial arcs point up, so the basis is strongly feasible.
   * Returns false (and changes nothing) when the forest does not have that shape.
   */
  initFromForest(arcs: Int32Array, flows: Float64Array): boolean {
    const { n, root } = this;
    const resid = Float64Array.from(this.supply);
    const deg = new Int32Array(n + 1);
    for (let i = 0; i < arcs.length; i++) {
      const a = arcs[i];
      resid[this.source[a]] -= flows[i];
      resid[this.target[a]] += flows[i];
      deg[this.source[a]]++;
      deg[this.target[a]]++;
    }
    // Forest adjacency (CSR of arc slots).
    const off = new Int32Array(n + 1);
    for (let v = 0; v < n; v++) off[v + 1] = off[v] + deg[v];
    const fill = off.slice(0, n);
    const adj = new Int32Array(off[n]);
    for (let i = 0; i < arcs.length; i++) {
      adj[fill[this.source[arcs[i]]]++] = i;
      adj[fill[this.target[arcs[i]]]++] = i;
    }
    // Components and their connectors.
    const comp = new Int32Array(n).fill(-1);
    const connector: number[] = [];
    const stack = new Int32Array(n);
    for (let v0 = 0; v0 < n; v0++) {
      if (comp[v0] >= 0) continue;
      const c = connector.length;
      let conn = -1;
      let top = 0;
      stack[top++] = v0;
      comp[v0] = c;
      while (top > 0) {
        const v = stack[--top];
        if (resid[v] !== 0) {
          if (conn >= 0) return false;
          conn = v;
        }
        for (let k = off[v]; k < off[v + 1]; k++) {
          const a = arcs[adj[k]];
          const w = this.source[a] === v ? this.target[a] : this.source[a];
          if (comp[w] < 0) {
            comp[w] = c;
            stack[top++] = w;
          } else if (comp[w] !== c) return false;
        }
      }
      connector.push(conn >= 0 ? conn : v0);
    }
    if (arcs.length !== n - connector.length) return false; // a cycle somewhere
    // Artificial arcs: only the connectors' are in the tree.
    for (let u = 0; u < n; u++) {
      this.flowArr[u] = 0;
      this.state[u] = STATE_LOWER;
      this.source[u] = u;
      this.target[u] = root;
      this.cost[u] = 0;
    }
    for (const u of connector) {
      this.state[u] = STATE_TREE;
      if (resid[u] >= 0) {
        this.flowArr[u] = resid[u];
      } else {
        this.source[u] = root;
        this.target[u] = u;
        this.cost[u] = this.artificialCost;
        this.flowArr[u] = -resid[u];
      }
    }
    for (let i = 0; i < arcs.length; i++) {
      this.flowArr[arcs[i]] = flows[i];
      this.state[arcs[i]] = STATE_TREE;
    }
    // Depth-first from the root: parent, pred and direction of every node.
    const { parent, pred, predDir } = this;
    parent[root] = -1;
    pred[root] = -1;
    const setParent = (v: number, par: number, arc: number) => {
      parent[v] = par;
      pred[v] = arc;
      predDir[v] = this.source[arc] === v ? DIR_UP : DIR_DOWN;
    };
    let top = 0;
    for (const u of connector) {
      setParent(u, root, u);
      stack[top++] = u;
    }
    while (top > 0) {
      const v = stack[--top];
      for (let k = off[v]; k < off[v + 1]; k++) {
        const a = arcs[adj[k]];
        const w = this.source[a] === v ? this.target[a] : this.source[a];
        if (w === parent[v]) continue;
        setParent(w, v, a);
        stack[top++] = w;
      }
    }
    this.rebuild();
    this.initialized = true;
    this.nextArc = n;
    return true;
  }

  /** Flow still on artificial arcs (0 when the problem is feasible on the real arcs). */
  artificialFlow(): number {
    let t = 0;
    for (let e = 0; e < this.n; e++) t += this.flowArr[e];
    return t;
  }

  /** Pivots to optimality from the current basis. */
  solve(): void {
    if (!this.initialized) this.init();
    const blockSize = Math.max(10, Math.ceil(Math.sqrt(this.m - this.n)));
    const listSize = 4 * blockSize;
    if (this.cand.length < listSize) this.cand = new Int32Array(listSize);
    // A rebuild turns nodes that lost their children back into implicit leaves, so potential
    // updates walk a shorter thread. Every n/16 pivots rather than n/4: the same pivots, and the
    // province benchmark's transport stage took 9.4–10.3 s against 10.9–11.7 s (n/8: 10.1 s,
    // n/32: 10.6 s, n/64: 11.1 s); on the city both are the same (n/16 is below the 1,000 floor).
    const rebuildEvery = Math.max(1000, Math.floor(this.n / 16));
    let sinceRebuild = 0;
    const { leaf } = this;
    while (this.findEnteringArc(blockSize, listSize)) {
      this.pivots++;
      this.findJoinNode();
      const change = this.findLeavingArc();
      this.changeFlow(change);
      if (change) {
        if (this.uIn === this.uOut && leaf[this.uIn]) {
          // A leaf moves to another parent and stays a leaf: nothing in the thread changes.
          if (leaf[this.vIn]) this.promote(this.vIn);
          const v = this.uIn;
          const a = this.inArc;
          this.parent[v] = this.vIn;
          this.pred[v] = a;
          this.predDir[v] = v === this.source[a] ? DIR_UP : DIR_DOWN;
          this.leafOff[v] = v === this.source[a] ? -this.cost[a] : this.cost[a];
        } else {
          if (leaf[this.uIn]) this.promote(this.uIn);
          if (leaf[this.vIn]) this.promote(this.vIn);
          this.updateTreeStructure();
          this.updatePotential();
        }
      }
      if (++sinceRebuild >= rebuildEvery) {
        this.rebuild();
        sinceRebuild = 0;
      }
    }
  }

  private grow(): void {
    const cap = this.source.length * 2;
    this.source = grown(this.source, cap);
    this.target = grown(this.target, cap);
    this.cost = grown(this.cost, cap);
    this.flowArr = grown(this.flowArr, cap);
    this.state = grown(this.state, cap);
    this.inCand = grown(this.inCand, cap);
  }

  private init(): void {
    this.initialized = true;
    const { n, root } = this;
    this.parent[root] = -1;
    this.pred[root] = -1;
    this.thread[root] = 0;
    this.revThread[0] = root;
    this.succNum[root] = n + 1;
    this.lastSucc[root] = root - 1;
    this.pi[root] = 0;
    for (let u = 0; u < n; u++) {
      const e = u;
      this.parent[u] = root;
      this.pred[u] = e;
      this.thread[u] = u + 1;
      this.revThread[u + 1] = u;
      this.succNum[u] = 1;
      this.lastSucc[u] = u;
      this.state[e] = STATE_TREE;
      if (this.supply[u] >= 0) {
        this.predDir[u] = DIR_UP;
        this.pi[u] = 0;
        this.source[e] = u;
        this.target[e] = root;
        this.flowArr[e] = this.supply[u];
        this.cost[e] = 0;
      } else {
        this.predDir[u] = DIR_DOWN;
        this.pi[u] = this.artificialCost;
        this.source[e] = root;
        this.target[e] = u;
        this.flowArr[e] = -this.supply[u];
        this.cost[e] = this.artificialCost;
      }
    }
    this.nextArc = n;
    this.rebuild();
  }

  /**
   * Recomputes the thread (preorder of the non-leaf nodes), subtree sizes, last successors, leaf
   * flags and potentials from the parent pointers.
   */
  private rebuild(): void {
    const { n, root, parent, pred, predDir, cost, pi, thread, revThread, succNum, lastSucc, leaf, leafOff } = this;
    const nn = n + 1;
    const off = this.scratchA;
    const kids = this.scratchB;
    const order = this.scratchC;
    off.fill(0);
    for (let v = 0; v < nn; v++) if (v !== root) off[parent[v] + 1]++;
    for (let v = 0; v < nn; v++) off[v + 1] += off[v];
    // kids: CSR by parent, ascending child index (fill pointers borrowed from `order`).
    for (let v = 0; v < nn; v++) order[v] = off[v];
    for (let v = 0; v < nn; v++) if (v !== root) kids[order[parent[v]]++] = v;
    for (let v = 0; v < nn; v++) leaf[v] = v !== root && v >= this.leafFrom && v < this.leafTo && off[v + 1] === off[v] ? 1 : 0;
    // Preorder over non-leaves (explicit stack at the end of `order`'s spare room is not
    // available, so the stack lives in `thread`, which is rewritten below anyway).
    const stack = thread;
    let top = 0;
    let len = 0;
    stack[top++] = root;
    while (top > 0) {
      const v = stack[--top];
      order[len++] = v;
      for (let k = off[v + 1] - 1; k >= off[v]; k--) if (!leaf[kids[k]]) stack[top++] = kids[k];
    }
    pi[root] = 0;
    for (let i = 1; i < len; i++) {
      const v = order[i];
      pi[v] = predDir[v] === DIR_UP ? pi[parent[v]] - cost[pred[v]] : pi[parent[v]] + cost[pred[v]];
    }
    for (let i = 0; i < len; i++) {
      const v = order[i];
      const next = order[(i + 1) % len];
      thread[v] = next;
      revThread[next] = v;
      succNum[v] = 1;
    }
    for (let i = len - 1; i > 0; i--) succNum[parent[order[i]]] += succNum[order[i]];
    for (let i = 0; i < len; i++) lastSucc[order[i]] = order[i + succNum[order[i]] - 1];
    for (let v = 0; v < nn; v++) {
      if (!leaf[v]) continue;
      leafOff[v] = predDir[v] === DIR_UP ? -cost[pred[v]] : cost[pred[v]];
      pi[v] = pi[parent[v]] + leafOff[v];
      succNum[v] = 1;
      lastSucc[v] = v;
    }
  }

  /** Puts leaf v into the thread right after its parent (as its first child). */
  private promote(v: number): void {
    const { parent, thread, revThread, succNum, lastSucc, pi, leaf } = this;
    const p = parent[v];
    pi[v] = pi[p] + this.leafOff[v];
    leaf[v] = 0;
    const next = thread[p];
    thread[p] = v;
    revThread[v] = p;
    thread[v] = next;
    revThread[next] = v;
    succNum[v] = 1;
    lastSucc[v] = v;
    for (let u = p; u !== -1 && lastSucc[u] === p; u = parent[u]) lastSucc[u] = v;
    for (let u = p; u !== -1; u = parent[u]) succNum[u]++;
  }

  /**
   * Candidate-list pricing: the arcs found with a negative reduced cost are kept in a list; each
   * pivot re-prices the list (dropping arcs no longer negative) and enters the most negative. An
   * empty list is refilled by scanning on, block by block, from where the last scan stopped, until
   * the list holds at least one arc per block scanned (or `listSize` arcs, or every arc has been
   * seen). Where negative arcs are plentiful this is LEMON's block search; near the optimum, where
   * they are few and far between, one long scan collects them all and serves many pivots instead
   * of one. Returns false when a scan of every arc finds none: optimal.
   */
  private findEnteringArc(blockSize: number, listSize: number): boolean {
    const { cost, pi, source, target, state, leaf, leafOff, parent, cand, inCand } = this;
    let best = -1;
    let min = 0;
    let w = 0;
    for (let i = 0; i < this.candLen; i++) {
      const e = cand[i];
      const u = source[e];
      const v = target[e];
      const c = state[e] * (cost[e] + (leaf[u] ? pi[parent[u]] + leafOff[u] : pi[u]) - (leaf[v] ? pi[parent[v]] + leafOff[v] : pi[v]));
      if (c < 0) {
        cand[w++] = e;
        if (c < min) {
          min = c;
          best = e;
        }
      } else inCand[e] = 0;
    }
    this.candLen = w;
    if (w === 0) {
      const start = this.n;
      const end = this.m;
      const total = end - start;
      let e = this.nextArc < start || this.nextArc >= end ? start : this.nextArc;
      let scanned = 0;
      let blocks = 0;
      let cnt = blockSize;
      let len = 0;
      while (scanned < total) {
        const u = source[e];
        const v = target[e];
        const c = state[e] * (cost[e] + (leaf[u] ? pi[parent[u]] + leafOff[u] : pi[u]) - (leaf[v] ? pi[parent[v]] + leafOff[v] : pi[v]));
        if (c < 0) {
          inCand[e] = 1;
          cand[len++] = e;
          if (c < min) {
            min = c;
            best = e;
          }
        }
        if (++e === end) e = start;
        scanned++;
        if (len >= listSize) break;
        if (--cnt === 0) {
          cnt = blockSize;
          if (len > blocks++) break;
        }
      }
      this.candLen = len;
      this.nextArc = e;
    }
    if (best < 0) return false;
    this.inArc = best;
    return true;
  }

  private findJoinNode(): void {
    let u = this.source[this.inArc];
    let v = this.target[this.inArc];
    const { succNum, parent, leaf } = this;
    // A leaf's subtree size says nothing about its depth next to its parent's: start above it.
    if (leaf[u]) u = parent[u];
    if (leaf[v]) v = parent[v];
    while (u !== v) {
      if (succNum[u] < succNum[v]) u = parent[u];
      else v = parent[v];
    }
    this.join = u;
  }

  private findLeavingArc(): boolean {
    const { inArc, join, pred, predDir, parent, flowArr } = this;
    let first: number;
    let second: number;
    if (this.state[inArc] === STATE_LOWER) {
      first = this.source[inArc];
      second = this.target[inArc];
    } else {
      first = this.target[inArc];
      second = this.source[inArc];
    }
    let delta = Infinity;
    let result = 0;
    for (let u = first; u !== join; u = parent[u]) {
      const e = pred[u];
      const d = predDir[u] === DIR_DOWN ? Infinity : flowArr[e];
      if (d < delta) {
        delta = d;
        this.uOut = u;
        result = 1;
      }
    }
    for (let u = second; u !== join; u = parent[u]) {
      const e = pred[u];
      const d = predDir[u] === DIR_UP ? Infinity : flowArr[e];
      if (d <= delta) {
        delta = d;
        this.uOut = u;
        result = 2;
      }
    }
    if (result === 1) {
      this.uIn = first;
      this.vIn = second;
    } else {
      this.uIn = second;
      this.vIn = first;
    }
    this.delta = delta;
    if (result === 0) throw new Error('network simplex: unbounded cycle (negative cost cycle of infinite capacity)');
    return true;
  }

  private changeFlow(change: boolean): void {
    const { inArc, join, pred, predDir, parent, flowArr } = this;
    const delta = this.delta;
    if (delta > 0) {
      const val = this.state[inArc] * delta;
      flowArr[inArc] += val;
      for (let u = this.source[inArc]; u !== join; u = parent[u]) flowArr[pred[u]] -= predDir[u] * val;
      for (let u = this.target[inArc]; u !== join; u = parent[u]) flowArr[pred[u]] += predDir[u] * val;
    }
    if (change) {
      this.state[inArc] = STATE_TREE;
      this.state[pred[this.uOut]] = flowArr[pred[this.uOut]] === 0 ? STATE_LOWER : STATE_UPPER;
    } else {
      this.state[inArc] = -this.state[inArc] as -1 | 1;
    }
  }

  private updateTreeStructure(): void {
    const { parent, thread, revThread, succNum, lastSucc, pred, predDir, source, dirty } = this;
    const uIn = this.uIn;
    const vIn = this.vIn;
    const uOut = this.uOut;
    const join = this.join;
    const inArc = this.inArc;
    const oldRevThread = revThread[uOut];
    const oldSuccNum = succNum[uOut];
    const oldLastSucc = lastSucc[uOut];
    const vOut = parent[uOut];

    if (uIn === uOut) {
      parent[uIn] = vIn;
      pred[uIn] = inArc;
      predDir[uIn] = uIn === source[inArc] ? DIR_UP : DIR_DOWN;
      if (thread[vIn] !== uOut) {
        let after = thread[oldLastSucc];
        thread[oldRevThread] = after;
        revThread[after] = oldRevThread;
        after = thread[vIn];
        thread[vIn] = uOut;
        revThread[uOut] = vIn;
        thread[oldLastSucc] = after;
        revThread[after] = oldLastSucc;
      }
    } else {
      const threadContinue = oldRevThread === vIn ? thread[oldLastSucc] : thread[vIn];
      let stem = uIn;
      let parStem = vIn;
      let nextStem: number;
      let last = lastSucc[uIn];
      let before: number;
      let after = thread[last];
      thread[vIn] = uIn;
      let nd = 0;
      dirty[nd++] = vIn;
      while (stem !== uOut) {
        nextStem = parent[stem];
        thread[last] = nextStem;
        dirty[nd++] = last;
        before = revThread[stem];
        thread[before] = after;
        revThread[after] = before;
        parent[stem] = parStem;
        parStem = stem;
        stem = nextStem;
        last = lastSucc[stem] === lastSucc[parStem] ? revThread[parStem] : lastSucc[stem];
        after = thread[last];
      }
      parent[uOut] = parStem;
      thread[last] = threadContinue;
      revThread[threadContinue] = last;
      lastSucc[uOut] = last;
      if (oldRevThread !== vIn) {
        thread[oldRevThread] = after;
        revThread[after] = oldRevThread;
      }
      for (let i = 0; i < nd; i++) {
        const u = dirty[i];
        revThread[thread[u]] = u;
      }
      let tmpSc = 0;
      const tmpLs = lastSucc[uOut];
      for (let u = uOut, p = parent[u]; u !== uIn; u = p, p = parent[u]) {
        pred[u] = pred[p];
        predDir[u] = -predDir[p];
        tmpSc += succNum[u] - succNum[p];
        succNum[u] = tmpSc;
        lastSucc[p] = tmpLs;
      }
      pred[uIn] = inArc;
      predDir[uIn] = uIn === source[inArc] ? DIR_UP : DIR_DOWN;
      succNum[uIn] = oldSuccNum;
    }

    const upLimitOut = lastSucc[join] === vIn ? join : -1;
    const lastSuccOut = lastSucc[uOut];
    for (let u = vIn; u !== -1 && lastSucc[u] === vIn; u = parent[u]) lastSucc[u] = lastSuccOut;
    if (join !== oldRevThread && vIn !== oldRevThread) {
      for (let u = vOut; u !== upLimitOut && lastSucc[u] === oldLastSucc; u = parent[u]) lastSucc[u] = oldRevThread;
    } else if (lastSuccOut !== oldLastSucc) {
      for (let u = vOut; u !== upLimitOut && lastSucc[u] === oldLastSucc; u = parent[u]) lastSucc[u] = lastSuccOut;
    }
    for (let u = vIn; u !== join; u = parent[u]) succNum[u] += oldSuccNum;
    for (let u = vOut; u !== join; u = parent[u]) succNum[u] -= oldSuccNum;
  }

  private updatePotential(): void {
    const { pi, thread, lastSucc } = this;
    const uIn = this.uIn;
    const sigma = pi[this.vIn] - pi[uIn] - this.predDir[uIn] * this.cost[this.inArc];
    const end = thread[lastSucc[uIn]];
    if (2 * this.succNum[uIn] <= this.succNum[this.root]) {
      for (let u = uIn; u !== end; u = thread[u]) pi[u] += sigma;
    } else {
      // Only differences matter: shifting everything else the other way is the same, and shorter.
      for (let u = end; u !== uIn; u = thread[u]) pi[u] -= sigma;
    }
  }
}
