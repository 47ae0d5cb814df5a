import { explain } from './explain.js';
import { fairShares } from './fair-share.js';
import { computeFigures, toAllocationLines, type LineIx } from './figures.js';
import { haversineM } from './geo.js';
import { consolidate } from './consolidate.js';
import type { Model, ResolvedOptions } from './model.js';
import { buildReach } from './reach.js';
import { assignSlots, pickupsOf } from './slots.js';
import { transport, type TransportLine } from './transport.js';
import type { AllocateOptions, Figures, Reason, Result } from './types.js';
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
  /** Milliseconds per stage (only measured when a stats object is passed; never part of the result). */
  stageMs?: Record<string, number>;
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
  const { nE, nS, nP } = m;
  const stageMs: Record<string, number> = {};
  let clock = stats ? performance.now() : 0;
  const lap = (stage: string) => {
    if (!stats) return;
    const now = performance.now();
    stageMs[stage] = (stageMs[stage] ?? 0) + (now - clock);
    clock = now;
  };
  // Pins come off the top: their units leave the supplier and count toward the enterprise.
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
  // A flag array, not a callback: a callback made per run would be compiled into buildReach and
  // die with the run, throwing that code away (see shapes.ts).
  const stocked = new Uint8Array(nS);
  for (let s = 0; s < nS; s++) stocked[s] = freePacks.some((f) => f[s] > 0) ? 1 : 0;
  const reach = buildReach(m, stocked);
  lap('reach');

  const share: Float64Array[] = [];
  const policyLines: TransportLine[][] = [];
  let fairAdded = 0;
  let trAdded = 0;
  let trRounds = 0;
  let pivots = 0;
  let fairRounds = 0;
  let flowPhases = 0;
  let roundingShortfall = 0;
  for (let p = 0; p < nP; p++) {
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
    const fs = fairShares(m, reach, opt, { p, freePacks: freePacks[p], pinnedPacks: pinnedPacks[p], needPacks, credit });
    share.push(fs.share);
    fairAdded += fs.addedArcs;
    fairRounds += fs.rounds;
    flowPhases += fs.phases;
    roundingShortfall += fs.roundingShortfall;
    lap('fairShare');
    const tr = transport(m, reach, freePacks[p], fs.packs, fs.classes);
    lap('transport');
    trAdded += tr.addedArcs;
    trRounds += tr.pricingRounds;
    pivots += tr.pivots;
    policyLines.push(tr.lines);
  }

  const cons = consolidate(m, reach, freePacks, policyLines);
  lap('consolidate');
  const finalLines = withPins(m, cons.lines);
  const allocatedUnits = new Float64Array(nE * nP);
  for (const l of finalLines) allocatedUnits[l.e * nP + l.p] += l.packs * m.packSize[l.p];

  const pickups = pickupsOf(finalLines);
  const slots = assignSlots(m, pickups);
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

  const unmet = [];
  for (let e = 0; e < nE; e++) {
    for (let p = 0; p < nP; p++) {
      // With needRounding 'up' the last pack may hold more than was asked for: unmet is never negative.
      const left = m.need[e * nP + p] - allocatedUnits[e * nP + p];
      if (left > 0) unmet.push({ enterpriseId: m.enterpriseIds[e], productCode: m.productCodes[p], units: left });
    }
  }
  const explanations = explain(m, reach, {
    allocatedUnits,
    share,
    pinnedPacks,
    freePacks,
    needRounding: opt.needRounding,
    deficitCap: opt.deficitCap,
    limitNotes: cons.notes,
  });
  const figures = computeFigures(m, finalLines, allocatedUnits, pickups);
  if (stats) {
    stats.reachArcs = reach.sup.length;
    stats.fairAddedArcs = fairAdded;
    stats.transportAddedArcs = trAdded;
    stats.transportRounds = trRounds;
    stats.pivots = pivots;
    stats.consolidatedMoves = cons.moves;
    stats.overLimitBefore = cons.overBefore;
    stats.fairRounds = fairRounds;
    stats.flowPhases = flowPhases;
    stats.roundingShortfall = roundingShortfall;
    lap('explain+figures');
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
