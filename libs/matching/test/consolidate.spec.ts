/**
 * The supplier limit (`maxSuppliersPerEnterprise`, rule R5 of libs/matching/README.md).
 *
 * - On random problems: consolidation never changes what anyone gets, never makes anyone visit
 *   more suppliers, and keeps capacities, pins, exclusions and the pickup distance; whoever is
 *   still over the limit is counted and explained.
 * - On tiny problems, against brute force (HiGHS as the feasibility oracle): an enterprise left
 *   over the limit really could not be brought within it by the moves consolidation may make:
 *   the enterprise taking its packs from any set of at most `limit` suppliers it reaches (its
 *   pinned ones included), every other enterprise of its tier moving among the suppliers it
 *   already visits, everyone keeping their packs per product.
 * - Worked examples: a swap, pins that force the limit, an enterprise short of options.
 */
import fc from 'fast-check';
import highsModule from 'highs';
import { allocate, haversineM, type Enterprise, type Problem, type Result, type Supplier } from '../src/index.js';
import { generate } from './generate.js';

// highs is CommonJS with an ES-style default export in its types: under nodenext the default import
// is typed as the module, at run time it is the loader function.
const loadHighs = highsModule as unknown as (typeof highsModule)['default'];
type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Highs;

beforeAll(async () => {
  highs = await loadHighs();
});

const withLimit = (problem: Problem, limit: number): Problem => ({ ...problem, settings: { ...problem.settings, maxSuppliersPerEnterprise: limit } });

/** Distinct suppliers per enterprise (all products, pins included). */
function visits(result: Result): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const l of result.lines) out.set(l.enterpriseId, (out.get(l.enterpriseId) ?? new Set()).add(l.supplierId));
  return out;
}

function quantities(result: Result): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of result.lines) out.set(`${l.enterpriseId}/${l.productCode}`, (out.get(`${l.enterpriseId}/${l.productCode}`) ?? 0) + l.units);
  return out;
}

describe('supplier limit: consolidation', () => {
  it('keeps every quantity, never adds a supplier to anyone, keeps capacities, pins, exclusions and reach; explains who stays over', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          enterprises: fc.integer({ min: 2, max: 40 }),
          suppliers: fc.integer({ min: 2, max: 8 }),
          products: fc.integer({ min: 2, max: 4 }),
          areaKm: fc.integer({ min: 3, max: 25 }),
          maxPickupDistanceKm: fc.integer({ min: 5, max: 30 }),
          supplyRatio: fc.double({ min: 0.3, max: 1.5, noNaN: true }),
          tiers: fc.integer({ min: 1, max: 3 }),
          overrides: fc.boolean(),
        }),
        fc.integer({ min: 1, max: 3 }),
        (spec, limit) => {
          const base = generate(spec);
          const before = allocate(withLimit(base, 1000));
          const problem = withLimit(base, limit);
          const sut = allocate(problem);
          expect(sut.status).not.toBe('invalid');
          expect(quantities(sut)).toEqual(quantities(before));
          const was = visits(before);
          const now = visits(sut);
          for (const [e, set] of now) expect(set.size).toBeLessThanOrEqual(Math.max(limit, was.get(e)!.size));
          // Capacities, reach, exclusions, pins.
          const sup = new Map(problem.suppliers.map((s) => [s.id, s]));
          const ent = new Map(problem.enterprises.map((e) => [e.id, e]));
          const excluded = new Set((problem.overrides?.excludes ?? []).map((x) => `${x.enterpriseId}/${x.supplierId}`));
          const pinned = new Map<string, number>();
          for (const pin of problem.overrides?.pins ?? []) pinned.set(`${pin.enterpriseId}/${pin.supplierId}/${pin.productCode}`, (pinned.get(`${pin.enterpriseId}/${pin.supplierId}/${pin.productCode}`) ?? 0) + pin.units);
          const atS = new Map<string, number>();
          for (const l of sut.lines) {
            atS.set(`${l.supplierId}/${l.productCode}`, (atS.get(`${l.supplierId}/${l.productCode}`) ?? 0) + l.units);
            expect(excluded.has(`${l.enterpriseId}/${l.supplierId}`)).toBe(false);
            const pin = pinned.get(`${l.enterpriseId}/${l.supplierId}/${l.productCode}`) ?? 0;
            expect(l.units).toBeGreaterThanOrEqual(pin);
            if (pin === 0) {
              const e = ent.get(l.enterpriseId)!.location;
              const s = sup.get(l.supplierId)!.location;
              expect(Math.round(haversineM(e.lat, e.lng, s.lat, s.lng))).toBeLessThanOrEqual(problem.settings.maxPickupDistanceKm * 1000);
            }
          }
          for (const [key, units] of pinned) {
            const [e, s, p] = key.split('/');
            expect(sut.lines.find((l) => l.enterpriseId === e && l.supplierId === s && l.productCode === p)?.units ?? 0).toBeGreaterThanOrEqual(units);
          }
          for (const [key, units] of atS) {
            const [s, p] = key.split('/');
            expect(units).toBeLessThanOrEqual(sup.get(s)!.capacity[p] ?? 0);
          }
          // Who is over is counted and explained.
          const overIds = [...now].filter(([, set]) => set.size > limit).map(([e]) => e).sort();
          expect(sut.figures.overSupplierLimit).toBe(overIds.length);
          expect(sut.figures.overSupplierLimit).toBeLessThanOrEqual([...was].filter(([, set]) => set.size > limit).length);
          const explained = sut.explanations.filter((x) => x.overSupplierLimit).map((x) => x.enterpriseId).sort();
          expect(explained).toEqual(overIds);
          for (const x of sut.explanations) {
            if (!x.overSupplierLimit) continue;
            const pinnedSups = new Set((problem.overrides?.pins ?? []).filter((pin) => pin.enterpriseId === x.enterpriseId).map((pin) => pin.supplierId));
            expect(x.overSupplierLimit).toEqual({ suppliers: now.get(x.enterpriseId)!.size, limit, reason: pinnedSups.size > limit ? 'pins' : 'capacity' });
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('leaves an enterprise over the limit only when no allowed set of moves brings it within (brute force, tiny problems)', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.double({ min: 0.5, max: 1.6, noNaN: true }),
        fc.boolean(),
        (seed, enterprises, suppliers, products, limit, supplyRatio, overrides) => {
          const problem = withLimit(
            generate({ seed, enterprises, suppliers, products, areaKm: 10, maxPickupDistanceKm: 15, supplyRatio, tiers: 1, packSizes: [1, 5], overrides }),
            limit,
          );
          const sut = allocate(problem);
          expect(sut.status).not.toBe('invalid');
          const now = visits(sut);
          for (const [e, set] of now) {
            if (set.size <= limit) continue;
            checked++;
            expect({ enterprise: e, consolidable: consolidable(problem, sut, e, limit) }).toEqual({ enterprise: e, consolidable: false });
          }
        },
      ),
      { numRuns: 150 },
    );
    // The generator must actually produce enterprises left over the limit for this to mean much.
    expect(checked).toBeGreaterThan(0);
  });
});

/**
 * Brute force: is there a set K of at most `limit` suppliers e reaches (its pinned ones in it)
 * such that, for every product, e's policy packs fit in K while every other enterprise (one tier
 * here) keeps its packs among the suppliers it already visits? Feasibility per product is an LP
 * (a transportation polytope, so LP-feasible means integrally feasible).
 */
function consolidable(problem: Problem, result: Result, e: string, limit: number): boolean {
  const pack = new Map(problem.products.map((p) => [p.code, p.packSize]));
  const maxM = problem.settings.maxPickupDistanceKm * 1000;
  const excluded = new Set((problem.overrides?.excludes ?? []).map((x) => `${x.enterpriseId}/${x.supplierId}`));
  const pins = problem.overrides?.pins ?? [];
  const ent = new Map(problem.enterprises.map((x) => [x.id, x]));
  const reaches = (f: string, s: Supplier) => {
    const a = ent.get(f)!.location;
    return !excluded.has(`${f}/${s.id}`) && Math.round(haversineM(a.lat, a.lng, s.location.lat, s.location.lng)) <= maxM;
  };
  const pinnedUnits = (f: string, s: string, p: string) => pins.filter((x) => x.enterpriseId === f && x.supplierId === s && x.productCode === p).reduce((a, x) => a + x.units, 0);
  const free = (s: Supplier, p: string) => Math.floor(((s.capacity[p] ?? 0) - pins.filter((x) => x.supplierId === s.id && x.productCode === p).reduce((a, x) => a + x.units, 0)) / pack.get(p)!);
  // Policy packs per (enterprise, product) and who visits what, in the result.
  const policy = new Map<string, number>();
  const visited = visits(result);
  for (const l of result.lines) {
    const q = (l.units - pinnedUnits(l.enterpriseId, l.supplierId, l.productCode)) / pack.get(l.productCode)!;
    if (q > 0) policy.set(`${l.enterpriseId}/${l.productCode}`, (policy.get(`${l.enterpriseId}/${l.productCode}`) ?? 0) + q);
  }
  const products = problem.products.map((p) => p.code).filter((p) => (policy.get(`${e}/${p}`) ?? 0) > 0);
  const pinnedSups = new Set(pins.filter((x) => x.enterpriseId === e).map((x) => x.supplierId));
  const candidates = problem.suppliers.filter((s) => reaches(e, s) && products.some((p) => free(s, p) > 0)).map((s) => s.id);
  const pool = [...new Set([...candidates, ...pinnedSups])].sort();
  const subsets: string[][] = [];
  const walk = (from: number, chosen: string[]) => {
    if (chosen.length > 0 || pinnedSups.size === 0) subsets.push([...chosen]);
    if (chosen.length === limit) return;
    for (let i = from; i < pool.length; i++) walk(i + 1, [...chosen, pool[i]]);
  };
  walk(0, []);
  const sups = new Map(problem.suppliers.map((s) => [s.id, s]));
  return subsets.some((K) => {
    if (![...pinnedSups].every((s) => K.includes(s))) return false;
    return products.every((p) => {
      const takers = [...policy.keys()].filter((k) => k.endsWith(`/${p}`)).map((k) => k.slice(0, -p.length - 1));
      const vars: { f: string; s: string; name: string }[] = [];
      for (const f of takers) {
        const allowed = f === e ? K : [...(visited.get(f) ?? [])];
        for (const s of allowed) {
          const sup = sups.get(s)!;
          if (free(sup, p) > 0 && reaches(f, sup)) vars.push({ f, s, name: `x_${vars.length}` });
        }
      }
      const rows: string[] = [];
      takers.forEach((f, i) => {
        const terms = vars.filter((v) => v.f === f).map((v) => v.name);
        if (terms.length === 0) rows.push(` e${i}: 0 x_none = ${policy.get(`${f}/${p}`)}`);
        else rows.push(` e${i}: ${terms.join(' + ')} = ${policy.get(`${f}/${p}`)}`);
      });
      problem.suppliers.forEach((s, i) => {
        const terms = vars.filter((v) => v.s === s.id).map((v) => v.name);
        if (terms.length > 0) rows.push(` s${i}: ${terms.join(' + ')} <= ${free(s, p)}`);
      });
      const lp = ['Minimize', ' obj: 0 x_none', 'Subject To', ...rows, 'End'].join('\n');
      const sol = highs.solve(lp, { output_flag: false });
      return sol.Status === 'Optimal';
    });
  });
}

describe('supplier limit: worked examples', () => {
  const at = (km: number) => ({ lat: 31.8, lng: 119.9 + km / 94.5 });
  const window = [{ startMinute: 480, endMinute: 720, vehicles: 4 }];
  const supplier = (id: string, km: number, capacity: Record<string, number>): Supplier => ({ id, location: at(km), windows: window, capacity });
  const enterprise = (id: string, km: number, need: Record<string, number>): Enterprise => ({ id, tier: 3, location: at(km), need });
  const problem = (enterprises: Enterprise[], suppliers: Supplier[], limit: number, overrides?: Problem['overrides']): Problem => ({
    products: [
      { code: 'MASK', packSize: 10 },
      { code: 'GEL', packSize: 1 },
    ],
    enterprises,
    suppliers,
    settings: { maxPickupDistanceKm: 20, maxSuppliersPerEnterprise: limit },
    ...(overrides ? { overrides } : {}),
  });

  it('moves a pickup onto the enterprise\'s other supplier, swapping with a neighbour of its tier', () => {
    // Masks in boxes of 10: A (2 km) has 10 masks and 10 gel, B (5 km) 20 masks. `plant` (4 km)
    // gets 20 masks, `shop` (5 km) 10 masks and 5 gel. Shortest trips: plant 10 at A and 10 at B,
    // shop its gel at A and its masks at B. With a limit of 1 plant takes its 20 at B, and shop
    // (already going to A for gel) takes its masks at A instead: same quantities for both, and
    // each now visits one supplier.
    const p: Problem = {
      products: [
        { code: 'MASK', packSize: 10 },
        { code: 'GEL', packSize: 5 },
      ],
      enterprises: [
        { id: 'plant', tier: 3, location: at(4), need: { MASK: 30 } },
        { id: 'shop', tier: 3, location: at(5), need: { MASK: 10, GEL: 5 } },
      ],
      suppliers: [supplier('A', 2, { MASK: 10, GEL: 10 }), supplier('B', 5, { MASK: 20 })],
      settings: { maxPickupDistanceKm: 20, maxSuppliersPerEnterprise: 1 },
    };
    const shortest = allocate(withLimit(p, 2));
    const rows = (r: Result) => r.lines.map((l) => `${l.enterpriseId}@${l.supplierId} ${l.productCode} ${l.units}`);
    expect(rows(shortest)).toEqual(['plant@A MASK 10', 'plant@B MASK 10', 'shop@A GEL 5', 'shop@B MASK 10']);
    const sut = allocate(p);
    expect(rows(sut)).toEqual(['plant@B MASK 20', 'shop@A GEL 5', 'shop@A MASK 10']);
    expect(quantities(sut)).toEqual(quantities(shortest));
    expect([visits(shortest).get('plant')!.size, visits(shortest).get('shop')!.size]).toEqual([2, 2]);
    expect(sut.figures.overSupplierLimit).toBe(0);
    expect(sut.explanations.some((x) => x.overSupplierLimit)).toBe(false);
    // The price: shop's 10 masks now travel 3 km instead of 0; plant's 10 from A travel 1 km less.
    expect(sut.figures.unitKm).toBeGreaterThan(shortest.figures.unitKm);
  });

  it('explains pins that alone exceed the limit', () => {
    const p = problem(
      [enterprise('plant', 0, { MASK: 100, GEL: 10 })],
      [supplier('A', 1, { MASK: 100 }), supplier('B', 4, { GEL: 10 })],
      1,
      {
        pins: [
          { enterpriseId: 'plant', supplierId: 'A', productCode: 'MASK', units: 50 },
          { enterpriseId: 'plant', supplierId: 'B', productCode: 'GEL', units: 5 },
        ],
      },
    );
    const sut = allocate(p);
    expect(sut.figures.overSupplierLimit).toBe(1);
    expect(sut.explanations[0].overSupplierLimit).toEqual({ suppliers: 2, limit: 1, reason: 'pins' });
  });

  it('keeps the allocation and says why when no supplier within reach has both products', () => {
    const p = problem([enterprise('plant', 0, { MASK: 100, GEL: 10 })], [supplier('A', 1, { MASK: 100 }), supplier('B', 4, { GEL: 10 })], 1);
    const sut = allocate(p);
    expect(quantities(sut)).toEqual(new Map([['plant/MASK', 100], ['plant/GEL', 10]]));
    expect(sut.explanations[0].overSupplierLimit).toEqual({ suppliers: 2, limit: 1, reason: 'capacity' });
  });
});
