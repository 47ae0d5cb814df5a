import type { LineIx } from './figures.js';
import type { Model } from './model.js';
import type { Reach } from './reach.js';

/**
 * Rule 4b, the supplier limit (placeholder: lines pass through unchanged).
 */
export function consolidate(m: Model, reach: Reach, lines: readonly LineIx[]): { lines: LineIx[]; moves: number } {
  void m;
  void reach;
  return { lines: [...lines], moves: 0 };
}
