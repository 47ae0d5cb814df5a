import { MASK, SANITIZER, enterpriseBody, type ZoneWorld } from './support/factories.js';
import { ADMIN_TOKEN } from './support/test-app.js';
import { useTestApp } from './support/use-test-app.js';

// DEFAULT_NOW is 2026-03-02 12:00 in Shanghai: reports for 2026-03-03 are open until 20:00 today.
const OPEN_DATE = '2026-03-03';

describe('foundation: every endpoint’s success path over HTTP', () => {
  const { t, f } = useTestApp({ reset: 'each' });
  let w: ZoneWorld;

  beforeEach(async () => {
    w = await f.world();
  });

  it('serves liveness, readiness and the OpenAPI description without credentials', async () => {
    expect((await t.http.get('/health/live', null)).status).toBe(200);
    const ready = await t.http.get('/health/ready', null);
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' } });
    const docs = await t.http.get('/docs-json', null);
    expect(docs.status).toBe(200);
    expect(docs.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/zones', '/enterprises/{enterpriseId}/demand-reports', '/suppliers/{supplierId}/capacity-reports', '/zones/{zoneId}/days/{serviceDate}']),
    );
    const post = docs.body.paths['/enterprises/{enterpriseId}/demand-reports'].post;
    expect(post.requestBody.content['application/json'].schema.$ref).toContain('PostDemandDto');
    expect(post.responses['422'].content['application/problem+json']).toBeDefined();
    expect((await t.http.get('/docs', null)).status).toBe(200);
  });

  it('creates, reads and edits a zone with defaults from the design', async () => {
    const zone = await t.http.get(`/zones/${w.zoneId}`, w.coordinatorToken);
    expect(zone.body).toMatchObject({ timeZone: 'Asia/Shanghai', cutoffTime: '20:00', runTime: '01:00', autoPublishTime: null });
    expect(zone.body.tierMapping).toMatchObject({ epidemic_prevention: 1, city_operations: 2, above_scale: 3, other: 4 });
    const patched = await t.http.patch(`/zones/${w.zoneId}`, w.coordinatorToken, { autoPublishTime: '06:00', tierMapping: { ...zone.body.tierMapping, above_scale: 2 } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ autoPublishTime: '06:00', tierMapping: { above_scale: 2 } });
    const list = await t.http.get('/zones', ADMIN_TOKEN);
    expect(list.body.map((z: { id: string }) => z.id)).toContain(w.zoneId);
    expect((await t.http.get('/zones', w.coordinatorToken)).body).toHaveLength(1);
  });

  it('manages the zone’s product catalogue', async () => {
    const products = await t.http.get(`/zones/${w.zoneId}/products`, w.enterprise.token);
    expect(products.status).toBe(200);
    expect(products.body.map((p: { code: string }) => p.code)).toEqual([MASK.code, SANITIZER.code]);
    expect(products.body[1]).toMatchObject({ packSize: 24, normPerWorker: 0.1, capFactor: 1.2 });
    const patched = await t.http.patch(`/zones/${w.zoneId}/products/${w.productIds[MASK.code]}`, w.coordinatorToken, { normPerWorker: 3 });
    expect(patched.body).toMatchObject({ code: MASK.code, normPerWorker: 3 });
    const dup = await t.http.post(`/zones/${w.zoneId}/products`, w.coordinatorToken, MASK);
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('PRODUCT_CODE_TAKEN');
  });

  it('registers organizations, lists them with filters and pages, and edits them', async () => {
    await f.enterprise(w.zoneId, w.coordinatorToken, { name: '常州第一医疗器械厂', priorityCategory: 'medical' });
    const page = await t.http.get(`/zones/${w.zoneId}/organizations?kind=enterprise&pageSize=1&page=1`, w.coordinatorToken);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ page: 1, pageSize: 1, total: 2 });
    expect(page.body.items).toHaveLength(1);
    const medical = await t.http.get(`/zones/${w.zoneId}/organizations?priorityCategory=medical`, w.coordinatorToken);
    expect(medical.body.items.map((o: { name: string }) => o.name)).toEqual(['常州第一医疗器械厂']);
    const search = await t.http.get(`/zones/${w.zoneId}/organizations?q=${encodeURIComponent('医疗')}`, w.coordinatorToken);
    expect(search.body.total).toBe(1);
    const suppliers = await t.http.get(`/zones/${w.zoneId}/organizations?kind=supplier`, w.coordinatorToken);
    expect(suppliers.body.items[0]).toMatchObject({ kind: 'supplier', slotMinutes: 30, vehiclesPerSlot: 3 });

    const own = await t.http.get(`/organizations/${w.enterprise.id}`, w.enterprise.token);
    expect(own.body).toMatchObject({ id: w.enterprise.id, kind: 'enterprise', registeredEmployees: 400 });
    const edited = await t.http.patch(`/enterprises/${w.enterprise.id}`, w.coordinatorToken, { priorityCategory: 'key_supply', registeredEmployees: 500 });
    expect(edited.body).toMatchObject({ priorityCategory: 'key_supply', registeredEmployees: 500 });
    const supplier = await t.http.patch(`/suppliers/${w.supplier.id}`, w.coordinatorToken, { pickupSiteAddress: '2号门' });
    expect(supplier.body.pickupSiteAddress).toBe('2号门');
    const windows = await t.http.put(`/suppliers/${w.supplier.id}/pickup-windows`, w.supplier.token, {
      pickupWindows: [{ start: '14:00', end: '17:00' }, { start: '08:00', end: '11:30' }],
      vehiclesPerSlot: 5,
    });
    expect(windows.status).toBe(200);
    expect(windows.body).toMatchObject({ pickupWindows: [{ start: '08:00', end: '11:30' }, { start: '14:00', end: '17:00' }], vehiclesPerSlot: 5 });
  });

  it('issues credentials: staff by admins, members by coordinators, tokens shown once and stored hashed', async () => {
    const staff = await t.http.post('/users', ADMIN_TOKEN, { name: 'second admin', role: 'admin' });
    expect(staff.status).toBe(201);
    expect(staff.body.token).toMatch(/^ppe_/);
    const me = await t.http.get('/me', staff.body.token);
    expect(me.body).toMatchObject({ role: 'admin', userId: staff.body.userId });
    const member = await t.http.get('/me', w.enterprise.token);
    expect(member.body).toMatchObject({ role: 'enterprise', organizationId: w.enterprise.id, zoneId: w.zoneId });
    const stored = await t.dataSource.query('SELECT token_hash FROM api_credentials');
    expect(stored.some((r: { token_hash: string }) => r.token_hash.includes(staff.body.token))).toBe(false);
    const audit = JSON.stringify((await t.http.get('/audit-log?entityType=user&pageSize=500', ADMIN_TOKEN)).body);
    expect(audit).not.toContain(staff.body.token);
  });

  it('posts demand, derives need from headcount × norm − stock, and keeps every version of a repost', async () => {
    const first = await t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, {
      serviceDate: OPEN_DATE,
      headcount: 300,
      lines: [{ productCode: MASK.code, stockOnHand: 100 }, { productCode: SANITIZER.code, statedQuantity: 30 }],
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ version: 1, late: false, headcount: 300 });
    expect(first.body.lines).toEqual([
      expect.objectContaining({ productCode: MASK.code, statedQuantity: null, stockOnHand: 100, need: 500 }),
      expect.objectContaining({ productCode: SANITIZER.code, statedQuantity: 30, need: 30 }),
    ]);
    const second = await t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, {
      serviceDate: OPEN_DATE,
      headcount: 350,
      lines: [{ productCode: MASK.code, stockOnHand: 1000 }],
    });
    expect(second.body).toMatchObject({ version: 2 });
    expect(second.body.lines[0].need).toBe(0);

    const latest = await t.http.get(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token);
    expect(latest.body).toMatchObject({ page: 1, pageSize: 50, total: 1 });
    expect(latest.body.items).toHaveLength(1);
    expect(latest.body.items[0]).toMatchObject({ serviceDate: OPEN_DATE, version: 2, headcount: 350 });
    const versions = await t.http.get(`/enterprises/${w.enterprise.id}/demand-reports/${OPEN_DATE}/versions`, w.enterprise.token);
    expect(versions.body.items.map((v: { version: number; headcount: number }) => [v.version, v.headcount])).toEqual([[1, 300], [2, 350]]);
    // One version per page: the window is the query's, the total the whole list's.
    const secondPage = await t.http.get(`/enterprises/${w.enterprise.id}/demand-reports/${OPEN_DATE}/versions?page=2&pageSize=1`, w.enterprise.token);
    expect(secondPage.body).toMatchObject({ page: 2, pageSize: 1, total: 2, items: [{ version: 2 }] });
  });

  it('posts and reposts capacity as versions', async () => {
    const post = (quantity: number) =>
      t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: OPEN_DATE, lines: [{ productCode: MASK.code, quantity }] });
    expect((await post(20000)).body).toMatchObject({ version: 1, lines: [{ productCode: MASK.code, quantity: 20000 }] });
    expect((await post(15000)).body).toMatchObject({ version: 2 });
    const latest = await t.http.get(`/suppliers/${w.supplier.id}/capacity-reports?from=2026-03-01&to=2026-03-05`, w.supplier.token);
    expect(latest.body.items.map((r: { version: number }) => r.version)).toEqual([2]);
    const versions = await t.http.get(`/suppliers/${w.supplier.id}/capacity-reports/${OPEN_DATE}/versions`, w.coordinatorToken);
    expect(versions.body.items.map((r: { lines: { quantity: number }[] }) => r.lines[0].quantity)).toEqual([20000, 15000]);
  });

  it('gives coordinators the day at a glance: demand against capacity and who has not reported', async () => {
    const silent = await t.http.post(`/zones/${w.zoneId}/enterprises`, w.coordinatorToken, enterpriseBody({ name: '未报企业' }));
    await t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, {
      serviceDate: OPEN_DATE,
      headcount: 300,
      lines: [{ productCode: MASK.code }, { productCode: SANITIZER.code, statedQuantity: 30 }],
    });
    await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: OPEN_DATE, lines: [{ productCode: MASK.code, quantity: 420 }] });
    const day = await t.http.get(`/zones/${w.zoneId}/days/${OPEN_DATE}`, w.coordinatorToken);
    expect(day.status).toBe(200);
    expect(day.body).toMatchObject({ serviceDate: OPEN_DATE, headcount: 300, cutoffAt: '2026-03-02T12:00:00.000Z' });
    expect(day.body.products).toEqual([
      expect.objectContaining({ productCode: MASK.code, derivedDemand: 600, statedDemand: 0, totalDemand: 600, capacity: 420, balance: -180, coverage: 0.7 }),
      expect.objectContaining({ productCode: SANITIZER.code, derivedDemand: 0, statedDemand: 30, capacity: 0, balance: -30 }),
    ]);
    expect(day.body.enterprises).toMatchObject({ registered: 2, reported: 1, missingCount: 1, missing: [{ id: silent.body.id, name: '未报企业' }] });
    expect(day.body.suppliers).toMatchObject({ registered: 1, reported: 1, missingCount: 0, missing: [] });
  });

  it('records every change in the audit log, which the API offers no way to alter', async () => {
    await t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, { serviceDate: OPEN_DATE, headcount: 10, lines: [{ productCode: MASK.code }] });
    const log = await t.http.get(`/audit-log?zoneId=${w.zoneId}&pageSize=100`, ADMIN_TOKEN);
    const actions = log.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['zone.create', 'product.create', 'enterprise.register', 'supplier.register', 'credential.issue', 'demand_report.post']));
    const post = log.body.items.find((e: { action: string }) => e.action === 'demand_report.post');
    expect(post).toMatchObject({ actorRole: 'enterprise', entityType: 'demand_report', after: { headcount: 10 } });
    await expect(t.dataSource.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
  });
});
