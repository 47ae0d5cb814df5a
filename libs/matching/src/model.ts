/**
 * The normalized, index-based form of a Problem that every stage works on. Built by `validate`
 * after sorting every input array canonically (ids compared with plain `<`), so that array order
 * in the input never reaches the algorithm: this is what makes the output byte-for-byte stable.
 */
export interface Model {
  readonly productCodes: readonly string[];
  readonly packSize: Int32Array;
  readonly nE: number;
  readonly nS: number;
  readonly nP: number;
  readonly enterpriseIds: readonly string[];
  readonly eLat: Float64Array;
  readonly eLng: Float64Array;
  readonly tier: Int32Array;
  /** [e * nP + p] need in units after setQuantity overrides. */
  readonly need: Float64Array;
  /** [e * nP + p] need as reported. */
  readonly requested: Float64Array;
  readonly deficit: Float64Array;
  /** [e * nP + p] rounding credit in units carried from earlier days, clamped to ±1 pack. */
  readonly credit: Float64Array;
  /** Preferred window per enterprise, -1 when none. */
  readonly prefStart: Int32Array;
  readonly prefEnd: Int32Array;
  readonly supplierIds: readonly string[];
  readonly sLat: Float64Array;
  readonly sLng: Float64Array;
  /** [s * nP + p] capacity in units. */
  readonly capacity: Float64Array;
  readonly windows: readonly (readonly { startMinute: number; endMinute: number; vehicles: number }[])[];
  readonly maxDistanceM: number;
  readonly maxSuppliersPerEnterprise: number;
  /** The zone's slot length (suppliers without their own). */
  readonly slotMinutes: number;
  /** Slot length per supplier (its own, else the zone's). */
  readonly supplierSlotMinutes: Int32Array;
  readonly travelSpeedKmh: number;
  readonly pickupBufferMinutes: number;
  /** Pins sorted by (e, s, p). */
  readonly pins: readonly { e: number; s: number; p: number; units: number }[];
  /** Excluded pairs as e * nS + s, sorted. */
  readonly excluded: ReadonlySet<number>;
  /** Suppliers excluded per enterprise (for explanations). */
  readonly excludedBy: ReadonlyMap<number, readonly number[]>;
}

/** What the fair-share and transport stages read of the model (sent to a helper thread: typed arrays and numbers). */
export type ProductModel = Pick<Model, 'nE' | 'nS' | 'nP' | 'packSize' | 'need' | 'deficit' | 'credit' | 'tier' | 'maxDistanceM'>;

export interface ResolvedOptions {
  readonly deficitCap: number;
  readonly candidateArcs: number;
  readonly needRounding: 'up' | 'down';
}

/** Plain code-unit comparison: locale-independent, so every machine sorts the same way. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
