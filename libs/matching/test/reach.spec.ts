/**
 * `buildReach` works distances out from the chord between unit vectors and takes the haversine
 * itself only near a half metre. Its whole metres must still be exactly `Math.round(haversineM)`,
 * which lines report and the tests' oracles use: checked on points placed a hair either side of a
 * half metre (where the chord alone gets the rounding wrong on about a quarter of them), near
 * the antipode (where the chord and the haversine drift apart) and on points spread over a city.
 */
import fc from 'fast-check';
import { EARTH_RADIUS_M, haversineM } from '../src/geo.js';
import type { Model } from '../src/model.js';
import { buildReach } from '../src/reach.js';

const M_PER_DEG = (Math.PI / 180) * EARTH_RADIUS_M;

/** Longitude wrapped into [−180, 180), as validation requires. */
const wrap = (x: number) => ((((x + 180) % 360) + 360) % 360) - 180;

function model(e: { lat: number; lng: number }, sups: { lat: number; lng: number }[], maxDistanceM: number): Model {
  return {
    nE: 1,
    nS: sups.length,
    eLat: Float64Array.of(e.lat),
    eLng: Float64Array.of(e.lng),
    sLat: Float64Array.from(sups, (s) => s.lat),
    sLng: Float64Array.from(sups, (s) => s.lng),
    maxDistanceM,
    excluded: new Set<number>(),
  } as unknown as Model;
}

/** The point at `bearing` from `e` whose haversine distance is just below (or above) `metres`, by bisection. */
function atDistance(e: { lat: number; lng: number }, bearing: number, metres: number, above: boolean) {
  const at = (t: number) => ({
    lat: e.lat + (Math.cos(bearing) * t) / M_PER_DEG,
    lng: e.lng + (Math.sin(bearing) * t) / (M_PER_DEG * Math.cos((e.lat * Math.PI) / 180)),
  });
  let lo = 0;
  let hi = metres * 1.1 + 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    const p = at(mid);
    if (haversineM(e.lat, e.lng, p.lat, p.lng) < metres) lo = mid;
    else hi = mid;
  }
  return at(above ? hi : lo);
}

function expectHaversineMetres(m: Model): void {
  const r = buildReach(m, new Uint8Array(m.nS).fill(1));
  const got = new Map<number, number>();
  for (let k = r.off[0]; k < r.off[1]; k++) {
    got.set(r.sup[k], r.dist[k]);
    // Nearest first, ties by supplier index.
    if (k > r.off[0]) expect(r.dist[k - 1] < r.dist[k] || (r.dist[k - 1] === r.dist[k] && r.sup[k - 1] < r.sup[k])).toBe(true);
  }
  for (let s = 0; s < m.nS; s++) {
    const d = Math.round(haversineM(m.eLat[0], m.eLng[0], m.sLat[s], m.sLng[s]));
    expect(got.get(s)).toBe(d <= m.maxDistanceM ? d : undefined);
  }
}

describe('buildReach distances', () => {
  it('round as the haversine does, a hair either side of a half metre', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -70, max: 70, noNaN: true }),
        fc.double({ min: -179, max: 179, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.integer({ min: 0, max: 29_999 }), fc.boolean()), { minLength: 1, maxLength: 40 }),
        (lat, lng, targets) => {
          const e = { lat, lng };
          const sups = targets.map(([bearing, whole, above]) => atDistance(e, bearing, whole + 0.5, above));
          expectHaversineMetres(model(e, sups, 25_000));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round as the haversine does near the antipode (where the chord loses its accuracy)', () => {
    // Found by review: 20,015,080.50026 m by the haversine, which the chord rounded down.
    const e = { lat: 84.13438744936138, lng: 163.12725639343262 };
    const s = { lat: -84.13467809567601, lng: -16.87183090376851 };
    expect(Math.round(haversineM(e.lat, e.lng, s.lat, s.lng))).toBe(20_015_081);
    expectHaversineMetres(model(e, [s], 20_015_080));
    expectHaversineMetres(model(e, [s], 20_015_081));
    fc.assert(
      fc.property(
        fc.double({ min: -89.9, max: 89.9, noNaN: true }),
        fc.double({ min: -179.9, max: 179.9, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.integer({ min: 0, max: 2_000 })), { minLength: 1, maxLength: 20 }),
        (lat, lng, near) => {
          const e = { lat, lng };
          // Points a few hundred metres or less from e's antipode, and a limit just around their distance.
          const anti = { lat: -lat, lng: lng > 0 ? lng - 180 : lng + 180 };
          const sups = near.map(([bearing, m]) => ({
            lat: Math.max(-90, Math.min(90, anti.lat + (Math.cos(bearing) * m) / M_PER_DEG)),
            lng: anti.lng + (Math.sin(bearing) * m) / (M_PER_DEG * Math.max(0.01, Math.cos((anti.lat * Math.PI) / 180))),
          }));
          for (const p of sups) p.lng = wrap(p.lng);
          const d = Math.round(haversineM(e.lat, e.lng, sups[0].lat, sups[0].lng));
          expectHaversineMetres(model(e, sups, d));
          expectHaversineMetres(model(e, sups, d - 1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keep their order and metres with keys too wide for 32 bits (a limit of thousands of km, many suppliers)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -89, max: 89, noNaN: true }),
        fc.double({ min: -179, max: 179, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: -89, max: 89, noNaN: true }), fc.double({ min: -179, max: 179, noNaN: true })), { minLength: 120, maxLength: 200 }),
        fc.integer({ min: 18_000_000, max: 20_100_000 }),
        (lat, lng, points, maxM) => {
          // (maxM + 1) × nS ≥ 2^31: buildReach packs its sort keys in float64.
          const sups = points.map(([la, lo]) => ({ lat: la, lng: lo }));
          // A tie in distance: two suppliers at the same place (the lower index must come first).
          sups.push({ ...sups[0] });
          expect((maxM + 1) * sups.length).toBeGreaterThanOrEqual(2 ** 31);
          expectHaversineMetres(model({ lat, lng }, sups, maxM));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('round as the haversine does on points spread over a city, near and far', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -89, max: 89, noNaN: true }),
        fc.double({ min: -179, max: 179, noNaN: true }),
        fc.array(fc.tuple(fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.double({ min: -0.5, max: 0.5, noNaN: true })), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(500, 20_000, 300_000),
        (lat, lng, offsets, maxM) => {
          const e = { lat, lng };
          const sups = offsets.map(([dLat, dLng]) => ({ lat: Math.max(-90, Math.min(90, lat + dLat * (maxM / 20_000))), lng: wrap(lng + dLng * (maxM / 20_000)) }));
          expectHaversineMetres(model(e, sups, maxM));
        },
      ),
      { numRuns: 300 },
    );
  });
});
