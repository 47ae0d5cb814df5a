import { haversineM } from './geo.js';
import type { Model } from './model.js';
import type { Reach } from './reach.js';
import { claimUnits } from './fair-share.js';
import { round6 } from './figures.js';
import type { LimitNote } from './consolidate.js';
import type { Explanation, ProductExplanation, ShortReason } from './types.js';

export interface ExplainInput {
  /** [e * nP + p] units received. */
  readonly allocatedUnits: Float64Array;
  /** [p][e] fair share of the policy part in packs (before rounding, plus leftover packs beyond it: see `ProductShares.share`). */
  readonly share: readonly Float64Array[];
  readonly pinnedPacks: readonly Float64Array[];
  readonly freePacks: readonly Float64Array[];
  /** Cap on the carried deficit, as a share of the need (see `claimUnits`). */
  readonly deficitCap: number;
  readonly needRounding: 'up' | 'down';
  /** Enterprises still over the supplier limit after consolidation. */
  readonly limitNotes: ReadonlyMap<number, LimitNote>;
}

/**
 * Per-enterprise explanation: tier, claim, fair share, fill ratio and why it is short.
 * Reasons: `capped_by_override` (setQuantity below the reported need), `unreachable` (no supplier
 * with stock within reach), `excluded` (only excluded suppliers had stock within reach),
 * `pack_rounding` (the fair share was rounded down to whole packs and no pack could be routed to
 * it, not even by moving others' packs between suppliers they reach; or a negative rounding
 * credit says a pack received earlier still covers today; or with needRounding 'down' the need is
 * not a whole number of packs),
 * `tier_shortage` (reachable stock went to higher tiers or was shared out within the tier).
 *
 * @example const ex = explain(model, stockedWithinReach(model, reach, freePacks), input)[0]; ex.products[0].short // ['tier_shortage']
 */
export function explain(m: Model, stockedInReach: Uint8Array, input: ExplainInput): Explanation[] {
  const { nP } = m;
  const out: Explanation[] = [];
  // An enterprise's products are gathered here, then copied into an array of their exact number:
  // an array grown by push keeps room for 17 entries, and a province has 200,000 of them.
  const row: ProductExplanation[] = [];
  for (let e = 0; e < m.nE; e++) {
    let n = 0;
    for (let p = 0; p < nP; p++) {
      const k = e * nP + p;
      const need = m.need[k];
      const requested = m.requested[k];
      if (need <= 0 && requested <= 0) continue;
      const pack = m.packSize[p];
      const got = input.allocatedUnits[k];
      const pinned = input.pinnedPacks[p][e];
      const share = input.share[p][e];
      let short = 0;
      if (need < requested) short |= CAPPED;
      if (got < need) {
        if (!stockedInReach[k] && pinned === 0) {
          const byExclusion = (m.excludedBy.get(e) ?? []).some(
            (s) => input.freePacks[p][s] > 0 && Math.round(haversineM(m.eLat[e], m.eLng[e], m.sLat[s], m.sLng[s])) <= m.maxDistanceM,
          );
          short |= byExclusion ? EXCLUDED : UNREACHABLE;
        } else {
          // What the policy could give at most: the need itself, or its whole packs ('down').
          const up = input.needRounding === 'up';
          const wholeNeed = up ? need : Math.floor(need / pack) * pack;
          const fair = (pinned + share) * pack;
          if (fair < wholeNeed - 1e-6) short |= TIER_SHORTAGE;
          if ((!up && need % pack !== 0) || got < fair - 1e-6) short |= PACK_ROUNDING;
        }
      }
      row[n++] = {
        productCode: m.productCodes[p],
        requested: small(requested),
        need: small(need),
        claim: round6(claimUnits(need, m.deficit[k], input.deficitCap)),
        fairShare: round6((pinned + share) * pack),
        allocated: small(got),
        // What whole packs gave or took against the share, carried to tomorrow (within ±1 pack).
        roundingCredit: round6(Math.max(-pack, Math.min(pack, m.credit[k] + (pinned + share) * pack - got))),
        fillRatio: round6(need === 0 ? 1 : got / need),
        short: SHORT_LISTS[short],
      };
    }
    if (n === 0) continue;
    const products = row.slice(0, n);
    const note = input.limitNotes.get(e);
    const enterpriseId = m.enterpriseIds[e];
    const tier = m.tier[e];
    out.push(note ? { enterpriseId, tier, products, overSupplierLimit: note } : { enterpriseId, tier, products });
  }
  return out;
}

/**
 * The same number; a whole one in int32 range comes back as a small integer, which V8 keeps in the
 * object itself. Read from a Float64Array it would take a box of 16 bytes of its own, and the
 * province benchmark's run has 620,629 product explanations with three such whole numbers each.
 */
const small = (x: number): number => (x === (x | 0) ? x | 0 : x);

// Reasons as bits, in the order a list states them.
const CAPPED = 1;
const EXCLUDED = 2;
const UNREACHABLE = 4;
const TIER_SHORTAGE = 8;
const PACK_ROUNDING = 16;
const REASON_BITS: readonly [number, ShortReason][] = [
  [CAPPED, 'capped_by_override'],
  [EXCLUDED, 'excluded'],
  [UNREACHABLE, 'unreachable'],
  [TIER_SHORTAGE, 'tier_shortage'],
  [PACK_ROUNDING, 'pack_rounding'],
];
/**
 * Every list of reasons, by its bits, made once and frozen: the explanations share them. The
 * province benchmark's run states 620,629 lists, 373,788 of them not empty and all of them one of 5;
 * an array of its own each (room for 17 entries once pushed to) was most of the explanations'
 * element stores (a heap snapshot at scale 0.05: 4.43 MB of them before, 0.59 MB after).
 */
const SHORT_LISTS: readonly (readonly ShortReason[])[] = Array.from({ length: 32 }, (_, bits) =>
  Object.freeze(REASON_BITS.filter(([bit]) => bits & bit).map(([, reason]) => reason)),
);

/**
 * [e * nP + p]: 1 when enterprise e reaches a supplier with free packs of product p (else its
 * shortfall is `unreachable` or `excluded`, see `explain`).
 */
export function stockedWithinReach(m: Model, reach: Reach, freePacks: readonly Float64Array[]): Uint8Array {
  const { nE, nP } = m;
  const out = new Uint8Array(nE * nP);
  for (let p = 0; p < nP; p++) {
    const free = freePacks[p];
    for (let e = 0; e < nE; e++) {
      for (let a = reach.off[e], end = reach.off[e + 1]; a < end; a++) {
        if (free[reach.sup[a]] > 0) {
          out[e * nP + p] = 1;
          break;
        }
      }
    }
  }
  return out;
}
