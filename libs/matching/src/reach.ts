import { EARTH_RADIUS_M, RAD } from './geo.js';
import { grown } from './int-buffer.js';
import type { Model } from './model.js';

/** What the reach build reads of the model (sent to a helper thread for half of the enterprises). */
export type ReachModel = Pick<Model, 'nE' | 'nS' | 'eLat' | 'eLng' | 'sLat' | 'sLng' | 'maxDistanceM' | 'excluded'>;

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

/**
 * The reach graph lives in shared memory: the helper threads that solve products side by side
 * (side-by-side.ts) read the same arrays, with no copy of their own.
 */
function sharedInts(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

/** Degrees of latitude per metre on the sphere used by `haversineM`. */
const DEG_PER_M = 360 / (2 * Math.PI * EARTH_RADIUS_M);

/**
 * Builds the reach lists with a uniform lat/lng grid of cell size ≥ the max distance, so only the
 * 3 × 3 neighbouring cells are tested (longitude wraps at ±180°). Ties in distance are broken by supplier index (= id order).
 *
 * `stocked[s]` is non-zero for the suppliers with something to hand out (the others are left out).
 * With `from`/`to`, the lists of enterprises from..to−1 only (`off` counts from `from`); `joinReach`
 * puts such parts together.
 *
 * @example const r = buildReach(model, new Uint8Array(model.nS).fill(1)); r.sup.subarray(r.off[0], r.off[1]) // suppliers of enterprise 0
 */
export function buildReach(m: ReachModel, stocked: Uint8Array, from = 0, to = m.nE): Reach {
  const maxD = m.maxDistanceM;
  let maxAbsLat = 0;
  for (let i = 0; i < m.nE; i++) maxAbsLat = Math.max(maxAbsLat, Math.abs(m.eLat[i]));
  for (let s = 0; s < m.nS; s++) maxAbsLat = Math.max(maxAbsLat, Math.abs(m.sLat[s]));
  const latCell = Math.max(1e-4, (maxD + 0.5) * DEG_PER_M * 1.01);
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
    if (!stocked[s]) continue;
    const k = key(colOf(m.sLng[s]), Math.floor(m.sLat[s] / latCell));
    const list = cells.get(k);
    if (list) list.push(s);
    else cells.set(k, [s]);
  }

  const off = sharedInts(to - from + 1);
  let sup = sharedInts(Math.max(16, (to - from) * 8));
  let dist = sharedInts(sup.length);
  let len = 0;
  // Candidates of one enterprise as packed sort keys, metres × nS + supplier, sorted by the engine's
  // own typed-array sort (about twice as fast here as a quicksort written in JS): 32-bit keys when
  // they fit (every zone the API accepts), else float64 keys (exact below 2^53).
  const SHIFT = Math.max(1, m.nS);
  let keys: Int32Array | Float64Array = (maxD + 1) * SHIFT < 2 ** 31 ? new Int32Array(256) : new Float64Array(256);
  // Great-circle distance is at least the latitude difference along a meridian: a cheap test
  // that drops most far candidates before the haversine (which, with the chord below, alone decides).
  // Reach is decided on the distance rounded to whole metres (as lines report it): up to maxD + 0.5.
  const reachM = maxD + 0.5;
  const maxDLat = (reachM / EARTH_RADIUS_M) * (180 / Math.PI) * (1 + 1e-9);
  // A second cheap test on unit vectors: the haversine term h = sin²(d / 2R) equals a quarter of
  // the squared chord, so a candidate whose chord is clearly longer than the maximum distance's
  // (by far more than rounding) is dropped without trigonometry.
  const hMax = Math.sin(Math.min(Math.PI / 2, reachM / (2 * EARTH_RADIUS_M))) ** 2;
  const chord2Max = 4 * hMax * (1 + 1e-6) + 1e-15;
  const sx = new Float64Array(m.nS);
  const sy = new Float64Array(m.nS);
  const sz = new Float64Array(m.nS);
  const sCos = new Float64Array(m.nS);
  for (let s = 0; s < m.nS; s++) {
    const la = m.sLat[s] * RAD;
    const lo = m.sLng[s] * RAD;
    sCos[s] = Math.cos(la);
    sx[s] = sCos[s] * Math.cos(lo);
    sy[s] = sCos[s] * Math.sin(lo);
    sz[s] = Math.sin(la);
  }
  const sLat = m.sLat;
  const sLng = m.sLng;
  const checkExcluded = m.excluded.size > 0;
  for (let e = from; e < to; e++) {
    const lat = m.eLat[e];
    const lng = m.eLng[e];
    const eCos = Math.cos(lat * RAD);
    const ex = eCos * Math.cos(lng * RAD);
    const ey = eCos * Math.sin(lng * RAD);
    const ez = Math.sin(lat * RAD);
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
        for (let x = 0; x < list.length; x++) {
          const s = list[x];
          if (Math.abs(sLat[s] - lat) > maxDLat) continue;
          const cxd = sx[s] - ex;
          const cyd = sy[s] - ey;
          const czd = sz[s] - ez;
          const chord2 = cxd * cxd + cyd * cyd + czd * czd;
          if (chord2 > chord2Max) continue;
          let metres = chordMetres(chord2);
          if (metres > CHORD_LIMIT_M || Math.abs(metres - Math.floor(metres) - 0.5) < ROUNDING_MARGIN_M) {
            // Too close to a half metre (or to the antipode) for the chord to decide the rounding: haversineM, with
            // the cosines computed once per point (the same values and operations).
            const dLat = (sLat[s] - lat) * RAD;
            const dLng = (sLng[s] - lng) * RAD;
            const a = Math.sin(dLat / 2) ** 2 + eCos * sCos[s] * Math.sin(dLng / 2) ** 2;
            metres = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
          }
          const d = Math.round(metres);
          if (d > maxD || (checkExcluded && m.excluded.has(e * m.nS + s))) continue;
          if (n === keys.length) keys = grown(keys, n * 2);
          keys[n++] = d * SHIFT + s;
        }
      }
    }
    // Nearest first, ties by supplier index (= id order).
    keys.subarray(0, n).sort();
    if (len + n > sup.length) {
      // Grow to the size the lists so far predict for all enterprises (doubling at least).
      const predicted = Math.ceil(((len + n) / (e - from + 1)) * (to - from) * 1.05);
      const size = Math.max(len + n, predicted, sup.length + (sup.length >> 1));
      const s2 = sharedInts(size);
      s2.set(sup.subarray(0, len));
      sup = s2;
      const d2 = sharedInts(size);
      d2.set(dist.subarray(0, len));
      dist = d2;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const metres = Math.floor(k / SHIFT);
      sup[len] = k - metres * SHIFT;
      dist[len++] = metres;
    }
    off[e - from + 1] = len;
  }
  // Views when little is wasted (saves a copy of the largest arrays), else right-sized copies.
  const tight = len >= sup.length * 0.8;
  const fit = (a: Int32Array) => {
    if (tight) return a.subarray(0, len);
    const out = sharedInts(len);
    out.set(a.subarray(0, len));
    return out;
  };
  return { off, sup: fit(sup), dist: fit(dist) };
}

/** The reach graph of consecutive ranges of enterprises (`buildReach` with `from`/`to`), in order, as one. */
export function joinReach(parts: readonly Reach[]): Reach {
  let nE = 0;
  let arcs = 0;
  for (const r of parts) {
    nE += r.off.length - 1;
    arcs += r.sup.length;
  }
  const off = sharedInts(nE + 1);
  const sup = sharedInts(arcs);
  const dist = sharedInts(arcs);
  let e0 = 0;
  let a0 = 0;
  for (const r of parts) {
    const n = r.off.length - 1;
    for (let i = 1; i <= n; i++) off[e0 + i] = a0 + r.off[i];
    sup.set(r.sup, a0);
    dist.set(r.dist, a0);
    e0 += n;
    a0 += r.sup.length;
  }
  return { off, sup, dist };
}

/**
 * Reach is decided, and lines report, the haversine distance rounded to whole metres. The same
 * distance follows from the chord between the two points' unit vectors (haversine term = chord² /
 * 4), without the two sines: d = 2R·asin(chord / 2). Up to `CHORD_LIMIT_M` both ways agree to well
 * under a micrometre (about 1e-8 m: a few ulps of unit vectors, times R; a review's sampling found
 * at most 3.4e-8 m up to 19,000 km), so wherever the chord's distance is farther than
 * `ROUNDING_MARGIN_M` from a half metre, both round to the same whole metre; the rest (2 in 10,000
 * pairs whose fractions of a metre are spread evenly) take the haversine itself. Near the antipode
 * both formulas lose their accuracy (asin near 1: the review found them 0.27 m apart within 10 m of
 * it), so pairs that far apart always take the haversine. So the rounded metres equal
 * `Math.round(haversineM)` (`test/reach.spec.ts`).
 */
const ROUNDING_MARGIN_M = 1e-4;
const CHORD_LIMIT_M = 19_000_000;

/** 2R·asin(√chord2 / 2): the asin by its series where the argument is small (error below 1e-9 m), else Math.asin. */
function chordMetres(chord2: number): number {
  const x = Math.sqrt(chord2) / 2;
  if (x >= 0.02) return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, x));
  const x2 = x * x;
  return 2 * EARTH_RADIUS_M * x * (1 + x2 * (1 / 6 + x2 * (3 / 40 + x2 * (5 / 112))));
}
