import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { fairShares } from './fair-share.js';
import type { ProductModel, ResolvedOptions } from './model.js';
import type { Reach } from './reach.js';
import { transport, type TransportLine } from './transport.js';

/**
 * Stages 4 and 5 (fair shares, then short trips) for every product. Each product is solved on its
 * own (R1–R5 never compare two products; the supplier limit, which does, comes after), so the
 * products can run side by side: on a machine with more than one core, one or more helper threads
 * take some of them while the calling thread solves the rest. A product's answer does not depend
 * on where it is solved, so the result is the same, byte for byte, with or without helpers.
 *
 * The helpers are started on first use and kept (unreferenced: they never hold a process open).
 * The calling thread waits for them synchronously (`Atomics.wait`), so `allocate` stays a plain
 * function. Where no helper can run (no second core, a small problem, the library loaded from its
 * TypeScript sources, as in unit tests, or a helper that failed), the products are solved here.
 */

/** One product's answer. */
export interface ProductOutcome {
  readonly p: number;
  /** Fair share per enterprise in packs (see `ProductShares.share`). */
  readonly share: Float64Array;
  readonly lines: TransportLine[];
  readonly fairAdded: number;
  readonly fairRounds: number;
  readonly flowPhases: number;
  readonly roundingShortfall: number;
  readonly transportAdded: number;
  readonly transportRounds: number;
  readonly pivots: number;
  /** Milliseconds of each stage for this product, wherever it ran. */
  readonly fairShareMs: number;
  readonly transportMs: number;
}

/** Below this many enterprise–product pairs a helper costs more than it saves. */
const MIN_PAIRS_FOR_HELPERS = 20_000;
/**
 * How long a helper may take beyond four times the caller's own share before it is given up on
 * (its products are then solved by the caller), and how long one that has not even started.
 */
const HELPER_GRACE_MS = 120_000;
const STARTUP_GRACE_MS = 10_000;

/** Solves one product: fair shares, then the transport stage on them. */
export function solveProduct(m: ProductModel, reach: Reach, opt: ResolvedOptions, p: number, freePacks: Float64Array, pinnedPacks: Float64Array): ProductOutcome {
  const { nE, nP } = m;
  const t0 = performance.now();
  // Shares are worked out in units (as fractions of a pack) and only then rounded to whole
  // packs, so a last part-pack never inflates a claim; 'down' caps the share at whole packs.
  const needPacks = new Float64Array(nE);
  const credit = new Float64Array(nE);
  const up = opt.needRounding === 'up';
  for (let e = 0; e < nE; e++) {
    const packs = m.need[e * nP + p] / m.packSize[p];
    needPacks[e] = up ? packs : Math.floor(packs);
    credit[e] = m.credit[e * nP + p] / m.packSize[p];
  }
  const fs = fairShares(m, reach, opt, { p, freePacks, pinnedPacks, needPacks, credit });
  const t1 = performance.now();
  const tr = transport(m, reach, freePacks, fs.packs, fs.classes);
  return {
    p,
    share: fs.share,
    lines: tr.lines,
    fairAdded: fs.addedArcs,
    fairRounds: fs.rounds,
    flowPhases: fs.phases,
    roundingShortfall: fs.roundingShortfall,
    transportAdded: tr.addedArcs,
    transportRounds: tr.pricingRounds,
    pivots: tr.pivots,
    fairShareMs: t1 - t0,
    transportMs: performance.now() - t1,
  };
}

/** A job for a helper: the shared inputs and the products it solves. */
export interface HelperJob {
  readonly model: ProductModel;
  readonly reach: Reach;
  readonly opt: ResolvedOptions;
  readonly products: readonly { p: number; freePacks: Float64Array; pinnedPacks: Float64Array }[];
  /** Where the answer goes, and the flag (Int32 0 → 1) the caller waits on. */
  readonly port: MessagePort;
  readonly done: Int32Array;
}

/** A product's lines as columns (cheap to send between threads), and back. */
export interface LineColumns {
  readonly e: Int32Array;
  readonly s: Int32Array;
  readonly packs: Float64Array;
  readonly distM: Int32Array;
}

export function toColumns(lines: readonly TransportLine[]): LineColumns {
  const n = lines.length;
  const out = { e: new Int32Array(n), s: new Int32Array(n), packs: new Float64Array(n), distM: new Int32Array(n) };
  lines.forEach((l, i) => {
    out.e[i] = l.e;
    out.s[i] = l.s;
    out.packs[i] = l.packs;
    out.distM[i] = l.distM;
  });
  return out;
}

function fromColumns(c: LineColumns): TransportLine[] {
  return Array.from(c.e, (e, i) => ({ e, s: c.s[i], packs: c.packs[i], distM: c.distM[i] }));
}

/** What a helper sends back: each product's outcome with its lines as columns, or why it failed. */
export type HelperAnswer = { ok: true; outcomes: (Omit<ProductOutcome, 'lines'> & { lines: LineColumns })[] } | { ok: false; error: string };

/** A helper thread and its state flag: 0 while it starts, 1 once it takes jobs. */
interface Helper {
  readonly worker: Worker;
  readonly state: Int32Array;
}

let helpers: Helper[] = [];
let maxHelpers = Math.max(0, Math.min(3, availableParallelism() - 1));

/**
 * Sets how many helper threads `allocate` may use to solve products side by side (default: one
 * less than the cores, at most 3; 0 solves everything on the calling thread). Results are the
 * same either way; only the time and the memory differ. Helpers beyond the new count stop.
 *
 * @example setHelperThreads(0) // everything on the calling thread
 */
export function setHelperThreads(count: number): void {
  if (!(Number.isSafeInteger(count) && count >= 0)) throw new RangeError('setHelperThreads: count must be a non-negative integer');
  maxHelpers = count;
  for (const h of helpers.slice(count)) void h.worker.terminate();
  helpers = helpers.slice(0, count);
}

/** The helper threads, started on first use, or none where they cannot run. */
function helperPool(): Helper[] {
  const url = new URL('./product-helper.js', import.meta.url);
  // From the TypeScript sources (unit tests) there is no compiled helper to start.
  if (helpers.length >= maxHelpers || url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return helpers;
  while (helpers.length < maxHelpers) {
    const state = new Int32Array(new SharedArrayBuffer(4));
    // No inherited command-line options: some (such as --input-type) stop a thread from loading.
    const worker = new Worker(url, { workerData: { state }, execArgv: [] });
    worker.unref();
    const helper = { worker, state };
    // A helper that cannot load or dies is dropped; the caller solves its products (`solveProducts`).
    worker.on('error', () => dropHelper(helper));
    helpers.push(helper);
  }
  return helpers;
}

/** Lets a helper go (it failed, or never answered): its products are solved by the caller. */
function dropHelper(h: Helper): void {
  helpers = helpers.filter((x) => x !== h);
  void h.worker.terminate();
}

/**
 * Every product's fair shares and transport lines, in product order, and how many threads
 * solved them (1: the calling thread alone).
 */
export function solveProducts(
  m: ProductModel,
  reach: Reach,
  opt: ResolvedOptions,
  freePacks: readonly Float64Array[],
  pinnedPacks: readonly Float64Array[],
): { outcomes: ProductOutcome[]; threads: number } {
  const { nE, nP } = m;
  const pool = maxHelpers > 0 && nP > 1 && nE * nP >= MIN_PAIRS_FOR_HELPERS ? helperPool().slice(0, nP - 1) : [];
  const outcomes: ProductOutcome[] = new Array(nP);
  const solveHere = (p: number) => (outcomes[p] = solveProduct(m, reach, opt, p, freePacks[p], pinnedPacks[p]));
  if (pool.length === 0) {
    for (let p = 0; p < nP; p++) solveHere(p);
    return { outcomes, threads: 1 };
  }
  const mine = spread(m, pool.length + 1);
  const model = productModel(m);
  const shared = sharedReach(reach);
  const jobs = pool.map((helper, i) => {
    const { port1, port2 } = new MessageChannel();
    const done = new Int32Array(new SharedArrayBuffer(4));
    const products = mine[i + 1];
    const job: HelperJob = { model, reach: shared, opt, products: products.map((p) => ({ p, freePacks: freePacks[p], pinnedPacks: pinnedPacks[p] })), port: port2, done };
    helper.worker.postMessage(job, [port2]);
    return { helper, port: port1, done, products };
  });
  const started = performance.now();
  for (const p of mine[0]) solveHere(p);
  const now = performance.now();
  for (const job of jobs) {
    const answer = awaitAnswer(job.helper.state, job.done, job.port, now + STARTUP_GRACE_MS, now + (now - started) * 4 + HELPER_GRACE_MS);
    job.port.close();
    if (answer?.ok) {
      for (const o of answer.outcomes) outcomes[o.p] = { ...o, lines: fromColumns(o.lines) };
    } else {
      dropHelper(job.helper);
      for (const p of job.products) solveHere(p);
    }
  }
  return { outcomes, threads: pool.length + 1 };
}

/**
 * Products per thread (thread 0 is the caller's): longest first onto the least loaded thread, a
 * product's cost taken as its enterprises with a need.
 */
function spread(m: ProductModel, threads: number): number[][] {
  const { nE, nP } = m;
  const cost = Array.from({ length: nP }, (_, p) => {
    let n = 0;
    for (let e = 0; e < nE; e++) if (m.need[e * nP + p] > 0) n++;
    return n;
  });
  const load = new Array<number>(threads).fill(0);
  const mine: number[][] = Array.from({ length: threads }, () => []);
  for (const p of Array.from({ length: nP }, (_, p) => p).sort((a, b) => cost[b] - cost[a] || a - b)) {
    const t = load.indexOf(Math.min(...load));
    load[t] += cost[p];
    mine[t].push(p);
  }
  return mine;
}

/**
 * Blocks until the helper raises `done`, then takes its answer. Undefined when the helper had not
 * even started by `startDeadline` (it could not load), or had not answered by `deadline`.
 */
function awaitAnswer(state: Int32Array, done: Int32Array, port: MessagePort, startDeadline: number, deadline: number): HelperAnswer | undefined {
  while (Atomics.load(done, 0) === 0) {
    const started = Atomics.load(state, 0) === 1;
    const left = (started ? deadline : startDeadline) - performance.now();
    if (left <= 0) return undefined;
    Atomics.wait(done, 0, 0, Math.min(left, 100));
  }
  return receiveMessageOnPort(port)?.message as HelperAnswer | undefined;
}

function productModel(m: ProductModel): ProductModel {
  const { nE, nS, nP, packSize, need, deficit, credit, tier, maxDistanceM } = m;
  return { nE, nS, nP, packSize, need, deficit, credit, tier, maxDistanceM };
}

/** The reach graph in shared memory (as `buildReach` makes it), so helpers read it without a copy of their own. */
function sharedReach(reach: Reach): Reach {
  const share = (a: Int32Array) => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const out = new Int32Array(new SharedArrayBuffer(a.length * 4));
    out.set(a);
    return out;
  };
  return { off: share(reach.off), sup: share(reach.sup), dist: share(reach.dist) };
}
