/**
 * Issue 13: no pack left on the shelf while an enterprise that can reach it is short, no small
 * enterprise of a high tier forgotten (rounding credit over days, minimum-pack rule), and the
 * validation edges (int32 pack sizes and tiers, reach across ±180° longitude).
 *
 * The maximum flow used as the oracle here is written from the problem alone (haversine reach,
 * exclusions, pins, setQuantity), not from the library's internals.
 */
import fc from 'fast-check';
import { allocate, haversineM, validate, type AllocateOptions, type AllocateStats, type Enterprise, type Problem, type Result } from '../src/index.js';
import { generate, type GenSpec } from './generate.js';

const at = (km: number) => ({ lat: 31.8, lng: 119.9 + km / 94.5 });
const window = [{ startMinute: 480, endMinute: 720, vehicles: 4 }];
const got = (r: Result, id: string, code = 'M') => r.lines.filter((l) => l.enterpriseId === id && l.productCode === code).reduce((s, l) => s + l.packs, 0);

/** Smallest augmenting-path case: A reaches makers 1 and 2, B only maker 1, one pack each. */
function twoMakers(needA: number, needB: number, tierB: number): Problem {
  return {
    products: [{ code: 'M', packSize: 50 }],
    enterprises: [
      { id: 'A', tier: 1, location: at(5), need: { M: needA } },
      { id: 'B', tier: tierB, location: at(0), need: { M: needB } },
    ],
    suppliers: [
      { id: 'S1', location: at(3), windows: window, capacity: { M: 50 } },
      { id: 'S2', location: at(12), windows: window, capacity: { M: 50 } },
    ],
    settings: { maxPickupDistanceKm: 8, maxSuppliersPerEnterprise: 3 },
  };
}

/**
 * Maximum number of whole packs the policy can hand out for one product, from the problem alone:
 * enterprise caps ceil(need / pack) ('up') or floor ('down'), lowered by a negative rounding
 * credit, minus pinned packs; supplier caps floor((capacity − pinned units) / pack); arcs where
 * the haversine distance is within reach and the pair is not excluded. Plain augmenting paths.
 */
function maxPacks(problem: Problem, code: string, opt: AllocateOptions): number {
  const pack = problem.products.find((p) => p.code === code)!.packSize;
  const pins = problem.overrides?.pins ?? [];
  const excluded = new Set((problem.overrides?.excludes ?? []).map((x) => `${x.enterpriseId}/${x.supplierId}`));
  const setQ = new Map((problem.overrides?.setQuantities ?? []).map((q) => [`${q.enterpriseId}/${q.productCode}`, q.units]));
  const maxM = problem.settings.maxPickupDistanceKm * 1000;
  const es = problem.enterprises;
  const ss = problem.suppliers;
  const capE = es.map((e) => {
    const need = setQ.get(`${e.id}/${code}`) ?? e.need[code] ?? 0;
    const credit = Math.max(-pack, Math.min(pack, e.roundingCredit?.[code] ?? 0));
    const hi = opt.needRounding === 'down' ? Math.floor(need / pack) : Math.ceil(need / pack);
    const pinned = pins.filter((p) => p.enterpriseId === e.id && p.productCode === code).reduce((a, p) => a + p.units / pack, 0);
    return Math.max(0, Math.min(hi, Math.ceil((need + credit) / pack - 1e-9)) - pinned);
  });
  const capS = ss.map((s) => {
    const pinned = pins.filter((p) => p.supplierId === s.id && p.productCode === code).reduce((a, p) => a + p.units, 0);
    return Math.floor(((s.capacity[code] ?? 0) - pinned) / pack);
  });
  const adj = es.map((e) =>
    ss.flatMap((s, j) =>
      capS[j] > 0 && !excluded.has(`${e.id}/${s.id}`) && Math.round(haversineM(e.location.lat, e.location.lng, s.location.lat, s.location.lng)) <= maxM ? [j] : [],
    ),
  );
  const x = es.map(() => new Map<number, number>());
  const load = ss.map(() => 0);
  const used = es.map(() => 0);
  let total = 0;
  const augment = (e0: number): boolean => {
    const viaE = new Map<number, number>();
    const viaS = new Map<number, number>();
    const seenE = new Set([e0]);
    const queue = [e0];
    while (queue.length > 0) {
      const e = queue.shift()!;
      for (const j of adj[e]) {
        if (viaE.has(j)) continue;
        viaE.set(j, e);
        if (load[j] < capS[j]) {
          // Walk back: e gets a pack at j, and so on to e0.
          let s = j;
          for (;;) {
            const f = viaE.get(s)!;
            x[f].set(s, (x[f].get(s) ?? 0) + 1);
            if (f === e0) break;
            const back = viaS.get(f)!;
            x[f].set(back, x[f].get(back)! - 1);
            s = back;
          }
          load[j]++;
          return true;
        }
        for (let f = 0; f < es.length; f++) {
          if (seenE.has(f) || (x[f].get(j) ?? 0) <= 0) continue;
          seenE.add(f);
          viaS.set(f, j);
          queue.push(f);
        }
      }
    }
    return false;
  };
  for (let e = 0; e < es.length; e++) {
    while (used[e] < capE[e] && augment(e)) {
      used[e]++;
      total++;
    }
  }
  return total;
}

/** Policy packs per product (pins excluded) in a result. */
function policyPacks(problem: Problem, sut: Result, code: string): number {
  const pack = problem.products.find((p) => p.code === code)!.packSize;
  const pinned = (problem.overrides?.pins ?? []).filter((p) => p.productCode === code).reduce((a, p) => a + p.units / pack, 0);
  return sut.lines.filter((l) => l.productCode === code).reduce((a, l) => a + l.packs, 0) - pinned;
}

const specArb = fc
  .record({
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    enterprises: fc.integer({ min: 1, max: 45 }),
    suppliers: fc.integer({ min: 1, max: 8 }),
    products: fc.integer({ min: 1, max: 2 }),
    areaKm: fc.integer({ min: 2, max: 30 }),
    maxPickupDistanceKm: fc.integer({ min: 3, max: 20 }),
    supplyRatio: fc.double({ min: 0.2, max: 1.6, noNaN: true }),
    tiers: fc.integer({ min: 1, max: 4 }),
    overrides: fc.boolean(),
    twins: fc.boolean(),
    partPacks: fc.boolean(),
  })
  .map((s) => ({ ...s, packSizes: [1, 6, 20, 50] }) as GenSpec);

const modes: AllocateOptions[] = [{ needRounding: 'up' }, { needRounding: 'down' }];


describe('whole packs up to the maximum flow', () => {
  it('reach is decided on the distance rounded to whole metres: a maker 3,000.4 m away is within a 3 km reach (its pack is handed out)', () => {
    // Found by the maximum-flow property: the engine compared the unrounded distance, the oracle (and the README) the rounded one.
    const problem = generate({ seed: 2071302192, enterprises: 2, suppliers: 8, products: 1, areaKm: 15, maxPickupDistanceKm: 3, supplyRatio: 0.2, tiers: 1, overrides: false, twins: false, partPacks: false, packSizes: [1, 6, 20, 50] });
    const [e] = problem.enterprises;
    const s007 = problem.suppliers.find((s) => s.id === 's007')!;
    expect(haversineM(e.location.lat, e.location.lng, s007.location.lat, s007.location.lng)).toBeGreaterThan(3000);
    expect(Math.round(haversineM(e.location.lat, e.location.lng, s007.location.lat, s007.location.lng))).toBe(3000);
    for (const candidateArcs of [1, 8]) {
      const sut = allocate(problem, { needRounding: 'up', candidateArcs });
      expect(sut.lines.filter((l) => l.supplierId === 's007').reduce((a, l) => a + l.packs, 0)).toBe(1);
      expect(policyPacks(problem, sut, 'P0')).toBe(maxPacks(problem, 'P0', { needRounding: 'up', candidateArcs }));
    }
  });

  it('smallest case: A reaches makers 1 and 2, B only maker 1, one pack each ⇒ both packs allocated', () => {
    for (const need of [50, 10]) {
      for (const tierB of [1, 2]) {
        for (const candidateArcs of [1, 8]) {
          const sut = allocate(twoMakers(need, need, tierB), { candidateArcs });
          expect({ need, tierB, candidateArcs, lines: sut.lines.map((l) => [l.enterpriseId, l.supplierId, l.packs]) }).toEqual({
            need,
            tierB,
            candidateArcs,
            lines: [
              ['A', 'S2', 1],
              ['B', 'S1', 1],
            ],
          });
          expect(sut.explanations.flatMap((x) => x.products[0].short)).toEqual([]);
        }
      }
    }
  });

  it('variant: a whole free pack at a maker a short enterprise reaches directly is handed out', () => {
    // B's nearest maker (its only candidate arc with candidateArcs 1) is taken by tier 1; the
    // free pack at the other maker it reaches goes to it all the same.
    const problem: Problem = {
      products: [{ code: 'M', packSize: 50 }],
      enterprises: [
        { id: 'A', tier: 1, location: at(0), need: { M: 50 } },
        { id: 'B', tier: 2, location: at(1), need: { M: 20 } },
        { id: 'C', tier: 2, location: at(1), need: { M: 30 } },
      ],
      suppliers: [
        { id: 'S1', location: at(0.5), windows: window, capacity: { M: 50 } },
        { id: 'S2', location: at(6), windows: window, capacity: { M: 100 } },
      ],
      settings: { maxPickupDistanceKm: 8, maxSuppliersPerEnterprise: 3 },
    };
    for (const candidateArcs of [1, 8]) {
      const sut = allocate(problem, { candidateArcs });
      expect([got(sut, 'A'), got(sut, 'B'), got(sut, 'C')]).toEqual([1, 1, 1]);
      expect(sut.explanations.flatMap((x) => x.products[0].short)).toEqual([]);
    }
  });

  it('property: the packs allocated equal an independent maximum flow (tiers only decide who), for any candidateArcs', () => {
    fc.assert(
      fc.property(specArb, fc.constantFrom(...modes), fc.constantFrom(1, 2, 8, 50), (spec, mode, candidateArcs) => {
        const problem = generate(spec);
        const opt = { ...mode, candidateArcs };
        const sut = allocate(problem, opt);
        expect(sut.status).not.toBe('invalid');
        for (const { code } of problem.products) {
          expect({ code, packs: policyPacks(problem, sut, code) }).toEqual({ code, packs: maxPacks(problem, code, opt) });
        }
      }),
      { numRuns: 150 },
    );
  });

  it('property: the packs of every enterprise and product do not depend on candidateArcs (1, 8 and 50)', () => {
    // candidateArcs shapes the fair-share classes, which is a matter of speed: who gets which
    // part-pack must be decided on the full reach graph, not on the classes.
    fc.assert(
      fc.property(specArb, fc.constantFrom(...modes), (spec, mode) => {
        const problem = generate(spec);
        const per = (r: Result) => problem.enterprises.flatMap((e) => problem.products.map((p) => `${e.id}/${p.code}:${got(r, e.id, p.code)}`));
        const base = per(allocate(problem, { ...mode, candidateArcs: 8 }));
        for (const candidateArcs of [1, 50]) expect({ candidateArcs, packs: per(allocate(problem, { ...mode, candidateArcs })) }).toEqual({ candidateArcs, packs: base });
      }),
      { numRuns: 150 },
    );
  });

  it('candidateArcs 1 and 8: the same whole packs where the classes split a level-∞ group differently', () => {
    // Found by the property above: with one candidate arc the tier-1 enterprises whose shares
    // are their whole needs fell into two groups, each keeping its own part-pack; with eight,
    // one group kept one. Groups at one level joined over the full reach graph round alike.
    const problem = generate({ seed: 14, enterprises: 24, suppliers: 5, products: 2, areaKm: 30, maxPickupDistanceKm: 16, supplyRatio: 0.5446928481556988, tiers: 4, overrides: true, twins: false, partPacks: false, packSizes: [1, 6, 20, 50] });
    const packs = (candidateArcs: number) => {
      const r = allocate(problem, { needRounding: 'up', candidateArcs });
      return problem.enterprises.map((e) => [e.id, got(r, e.id, 'P0'), got(r, e.id, 'P1')]);
    };
    expect(packs(1)).toEqual(packs(8));
  });

  it('counterexamples: a group rounds on its own suppliers (a class of another group, re-routed in whole packs, took the room its hand-out was about to give)', () => {
    const base: GenSpec = { seed: 0, enterprises: 200, suppliers: 32, products: 2, twins: true, areaKm: 30, maxPickupDistanceKm: 8, supplyRatio: 0.2, tiers: 4, packSizes: [1, 5, 10], partPacks: true };
    for (const spec of [
      { ...base, seed: 1132 },
      { ...base, seed: 1228, enterprises: 240, suppliers: 24, maxPickupDistanceKm: 14 },
    ]) {
      const stats = {} as AllocateStats;
      expect(allocate(generate(spec), { needRounding: 'down', candidateArcs: 1 }, stats).status).toBe('ok');
      // No rounding credits here: every group hands out its fractional total rounded up.
      expect(stats.roundingShortfall).toBe(0);
    }
  });

  it('property: explanations say pack_rounding only when no further pack can reach the enterprise', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const problem = generate({ ...spec, overrides: false });
        const sut = allocate(problem);
        for (const x of sut.explanations) {
          for (const p of x.products) {
            if (!p.short.includes('pack_rounding')) continue;
            // One more pack for this enterprise (cap raised by one) must be impossible.
            const bumped: Problem = {
              ...problem,
              enterprises: problem.enterprises.map((e) =>
                e.id === x.enterpriseId ? { ...e, need: { ...e.need, [p.productCode]: p.allocated + 1 } } : { ...e, need: { ...e.need, [p.productCode]: got(sut, e.id, p.productCode) * problem.products.find((q) => q.code === p.productCode)!.packSize } },
              ),
            };
            expect({ id: x.enterpriseId, code: p.productCode, more: maxPacks(bumped, p.productCode, {}) }).toEqual({
              id: x.enterpriseId,
              code: p.productCode,
              more: policyPacks(problem, sut, p.productCode),
            });
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('no small enterprise of a higher tier forgotten', () => {
  it('property (one day): nobody with a positive need ends at zero while a lower tier gets a pack at a maker it reaches', () => {
    fc.assert(
      fc.property(specArb, fc.constantFrom(...modes), (spec, opt) => {
        const problem = generate({ ...spec, overrides: false });
        const sut = allocate(problem, opt);
        const maxM = problem.settings.maxPickupDistanceKm * 1000;
        const ent = new Map(problem.enterprises.map((e) => [e.id, e]));
        const sup = new Map(problem.suppliers.map((s) => [s.id, s]));
        const reaches = (e: Enterprise, sId: string) => {
          const s = sup.get(sId)!;
          return Math.round(haversineM(e.location.lat, e.location.lng, s.location.lat, s.location.lng)) <= maxM;
        };
        for (const { code, packSize } of problem.products) {
          const zero = problem.enterprises.filter((e) => {
            const need = e.need[code] ?? 0;
            return (opt.needRounding === 'down' ? need >= packSize : need > 0) && got(sut, e.id, code) === 0;
          });
          for (const l of sut.lines) {
            if (l.productCode !== code) continue;
            const tier = ent.get(l.enterpriseId)!.tier;
            for (const e of zero) {
              if (e.tier >= tier) continue;
              expect({ zero: e.id, yet: l.enterpriseId, at: l.supplierId, reaches: reaches(e, l.supplierId) }).toEqual({
                zero: e.id,
                yet: l.enterpriseId,
                at: l.supplierId,
                reaches: false,
              });
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  /**
   * Seven nights of the same zone: every night the deficits (units short) and the rounding
   * credits of the night before are fed back. Small needs against large packs, partial reach.
   */
  const nightsArb = fc
    .record({
      seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      enterprises: fc.integer({ min: 2, max: 40 }),
      suppliers: fc.integer({ min: 1, max: 6 }),
      products: fc.integer({ min: 1, max: 2 }),
      areaKm: fc.integer({ min: 2, max: 25 }),
      maxPickupDistanceKm: fc.integer({ min: 5, max: 25 }),
      supplyRatio: fc.double({ min: 0.4, max: 1.5, noNaN: true }),
      tiers: fc.integer({ min: 1, max: 4 }),
    })
    .map((s) => ({ ...s, packSizes: [6, 20, 50], partPacks: true, overrides: false }) as GenSpec);

  /** Seven nights fed back; fails (via expect) unless both of the week's promises hold. */
  const sevenNights = (spec: GenSpec, opt: AllocateOptions) => {
    const base = generate(spec);
    const maxM = base.settings.maxPickupDistanceKm * 1000;
    let problem = base;
    const cumGot = new Map<string, number>();
    const cumFair = new Map<string, number>();
    for (let night = 0; night < 7; night++) {
      const sut = allocate(problem, opt);
      const credit = new Map<string, Record<string, number>>();
      const deficit = new Map<string, Record<string, number>>();
      for (const x of sut.explanations) {
        for (const p of x.products) {
          const k = `${x.enterpriseId}/${p.productCode}`;
          cumGot.set(k, (cumGot.get(k) ?? 0) + p.allocated);
          cumFair.set(k, (cumFair.get(k) ?? 0) + p.fairShare);
          credit.set(x.enterpriseId, { ...credit.get(x.enterpriseId), [p.productCode]: p.roundingCredit });
          if (p.need > p.allocated) deficit.set(x.enterpriseId, { ...deficit.get(x.enterpriseId), [p.productCode]: p.need - p.allocated });
        }
      }
      problem = {
        ...base,
        enterprises: base.enterprises.map(({ deficit: _d, roundingCredit: _c, ...e }) => ({
          ...e,
          ...(deficit.has(e.id) ? { deficit: deficit.get(e.id)! } : {}),
          ...(credit.has(e.id) ? { roundingCredit: credit.get(e.id)! } : {}),
        })),
      };
    }
    for (const { code, packSize } of base.products) {
      for (const e of base.enterprises) {
        const k = `${e.id}/${code}`;
        expect({ k, off: Math.abs((cumGot.get(k) ?? 0) - (cumFair.get(k) ?? 0)) < packSize }).toEqual({ k, off: true });
      }
      // Tier 1 with a need, a maker within reach, and enough packs at those makers over the
      // week for the week's need of every tier-1 enterprise reaching them plus one pack each
      // (so that a lower tier is served on some night: where tier 1 alone is short, the
      // cumulative shares decide, and a need of a tenth of a pack may wait ten nights).
      const makers = (e: Enterprise) =>
        base.suppliers.filter((s) => (s.capacity[code] ?? 0) >= packSize && Math.round(haversineM(e.location.lat, e.location.lng, s.location.lat, s.location.lng)) <= maxM);
      for (const e of base.enterprises) {
        const need = e.need[code] ?? 0;
        if (e.tier !== 1 || need <= 0 || (opt.needRounding === 'down' && need < packSize)) continue;
        const mine = makers(e);
        if (mine.length === 0) continue;
        const packs = mine.reduce((a, s) => a + Math.floor((s.capacity[code] ?? 0) / packSize), 0);
        const rivals = base.enterprises.filter((f) => f.tier === 1 && (f.need[code] ?? 0) > 0 && makers(f).some((s) => mine.includes(s)));
        if (packs * 7 < rivals.reduce((a, f) => a + (7 * f.need[code]) / packSize + 1, 0)) continue;
        expect({ id: e.id, code, week: (cumGot.get(`${e.id}/${code}`) ?? 0) > 0 }).toEqual({ id: e.id, code, week: true });
      }
    }
  };

  it('property (7 nights): no tier-1 enterprise with a need and a reachable maker gets nothing all week; cumulative packs within one pack of cumulative fair shares', () => {
    fc.assert(fc.property(nightsArb, fc.constantFrom(...modes), sevenNights), { numRuns: 150 });
  });

  // Found by the property above on random seeds: over-supply (1.35×), rounding up, part-packs of
  // 6/20/50. A leftover pack (R4) beyond share + credit was charged to the credit, which then
  // sat clamped at −1 pack while the week's packs ran ahead of the week's shares.
  it('counterexample: leftover packs beyond the rounded share do not drift the week from its shares', () => {
    sevenNights(
      { seed: 2147483638, enterprises: 40, suppliers: 2, products: 2, areaKm: 2, maxPickupDistanceKm: 5, supplyRatio: 1.3450117628238334, tiers: 3, packSizes: [6, 20, 50], partPacks: true, overrides: false },
      { needRounding: 'up' },
    );
  });

  // Also found by random seeds: one tier, supply covering the needs in units but not every
  // part-pack. An enterprise owed a pack (share + credit ≥ 1) reaching one maker only lost it,
  // night after night, to others' part-packs: one max flow over a block of offers routes as many
  // as it can, not the first in the order.
  it('counterexample: a pack owed by the credit is handed out before part-packs of others', () => {
    sevenNights(
      { seed: 2147483644, enterprises: 34, suppliers: 4, products: 2, areaKm: 14, maxPickupDistanceKm: 7, supplyRatio: 1.0561429595008143, tiers: 1, packSizes: [6, 20, 50], partPacks: true, overrides: false },
      { needRounding: 'up' },
    );
  });
});

describe('validation edges', () => {
  const base = (): Problem => ({
    products: [{ code: 'M', packSize: 50 }],
    enterprises: [{ id: 'A', tier: 1, location: at(0), need: { M: 50 } }],
    suppliers: [{ id: 'S', location: at(1), windows: window, capacity: { M: 100 } }],
    settings: { maxPickupDistanceKm: 8, maxSuppliersPerEnterprise: 3 },
  });

  it('pack sizes and tiers must fit int32 (as stored): 2^31 is rejected with a reason, 2^31 − 1 accepted', () => {
    const big = 2 ** 31;
    const pack = validate({ ...base(), products: [{ code: 'M', packSize: big }] });
    expect(pack).toMatchObject({ ok: false, reasons: [{ code: 'INVALID_PACK_SIZE', path: '$.products[0].packSize' }] });
    const tier = allocate({ ...base(), enterprises: [{ ...base().enterprises[0], tier: big }] });
    expect(tier).toMatchObject({ status: 'invalid', reasons: [{ code: 'INVALID_TIER', path: '$.enterprises[0].tier' }] });
    expect(tier.reasons[0].message).toContain('2147483647');
    expect(validate({ ...base(), products: [{ code: 'M', packSize: big - 1 }] }).ok).toBe(true);
    const top = allocate({ ...base(), enterprises: [{ ...base().enterprises[0], tier: big - 1 }] });
    expect(top.status).toBe('ok');
    expect(top.explanations[0].tier).toBe(big - 1);
  });

  it('a rounding credit must be a finite number of a known product', () => {
    const e = base().enterprises[0];
    expect(validate({ ...base(), enterprises: [{ ...e, roundingCredit: { M: 'x' } }] })).toMatchObject({ ok: false, reasons: [{ code: 'INVALID_QUANTITY' }] });
    expect(validate({ ...base(), enterprises: [{ ...e, roundingCredit: { Q: 1 } }] })).toMatchObject({ ok: false, reasons: [{ code: 'UNKNOWN_PRODUCT' }] });
    expect(validate({ ...base(), enterprises: [{ ...e, roundingCredit: { M: -12.5 } }] }).ok).toBe(true);
  });

  it('reach wraps at ±180° longitude: a maker 222 m away across the antimeridian is reached', () => {
    const problem: Problem = {
      products: [{ code: 'M', packSize: 10 }],
      enterprises: [
        { id: 'E-EAST', tier: 1, location: { lat: 0, lng: 179.999 }, need: { M: 10 } },
        { id: 'E-WEST', tier: 1, location: { lat: -16.5, lng: -179.999 }, need: { M: 10 } },
      ],
      suppliers: [
        { id: 'S-WEST', location: { lat: 0, lng: -179.999 }, windows: window, capacity: { M: 10 } },
        { id: 'S-EAST', location: { lat: -16.5, lng: 179.999 }, windows: window, capacity: { M: 10 } },
      ],
      settings: { maxPickupDistanceKm: 1, maxSuppliersPerEnterprise: 3 },
    };
    const sut = allocate(problem);
    expect(sut.lines.map((l) => [l.enterpriseId, l.supplierId, l.distanceM])).toEqual([
      ['E-EAST', 'S-WEST', 222],
      ['E-WEST', 'S-EAST', 213],
    ]);
  });
});
