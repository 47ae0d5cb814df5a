import { OverrideKind } from './enums.js';

/**
 * A coordinator's override as it stands for a (zone, date): the shape the allocation's override
 * fitting reads. The matcher declares the same shape for itself (it imports nothing); TypeScript
 * checks the two agree wherever one is passed to the other.
 */
export type StandingOverride =
  | { id: string; kind: 'pin'; enterpriseId: string; supplierId: string; productCode: string; units: number }
  | { id: string; kind: 'exclude'; enterpriseId: string; supplierId: string }
  | { id: string; kind: 'set_quantity'; enterpriseId: string; productCode: string; units: number };

/** A stored override row (nullable columns by kind). */
export interface OverrideRecord {
  id: string;
  kind: OverrideKind;
  enterpriseId: string;
  supplierId: string | null;
  productCode: string | null;
  units: number | null;
}

export function toStandingOverride(o: OverrideRecord): StandingOverride {
  switch (o.kind) {
    case OverrideKind.Pin:
      return { id: o.id, kind: 'pin', enterpriseId: o.enterpriseId, supplierId: o.supplierId!, productCode: o.productCode!, units: o.units! };
    case OverrideKind.Exclude:
      return { id: o.id, kind: 'exclude', enterpriseId: o.enterpriseId, supplierId: o.supplierId! };
    case OverrideKind.SetQuantity:
      return { id: o.id, kind: 'set_quantity', enterpriseId: o.enterpriseId, productCode: o.productCode!, units: o.units! };
  }
}
