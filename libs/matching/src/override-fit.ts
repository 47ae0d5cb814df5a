import type { ExcludeOverride, Overrides, PinOverride, Problem, SetQuantityOverride } from './types.js';

/** A coordinator override as it stands, with the id it is known by outside the library. */
export type StandingOverride =
  | ({ readonly id: string; readonly kind: 'pin' } & PinOverride)
  | ({ readonly id: string; readonly kind: 'exclude' } & ExcludeOverride)
  | ({ readonly id: string; readonly kind: 'set_quantity' } & SetQuantityOverride);

/** Why an override may be cut, as a stable machine code (listed so the API can name them). */
export const OVERRIDE_CUT_CODES = [
  'UNKNOWN_ENTERPRISE',
  'UNKNOWN_SUPPLIER',
  'UNKNOWN_PRODUCT',
  'INVALID_QUANTITY',
  'DUPLICATE_OVERRIDE',
  'PIN_EXCLUDED_CONFLICT',
  'PIN_NOT_WHOLE_PACKS',
  'PIN_ABOVE_CAPACITY',
  'PIN_ABOVE_NEED',
] as const;

/** Why an override could not be applied in full: dropped (`appliedUnits` null or 0) or cut down to `appliedUnits`. */
export interface OverrideCut {
  readonly id: string;
  readonly kind: StandingOverride['kind'];
  readonly code: (typeof OVERRIDE_CUT_CODES)[number];
  /** The override's field at fault, as the API names it. */
  readonly field: 'enterpriseId' | 'supplierId' | 'productCode' | 'units';
  readonly message: string;
  /** Units applied after the cut (pins); null when the override was dropped altogether. */
  readonly appliedUnits: number | null;
}

export interface FittedOverrides {
  /** What the matcher is given: every override that stands, cut to what the inputs allow. */
  readonly overrides: Overrides;
  readonly cuts: readonly OverrideCut[];
}

/**
 * Fits the coordinator's standing overrides to a problem's inputs, so that a run never fails
 * because of them. Overrides are accepted against the inputs of the day they were made on; the
 * inputs may change afterwards (a maker lowers its capacity below a pin, an enterprise withdraws
 * its report). Each override is then applied as far as it can be, and every cut is reported.
 *
 * Order: set-quantities (each enterprise and product once), then excludes, then pins, each in the
 * order given (oldest first). A pin takes whole packs, within what is left of the supplier's
 * capacity after earlier pins and of the enterprise's need after its earlier pins. A pin on an
 * excluded pair is dropped. The result always passes `validate` as far as overrides go.
 *
 * The API uses the same function to refuse an override when it is made: an override that would
 * be cut, or that would cut one already standing, is refused.
 */
export function fitOverrides(problem: Pick<Problem, 'products' | 'enterprises' | 'suppliers'>, standing: readonly StandingOverride[]): FittedOverrides {
  const packSize = new Map(problem.products.map((p) => [p.code, p.packSize]));
  const enterprises = new Map(problem.enterprises.map((e) => [e.id, e]));
  const suppliers = new Map(problem.suppliers.map((s) => [s.id, s]));
  const cuts: OverrideCut[] = [];
  const cut = (o: StandingOverride, code: OverrideCut['code'], field: OverrideCut['field'], message: string, appliedUnits: number | null = null) =>
    cuts.push({ id: o.id, kind: o.kind, code, field, message, appliedUnits });

  /** The reason an override's references do not resolve against the day's inputs, if any. */
  const unresolved = (o: StandingOverride): boolean => {
    if (!enterprises.has(o.enterpriseId)) {
      cut(o, 'UNKNOWN_ENTERPRISE', 'enterpriseId', `enterprise ${o.enterpriseId} has no demand report for this date`);
      return true;
    }
    if (o.kind !== 'set_quantity' && !suppliers.has(o.supplierId)) {
      cut(o, 'UNKNOWN_SUPPLIER', 'supplierId', `supplier ${o.supplierId} has no capacity report for this date`);
      return true;
    }
    if (o.kind !== 'exclude' && !packSize.has(o.productCode)) {
      cut(o, 'UNKNOWN_PRODUCT', 'productCode', `product ${o.productCode} is not in the catalogue`);
      return true;
    }
    return false;
  };

  const setQuantities: SetQuantityOverride[] = [];
  const need = new Map<string, number>(); // enterprise|product → need after set-quantities
  for (const o of standing) {
    if (o.kind !== 'set_quantity' || unresolved(o)) continue;
    const key = `${o.enterpriseId}|${o.productCode}`;
    if (!Number.isSafeInteger(o.units) || o.units < 0) cut(o, 'INVALID_QUANTITY', 'units', 'units must be a non-negative integer');
    else if (need.has(key)) cut(o, 'DUPLICATE_OVERRIDE', 'productCode', `a set-quantity for this enterprise and ${o.productCode} already stands; withdraw it first`);
    else {
      need.set(key, o.units);
      setQuantities.push({ enterpriseId: o.enterpriseId, productCode: o.productCode, units: o.units });
    }
  }

  const excludes: ExcludeOverride[] = [];
  const excluded = new Set<string>();
  for (const o of standing) {
    if (o.kind !== 'exclude' || unresolved(o)) continue;
    // Excluding a pair twice says the same thing twice: nothing to cut.
    const pair = `${o.enterpriseId}|${o.supplierId}`;
    if (excluded.has(pair)) continue;
    excluded.add(pair);
    excludes.push({ enterpriseId: o.enterpriseId, supplierId: o.supplierId });
  }

  const pins: PinOverride[] = [];
  const pinnedAtSupplier = new Map<string, number>(); // supplier|product → units pinned so far
  const pinnedForEnterprise = new Map<string, number>(); // enterprise|product → units pinned so far
  for (const o of standing) {
    if (o.kind !== 'pin' || unresolved(o)) continue;
    const pack = packSize.get(o.productCode)!;
    if (!Number.isSafeInteger(o.units) || o.units <= 0) {
      cut(o, 'INVALID_QUANTITY', 'units', 'a pin gives at least one pack: units must be a positive integer');
      continue;
    }
    if (excluded.has(`${o.enterpriseId}|${o.supplierId}`)) {
      cut(o, 'PIN_EXCLUDED_CONFLICT', 'supplierId', 'this supplier is excluded for this enterprise; a pin and an exclude of one pair cannot both stand');
      continue;
    }
    const atSupplier = `${o.supplierId}|${o.productCode}`;
    const forEnterprise = `${o.enterpriseId}|${o.productCode}`;
    const capacityLeft = (suppliers.get(o.supplierId)!.capacity[o.productCode] ?? 0) - (pinnedAtSupplier.get(atSupplier) ?? 0);
    const needLeft = (need.get(forEnterprise) ?? enterprises.get(o.enterpriseId)!.need[o.productCode] ?? 0) - (pinnedForEnterprise.get(forEnterprise) ?? 0);
    const wholePacks = o.units - (o.units % pack);
    const fits = Math.max(0, Math.min(wholePacks, capacityLeft - (capacityLeft % pack), needLeft - (needLeft % pack)));
    if (o.units % pack !== 0) {
      cut(o, 'PIN_NOT_WHOLE_PACKS', 'units', `${o.units} units is not a whole number of packs of ${pack}`, fits);
    } else if (fits < o.units && capacityLeft < o.units) {
      cut(o, 'PIN_ABOVE_CAPACITY', 'units', `the supplier has ${Math.max(0, capacityLeft)} ${o.productCode} left for pins, fewer than ${o.units}`, fits);
    } else if (fits < o.units) {
      cut(o, 'PIN_ABOVE_NEED', 'units', `the enterprise needs ${Math.max(0, needLeft)} more ${o.productCode}, fewer than ${o.units}; raise its need with a set-quantity first`, fits);
    }
    if (fits <= 0) continue;
    pinnedAtSupplier.set(atSupplier, (pinnedAtSupplier.get(atSupplier) ?? 0) + fits);
    pinnedForEnterprise.set(forEnterprise, (pinnedForEnterprise.get(forEnterprise) ?? 0) + fits);
    pins.push({ enterpriseId: o.enterpriseId, supplierId: o.supplierId, productCode: o.productCode, units: fits });
  }
  return { overrides: { pins, excludes, setQuantities }, cuts };
}
