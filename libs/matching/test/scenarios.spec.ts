/**
 * Worked examples of the allocation policy (rules R1–R6 of libs/matching/README.md), small enough to
 * check by hand. Masks come in boxes of 10 here so the arithmetic stays readable.
 */
import { allocate, type Enterprise, type Problem, type Result, type Supplier } from '../src/index.js';

const at = (km: number) => ({ lat: 31.8, lng: 119.9 + km / 94.5 });
const window = [{ startMinute: 480, endMinute: 720, vehicles: 4 }];
const supplier = (id: string, km: number, masks: number): Supplier => ({ id, location: at(km), windows: window, capacity: { MASK: masks } });
const enterprise = (id: string, tier: number, km: number, masks: number, extra: Partial<Enterprise> = {}): Enterprise => ({
  id,
  tier,
  location: at(km),
  need: { MASK: masks },
  ...extra,
});
const problem = (enterprises: Enterprise[], suppliers: Supplier[], overrides?: Problem['overrides']): Problem => ({
  products: [{ code: 'MASK', packSize: 10 }],
  enterprises,
  suppliers,
  settings: { maxPickupDistanceKm: 20, maxSuppliersPerEnterprise: 3 },
  ...(overrides ? { overrides } : {}),
});
const got = (r: Result, id: string) => r.lines.filter((l) => l.enterpriseId === id).reduce((s, l) => s + l.units, 0);
const why = (r: Result, id: string) => r.explanations.find((x) => x.enterpriseId === id)!.products[0];

describe('worked examples', () => {
  it('short day for masks: tier 1 is filled first, tier 3 shares the rest equally, tier 4 waits', () => {
    // 1,000 masks for 1,900 asked: the hospital supplier (tier 1) gets its 400; the two factories
    // of tier 3 ask 500 each and share the remaining 600 at one fill ratio (0.6); tier 4 gets none.
    const sut = allocate(
      problem(
        [enterprise('hospital', 1, 1, 400), enterprise('factory-a', 3, 2, 500), enterprise('factory-b', 3, 8, 500), enterprise('shop', 4, 3, 500)],
        [supplier('maker-1', 0, 600), supplier('maker-2', 6, 400)],
      ),
    );
    expect(sut.status).toBe('ok');
    expect(got(sut, 'hospital')).toBe(400);
    expect(got(sut, 'factory-a')).toBe(300);
    expect(got(sut, 'factory-b')).toBe(300);
    expect(got(sut, 'shop')).toBe(0);
    expect(why(sut, 'factory-a')).toMatchObject({ fairShare: 300, fillRatio: 0.6, short: ['tier_shortage'] });
    expect(why(sut, 'shop').short).toEqual(['tier_shortage']);
    expect(sut.figures.byProduct[0].fillRatioByTier).toEqual({ '1': 1, '3': 0.6, '4': 0 });
    expect(sut.figures.minFillRatioByTier).toEqual({ '1': 1, '3': 0.6, '4': 0 });
  });

  it('tier 4 enterprises share equally once tiers 1–3 are full', () => {
    const sut = allocate(
      problem(
        [enterprise('hospital', 1, 1, 200), enterprise('factory', 3, 2, 300), enterprise('shop-a', 4, 3, 400), enterprise('shop-b', 4, 4, 200)],
        [supplier('maker', 0, 800)],
      ),
    );
    // 300 left for 600 asked: both shops at fill ratio 0.5.
    expect([got(sut, 'hospital'), got(sut, 'factory'), got(sut, 'shop-a'), got(sut, 'shop-b')]).toEqual([200, 300, 200, 100]);
    expect(sut.figures.byProduct[0].jainIndex).toBeLessThan(1);
  });

  it('an enterprise short yesterday gets more today (bounded deficit)', () => {
    // Same need (1,000), one carried a 400-mask deficit: claims 1,400 vs 1,000, so 1,200 masks
    // split 700 / 500. A huge deficit is capped at half the need: claim 1,500 at most.
    const twoFactories = (deficit: number) =>
      problem(
        [enterprise('short-yesterday', 3, 1, 1000, { deficit: { MASK: deficit } }), enterprise('served-yesterday', 3, 1, 1000)],
        [supplier('maker', 0, 1200)],
      );
    const sut = allocate(twoFactories(400));
    expect(got(sut, 'short-yesterday')).toBe(700);
    expect(got(sut, 'served-yesterday')).toBe(500);
    expect(why(sut, 'short-yesterday').claim).toBe(1400);
    const capped = allocate(twoFactories(10_000));
    expect(why(capped, 'short-yesterday').claim).toBe(1500);
    expect(got(capped, 'short-yesterday')).toBe(720);
    expect(got(capped, 'served-yesterday')).toBe(480);
  });

  it('a pin and an exclusion are hard constraints', () => {
    const base = problem(
      [enterprise('hospital', 1, 0.5, 500), enterprise('kiosk', 4, 9, 100), enterprise('plant', 2, 1, 200)],
      [supplier('near', 0, 500), supplier('far', 10, 200)],
    );
    // Without overrides the hospital takes all of `near`, the plant takes `far`, the kiosk nothing.
    const before = allocate(base);
    expect(got(before, 'kiosk')).toBe(0);
    const sut = allocate({
      ...base,
      overrides: {
        // The coordinator pins 100 masks from `far` to the kiosk, and `near` must not serve the plant.
        pins: [{ enterpriseId: 'kiosk', supplierId: 'far', productCode: 'MASK', units: 100 }],
        excludes: [{ enterpriseId: 'plant', supplierId: 'near' }],
      },
    });
    expect(sut.status).toBe('ok');
    expect(sut.lines).toContainEqual(expect.objectContaining({ enterpriseId: 'kiosk', supplierId: 'far', units: 100 }));
    expect(sut.lines.some((l) => l.enterpriseId === 'plant' && l.supplierId === 'near')).toBe(false);
    expect(got(sut, 'hospital')).toBe(500);
    expect(got(sut, 'plant')).toBe(100);
    expect(why(sut, 'plant').short).toEqual(['tier_shortage']);
  });

  it('an exclusion of the only reachable supplier is explained as such', () => {
    const sut = allocate(
      problem([enterprise('plant', 2, 1, 200)], [supplier('near', 0, 500)], { excludes: [{ enterpriseId: 'plant', supplierId: 'near' }] }),
    );
    expect(got(sut, 'plant')).toBe(0);
    expect(why(sut, 'plant').short).toEqual(['excluded']);
    expect(sut.unmet).toEqual([{ enterpriseId: 'plant', productCode: 'MASK', units: 200 }]);
  });

  it('reports invalid overrides with reasons instead of throwing', () => {
    const base = problem([enterprise('plant', 2, 1, 200)], [supplier('near', 0, 500)]);
    const above = allocate({ ...base, overrides: { pins: [{ enterpriseId: 'plant', supplierId: 'near', productCode: 'MASK', units: 600 }] } });
    expect(above.status).toBe('invalid');
    expect(above.reasons.map((r) => r.code)).toContain('PIN_ABOVE_CAPACITY');
    const unknown = allocate({ ...base, overrides: { excludes: [{ enterpriseId: 'plant', supplierId: 'ghost' }] } });
    expect(unknown).toMatchObject({ status: 'invalid', reasons: [{ code: 'UNKNOWN_SUPPLIER', path: '$.overrides.excludes[0].supplierId' }] });
    expect(allocate({ products: 'nope' }).status).toBe('invalid');
    expect(allocate(null).reasons[0].code).toBe('NOT_AN_OBJECT');
  });

  it('minimises distance among equally fair allocations and rounds to whole packs', () => {
    // Two enterprises, two suppliers, enough for both: each goes to its nearest.
    const sut = allocate(
      problem([enterprise('west', 2, 0, 95), enterprise('east', 2, 10, 100)], [supplier('maker-west', 0.5, 200), supplier('maker-east', 9.5, 200)]),
      { needRounding: 'down' },
    );
    expect(sut.lines.map((l) => [l.enterpriseId, l.supplierId, l.units])).toEqual([
      ['east', 'maker-east', 100],
      ['west', 'maker-west', 90],
    ]);
    expect(why(sut, 'west').short).toEqual(['pack_rounding']);
    expect(sut.appointments).toHaveLength(2);
  });

  it('shares units before packs, but no clinic of a higher tier is left at zero while the tier below gets boxes', () => {
    // Tier 1: five clinics needing 4 masks each (0.4 box each, 2 boxes together). Tier 2: a factory
    // needing 100. 10 boxes in stock. The units are shared first (fair share 4 masks each); largest
    // remainder gives 2 boxes, and the minimum-pack rule a box to each of the other three before
    // the factory is served: the factory gets the remaining 50.
    const clinics = ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => enterprise(id, 1, 1, 4));
    const sut = allocate(problem([...clinics, enterprise('factory', 2, 2, 100)], [supplier('maker', 0, 100)]));
    expect(clinics.map((c) => got(sut, c.id))).toEqual([10, 10, 10, 10, 10]);
    expect(got(sut, 'factory')).toBe(50);
    expect(why(sut, 'c3')).toMatchObject({ fairShare: 4, allocated: 10, roundingCredit: -6, short: [] });
    // The factory's share is worked out on what the clinics' boxes left.
    expect(why(sut, 'factory')).toMatchObject({ fairShare: 50, short: ['tier_shortage'] });
  });

  it('rounding credit: over consecutive days a clinic gets a box as often as its need adds up to one', () => {
    // The same day repeated with the credits fed back: a clinic needing 4 masks a day (box of 10)
    // gets a box and is 6 masks ahead (credit −6); day 2: 2 ahead, no box; day 3: 2 short, a box
    // (8 ahead); day 4: 4 ahead; day 5: even, no box; day 6 would bring the next. 20 masks in 5
    // days for 20 needed: its cumulative boxes stay within one box of its cumulative fair shares,
    // and on the days its stock covers it the factory gets all 10 boxes.
    const clinics = ['c1', 'c2', 'c3', 'c4', 'c5'];
    let credit = new Map<string, number>();
    const days: number[][] = [];
    for (let day = 0; day < 5; day++) {
      const es = clinics.map((id) => enterprise(id, 1, 1, 4, credit.has(id) ? { roundingCredit: { MASK: credit.get(id)! } } : {}));
      const sut = allocate(problem([...es, enterprise('factory', 2, 2, 100)], [supplier('maker', 0, 100)]));
      days.push([...clinics, 'factory'].map((id) => got(sut, id)));
      credit = new Map(clinics.map((id) => [id, why(sut, id).roundingCredit]));
    }
    expect(days).toEqual([
      [10, 10, 10, 10, 10, 50],
      [0, 0, 0, 0, 0, 100],
      [10, 10, 10, 10, 10, 50],
      [0, 0, 0, 0, 0, 100],
      [0, 0, 0, 0, 0, 100],
    ]);
    expect(Object.fromEntries(credit)).toEqual({ c1: 0, c2: 0, c3: 0, c4: 0, c5: 0 });
  });

  it('gives leftover boxes to those rounded down once every tier is served', () => {
    // Same clinics, a factory needing 50, 10 boxes: 2 + 5 boxes by the policy, 3 left over, which
    // go to the clinics that were rounded down. Nobody is a part-box short while boxes remain.
    const clinics = ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => enterprise(id, 1, 1, 4));
    const sut = allocate(problem([...clinics, enterprise('factory', 2, 2, 50)], [supplier('maker', 0, 100)]));
    expect(clinics.map((c) => got(sut, c.id))).toEqual([10, 10, 10, 10, 10]);
    expect(got(sut, 'factory')).toBe(50);
    expect(sut.figures.surplus).toBe(30);
  });

  it('rounds a tier in whole boxes even when the first choices cannot all be routed, then gives the rest a box each', () => {
    // Tier 1 needs 1.6 boxes: c1 and c2 (0.5 box each) may only use the small maker (1 box), c3–c5
    // (0.2 each) either maker. The two largest remainders cannot both be served at the small
    // maker, so the tier is re-routed in whole boxes: c1 and c3 get one box each (2 = 1.6 rounded
    // up). c2 can reach no box (the small maker's only box is c1's, and c1 can go nowhere else);
    // c4 and c5 get one each by the minimum-pack rule. The factory gets the other 7 boxes.
    const clinics = [enterprise('c1', 1, 1, 5), enterprise('c2', 1, 1, 5), enterprise('c3', 1, 1, 2), enterprise('c4', 1, 1, 2), enterprise('c5', 1, 1, 2)];
    const sut = allocate(
      problem([...clinics, enterprise('factory', 2, 1, 100)], [supplier('small', 0, 10), supplier('big', 2, 100)], {
        excludes: [
          { enterpriseId: 'c1', supplierId: 'big' },
          { enterpriseId: 'c2', supplierId: 'big' },
        ],
      }),
    );
    expect(clinics.map((c) => got(sut, c.id))).toEqual([10, 0, 10, 10, 10]);
    expect(got(sut, 'factory')).toBe(70);
    expect(why(sut, 'c2').short).toEqual(['pack_rounding']);
  });

  it('tries another order of an enterprise\'s pickups when nearest-first leaves one without a slot', () => {
    // The near maker is open all morning, the far one only 08:00–08:30. Nearest first would take
    // 08:00 at the near maker and leave no time to reach the far one; the far one first works.
    const near = supplier('near', 0.5, 100);
    const far: Supplier = { ...supplier('far', 10, 100), windows: [{ startMinute: 480, endMinute: 510, vehicles: 4 }] };
    const sut = allocate(problem([enterprise('factory', 1, 0, 200)], [near, far]));
    expect(sut.unslotted).toEqual([]);
    expect(sut.appointments.map((a) => [a.supplierId, a.startMinute, a.endMinute])).toEqual([
      ['far', 480, 510],
      ['near', 540, 570],
    ]);
  });

  it('cuts each supplier\'s windows into its own slot length, else the zone\'s', () => {
    // Two makers open 08:00–09:00 with one vehicle each: `quick` loads in 15-minute slots, `slow`
    // uses the zone's 40 minutes (the last slot is cut at 09:00). Four factories each pick up at
    // the nearest and get the earliest free slot, in id order.
    const base = problem(
      [enterprise('f1', 3, 0.1, 10), enterprise('f2', 3, 0.2, 10), enterprise('f3', 3, 9.9, 10), enterprise('f4', 3, 9.8, 10)],
      [
        { id: 'quick', location: at(0), windows: [{ startMinute: 480, endMinute: 540, vehicles: 1 }], capacity: { MASK: 20 }, slotMinutes: 15 },
        { id: 'slow', location: at(10), windows: [{ startMinute: 480, endMinute: 540, vehicles: 1 }], capacity: { MASK: 20 } },
      ],
    );
    const sut = allocate({ ...base, settings: { ...base.settings, slotMinutes: 40 } });
    expect(sut.appointments.map((a) => [a.enterpriseId, a.supplierId, a.startMinute, a.endMinute])).toEqual([
      ['f1', 'quick', 480, 495],
      ['f2', 'quick', 495, 510],
      ['f3', 'slow', 480, 520],
      ['f4', 'slow', 520, 540],
    ]);
    const bad = allocate({ ...base, suppliers: [{ ...base.suppliers[0], slotMinutes: 0 }, base.suppliers[1]] });
    expect(bad).toMatchObject({ status: 'invalid', reasons: [{ code: 'INVALID_SLOT_MINUTES', path: '$.suppliers[0].slotMinutes' }] });
  });
});
