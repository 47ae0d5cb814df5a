/**
 * Public types of the allocation library. Everything here is plain JSON-friendly data so a
 * problem can be snapshotted, replayed and validated against `schema/problem.schema.json`.
 *
 * Quantities are integer units (masks, bottles, cans); a product's `packSize` says how many units
 * make one whole pack, the granularity of every allocation. Times are minutes of the service day
 * (0 = 00:00, 480 = 08:00). Locations are WGS-84 degrees.
 */

import type { ReasonCode } from './reasons.js';

export interface Location {
  readonly lat: number;
  readonly lng: number;
}

export interface Product {
  readonly code: string;
  /** Units per pack (e.g. 50 masks per box). Allocations are whole packs. */
  readonly packSize: number;
}

export interface MinuteWindow {
  readonly startMinute: number;
  readonly endMinute: number;
}

export interface Enterprise {
  readonly id: string;
  readonly location: Location;
  /** Priority tier: 1 is served first. Any positive integer. */
  readonly tier: number;
  /** Units needed today, per product code. Missing codes mean no need. */
  readonly need: Readonly<Record<string, number>>;
  /** Units short on earlier days, per product code (raises the claim, bounded). */
  readonly deficit?: Readonly<Record<string, number>>;
  /**
   * Rounding credit per product code, in units: yesterday's `roundingCredit` from the
   * explanation, fed back (fair shares minus whole packs received, carried; negative when a pack
   * received earlier still covers today). Used clamped to ±1 pack; missing means 0.
   */
  readonly roundingCredit?: Readonly<Record<string, number>>;
  /** Preferred pickup window; slots inside it are tried first. */
  readonly preferredWindow?: MinuteWindow;
}

export interface PickupWindow extends MinuteWindow {
  /** Vehicles the supplier can load at once: pickups per slot. */
  readonly vehicles: number;
}

export interface Supplier {
  readonly id: string;
  readonly location: Location;
  readonly windows: readonly PickupWindow[];
  /** Units released for allocation today, per product code. */
  readonly capacity: Readonly<Record<string, number>>;
  /** Slot length in this supplier's windows, minutes (1..1440). Default: `settings.slotMinutes`. */
  readonly slotMinutes?: number;
}

export interface ZoneSettings {
  /** An enterprise only picks up from suppliers within this great-circle distance. */
  readonly maxPickupDistanceKm: number;
  /** Most distinct suppliers one enterprise should visit (all products together). */
  readonly maxSuppliersPerEnterprise: number;
  /** Slot length within supplier windows, for suppliers without their own `slotMinutes`. Default 30. */
  readonly slotMinutes?: number;
  /** Speed used to turn the distance between two suppliers into travel time. Default 30 km/h. */
  readonly travelSpeedKmh?: number;
  /** Extra minutes between two pickups of one enterprise, on top of travel. Default 10. */
  readonly pickupBufferMinutes?: number;
}

/** Enterprise E receives at least `units` of product P from supplier S (units: whole packs). */
export interface PinOverride {
  readonly enterpriseId: string;
  readonly supplierId: string;
  readonly productCode: string;
  readonly units: number;
}

/** Supplier S does not serve enterprise E (any product). */
export interface ExcludeOverride {
  readonly enterpriseId: string;
  readonly supplierId: string;
}

/** Replace enterprise E's need of product P (cap or raise it). */
export interface SetQuantityOverride {
  readonly enterpriseId: string;
  readonly productCode: string;
  readonly units: number;
}

export interface Overrides {
  readonly pins?: readonly PinOverride[];
  readonly excludes?: readonly ExcludeOverride[];
  readonly setQuantities?: readonly SetQuantityOverride[];
}

export interface Problem {
  readonly products: readonly Product[];
  readonly enterprises: readonly Enterprise[];
  readonly suppliers: readonly Supplier[];
  readonly settings: ZoneSettings;
  readonly overrides?: Overrides;
}

/** Tuning knobs of the algorithm; the zone's business settings live in `Problem.settings`. */
export interface AllocateOptions {
  /**
   * Bound on the carried deficit: claim = need + min(deficit, deficitCap × need).
   * Default 0.5 (a claim is at most 1.5 × today's need).
   */
  readonly deficitCap?: number;
  /**
   * Nearest stocked suppliers per enterprise and product that define its fair-share class:
   * enterprises with the same nearest set share one flow node, with arcs to every supplier all of
   * them reach; the rest of the reach graph is priced out. Changes speed, not the fair shares
   * (whole-pack rounding may differ where routes differ). Default 8.
   */
  readonly candidateArcs?: number;
  /**
   * How a need that is not a whole number of packs becomes whole packs. `'up'` (default): the
   * enterprise may receive ceil(need / pack) packs, at most one pack minus one unit more than it
   * asked for, so an enterprise needing 12 masks can still get a box of 50. `'down'`: at most
   * floor(need / pack) packs; the sub-pack remainder is unmet with reason `pack_rounding`.
   */
  readonly needRounding?: 'up' | 'down';
}

export type ResultStatus = 'ok' | 'infeasible' | 'invalid';

export interface Reason {
  /** Stable machine code, e.g. `PIN_ABOVE_CAPACITY`, `UNKNOWN_SUPPLIER` (all in REASON_CODES). */
  readonly code: ReasonCode;
  readonly message: string;
  /** JSON path of the offending input, when there is one. */
  readonly path?: string;
}

export interface AllocationLine {
  readonly enterpriseId: string;
  readonly supplierId: string;
  readonly productCode: string;
  readonly units: number;
  readonly packs: number;
  /** Great-circle distance enterprise → supplier, metres. */
  readonly distanceM: number;
}

export interface Appointment {
  readonly enterpriseId: string;
  readonly supplierId: string;
  readonly startMinute: number;
  readonly endMinute: number;
}

export interface UnslottedPickup {
  readonly enterpriseId: string;
  readonly supplierId: string;
  readonly reason: 'no_windows' | 'no_free_slot';
}

export interface Unmet {
  readonly enterpriseId: string;
  readonly productCode: string;
  readonly units: number;
}

export type ShortReason =
  | 'tier_shortage'
  | 'unreachable'
  | 'excluded'
  | 'pack_rounding'
  | 'capped_by_override';

export interface ProductExplanation {
  readonly productCode: string;
  /** Need as reported by the enterprise. */
  readonly requested: number;
  /** Need after a `setQuantity` override (what unmet is measured against). */
  readonly need: number;
  /** Weighted claim: need + min(deficit, deficitCap × need). */
  readonly claim: number;
  /**
   * Fair share in units: the max-min share (R2) before whole-pack rounding, plus the whole
   * leftover packs (R4) it received beyond its share + credit rounded up (their supply was in
   * nobody's share; without them the days' packs would drift from the days' shares).
   */
  readonly fairShare: number;
  readonly allocated: number;
  /**
   * Rounding credit to carry to the next day (feed it back as `Enterprise.roundingCredit`):
   * the credit it came with + fairShare − allocated, in units, clamped to ±1 pack.
   */
  readonly roundingCredit: number;
  /** allocated / need (1 when need is 0). */
  readonly fillRatio: number;
  readonly short: readonly ShortReason[];
}

/**
 * Why an enterprise still visits more suppliers than `maxSuppliersPerEnterprise` allows.
 * `pins`: its pinned suppliers alone are more than the limit. `capacity`: no set of at most
 * `limit` suppliers among those it visits and its nearest others has enough left of its products
 * for it, even letting enterprises of its tier move among the suppliers they already visit.
 */
export interface SupplierLimitNote {
  /** Distinct suppliers it visits (all products). */
  readonly suppliers: number;
  readonly limit: number;
  readonly reason: 'pins' | 'capacity';
}

export interface Explanation {
  readonly enterpriseId: string;
  readonly tier: number;
  readonly products: readonly ProductExplanation[];
  /** Present only when the enterprise is still over the supplier limit. */
  readonly overSupplierLimit?: SupplierLimitNote;
}

export interface ProductFigures {
  readonly productCode: string;
  readonly demand: number;
  readonly supply: number;
  readonly allocated: number;
  /** Σ max(0, need − allocated). */
  readonly unmet: number;
  /** Σ max(0, allocated − need): units beyond need in a last pack (needRounding 'up'). */
  readonly surplus: number;
  /** Σ min(allocated, need) / demand per tier (key: tier number as a string). */
  readonly fillRatioByTier: Readonly<Record<string, number>>;
  /** Lowest enterprise fill ratio per tier. */
  readonly minFillRatioByTier: Readonly<Record<string, number>>;
  /** Jain's index over enterprise fill ratios of this product (enterprises with need > 0). */
  readonly jainIndex: number;
  /** Σ units × km over lines. */
  readonly unitKm: number;
  /** Enterprises served by more than one supplier for this product. */
  readonly splits: number;
}

export interface Figures {
  readonly demand: number;
  readonly supply: number;
  readonly allocated: number;
  readonly unmet: number;
  readonly surplus: number;
  /** Σ min(allocated, need) / demand. */
  readonly fillRatio: number;
  readonly byProduct: readonly ProductFigures[];
  /** Lowest enterprise fill ratio per tier over all products. */
  readonly minFillRatioByTier: Readonly<Record<string, number>>;
  /** Jain's index over all (enterprise, product) fill ratios with need > 0. */
  readonly jainIndex: number;
  /** Σ units × km over all lines (the transportation objective). */
  readonly unitKm: number;
  /** Σ pack × km. */
  readonly packKm: number;
  /** Number of pickups (enterprise–supplier pairs) and the km of one trip per pickup. */
  readonly trips: number;
  readonly tripKm: number;
  readonly pickupsPerEnterprise: { readonly mean: number; readonly max: number };
  readonly splits: number;
  /** Enterprises visiting more suppliers than `maxSuppliersPerEnterprise`. */
  readonly overSupplierLimit: number;
}

export interface Result {
  readonly status: ResultStatus;
  readonly reasons: readonly Reason[];
  readonly lines: readonly AllocationLine[];
  readonly appointments: readonly Appointment[];
  readonly unslotted: readonly UnslottedPickup[];
  readonly unmet: readonly Unmet[];
  readonly explanations: readonly Explanation[];
  readonly figures: Figures;
}
