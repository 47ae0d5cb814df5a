import fc from 'fast-check';
import { generate, shuffled, specArb, type GenSpec } from '../test/generate.js';
import { allocate } from './allocate.js';
import { haversineM } from './geo.js';
import type { AllocateOptions, Problem, Result } from './types.js';

/** Facts about a problem recomputed independently of the library, to judge its result. */
function facts(problem: Problem) {
  const pack = new Map(problem.products.map((p) => [p.code, p.packSize]));
  const excluded = new Set((problem.overrides?.excludes ?? []).map((x) => `${x.enterpriseId}/${x.supplierId}`));
  const needOverride = new Map((problem.overrides?.setQuantities ?? []).map((q) => [`${q.enterpriseId}/${q.productCode}`, q.units]));
  const pins = problem.overrides?.pins ?? [];
  const pinned = new Map<string, number>();
  for (const p of pins) pinned.set(`${p.enterpriseId}/${p.supplierId}/${p.productCode}`, (pinned.get(`${p.enterpriseId}/${p.supplierId}/${p.productCode}`) ?? 0) + p.units);
  const maxM = problem.settings.maxPickupDistanceKm * 1000;
  const ent = new Map(problem.enterprises.map((e) => [e.id, e]));
  const sup = new Map(problem.suppliers.map((s) => [s.id, s]));
  const reachable = (eId: string, sId: string) => {
    const e = ent.get(eId)!;
    const s = sup.get(sId)!;
    return !excluded.has(`${eId}/${sId}`) && haversineM(e.location.lat, e.location.lng, s.location.lat, s.location.lng) <= maxM;
  };
  const need = (eId: string, code: string) => needOverride.get(`${eId}/${code}`) ?? ent.get(eId)!.need[code] ?? 0;
  const got = new Map<string, number>();
  const fromS = new Map<string, number>();
  return { pack, excluded, pinned, ent, sup, reachable, need, got, fromS };
}

function received(result: Result) {
  const got = new Map<string, number>();
  const atS = new Map<string, number>();
  for (const l of result.lines) {
    got.set(`${l.enterpriseId}/${l.productCode}`, (got.get(`${l.enterpriseId}/${l.productCode}`) ?? 0) + l.units);
    atS.set(`${l.supplierId}/${l.productCode}`, (atS.get(`${l.supplierId}/${l.productCode}`) ?? 0) + l.units);
  }
  return { got, atS };
}


const modes: AllocateOptions[] = [{ needRounding: 'up' }, { needRounding: 'down' }];

describe('allocate (properties on random problems)', () => {
  it('conserves units: allocated + unmet covers need, capacity never exceeded, whole packs, reach and overrides respected', () => {
    fc.assert(
      fc.property(specArb(), fc.constantFrom(...modes), (spec, opt) => {
        const problem = generate(spec);
        const sut = allocate(problem, opt);
        expect(sut.status).not.toBe('invalid');
        const f = facts(problem);
        const { got, atS } = received(sut);
        for (const l of sut.lines) {
          const pack = f.pack.get(l.productCode)!;
          expect(l.packs).toBeGreaterThan(0);
          expect(Number.isInteger(l.packs)).toBe(true);
          expect(l.units).toBe(l.packs * pack);
          const pin = f.pinned.get(`${l.enterpriseId}/${l.supplierId}/${l.productCode}`) ?? 0;
          // Policy lines stay within reach; a pin may go anywhere the coordinator says.
          if (pin === 0) expect(f.reachable(l.enterpriseId, l.supplierId)).toBe(true);
          expect(l.units).toBeGreaterThanOrEqual(pin);
          expect(f.excluded.has(`${l.enterpriseId}/${l.supplierId}`)).toBe(false);
        }
        for (const [key, units] of f.pinned) {
          const [e, s, p] = key.split('/');
          const line = sut.lines.find((l) => l.enterpriseId === e && l.supplierId === s && l.productCode === p);
          expect(line?.units ?? 0).toBeGreaterThanOrEqual(units);
        }
        for (const s of problem.suppliers) {
          for (const p of problem.products) expect(atS.get(`${s.id}/${p.code}`) ?? 0).toBeLessThanOrEqual(s.capacity[p.code] ?? 0);
        }
        const unmet = new Map(sut.unmet.map((u) => [`${u.enterpriseId}/${u.productCode}`, u.units]));
        for (const e of problem.enterprises) {
          for (const p of problem.products) {
            const need = f.need(e.id, p.code);
            const g = got.get(`${e.id}/${p.code}`) ?? 0;
            const u = unmet.get(`${e.id}/${p.code}`) ?? 0;
            expect(u).toBe(Math.max(0, need - g));
            if (opt.needRounding === 'down') expect(g + u).toBe(need);
            else expect(g).toBeLessThanOrEqual(Math.ceil(need / p.packSize) * p.packSize);
          }
        }
        const totalGot = [...got.values()].reduce((a, b) => a + b, 0);
        expect(sut.figures.allocated).toBe(totalGot);
      }),
      { numRuns: 120 },
    );
  });

  it('serves tiers strictly first: no lower tier gets a product from a supplier a higher-tier enterprise a pack short can reach', () => {
    fc.assert(
      fc.property(specArb(), fc.constantFrom(...modes), (spec, opt) => {
        const problem = generate(spec);
        const sut = allocate(problem, opt);
        const f = facts(problem);
        const { got } = received(sut);
        // Short: a whole pack or more below the need ('up'; a part-pack may go by largest
        // remainder), or below the need's whole packs ('down').
        const isShort = (got: number, need: number, pack: number) =>
          opt.needRounding === 'down' ? got < Math.floor(need / pack) * pack : got <= need - pack;
        const short = problem.enterprises.flatMap((e) =>
          problem.products.filter((p) => isShort(got.get(`${e.id}/${p.code}`) ?? 0, f.need(e.id, p.code), p.packSize)).map((p) => ({ e, code: p.code })),
        );
        for (const l of sut.lines) {
          const pin = f.pinned.get(`${l.enterpriseId}/${l.supplierId}/${l.productCode}`) ?? 0;
          if (l.units - pin <= 0) continue;
          const tier = f.ent.get(l.enterpriseId)!.tier;
          for (const s of short) {
            if (s.code !== l.productCode || s.e.tier >= tier) continue;
            expect({ short: s.e.id, reaches: l.supplierId, yet: l.enterpriseId, reachable: f.reachable(s.e.id, l.supplierId) }).toEqual({
              short: s.e.id,
              reaches: l.supplierId,
              yet: l.enterpriseId,
              reachable: false,
            });
          }
        }
      }),
      { numRuns: 120 },
    );
  });

  it('is max-min fair within a tier: same tier and same reachable suppliers ⇒ claim ratios within one pack', () => {
    fc.assert(
      fc.property(specArb({ twins: true }), fc.constantFrom(...modes), (spec, opt) => {
        const problem = generate(spec);
        const sut = allocate(problem, opt);
        const f = facts(problem);
        const { got } = received(sut);
        const pinnedE = new Set([...f.pinned.keys()].map((k) => `${k.split('/')[0]}/${k.split('/')[2]}`));
        const ex = new Map(sut.explanations.map((x) => [x.enterpriseId, x]));
        for (const p of problem.products) {
          const stocked = problem.suppliers.filter((s) => (s.capacity[p.code] ?? 0) >= p.packSize).map((s) => s.id);
          const groups = new Map<string, string[]>();
          for (const e of problem.enterprises) {
            if (f.need(e.id, p.code) < p.packSize && opt.needRounding === 'down') continue;
            if (f.need(e.id, p.code) <= 0 || pinnedE.has(`${e.id}/${p.code}`)) continue;
            const key = `${e.tier}|${stocked.filter((s) => f.reachable(e.id, s)).join(',')}`;
            groups.set(key, [...(groups.get(key) ?? []), e.id]);
          }
          for (const ids of groups.values()) {
            // Full: held back by its own need, not by the sharing (less than a pack short, 'up';
            // all its whole packs, 'down').
            const needPacks = (id: string) => f.need(id, p.code) / p.packSize;
            const rows = ids.map((id) => {
              const claim = ex.get(id)!.products.find((q) => q.productCode === p.code)!.claim / p.packSize;
              const x = (got.get(`${id}/${p.code}`) ?? 0) / p.packSize;
              return { id, claim, x, full: opt.needRounding === 'down' ? x >= Math.floor(needPacks(id)) : x > needPacks(id) - 1 };
            });
            for (const a of rows) {
              if (a.full) continue;
              for (const b of rows) expect((a.x + 1) / a.claim).toBeGreaterThanOrEqual((b.x - 1) / b.claim - 1e-9);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('slots: within windows and vehicle capacity, one per pickup, no overlap for an enterprise (travel + buffer)', () => {
    fc.assert(
      fc.property(specArb({ vehicles: 1, supplierSlots: true }), (spec) => {
        const problem = generate(spec);
        const sut = allocate(problem);
        const sup = new Map(problem.suppliers.map((s) => [s.id, s]));
        // Each supplier's own slot length (else the zone's): slots start every `len` minutes from
        // the window's start and last `len` minutes, the last one cut at the window's end.
        for (const a of sut.appointments) {
          const s = sup.get(a.supplierId)!;
          const len = s.slotMinutes ?? problem.settings.slotMinutes ?? 30;
          const w = s.windows.find((x) => a.startMinute >= x.startMinute && a.endMinute <= x.endMinute && (a.startMinute - x.startMinute) % len === 0);
          expect(w).toBeDefined();
          expect(a.endMinute).toBe(Math.min(a.startMinute + len, w!.endMinute));
        }
        const pairs = new Set(sut.lines.map((l) => `${l.enterpriseId}/${l.supplierId}`));
        const slotted = [...sut.appointments.map((a) => `${a.enterpriseId}/${a.supplierId}`), ...sut.unslotted.map((u) => `${u.enterpriseId}/${u.supplierId}`)];
        expect(slotted.sort()).toEqual([...pairs].sort());
        const use = new Map<string, number>();
        for (const a of sut.appointments) {
          const s = sup.get(a.supplierId)!;
          const w = s.windows.find((x) => a.startMinute >= x.startMinute && a.endMinute <= x.endMinute);
          expect(w).toBeDefined();
          const k = `${a.supplierId}@${a.startMinute}`;
          use.set(k, (use.get(k) ?? 0) + 1);
          expect(use.get(k)).toBeLessThanOrEqual(w!.vehicles);
        }
        const byE = new Map<string, typeof sut.appointments>();
        for (const a of sut.appointments) byE.set(a.enterpriseId, [...(byE.get(a.enterpriseId) ?? []), a]);
        const speed = problem.settings.travelSpeedKmh ?? 30;
        const buffer = problem.settings.pickupBufferMinutes ?? 10;
        for (const list of byE.values()) {
          for (const a of list) {
            for (const b of list) {
              if (a === b) continue;
              const sa = sup.get(a.supplierId)!.location;
              const sb = sup.get(b.supplierId)!.location;
              const gap = Math.ceil((haversineM(sa.lat, sa.lng, sb.lat, sb.lng) / 1000 / speed) * 60) + buffer;
              expect(a.endMinute + gap <= b.startMinute || b.endMinute + gap <= a.startMinute).toBe(true);
            }
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('is deterministic: shuffled input arrays and keys give byte-identical output', () => {
    fc.assert(
      fc.property(specArb(), fc.integer({ min: 1, max: 1e9 }), (spec, seed) => {
        const problem = generate(spec);
        const a = JSON.stringify(allocate(problem));
        const b = JSON.stringify(allocate(shuffled(problem, seed)));
        expect(b).toBe(a);
      }),
      { numRuns: 60 },
    );
  });

  it('honours setQuantity overrides in need and unmet', () => {
    fc.assert(
      fc.property(specArb({ overrides: true }), (spec) => {
        const problem = generate(spec);
        const sut = allocate(problem, { needRounding: 'down' });
        const ex = new Map(sut.explanations.map((x) => [x.enterpriseId, x]));
        for (const q of problem.overrides?.setQuantities ?? []) {
          const row = ex.get(q.enterpriseId)?.products.find((p) => p.productCode === q.productCode);
          if (q.units === 0 && row === undefined) continue;
          expect(row?.need).toBe(q.units);
          expect(row!.allocated).toBeLessThanOrEqual(q.units);
          if (q.units < row!.requested) expect(row!.short).toContain('capped_by_override');
        }
      }),
      { numRuns: 60 },
    );
  });
});

/**
 * Pack rounding on problems where every enterprise reaches every supplier (one group per tier),
 * with small needs that each end in a part-pack, so that the whole-pack rule decides a lot.
 */
describe('allocate (whole packs without starving lower tiers)', () => {
  const sharedArb = (supplyRatio: fc.Arbitrary<number>) =>
    fc.record({
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      enterprises: fc.integer({ min: 2, max: 60 }),
      suppliers: fc.integer({ min: 1, max: 6 }),
      products: fc.integer({ min: 1, max: 3 }),
      supplyRatio,
      tiers: fc.integer({ min: 1, max: 4 }),
    }).map((s) => ({ ...s, areaKm: 2, maxPickupDistanceKm: 50, packSizes: [6, 24, 50], partPacks: true, overrides: false }) as GenSpec);

  /** Per product: supply in whole packs, need in packs (fractional), and what each tier got and needed. */
  function tally(problem: Problem, sut: Result, code: string) {
    const pack = problem.products.find((p) => p.code === code)!.packSize;
    const { got } = received(sut);
    const supplyPacks = problem.suppliers.reduce((a, s) => a + Math.floor((s.capacity[code] ?? 0) / pack), 0);
    const rows = problem.enterprises.map((e) => ({ tier: e.tier, need: e.need[code] ?? 0, got: got.get(`${e.id}/${code}`) ?? 0 }));
    return { pack, supplyPacks, rows };
  }

  it('a tier a pack short somewhere ⇒ every higher tier got less than its need plus one pack, plus the minimum packs of its part-pack needs', () => {
    fc.assert(
      fc.property(sharedArb(fc.double({ min: 0.2, max: 1.6, noNaN: true })), fc.constantFrom(...modes), (spec, opt) => {
        const problem = generate(spec);
        const sut = allocate(problem, opt);
        for (const { code } of problem.products) {
          const { pack, rows } = tally(problem, sut, code);
          const shortTiers = rows.filter((r) => r.need - r.got >= pack).map((r) => r.tier);
          if (shortTiers.length === 0) continue;
          const lowest = Math.max(...shortTiers);
          for (const t of new Set(rows.map((r) => r.tier).filter((x) => x < lowest))) {
            const inTier = rows.filter((r) => r.tier === t);
            const got = inTier.reduce((a, r) => a + r.got, 0);
            const need = inTier.reduce((a, r) => a + r.need, 0);
            // Whoever needs less than a pack and got exactly one may owe it to the minimum-pack
            // rule (no enterprise at zero while a lower tier it reaches gets a pack).
            const minimum = inTier.filter((r) => r.need < pack && r.got === pack).length;
            expect({ code, tier: t, lowerTierShort: lowest, over: got - need < pack * (1 + minimum) }).toEqual({ code, tier: t, lowerTierShort: lowest, over: true });
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('supply covering the need (plus a pack per tier and per part-pack need), if not every part-pack ⇒ nobody is a whole pack short', () => {
    fc.assert(
      fc.property(sharedArb(fc.double({ min: 1, max: 1.4, noNaN: true })), (spec) => {
        const problem = generate(spec);
        const sut = allocate(problem);
        let checked = 0;
        for (const { code } of problem.products) {
          const { pack, supplyPacks, rows } = tally(problem, sut, code);
          const tiers = new Set(rows.filter((r) => r.need > 0).map((r) => r.tier)).size;
          const needPacks = rows.reduce((a, r) => a + r.need / pack, 0);
          // Between the need and the need in whole packs: where rounding every need up would
          // leave a lower tier short. Each need below one pack may take a whole pack (minimum-pack
          // rule) on top of its share, hence one more pack each.
          const small = rows.filter((r) => r.need > 0 && r.need < pack).length;
          if (supplyPacks < needPacks + tiers + small || supplyPacks >= rows.reduce((a, r) => a + Math.ceil(r.need / pack), 0)) continue;
          checked++;
          for (const r of rows) expect({ code, tier: r.tier, short: r.need - r.got >= pack }).toEqual({ code, tier: r.tier, short: false });
        }
        fc.pre(checked > 0);
      }),
      { numRuns: 100 },
    );
  });

  it('supply covering every need in whole packs ⇒ everyone gets them: ceil(need / pack) up, floor down', () => {
    fc.assert(
      fc.property(sharedArb(fc.double({ min: 1.6, max: 3, noNaN: true })), fc.constantFrom(...modes), (spec, opt) => {
        const problem = generate(spec);
        const sut = allocate(problem, opt);
        const round = opt.needRounding === 'down' ? Math.floor : Math.ceil;
        let checked = 0;
        for (const { code } of problem.products) {
          const { pack, supplyPacks, rows } = tally(problem, sut, code);
          if (supplyPacks < rows.reduce((a, r) => a + Math.ceil(r.need / pack), 0)) continue;
          checked++;
          for (const r of rows) expect({ code, need: r.need, got: r.got }).toEqual({ code, need: r.need, got: round(r.need / pack) * pack });
        }
        fc.pre(checked > 0);
      }),
      { numRuns: 100 },
    );
  });
});
