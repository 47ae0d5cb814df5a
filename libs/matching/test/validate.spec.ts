/**
 * What `validate` says of bad input, field by field and in input order, and the model it builds
 * from good input in any order (enterprises and suppliers sorted by id).
 */
import { validate } from '../src/validate.js';

const window = { startMinute: 480, endMinute: 720, vehicles: 2 };
const good = () => ({
  products: [{ code: 'MASK', packSize: 10 }, { code: 'GEL', packSize: 4 }],
  enterprises: [
    { id: 'e3', tier: 2, location: { lat: 31.8, lng: 119.9 }, need: { MASK: 30 }, deficit: { MASK: 5 } },
    { id: 'e1', tier: 1, location: { lat: 31.81, lng: 119.91 }, need: { GEL: 8, MASK: 10 }, roundingCredit: { GEL: -9 } },
    { id: 'e2', tier: 3, location: { lat: 31.82, lng: 119.92 }, need: {}, preferredWindow: { startMinute: 600, endMinute: 660 } },
  ],
  suppliers: [
    { id: 's2', location: { lat: 31.8, lng: 119.95 }, windows: [window], capacity: { MASK: 100 } },
    { id: 's1', location: { lat: 31.85, lng: 119.9 }, windows: [window], capacity: { GEL: 40 } },
  ],
  settings: { maxPickupDistanceKm: 20, maxSuppliersPerEnterprise: 3 },
});

const reasons = (problem: unknown) => {
  const v = validate(problem);
  return v.ok ? [] : v.reasons.map((r) => [r.code, r.path]);
};

describe('validate', () => {
  it('sorts enterprises and suppliers by id, whatever the input order', () => {
    const v = validate(good());
    if (!v.ok) throw new Error(JSON.stringify(v.reasons));
    const m = v.model;
    expect(m.enterpriseIds).toEqual(['e1', 'e2', 'e3']);
    expect(m.supplierIds).toEqual(['s1', 's2']);
    expect(m.productCodes).toEqual(['GEL', 'MASK']);
    expect(Array.from(m.tier)).toEqual([1, 3, 2]);
    expect(Array.from(m.need)).toEqual([8, 10, 0, 0, 0, 30]);
    expect(Array.from(m.deficit)).toEqual([0, 0, 0, 0, 0, 5]);
    expect(Array.from(m.credit)).toEqual([-4, 0, 0, 0, 0, 0]);
    expect(Array.from(m.prefStart)).toEqual([-1, 600, -1]);
    expect(Array.from(m.capacity)).toEqual([40, 0, 0, 100]);
    expect(Array.from(m.sLng)).toEqual([119.9, 119.95]);
  });

  it('names every repeated id after its first use, in input order, among the other faults', () => {
    const p = good();
    p.enterprises.push({ ...p.enterprises[1], location: { lat: 95, lng: 0 } }, { ...p.enterprises[0] }, { ...p.enterprises[1] });
    p.suppliers.unshift({ ...p.suppliers[1] });
    expect(reasons(p)).toEqual([
      ['DUPLICATE_ENTERPRISE', '$.enterprises[3].id'],
      ['INVALID_LOCATION', '$.enterprises[3].location'],
      ['DUPLICATE_ENTERPRISE', '$.enterprises[4].id'],
      ['DUPLICATE_ENTERPRISE', '$.enterprises[5].id'],
      ['DUPLICATE_SUPPLIER', '$.suppliers[2].id'],
    ]);
    expect((validate(p) as { reasons: { message: string }[] }).reasons[0].message).toBe('duplicate enterprise id e1');
  });

  it('gives the field and the reason of each fault, ids without a string left out of the duplicate check', () => {
    const p = good() as unknown as { enterprises: unknown[]; suppliers: unknown[] };
    p.enterprises.push(
      { id: 7, tier: 1, location: { lat: 0, lng: 0 }, need: {} },
      { id: 'e9', tier: 0, location: { lat: 0, lng: 181 }, need: { MASK: 1.5, SOAP: 1 }, deficit: { MASK: -1 }, roundingCredit: { GEL: Infinity }, preferredWindow: { startMinute: 700, endMinute: 600 } },
      { id: 'e8', tier: 2 ** 31, location: null, need: [] },
    );
    p.suppliers.push({ id: 's9', location: { lat: 0, lng: 0 }, windows: [{ startMinute: 0, endMinute: 60, vehicles: 0 }], capacity: { MASK: -1 }, slotMinutes: 0 });
    expect(reasons(p)).toEqual([
      ['INVALID_ENTERPRISE', '$.enterprises[3]'],
      ['INVALID_LOCATION', '$.enterprises[4].location'],
      ['INVALID_TIER', '$.enterprises[4].tier'],
      ['INVALID_QUANTITY', '$.enterprises[4].need.MASK'],
      ['UNKNOWN_PRODUCT', '$.enterprises[4].need.SOAP'],
      ['INVALID_QUANTITY', '$.enterprises[4].deficit.MASK'],
      ['INVALID_QUANTITY', '$.enterprises[4].roundingCredit.GEL'],
      ['INVALID_WINDOW', '$.enterprises[4].preferredWindow'],
      ['INVALID_LOCATION', '$.enterprises[5].location'],
      ['INVALID_TIER', '$.enterprises[5].tier'],
      ['INVALID_QUANTITIES', '$.enterprises[5].need'],
      ['INVALID_QUANTITY', '$.suppliers[2].capacity.MASK'],
      ['INVALID_SLOT_MINUTES', '$.suppliers[2].slotMinutes'],
      ['INVALID_VEHICLES', '$.suppliers[2].windows[0].vehicles'],
    ]);
    // The quantity faults' reasons: whole units for need and capacity, any non-negative amount for
    // a deficit, any finite amount for a rounding credit.
    const quantity = (validate(p) as { reasons: { code: string; message: string }[] }).reasons.filter((r) => r.code === 'INVALID_QUANTITY').map((r) => r.message);
    expect(quantity).toEqual(['units must be a non-negative integer', 'units must be a non-negative integer', 'rounding credit must be a finite number of units', 'units must be a non-negative integer']);
  });

  it('looks up override ids only against the known ones', () => {
    const p = { ...good(), overrides: { excludes: [{ enterpriseId: 'e2', supplierId: 's1' }, { enterpriseId: 'e0', supplierId: 's1' }] } };
    expect(reasons(p)).toEqual([['UNKNOWN_ENTERPRISE', '$.overrides.excludes[1].enterpriseId']]);
    const v = validate({ ...good(), overrides: { excludes: [{ enterpriseId: 'e2', supplierId: 's1' }] } });
    expect(v.ok && [...v.model.excluded]).toEqual([1 * 2 + 0]);
  });
});
