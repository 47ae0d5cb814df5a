import type { LineIx } from './figures.js';
import type { Model } from './model.js';
import type { Reach } from './reach.js';

/**
 * The supplier limit (`maxSuppliersPerEnterprise`) is NOT enforced yet: rule 4 ranks below
 * fairness, so consolidating may only swap pickups between enterprises without changing any
 * quantity, and that exchange search is not written. Lines pass through unchanged; enterprises
 * over the limit are counted in `figures.overSupplierLimit`. A basic optimal transportation
 * solution already splits few enterprises (at most one fewer than the suppliers, per product).
 */
export function consolidate(m: Model, reach: Reach, lines: readonly LineIx[]): { lines: LineIx[]; moves: number } {
  void m;
  void reach;
  return { lines: [...lines], moves: 0 };
}
