import { generate } from '../test/generate.js';
import { seeded } from './seeded-random.js';
import { allocate } from './allocate.js';
import { fitOverrides, type StandingOverride } from './override-fit.js';
import type { Problem } from './types.js';
import { validate } from './validate.js';

/** One maker with 100 masks (pack 50), two enterprises that reported, one that did not. */
const day: Problem = {
  products: [{ code: 'MASK', packSize: 50 }],
  enterprises: [
    { id: 'a', location: { lat: 31.8, lng: 119.9 }, tier: 1, need: { MASK: 200 } },
    { id: 'b', location: { lat: 31.8, lng: 119.9 }, tier: 1, need: { MASK: 60 } },
  ],
  suppliers: [{ id: 's', location: { lat: 31.8, lng: 119.9 }, windows: [{ startMinute: 480, endMinute: 600, vehicles: 2 }], capacity: { MASK: 100 } }],
  settings: { maxPickupDistanceKm: 30, maxSuppliersPerEnterprise: 3 },
};
const pin = (id: string, enterpriseId: string, units: number): StandingOverride => ({ id, kind: 'pin', enterpriseId, supplierId: 's', productCode: 'MASK', units });

describe('fitOverrides', () => {
  it.each([
    ['a pin above the capacity', pin('x', 'a', 100_000), 'PIN_ABOVE_CAPACITY', 100],
    ['a pin of 0 units', pin('x', 'a', 0), 'INVALID_QUANTITY', null],
    ['a pin of part of a pack', pin('x', 'a', 7), 'PIN_NOT_WHOLE_PACKS', 0],
    ['a pin for an enterprise without a report', pin('x', 'nobody', 50), 'UNKNOWN_ENTERPRISE', null],
    ['a pin above the need', pin('x', 'b', 100), 'PIN_ABOVE_NEED', 50],
  ])('cuts %s and says why', (_label, override, code, appliedUnits) => {
    const { cuts, overrides } = fitOverrides(day, [override]);
    expect(cuts).toEqual([expect.objectContaining({ id: 'x', code, appliedUnits })]);
    expect(validate({ ...day, overrides }).ok).toBe(true);
  });

  it('keeps a second set-quantity of one enterprise and product out, and the first in', () => {
    const { cuts, overrides } = fitOverrides(day, [
      { id: 'q1', kind: 'set_quantity', enterpriseId: 'a', productCode: 'MASK', units: 100 },
      { id: 'q2', kind: 'set_quantity', enterpriseId: 'a', productCode: 'MASK', units: 150 },
    ]);
    expect(cuts.map((c) => [c.id, c.code])).toEqual([['q2', 'DUPLICATE_OVERRIDE']]);
    expect(overrides.setQuantities).toEqual([{ enterpriseId: 'a', productCode: 'MASK', units: 100 }]);
  });

  it('never lets a pin and an exclude of one pair stand together', () => {
    const { cuts, overrides } = fitOverrides(day, [pin('p', 'a', 50), { id: 'x', kind: 'exclude', enterpriseId: 'a', supplierId: 's' }]);
    expect(cuts.map((c) => [c.id, c.code])).toEqual([['p', 'PIN_EXCLUDED_CONFLICT']]);
    expect(overrides.pins).toEqual([]);
  });

  it('shares what is left among later pins: the older pin stands, the newer is cut to the rest', () => {
    const { cuts, overrides } = fitOverrides(day, [pin('old', 'a', 100), pin('new', 'b', 50)]);
    expect(overrides.pins!.map((p) => p.units)).toEqual([100]);
    expect(cuts).toEqual([expect.objectContaining({ id: 'new', code: 'PIN_ABOVE_CAPACITY', appliedUnits: 0 })]);
  });

  it('makes any mix of overrides acceptable to the matcher (200 seeded problems)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const problem = generate({ seed, enterprises: 12, suppliers: 4, products: 2, areaKm: 20, maxPickupDistanceKm: 15, supplyRatio: 0.8, tiers: 3 });
      const rnd = seeded(seed * 7);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
      const standing: StandingOverride[] = Array.from({ length: 10 }, (_, i) => {
        const enterpriseId = rnd() < 0.1 ? 'gone' : pick(problem.enterprises).id;
        const supplierId = pick(problem.suppliers).id;
        const productCode = pick(problem.products).code;
        const units = Math.floor(rnd() * 400) - 20;
        const kind = pick(['pin', 'pin', 'exclude', 'set_quantity'] as const);
        return kind === 'exclude' ? { id: `o${i}`, kind, enterpriseId, supplierId } : kind === 'pin' ? { id: `o${i}`, kind, enterpriseId, supplierId, productCode, units } : { id: `o${i}`, kind, enterpriseId, productCode, units };
      });
      const { overrides } = fitOverrides(problem, standing);
      const fitted = { ...problem, overrides };
      expect([seed, validate(fitted).ok]).toEqual([seed, true]);
      // 'infeasible' only says a pinned pickup found no slot: the lines are there, the slot is arranged by hand.
      expect([seed, allocate(fitted).status]).not.toEqual([seed, 'invalid']);
    }
  });
});
