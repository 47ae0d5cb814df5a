import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { fairShares } from './fair-share.js';
import type { ProductModel, ResolvedOptions } from './model.js';
import { buildReach, joinReach, type Reach, type ReachModel } from './reach.js';
import { assignSlots, type Pickup, type SlotModel, type SlotResult } from './slots.js';
import { transport, type TransportLine } from './transport.js';

/**
 * Work that splits into independent parts, done side by side: on a machine with more than one
 * core, helper threads take some parts while the calling thread does the rest.
 * - The reach graph (stage 3): each enterprise's list is its own, so the enterprises are cut
 *   into consecutive ranges, one per thread, and the lists put together in order.
 * - Stages 4 and 5 (fair shares, then short trips) per product: R1–R5 never compare two products
 *   (the supplier limit, which does, comes after), so each product is solved on its own.
 * - Stage 7, slots, while the calling thread writes the explanations and figures (neither reads
 *   the other).
 * A part's answer does not depend on the thread that works it out, so the result is the same,
 * byte for byte, with or without helpers.
 *
 * The helpers (helper-thread.ts) are started on first use and kept, unreferenced (they never hold
 * a process open). The calling thread waits for them synchronously (`Atomics.wait`), so `allocate`
 * stays a plain function. Where no helper can run (one core, a small problem, the library loaded
 * from its TypeScript sources as in unit tests), everything is done here. A part that fails on a
 * helper is done here too; a helper that ends or never answers is also dropped (see `answerOf`).
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

/** Below these sizes a helper costs more than it saves: enterprise–product pairs (products), enterprises (reach), pickups (slots). */
const MIN_PAIRS_FOR_HELPERS = 20_000;
const MIN_ENTERPRISES_FOR_HELPERS = 5_000;
const MIN_PICKUPS_FOR_HELPERS = 5_000;
/**
 * How long a helper may take beyond four times the caller's own part before it is given up on
 * (its part is then done by the caller), and how long one that has not even started.
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

/** What a helper is sent: a part of the work, where its answer goes, and the flag (Int32 0 → 1) the caller waits on. */
export type HelperJob = (ReachJob | ProductsJob | SlotsJob) & { readonly port: MessagePort; readonly done: Int32Array };

export interface SlotsJob {
  readonly kind: 'slots';
  readonly model: SlotModel;
  /** The pickups as columns: enterprise, supplier, metres. */
  readonly e: Int32Array;
  readonly s: Int32Array;
  readonly distM: Int32Array;
}

export interface ReachJob {
  readonly kind: 'reach';
  readonly model: ReachModel;
  readonly stocked: Uint8Array;
  readonly from: number;
  readonly to: number;
}

export interface ProductsJob {
  readonly kind: 'products';
  readonly model: ProductModel;
  readonly reach: Reach;
  readonly opt: ResolvedOptions;
  readonly products: readonly { p: number; freePacks: Float64Array; pinnedPacks: Float64Array }[];
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

/** What a helper sends back: its part (a reach range, products with their lines as columns, or the slots), or why it failed. */
export type HelperAnswer =
  | { ok: true; reach?: Reach; outcomes?: (Omit<ProductOutcome, 'lines'> & { lines: LineColumns })[]; slots?: SlotResult }
  | { ok: false; error: string };

/** A helper thread and its state flag: 0 while it starts, 1 once it takes jobs, 2 once it has ended. */
interface Helper {
  readonly worker: Worker;
  readonly state: Int32Array;
}

let helpers: Helper[] = [];
let maxHelpers = Math.max(0, Math.min(3, availableParallelism() - 1));
/**
 * Set when helpers cannot be relied on: one never started (it could not load), or
 * `MAX_LOST_HELPERS` have ended or gone silent. No more are started (until `setHelperThreads`).
 */
let helpersOff = false;
let lostHelpers = 0;
const MAX_LOST_HELPERS = 3;

/**
 * Sets how many helper threads `allocate` may use (default: one less than the cores, at most 3; 0
 * does everything on the calling thread). Results are the same either way; only the time and the
 * memory differ. Helpers beyond the new count stop.
 *
 * @example setHelperThreads(0) // everything on the calling thread
 */
export function setHelperThreads(count: number): void {
  if (!(Number.isSafeInteger(count) && count >= 0)) throw new RangeError('setHelperThreads: count must be a non-negative integer');
  maxHelpers = count;
  helpersOff = false;
  lostHelpers = 0;
  for (const h of helpers.slice(count)) void h.worker.terminate();
  helpers = helpers.slice(0, count);
}

/** The helper threads, started on first use, or none where they cannot run. */
function helperPool(): Helper[] {
  const url = new URL('./helper-thread.js', import.meta.url);
  // From the TypeScript sources (unit tests) there is no compiled helper to start.
  if (helpersOff || helpers.length >= maxHelpers || url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return helpers;
  while (helpers.length < maxHelpers) {
    const state = new Int32Array(new SharedArrayBuffer(4));
    // No inherited command-line options: some (such as --input-type) stop a thread from loading.
    const worker = new Worker(url, { workerData: { state }, execArgv: [] });
    worker.unref();
    const helper = { worker, state };
    worker.on('error', () => dropHelper(helper));
    helpers.push(helper);
  }
  return helpers;
}

/** Lets a helper go (it ended, or never answered). */
function dropHelper(h: Helper): void {
  if (!helpers.includes(h)) return;
  helpers = helpers.filter((x) => x !== h);
  void h.worker.terminate();
  if (++lostHelpers >= MAX_LOST_HELPERS) helpersOff = true;
}

interface Pending {
  readonly helper: Helper;
  readonly port: MessagePort;
  readonly done: Int32Array;
}

/** Stops waiting for a job: its answer, if it ever comes, is dropped with the port. */
function cancel(pending: Pending): void {
  pending.port.close();
}

function send(helper: Helper, job: ReachJob | ProductsJob | SlotsJob): Pending {
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  helper.worker.postMessage({ ...job, port: port2, done } satisfies HelperJob, [port2]);
  return { helper, port: port1, done };
}

/**
 * Blocks until the helper raises `done`, then takes its answer. Undefined when the part failed
 * there (the helper stays), and, with the helper let go, when the helper ended, had not even
 * started `STARTUP_GRACE_MS` after `since` (it could not load: then no other is started), or had
 * not answered after four times the caller's own part (`ownMs`) and `HELPER_GRACE_MS`.
 */
function answerOf(pending: Pending, since: number, ownMs: number): Extract<HelperAnswer, { ok: true }> | undefined {
  const { helper, port, done } = pending;
  let answer: HelperAnswer | undefined;
  for (;;) {
    if (Atomics.load(done, 0) === 1) {
      answer = receiveMessageOnPort(port)?.message as HelperAnswer | undefined;
      break;
    }
    const state = Atomics.load(helper.state, 0);
    if (state === 2) break;
    const left = since + (state === 1 ? ownMs * 4 + HELPER_GRACE_MS : STARTUP_GRACE_MS) - performance.now();
    if (left <= 0) {
      helpersOff ||= state === 0;
      break;
    }
    Atomics.wait(done, 0, 0, Math.min(left, 100));
  }
  port.close();
  if (answer?.ok) return answer;
  // A part that failed there is done here; a helper that answered stays.
  if (!answer) dropHelper(helper);
  return undefined;
}

/** The reach graph (`buildReach`), each thread building the lists of a range of enterprises. */
export function buildReachSideBySide(m: ReachModel, stocked: Uint8Array): Reach {
  const pool = maxHelpers > 0 && m.nE >= MIN_ENTERPRISES_FOR_HELPERS ? helperPool() : [];
  if (pool.length === 0) return buildReach(m, stocked);
  const threads = pool.length + 1;
  const cut = Array.from({ length: threads + 1 }, (_, t) => Math.round((m.nE * t) / threads));
  const { nE, nS, eLat, eLng, sLat, sLng, maxDistanceM, excluded } = m;
  const model: ReachModel = { nE, nS, eLat, eLng, sLat, sLng, maxDistanceM, excluded };
  const pending = pool.map((helper, i) => send(helper, { kind: 'reach', model, stocked, from: cut[i + 1], to: cut[i + 2] }));
  try {
    const since = performance.now();
    const parts = [buildReach(m, stocked, 0, cut[1])];
    const ownMs = performance.now() - since;
    pending.forEach((p, i) => parts.push(answerOf(p, since, ownMs)?.reach ?? buildReach(m, stocked, cut[i + 1], cut[i + 2])));
    return joinReach(parts);
  } finally {
    pending.forEach(cancel);
  }
}

/** Work started on a helper: `take` waits for its result; `cancel` (always call it) drops it if not taken. */
export interface Started<T> {
  take(): T;
  cancel(): void;
}

/**
 * Starts slot assignment (`assignSlots`) on a helper (or, where no helper can, leaves it to `take`
 * on the calling thread).
 */
export function assignSlotsSideBySide(m: SlotModel, pickups: readonly Pickup[]): Started<SlotResult> {
  const helper = maxHelpers > 0 && pickups.length >= MIN_PICKUPS_FOR_HELPERS ? helperPool()[0] : undefined;
  if (!helper) return { take: () => assignSlots(m, pickups), cancel: () => {} };
  const { nS, sLat, sLng, tier, prefStart, prefEnd, windows, supplierSlotMinutes, travelSpeedKmh, pickupBufferMinutes } = m;
  const model: SlotModel = { nS, sLat, sLng, tier, prefStart, prefEnd, windows, supplierSlotMinutes, travelSpeedKmh, pickupBufferMinutes };
  const e = Int32Array.from(pickups, (p) => p.e);
  const s = Int32Array.from(pickups, (p) => p.s);
  const distM = Int32Array.from(pickups, (p) => p.distM);
  const pending = send(helper, { kind: 'slots', model, e, s, distM });
  const since = performance.now();
  return {
    take: () => answerOf(pending, since, performance.now() - since)?.slots ?? assignSlots(m, pickups),
    cancel: () => cancel(pending),
  };
}

/**
 * Every product's fair shares and transport lines, in product order, and how many threads
 * solved them (1: the calling thread alone; a helper that failed does not count).
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
  const { nS, packSize, need, deficit, credit, tier, maxDistanceM } = m;
  const model: ProductModel = { nE, nS, nP, packSize, need, deficit, credit, tier, maxDistanceM };
  // The options by name: whatever else a caller's options object holds need not be copyable.
  const { deficitCap, candidateArcs, needRounding } = opt;
  const options: ResolvedOptions = { deficitCap, candidateArcs, needRounding };
  const pending = pool.map((helper, i) =>
    send(helper, { kind: 'products', model, reach, opt: options, products: mine[i + 1].map((p) => ({ p, freePacks: freePacks[p], pinnedPacks: pinnedPacks[p] })) }),
  );
  try {
    const since = performance.now();
    for (const p of mine[0]) solveHere(p);
    const ownMs = performance.now() - since;
    let threads = 1;
    pending.forEach((pend, i) => {
      const answer = answerOf(pend, since, ownMs);
      if (answer?.outcomes) {
        for (const o of answer.outcomes) outcomes[o.p] = { ...o, lines: fromColumns(o.lines) };
        threads++;
      } else for (const p of mine[i + 1]) solveHere(p);
    });
    return { outcomes, threads };
  } finally {
    pending.forEach(cancel);
  }
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
