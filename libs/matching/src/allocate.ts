import { explain, stockedWithinReach } from './explain.js';
import { computeFigures, toAllocationLines, type LineIx } from './figures.js';
import { haversineM } from './geo.js';
import { consolidate } from './consolidate.js';
import type { Model, ResolvedOptions } from './model.js';
import type { Reach } from './reach.js';
import { pickupsOf, type SlotResult } from './slots.js';
import { assignSlotsSideBySide, buildReachSideBySide, solveProducts, type ProductOutcome } from './side-by-side.js';
import type { AllocateOptions, Explanation, Figures, Reason, Result, Unmet } from './types.js';
import { validate } from './validate.js';

/** Defaults merged under `allocate`'s options. */
export const DEFAULT_OPTIONS: Required<AllocateOptions> = {
  deficitCap: 0.5,
  candidateArcs: 8,
  needRounding: 'up',
};

/** Diagnostics of a run that are not part of the result (sizes, pricing rounds, pivots). */
export interface AllocateStats {
  reachArcs: number;
  /** Enterprises that priced out of their fair-share class (kept under its old name). */
  fairAddedArcs: number;
  transportAddedArcs: number;
  transportRounds: number;
  pivots: number;
  /** Enterprises brought within `maxSuppliersPerEnterprise` by consolidation, and those over it before. */
  consolidatedMoves: number;
  overLimitBefore?: number;
  /** Fair-share pricing rounds and max-flow search phases, over all products. */
  fairRounds?: number;
  flowPhases?: number;
  /** Packs the fair-share rounding could not hand out within their group (see `ProductShares`). */
  roundingShortfall?: number;
  /**
   * Milliseconds per stage (only measured when a stats object is passed; never part of the result).
   * `products` is the wall time of the fair-share and transport stages of all products, which may
   * run side by side (see side-by-side.ts); `productMs` gives each product's own.
   */
  stageMs?: Record<string, number>;
  productMs?: { fairShare: number; transport: number }[];
  /** Threads that solved the products: 1, or 1 + the helper threads used (see side-by-side.ts). */
  threads?: number;
}

const EMPTY_FIGURES: Figures = {
  demand: 0,
  supply: 0,
  allocated: 0,
  unmet: 0,
  surplus: 0,
  fillRatio: 1,
  byProduct: [],
  minFillRatioByTier: {},
  jainIndex: 1,
  unitKm: 0,
  packKm: 0,
  trips: 0,
  tripKm: 0,
  pickupsPerEnterprise: { mean: 0, max: 0 },
  splits: 0,
  overSupplierLimit: 0,
};

function invalid(reasons: Reason[]): Result {
  return { status: 'invalid', reasons, lines: [], appointments: [], unslotted: [], unmet: [], explanations: [], figures: EMPTY_FIGURES };
}

/**
 * Allocates scarce supply to enterprises for one service day: tiers first, max-min fair within a
 * tier on deficit-weighted claims, minimum total distance, whole packs, slots; coordinator
 * overrides as hard constraints. Pure and deterministic: the same problem (in any array order)
 * gives the same result, byte for byte once serialised.
 *
 * @example
 * const result = allocate(problem);
 * if (result.status === 'invalid') console.error(result.reasons);
 * else for (const l of result.lines) console.log(l.enterpriseId, l.supplierId, l.productCode, l.packs);
 */
export function allocate(problem: unknown, options: AllocateOptions = {}, stats?: AllocateStats): Result {
  const opt: ResolvedOptions = { ...DEFAULT_OPTIONS, ...options };
  if (!(Number.isFinite(opt.deficitCap) && opt.deficitCap >= 0)) {
    return invalid([{ code: 'INVALID_OPTION', message: 'deficitCap must be a non-negative number', path: 'options.deficitCap' }]);
  }
  if (!(Number.isSafeInteger(opt.candidateArcs) && opt.candidateArcs > 0)) {
    return invalid([{ code: 'INVALID_OPTION', message: 'candidateArcs must be a positive integer', path: 'options.candidateArcs' }]);
  }
  if (opt.needRounding !== 'up' && opt.needRounding !== 'down') {
    return invalid([{ code: 'INVALID_OPTION', message: "needRounding must be 'up' or 'down'", path: 'options.needRounding' }]);
  }
  const v = validate(problem);
  if (!v.ok) return invalid(v.reasons);
  return solve(v.model, opt, stats);
}

function solve(m: Model, opt: ResolvedOptions, stats?: AllocateStats): Result {
  const { nS } = m;
  const stageMs: Record<string, number> = {};
  let clock = stats ? performance.now() : 0;
  const lap = (stage: string) => {
    if (!stats) return;
    const now = performance.now();
    stageMs[stage] = (stageMs[stage] ?? 0) + (now - clock);
    clock = now;
  };
  const { pinnedPacks, freePacks } = afterPins(m);
  let reach: Reach | null = buildReachSideBySide(m, stockedFlags(freePacks, nS));
  const reachArcs = reach.sup.length;
  lap('reach');

  const { outcomes, threads } = solveProducts(m, reach, opt, freePacks, pinnedPacks);
  lap('products');
  const share = outcomes.map((o) => o.share);
  const policyLines = outcomes.map((o) => o.lines);
  const sum = (key: keyof ProductOutcome) => outcomes.reduce((a, o) => a + (o[key] as number), 0);
  const cons = consolidate(m, reach, freePacks, policyLines);
  // What the explanations need of the reach graph; the graph itself (with its reverse, the largest
  // arrays of a run) is let go before the result's objects are built, which is the run's peak.
  const stockedInReach = stockedWithinReach(m, reach, freePacks);
  reach = null;
  lap('consolidate');
  const finalLines = withPins(m, cons.lines);
  const allocatedUnits = unitsOf(m, finalLines);

  const pickups = pickupsOf(finalLines);
  // Slots are worked out beside the explanations and figures (neither reads the other).
  const slotsStarted = assignSlotsSideBySide(m, pickups);
  let unmet: Unmet[];
  let explanations: Explanation[];
  let figures: Figures;
  let slots: SlotResult;
  try {
    unmet = unmetOf(m, allocatedUnits);
    explanations = explain(m, stockedInReach, {
      allocatedUnits,
      share,
      pinnedPacks,
      freePacks,
      needRounding: opt.needRounding,
      deficitCap: opt.deficitCap,
      limitNotes: cons.notes,
    });
    figures = computeFigures(m, finalLines, allocatedUnits, pickups);
    lap('explain+figures');
    slots = slotsStarted.take();
  } finally {
    // Should anything above throw, the helper's answer is not left waiting in its port.
    slotsStarted.cancel();
  }
  lap('slots');
  const pinnedPairs = new Set(m.pins.map((pin) => pin.e * nS + pin.s));
  const reasons: Reason[] = [];
  for (const u of slots.unslotted) {
    if (pinnedPairs.has(u.e * nS + u.s)) {
      reasons.push({
        code: 'PINNED_PICKUP_UNSLOTTED',
        message: `pinned pickup of enterprise ${m.enterpriseIds[u.e]} at supplier ${m.supplierIds[u.s]} has no slot (${u.reason})`,
      });
    }
  }

  if (stats) {
    stats.reachArcs = reachArcs;
    stats.fairAddedArcs = sum('fairAdded');
    stats.transportAddedArcs = sum('transportAdded');
    stats.transportRounds = sum('transportRounds');
    stats.pivots = sum('pivots');
    stats.consolidatedMoves = cons.moves;
    stats.overLimitBefore = cons.overBefore;
    stats.fairRounds = sum('fairRounds');
    stats.flowPhases = sum('flowPhases');
    stats.roundingShortfall = sum('roundingShortfall');
    stats.threads = threads;
    stats.productMs = outcomes.map((o) => ({ fairShare: Math.round(o.fairShareMs), transport: Math.round(o.transportMs) }));
    stats.stageMs = Object.fromEntries(Object.entries(stageMs).map(([k, v]) => [k, Math.round(v)]));
  }
  return {
    status: reasons.length > 0 ? 'infeasible' : 'ok',
    reasons,
    lines: toAllocationLines(m, finalLines),
    appointments: slots.appointments
      .sort((a, b) => a.e - b.e || a.s - b.s)
      .map((a) => ({ enterpriseId: m.enterpriseIds[a.e], supplierId: m.supplierIds[a.s], startMinute: a.startMinute, endMinute: a.endMinute })),
    unslotted: slots.unslotted
      .sort((a, b) => a.e - b.e || a.s - b.s)
      .map((u) => ({ enterpriseId: m.enterpriseIds[u.e], supplierId: m.supplierIds[u.s], reason: u.reason })),
    unmet,
    explanations,
    figures,
  };
}

// The loops of a run's set-up and wrap-up are functions of their own, so that `solve` holds none:
// V8 compiles a function whose loop runs long while it runs, and `solve` is long (see solveGroup
// in fair-share.ts).

/** Pins come off the top: their units leave the supplier (free packs left per product and supplier) and count toward the enterprise (packs per product and enterprise). */
function afterPins(m: Model): { pinnedPacks: Float64Array[]; freePacks: Float64Array[] } {
  const { nE, nS, nP } = m;
  const pinnedPacks = Array.from({ length: nP }, () => new Float64Array(nE));
  const pinnedAtS = new Float64Array(nS * nP);
  for (const pin of m.pins) {
    pinnedPacks[pin.p][pin.e] += pin.units / m.packSize[pin.p];
    pinnedAtS[pin.s * nP + pin.p] += pin.units;
  }
  const freePacks = Array.from({ length: nP }, (_, p) => {
    const f = new Float64Array(nS);
    for (let s = 0; s < nS; s++) f[s] = Math.floor((m.capacity[s * nP + p] - pinnedAtS[s * nP + p]) / m.packSize[p]);
    return f;
  });
  return { pinnedPacks, freePacks };
}

/**
 * Suppliers with a free pack of some product. A flag array, not a callback: a callback made per
 * run would be compiled into buildReach and die with the run, throwing that code away (see shapes.ts).
 */
function stockedFlags(freePacks: readonly Float64Array[], nS: number): Uint8Array {
  const stocked = new Uint8Array(nS);
  for (let s = 0; s < nS; s++) stocked[s] = freePacks.some((f) => f[s] > 0) ? 1 : 0;
  return stocked;
}

/** Units allocated per enterprise and product (index e × nP + p). */
function unitsOf(m: Model, lines: readonly LineIx[]): Float64Array {
  const units = new Float64Array(m.nE * m.nP);
  for (const l of lines) units[l.e * m.nP + l.p] += l.packs * m.packSize[l.p];
  return units;
}

function unmetOf(m: Model, allocatedUnits: Float64Array): Unmet[] {
  const { nE, nP } = m;
  const unmet: Unmet[] = [];
  for (let e = 0; e < nE; e++) {
    for (let p = 0; p < nP; p++) {
      // With needRounding 'up' the last pack may hold more than was asked for: unmet is never negative.
      const left = m.need[e * nP + p] - allocatedUnits[e * nP + p];
      if (left > 0) unmet.push({ enterpriseId: m.enterpriseIds[e], productCode: m.productCodes[p], units: left });
    }
  }
  return unmet;
}

/**
 * The result's lines: the policy lines (in order of enterprise, supplier, product) with the pins
 * (validate merges and sorts them the same way) merged in; a pin and a policy line of the same
 * enterprise, supplier and product make one line.
 */
function withPins(m: Model, policy: readonly LineIx[]): LineIx[] {
  if (m.pins.length === 0) return policy as LineIx[];
  const { nS, nP } = m;
  const keyOf = (l: { e: number; s: number; p: number }) => (l.e * nS + l.s) * nP + l.p;
  const out: LineIx[] = [];
  let i = 0;
  for (const pin of m.pins) {
    const k = keyOf(pin);
    while (i < policy.length && keyOf(policy[i]) < k) out.push(policy[i++]);
    const packs = pin.units / m.packSize[pin.p];
    if (i < policy.length && keyOf(policy[i]) === k) {
      const l = policy[i++];
      out.push({ ...l, packs: l.packs + packs });
    } else {
      out.push({ e: pin.e, s: pin.s, p: pin.p, packs, distM: Math.round(haversineM(m.eLat[pin.e], m.eLng[pin.e], m.sLat[pin.s], m.sLng[pin.s])) });
    }
  }
  while (i < policy.length) out.push(policy[i++]);
  return out;
}
