import { MASK, SANITIZER, enterpriseBody, supplierBody, type ZoneWorld } from './support/factories.js';
import { useTestApp } from './support/use-test-app.js';

// DEFAULT_NOW = 2026-03-02T04:00Z = 12:00 in Shanghai; reports for 03-03 close at 03-02 20:00 Shanghai.
const OPEN_DATE = '2026-03-03';

describe('reporting rules: each refusal is problem+json with a stable code and the field', () => {
  const { t, f } = useTestApp({ reset: 'each' });
  let w: ZoneWorld;

  const demand = (body: Record<string, unknown>, token = w.enterprise.token, enterpriseId = w.enterprise.id) =>
    t.http.post(`/enterprises/${enterpriseId}/demand-reports`, token, { serviceDate: OPEN_DATE, headcount: 100, lines: [{ productCode: MASK.code }], ...body });

  async function expectProblem(resPromise: ReturnType<typeof demand>, status: number, code: string, field?: string) {
    const res = await resPromise;
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
    if (field) expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    return res;
  }

  beforeEach(async () => {
    w = await f.world();
  });

  describe('the cutoff on D−1, zone-local', () => {
    it('refuses an enterprise’s report after the cutoff (409) and stores nothing', async () => {
      t.clock.set(new Date('2026-03-02T12:00:00Z')); // 20:00 in Shanghai: the cutoff for 03-03
      await expectProblem(demand({}), 409, 'DEMAND_AFTER_CUTOFF', 'serviceDate');
      const count = await t.dataSource.query('SELECT count(*)::int AS n FROM demand_reports');
      expect(count[0].n).toBe(0);
      t.clock.set(new Date('2026-03-02T11:59:59Z'));
      expect((await demand({})).status).toBe(201);
    });

    it('refuses a supplier’s capacity after the cutoff with its own code', async () => {
      t.clock.set(new Date('2026-03-02T13:00:00Z'));
      const res = t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: OPEN_DATE, lines: [{ productCode: MASK.code, quantity: 5 }] });
      await expectProblem(res, 409, 'CAPACITY_AFTER_CUTOFF', 'serviceDate');
    });

    it('accepts a coordinator’s report after the cutoff and marks it late', async () => {
      t.clock.set(new Date('2026-03-02T15:00:00Z'));
      const res = await demand({}, w.coordinatorToken);
      expect(res.status).toBe(201);
      expect(res.body.late).toBe(true);
    });

    it('follows the zone’s own time zone, not the machine’s (UTC here)', async () => {
      // At 2026-03-02T03:59Z it is already 11:59 on 03-02 in Shanghai, but still 19:59 on 03-01 in Los Angeles.
      const la = await f.world({ timeZone: 'America/Los_Angeles' });
      const postFor = (world: ZoneWorld, serviceDate: string) =>
        t.http.post(`/enterprises/${world.enterprise.id}/demand-reports`, world.enterprise.token, { serviceDate, headcount: 10, lines: [{ productCode: MASK.code }] });
      t.clock.set(new Date('2026-03-02T03:59:00Z'));
      expect((await postFor(la, '2026-03-02')).status).toBe(201); // LA cutoff: 03-01 20:00 PST = 03-02T04:00Z
      await expectProblem(postFor(w, '2026-03-02'), 409, 'DEMAND_AFTER_CUTOFF'); // Shanghai: 03-02 is already today
      t.clock.set(new Date('2026-03-02T04:00:00Z'));
      await expectProblem(postFor(la, '2026-03-02'), 409, 'DEMAND_AFTER_CUTOFF');
      // The zone's cutoff time is a setting: move LA's to 21:00 and the same instant is open again.
      await t.http.patch(`/zones/${la.zoneId}`, la.coordinatorToken, { cutoffTime: '21:00' });
      expect((await postFor(la, '2026-03-02')).status).toBe(201);
    });
  });

  describe('service dates', () => {
    it('refuses a date in the past (zone-local)', async () => {
      await expectProblem(demand({ serviceDate: '2026-03-01' }), 422, 'SERVICE_DATE_IN_PAST', 'serviceDate');
    });

    it('refuses a date more than 7 days ahead', async () => {
      expect((await demand({ serviceDate: '2026-03-09' })).status).toBe(201);
      await expectProblem(demand({ serviceDate: '2026-03-10' }), 422, 'SERVICE_DATE_TOO_FAR', 'serviceDate');
    });

    it('refuses something that is not a calendar date', async () => {
      await expectProblem(demand({ serviceDate: '2026-02-30' }), 400, 'VALIDATION_FAILED', 'serviceDate');
      await expectProblem(demand({ serviceDate: '03/03/2026' }), 400, 'VALIDATION_FAILED', 'serviceDate');
    });
  });

  describe('quantities and products', () => {
    it('refuses a headcount above the registered employees', async () => {
      const res = await expectProblem(demand({ headcount: 401 }), 422, 'HEADCOUNT_ABOVE_REGISTERED', 'headcount');
      expect(res.body.detail).toContain('400 registered');
      expect((await demand({ headcount: 400 })).status).toBe(201);
    });

    it('refuses negative and non-integer quantities and headcounts', async () => {
      await expectProblem(demand({ headcount: -1 }), 400, 'VALIDATION_FAILED', 'headcount');
      await expectProblem(demand({ headcount: 10.5 }), 400, 'VALIDATION_FAILED', 'headcount');
      await expectProblem(demand({ lines: [{ productCode: MASK.code, statedQuantity: -5 }] }), 400, 'VALIDATION_FAILED', 'lines[0].statedQuantity');
      await expectProblem(demand({ lines: [{ productCode: MASK.code, stockOnHand: 1.5 }] }), 400, 'VALIDATION_FAILED', 'lines[0].stockOnHand');
      await expectProblem(demand({ lines: [{ productCode: MASK.code, statedQuantity: '12' }] }), 400, 'VALIDATION_FAILED', 'lines[0].statedQuantity');
      const capacity = t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: OPEN_DATE, lines: [{ productCode: MASK.code, quantity: -1 }] });
      await expectProblem(capacity, 400, 'VALIDATION_FAILED', 'lines[0].quantity');
    });

    it('refuses unknown and repeated products', async () => {
      await expectProblem(demand({ lines: [{ productCode: 'GLOVES' }] }), 422, 'UNKNOWN_PRODUCT', 'lines[0].productCode');
      await expectProblem(demand({ lines: [{ productCode: MASK.code }, { productCode: MASK.code }] }), 422, 'DUPLICATE_PRODUCT', 'lines[1].productCode');
      const capacity = t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: OPEN_DATE, lines: [{ productCode: 'GLOVES', quantity: 1 }] });
      await expectProblem(capacity, 422, 'UNKNOWN_PRODUCT', 'lines[0].productCode');
    });

    it('refuses a stated quantity above headcount × norm × cap factor, giving the limit', async () => {
      // 100 workers × 2 masks × 1.5 = 300
      expect((await demand({ lines: [{ productCode: MASK.code, statedQuantity: 300 }] })).status).toBe(201);
      const res = await expectProblem(demand({ lines: [{ productCode: MASK.code, statedQuantity: 301 }] }), 422, 'STATED_QUANTITY_ABOVE_CAP', 'lines[0].statedQuantity');
      expect(res.body.detail).toContain('limit 300');
      // 100 × 0.1 bottles × 1.2 = 12
      await expectProblem(demand({ lines: [{ productCode: SANITIZER.code, statedQuantity: 13 }] }), 422, 'STATED_QUANTITY_ABOVE_CAP');
    });

    it('uses headcount × norm − stock when nothing is stated, never below zero', async () => {
      const res = await demand({ lines: [{ productCode: MASK.code, stockOnHand: 150 }, { productCode: SANITIZER.code, stockOnHand: 50 }] });
      expect(res.body.lines.map((l: { need: number }) => l.need)).toEqual([50, 0]);
    });
  });

  describe('shape and limits', () => {
    it('rejects unknown fields at any depth', async () => {
      await expectProblem(demand({ priority: 1 }), 400, 'VALIDATION_FAILED', 'priority');
      await expectProblem(demand({ lines: [{ productCode: MASK.code, discount: 1 }] }), 400, 'VALIDATION_FAILED', 'lines[0].discount');
    });

    it('limits arrays, strings and bodies', async () => {
      const many = Array.from({ length: 51 }, (_, i) => ({ productCode: `P${i}` }));
      await expectProblem(demand({ lines: many }), 400, 'VALIDATION_FAILED', 'lines');
      await expectProblem(demand({ lines: [] }), 400, 'VALIDATION_FAILED', 'lines');
      const longName = t.http.post(`/zones/${w.zoneId}/enterprises`, w.coordinatorToken, enterpriseBody({ name: 'x'.repeat(201) }));
      await expectProblem(longName, 400, 'VALIDATION_FAILED', 'name');
      const huge = await t.http.post(`/zones/${w.zoneId}/enterprises`, w.coordinatorToken, { ...enterpriseBody(), address: 'x'.repeat(300_000) });
      expect(huge.status).toBe(413);
      expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('answers malformed JSON with 400 problem+json', async () => {
      const res = await t.http.raw().post(`/enterprises/${w.enterprise.id}/demand-reports`).set('Authorization', `Bearer ${w.enterprise.token}`).set('Content-Type', 'application/json').send('{"serviceDate":');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('validates registration: credit code check character, coordinates, windows, categories', async () => {
      const bad = enterpriseBody({ creditCode: '91350100M000100Y44' });
      await expectProblem(t.http.post(`/zones/${w.zoneId}/enterprises`, w.coordinatorToken, bad), 400, 'VALIDATION_FAILED', 'creditCode');
      await expectProblem(t.http.post(`/zones/${w.zoneId}/enterprises`, w.coordinatorToken, enterpriseBody({ latitude: 91 })), 400, 'VALIDATION_FAILED', 'latitude');
      await expectProblem(t.http.post(`/zones/${w.zoneId}/enterprises`, w.coordinatorToken, enterpriseBody({ priorityCategory: 'vip' })), 400, 'VALIDATION_FAILED', 'priorityCategory');
      const overlapping = supplierBody({ pickupWindows: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '13:00' }] });
      await expectProblem(t.http.post(`/zones/${w.zoneId}/suppliers`, w.coordinatorToken, overlapping), 422, 'PICKUP_WINDOW_INVALID', 'pickupWindows[1]');
      const backwards = supplierBody({ pickupWindows: [{ start: '12:00', end: '08:00' }] });
      await expectProblem(t.http.post(`/zones/${w.zoneId}/suppliers`, w.coordinatorToken, backwards), 422, 'PICKUP_WINDOW_INVALID', 'pickupWindows[0]');
      const dupe = await f.enterprise(w.zoneId, w.coordinatorToken);
      const org = await t.http.get(`/organizations/${dupe.id}`, w.coordinatorToken);
      await expectProblem(t.http.post(`/zones/${w.zoneId}/enterprises`, w.coordinatorToken, enterpriseBody({ creditCode: org.body.creditCode })), 409, 'CREDIT_CODE_TAKEN', 'creditCode');
    });

    it('validates zone settings and path parameters', async () => {
      await expectProblem(t.http.patch(`/zones/${w.zoneId}`, w.coordinatorToken, { timeZone: 'Mars/Olympus' }), 400, 'VALIDATION_FAILED', 'timeZone');
      await expectProblem(t.http.patch(`/zones/${w.zoneId}`, w.coordinatorToken, { cutoffTime: '24:00' }), 400, 'VALIDATION_FAILED', 'cutoffTime');
      await expectProblem(t.http.patch(`/zones/${w.zoneId}`, w.coordinatorToken, { tierMapping: { other: 0 } }), 400, 'VALIDATION_FAILED', 'tierMapping');
      await expectProblem(t.http.get('/zones/not-a-uuid', w.coordinatorToken), 400, 'VALIDATION_FAILED', 'zoneId');
      await expectProblem(t.http.get(`/enterprises/${w.enterprise.id}/demand-reports/2026-13-01/versions`, w.enterprise.token), 400, 'VALIDATION_FAILED', 'serviceDate');
      await expectProblem(t.http.get(`/zones/${w.zoneId}/organizations?pageSize=501`, w.coordinatorToken), 400, 'VALIDATION_FAILED', 'pageSize');
    });
  });
});
