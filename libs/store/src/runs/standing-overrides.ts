import type { StandingOverride } from '#matching';
import { OverrideKind } from '#domain';
import type { RunOverride } from '../entities/run-override.entity.js';

/** A stored override as the matcher's fitOverrides reads it. */
export function toStandingOverride(o: RunOverride): StandingOverride {
  switch (o.kind) {
    case OverrideKind.Pin:
      return { id: o.id, kind: 'pin', enterpriseId: o.enterpriseId, supplierId: o.supplierId!, productCode: o.productCode!, units: o.units! };
    case OverrideKind.Exclude:
      return { id: o.id, kind: 'exclude', enterpriseId: o.enterpriseId, supplierId: o.supplierId! };
    case OverrideKind.SetQuantity:
      return { id: o.id, kind: 'set_quantity', enterpriseId: o.enterpriseId, productCode: o.productCode!, units: o.units! };
  }
}

/** Overrides stand in the order they were made: an older one keeps what a newer one would contest. */
export const STANDING_ORDER = { position: 'ASC' } as const;
