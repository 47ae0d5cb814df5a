import { haversineM } from './geo.js';
import { IntBuffer } from './int-buffer.js';
import type { Model } from './model.js';

/**
 * Who can reach whom: for each enterprise, every supplier within the zone's maximum pickup
 * distance that it is not excluded from, nearest first. This is the *full* graph that fairness and
 * optimality are defined on; the solvers start from a prefix of each list (the nearest few) and
 * price out the rest.
 */
export interface Reach {
  /** CSR offsets per enterprise into `sup` / `dist`. */
  readonly off: Int32Array;
  readonly sup: Int32Array;
  /** Integer metres. */
  readonly dist: Int32Array;
}

/** Degrees of latitude per metre on the sphere used by `haversineM`. */
const DEG_PER_M = 360 / (2 * Math.PI * 6_371_008.8);

/**
 * Builds the reach lists with a uniform lat/lng grid of cell size ≥ the max distance, so only the
 * 3 × 3 neighbouring cells are tested (longitude wraps at ±180°). Ties in distance are broken by supplier index (= id order).
 *
 * @example const r = buildReach(model, (s) => true); r.sup.subarray(r.off[0], r.off[1]) // suppliers of enterprise 0
 */
export function buildReach(m: Model, hasSupply: (s: number) => boolean): Reach {
  const maxD = m.maxDistanceM;
  let maxAbsLat = 0;
  for (let i = 0; i < m.nE; i++) maxAbsLat = Math.max(maxAbsLat, Math.abs(m.eLat[i]));
  for (let s = 0; s < m.nS; s++) maxAbsLat = Math.max(maxAbsLat, Math.abs(m.sLat[s]));
  const latCell = Math.max(1e-4, maxD * DEG_PER_M * 1.01);
  const cosMin = Math.max(0.01, Math.cos(Math.min(89.9, maxAbsLat + latCell) * (Math.PI / 180)));
  // Longitude columns go round the globe: 360° cut into whole columns at least lngCell wide, so
  // the columns either side of the antimeridian are neighbours (column nCols − 1 next to 0).
  const nCols = Math.max(1, Math.floor(360 / Math.max(1e-4, (latCell / cosMin) * 1.01)));
  const lngCell = 360 / nCols;
  const colOf = (lng: number) => Math.min(nCols - 1, Math.max(0, Math.floor((lng + 180) / lngCell)));
  const OFF = 2 ** 21;
  const key = (cx: number, cy: number) => (cx + OFF) * 2 ** 22 + (cy + OFF);
  const cells = new Map<number, number[]>();
  for (let s = 0; s < m.nS; s++) {
    if (!hasSupply(s)) continue;
    const k = key(colOf(m.sLng[s]), Math.floor(m.sLat[s] / latCell));
    const list = cells.get(k);
    if (list) list.push(s);
    else cells.set(k, [s]);
  }

  const off = new Int32Array(m.nE + 1);
  const sup = new IntBuffer(m.nE * 8);
  const dist = new IntBuffer(m.nE * 8);
  // Candidates of one enterprise as packed sort keys: metres × 2^21 + supplier (exact in float64).
  let keys = new Float64Array(256);
  const SHIFT = 2 ** 21;
  if (m.nS >= SHIFT) throw new Error('buildReach: too many suppliers');
  // Great-circle distance is at least the latitude difference along a meridian: a cheap test
  // that drops most far candidates before the haversine (which alone decides, as before).
  const maxDLat = (maxD / 6_371_008.8) * (180 / Math.PI) * (1 + 1e-9);
  const checkExcluded = m.excluded.size > 0;
  for (let e = 0; e < m.nE; e++) {
    const lat = m.eLat[e];
    const lng = m.eLng[e];
    const cx = colOf(lng);
    const cy = Math.floor(lat / latCell);
    let n = 0;
    // The columns left, here and right, wrapped at ±180° and each visited once.
    const nx = nCols < 3 ? nCols : 3;
    for (let dx = 0; dx < nx; dx++) {
      const col = nx < 3 ? dx : (cx + dx - 1 + nCols) % nCols;
      for (let dy = -1; dy <= 1; dy++) {
        const list = cells.get(key(col, cy + dy));
        if (!list) continue;
        for (const s of list) {
          if (Math.abs(m.sLat[s] - lat) > maxDLat) continue;
          const d = haversineM(lat, lng, m.sLat[s], m.sLng[s]);
          if (d > maxD || (checkExcluded && m.excluded.has(e * m.nS + s))) continue;
          if (n === keys.length) {
            const bigger = new Float64Array(n * 2);
            bigger.set(keys);
            keys = bigger;
          }
          keys[n++] = Math.round(d) * SHIFT + s;
        }
      }
    }
    // Nearest first, ties by supplier index (= id order).
    const sorted = keys.subarray(0, n).sort();
    for (let i = 0; i < n; i++) {
      const k = sorted[i];
      const s = k % SHIFT;
      sup.push(s);
      dist.push((k - s) / SHIFT);
    }
    off[e + 1] = sup.length;
  }
  return { off, sup: sup.toArray(), dist: dist.toArray() };
}
