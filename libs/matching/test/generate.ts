/**
 * Seeded random problems for the property and LP tests (test-only: the library has no randomness).
 */
import fc from 'fast-check';
import type { Enterprise, PinOverride, Problem, Supplier } from '../src/index.js';
import { haversineM, seeded } from '../src/index.js';

export interface GenSpec {
  seed: number;
  enterprises: number;
  suppliers: number;
  products: number;
  /** Square side of the area, km. */
  areaKm: number;
  maxPickupDistanceKm: number;
  /** Supply as a fraction of demand (roughly). */
  supplyRatio: number;
  tiers: number;
  packSizes?: number[];
  overrides?: boolean;
  maxSuppliersPerEnterprise?: number;
  /** Put some enterprises at identical places so they share a reach set. */
  twins?: boolean;
  vehicles?: number;
  /** Give most suppliers a slot length of their own. */
  supplierSlots?: boolean;
  /** Small needs, each with a part-pack (a few packs and a remainder): where rounding matters most. */
  partPacks?: boolean;
}

export function generate(spec: GenSpec): Problem {
  const rnd = seeded(spec.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const lat0 = 31.8;
  const lng0 = 119.9;
  const place = () => ({
    lat: Math.round((lat0 + (rnd() * spec.areaKm) / 111.2) * 1e5) / 1e5,
    lng: Math.round((lng0 + (rnd() * spec.areaKm) / 94.5) * 1e5) / 1e5,
  });
  const packs = spec.packSizes ?? [1, 5, 10, 50];
  const products = Array.from({ length: spec.products }, (_, k) => ({ code: `P${k}`, packSize: packs[int(0, packs.length - 1)] }));
  const demand = products.map(() => 0);
  const enterprises: Enterprise[] = [];
  for (let i = 0; i < spec.enterprises; i++) {
    const need: Record<string, number> = {};
    const deficit: Record<string, number> = {};
    products.forEach((p, k) => {
      if (rnd() < 0.15) return;
      const units = spec.partPacks
        ? int(0, 3) * p.packSize + int(1, Math.max(1, p.packSize - 1))
        : int(0, 40) * p.packSize + (rnd() < 0.3 ? int(0, p.packSize - 1) : 0);
      need[p.code] = units;
      demand[k] += units;
      if (rnd() < 0.25) deficit[p.code] = int(0, units);
    });
    const twin = spec.twins && i > 0 && rnd() < 0.3 ? enterprises[int(0, i - 1)] : undefined;
    const e: Enterprise = {
      id: `e${String(i).padStart(4, '0')}`,
      location: twin ? twin.location : place(),
      tier: twin && rnd() < 0.7 ? twin.tier : int(1, spec.tiers),
      need,
      ...(rnd() < 0.5 ? { deficit } : {}),
      ...(rnd() < 0.2 ? { preferredWindow: { startMinute: 540, endMinute: 660 } } : {}),
    };
    enterprises.push(e);
  }
  const suppliers: Supplier[] = [];
  for (let j = 0; j < spec.suppliers; j++) {
    const capacity: Record<string, number> = {};
    products.forEach((p, k) => {
      if (rnd() < 0.2) return;
      capacity[p.code] = Math.round(((demand[k] * spec.supplyRatio) / spec.suppliers) * (0.3 + 1.4 * rnd()));
    });
    const vehicles = spec.vehicles ?? int(1, 4);
    suppliers.push({
      id: `s${String(j).padStart(3, '0')}`,
      location: place(),
      windows: rnd() < 0.05 ? [] : [
        { startMinute: 480, endMinute: 720, vehicles },
        ...(rnd() < 0.5 ? [{ startMinute: 780, endMinute: 1020, vehicles }] : []),
      ],
      capacity,
      ...(spec.supplierSlots && rnd() < 0.7 ? { slotMinutes: [10, 15, 20, 45, 60, 90][int(0, 5)] } : {}),
    });
  }
  const problem: Problem = {
    products,
    enterprises,
    suppliers,
    settings: {
      maxPickupDistanceKm: spec.maxPickupDistanceKm,
      maxSuppliersPerEnterprise: spec.maxSuppliersPerEnterprise ?? spec.suppliers,
      slotMinutes: 30,
    },
  };
  if (!spec.overrides) return problem;
  // A few valid overrides: pins within capacity and need, exclusions, quantity changes.
  const pins: PinOverride[] = [];
  const pinnedAt = new Map<string, number>();
  const pinnedFor = new Map<string, number>();
  const setQuantities: { enterpriseId: string; productCode: string; units: number }[] = [];
  const excludes = [];
  const used = new Set<string>();
  for (let k = 0; k < 4 && enterprises.length > 0; k++) {
    const e = enterprises[int(0, enterprises.length - 1)];
    const p = products[int(0, products.length - 1)];
    if (used.has(`${e.id}/${p.code}`)) continue;
    used.add(`${e.id}/${p.code}`);
    setQuantities.push({ enterpriseId: e.id, productCode: p.code, units: int(0, 30) * p.packSize });
  }
  const needOf = (e: Enterprise, code: string) =>
    setQuantities.find((q) => q.enterpriseId === e.id && q.productCode === code)?.units ?? e.need[code] ?? 0;
  for (let k = 0; k < 4 && suppliers.length > 0; k++) {
    const e = enterprises[int(0, enterprises.length - 1)];
    const s = suppliers[int(0, suppliers.length - 1)];
    const p = products[int(0, products.length - 1)];
    const packsFree = Math.floor(((s.capacity[p.code] ?? 0) - (pinnedAt.get(`${s.id}/${p.code}`) ?? 0)) / p.packSize);
    const packsNeed = Math.floor((needOf(e, p.code) - (pinnedFor.get(`${e.id}/${p.code}`) ?? 0)) / p.packSize);
    const n = Math.min(packsFree, packsNeed, int(1, 5));
    if (n <= 0) continue;
    pins.push({ enterpriseId: e.id, supplierId: s.id, productCode: p.code, units: n * p.packSize });
    pinnedAt.set(`${s.id}/${p.code}`, (pinnedAt.get(`${s.id}/${p.code}`) ?? 0) + n * p.packSize);
    pinnedFor.set(`${e.id}/${p.code}`, (pinnedFor.get(`${e.id}/${p.code}`) ?? 0) + n * p.packSize);
  }
  const pinnedPairs = new Set(pins.map((x) => `${x.enterpriseId}/${x.supplierId}`));
  for (let k = 0; k < 6; k++) {
    const e = enterprises[int(0, enterprises.length - 1)];
    // Exclude the nearest supplier, the one that matters.
    let best: Supplier | undefined;
    let bestD = Infinity;
    for (const s of suppliers) {
      const d = haversineM(e.location.lat, e.location.lng, s.location.lat, s.location.lng);
      if (d < bestD) [best, bestD] = [s, d];
    }
    if (best && !pinnedPairs.has(`${e.id}/${best.id}`)) excludes.push({ enterpriseId: e.id, supplierId: best.id });
  }
  return { ...problem, overrides: { pins, excludes, setQuantities } };
}

/** The same problem with every array (and every record's key order) shuffled. */
export function shuffled(problem: Problem, seed: number): Problem {
  const rnd = seeded(seed);
  const shuffle = <T>(xs: readonly T[]): T[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  const rec = (r: Readonly<Record<string, number>> | undefined) => (r === undefined ? undefined : Object.fromEntries(shuffle(Object.entries(r))));
  return {
    products: shuffle(problem.products),
    enterprises: shuffle(problem.enterprises).map((e) => ({ ...e, need: rec(e.need)!, ...(e.deficit ? { deficit: rec(e.deficit) } : {}) })),
    suppliers: shuffle(problem.suppliers).map((s) => ({ ...s, windows: shuffle(s.windows), capacity: rec(s.capacity)! })),
    settings: problem.settings,
    ...(problem.overrides
      ? {
          overrides: {
            pins: shuffle(problem.overrides.pins ?? []),
            excludes: shuffle(problem.overrides.excludes ?? []),
            setQuantities: shuffle(problem.overrides.setQuantities ?? []),
          },
        }
      : {}),
  };
}

/**
 * Random problem specs for the property tests: `extra` adds arbitraries for more spec fields,
 * `over` fixes fields.
 */
export const specArb = (over: Partial<GenSpec> = {}, extra: { [K in keyof GenSpec]?: fc.Arbitrary<GenSpec[K]> } = {}): fc.Arbitrary<GenSpec> =>
  fc
    .record({
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      enterprises: fc.integer({ min: 1, max: 60 }),
      suppliers: fc.integer({ min: 1, max: 8 }),
      products: fc.integer({ min: 1, max: 3 }),
      areaKm: fc.integer({ min: 2, max: 40 }),
      maxPickupDistanceKm: fc.integer({ min: 3, max: 30 }),
      supplyRatio: fc.double({ min: 0.1, max: 1.5, noNaN: true }),
      tiers: fc.integer({ min: 1, max: 4 }),
      overrides: fc.boolean(),
      twins: fc.boolean(),
      ...extra,
    })
    .map((s) => ({ ...s, ...over }) as GenSpec);
