import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '#domain';
import { MASK, SANITIZER, type Org, type ZoneWorld } from './support/factories.js';
import { resetData } from './support/test-app.js';
import { eventually, runInStatus } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

// DEFAULT_NOW: 2026-03-02 12:00 Shanghai. Reports for 03-03 are open; runs for 03-03 may start now.
const DATE = '2026-03-03';

interface Received {
  body: string;
  headers: IncomingMessage['headers'];
}

/**
 * The daily cycle end to end: the API and the worker as two Nest applications on the real
 * PostgreSQL and Redis, talking only through the database and the queue.
 */
describe('daily cycle: report → run → override → re-run → publish → schedule → pickup → webhook', () => {
  const { t, f } = useTestApp({ worker: true });
  let w: ZoneWorld;
  let hospital: Org; // tier 1
  let plant: Org; // tier 3
  let secondSupplier: Org;
  let receiver: Server;
  const received: Received[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ body, headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise((r) => receiver.close(r)));

  const runOf = (id: string) => t.http.get(`/runs/${id}`, w.coordinatorToken);
  const waitForStatus = (id: string, status: string) => runInStatus(t, w.coordinatorToken, id, status);

  it('runs the whole day through the real queue and worker', async () => {
    await resetData(t);
    w = await f.world();
    hospital = await f.enterprise(w.zoneId, w.coordinatorToken, { priorityCategory: 'medical', registeredEmployees: 200 });
    plant = await f.enterprise(w.zoneId, w.coordinatorToken, { priorityCategory: 'above_scale', registeredEmployees: 500 });
    secondSupplier = await f.supplier(w.zoneId, w.coordinatorToken, { latitude: 31.8, longitude: 120.1, pickupWindows: [{ start: '09:00', end: '11:00' }] });

    // Enterprises post demand; suppliers post capacity (masks short: 1,500 for 2,000 needed).
    const post = (org: Org, headcount: number) =>
      t.http.post(`/enterprises/${org.id}/demand-reports`, org.token, { serviceDate: DATE, headcount, lines: [{ productCode: MASK.code }, { productCode: SANITIZER.code }] });
    expect((await post(hospital, 200)).status).toBe(201); // 400 masks
    expect((await post(plant, 400)).status).toBe(201); // 800 masks
    expect((await post(w.enterprise, 400)).status).toBe(201); // 800 masks (tier 3)
    const capacity = (org: Org, masks: number) =>
      t.http.post(`/suppliers/${org.id}/capacity-reports`, org.token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: masks }, { productCode: SANITIZER.code, quantity: 480 }] });
    expect((await capacity(w.supplier, 1000)).status).toBe(201);
    expect((await capacity(secondSupplier, 500)).status).toBe(201);

    // The hospital registers a webhook on a loopback receiver.
    const hook = await t.http.put(`/organizations/${hospital.id}/webhook`, hospital.token, { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` });
    expect(hook.status).toBe(200);
    const secret: string = hook.body.secret;

    // A coordinator starts the run; the worker computes a draft.
    const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
    expect(started.status).toBe(202);
    const draft = await waitForStatus(started.body.id, 'draft');
    expect(draft.headers.etag).toBe(`"${draft.body.version}"`);
    const masks = draft.body.figures.byProduct.find((p: { productCode: string }) => p.productCode === MASK.code);
    expect(masks).toMatchObject({ demand: 2000, supply: 1500, allocated: 1500 });
    expect(masks.fillRatioByTier['1']).toBe(1); // tier 1 filled first
    expect(draft.body.inputSnapshot.enterprises).toHaveLength(3);

    // Drafts are invisible to enterprises and suppliers.
    const hidden = await t.http.get(`/enterprises/${hospital.id}/schedules/${DATE}`, hospital.token);
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('SCHEDULE_NOT_PUBLISHED');

    // Overrides need If-Match: missing → 428, stale → 412.
    const pin = { kind: 'pin', enterpriseId: plant.id, supplierId: w.supplier.id, productCode: MASK.code, units: 600, reason: '区指挥部批示：保障重点产线' };
    const noEtag = await t.http.post(`/runs/${draft.body.id}/overrides`, w.coordinatorToken, pin);
    expect([noEtag.status, noEtag.body.code]).toEqual([428, 'IF_MATCH_REQUIRED']);
    const stale = await t.http.raw().post(`/runs/${draft.body.id}/overrides`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', '"999"').send(pin);
    expect([stale.status, stale.body.code]).toEqual([412, 'STALE_ETAG']);
    // If-Match compares strongly (RFC 9110): the current version as a weak ETag does not match.
    const weak = await t.http.raw().post(`/runs/${draft.body.id}/overrides`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', `W/${draft.headers.etag}`).send(pin);
    expect([weak.status, weak.body.code]).toEqual([412, 'STALE_ETAG']);
    const noReason = await t.http.raw().post(`/runs/${draft.body.id}/overrides`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', draft.headers.etag).send({ ...pin, reason: undefined });
    expect(noReason.status).toBe(400);

    let etag: string = draft.headers.etag;
    const withEtag = async (path: string, body: object) => {
      const res = await t.http.raw().post(path).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', etag).send(body);
      etag = (await runOf(draft.body.id)).headers.etag;
      return res;
    };
    expect((await withEtag(`/runs/${draft.body.id}/overrides`, pin)).status).toBe(201);
    const exclude = { kind: 'exclude', enterpriseId: w.enterprise.id, supplierId: secondSupplier.id, reason: 'Road closed between them' };
    expect((await withEtag(`/runs/${draft.body.id}/overrides`, exclude)).status).toBe(201);
    const overrides = await t.http.get(`/runs/${draft.body.id}/overrides`, w.coordinatorToken);
    expect(overrides.body.items.map((o: { kind: string }) => o.kind)).toEqual(['pin', 'exclude']);

    // Re-run keeps the overrides; its draft supersedes the first.
    const rerun = await t.http.raw().post(`/runs/${draft.body.id}/rerun`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', etag);
    expect(rerun.status).toBe(202);
    expect(rerun.body).toMatchObject({ parentRunId: draft.body.id, trigger: 'rerun', sequence: 2 });
    const second = await waitForStatus(rerun.body.id, 'draft');
    expect((await runOf(draft.body.id)).body.status).toBe('superseded');
    const lines = (await t.http.get(`/runs/${second.body.id}/lines?pageSize=500`, w.coordinatorToken)).body.items as {
      enterpriseId: string;
      supplierId: string;
      productCode: string;
      units: number;
      packs: number;
    }[];
    const units = (e: string, s: string, p = MASK.code) => lines.filter((l) => l.enterpriseId === e && l.supplierId === s && l.productCode === p).reduce((a, l) => a + l.units, 0);
    expect(units(plant.id, w.supplier.id)).toBeGreaterThanOrEqual(600); // pinned, above its fair share of 550
    expect(lines.filter((l) => l.enterpriseId === w.enterprise.id && l.supplierId === secondSupplier.id)).toEqual([]); // excluded
    expect(lines.every((l) => l.units === l.packs * (l.productCode === MASK.code ? MASK.packSize : SANITIZER.packSize))).toBe(true);
    const diff = await t.http.get(`/runs/${second.body.id}/diff?against=${draft.body.id}`, w.coordinatorToken);
    expect(diff.status).toBe(200);
    const change = (e: string) => diff.body.items.filter((d: { enterpriseId: string }) => d.enterpriseId === e).reduce((a: number, d: { change: number; productCode: string }) => a + (d.productCode === MASK.code ? d.change : 0), 0);
    expect(change(plant.id)).toBeGreaterThan(0); // the pin took masks from the other tier-3 enterprise
    expect(change(w.enterprise.id)).toBe(-change(plant.id));
    // Lists are pages: the window is applied in the query, the total counts the whole list.
    const firstDiffRow = await t.http.get(`/runs/${second.body.id}/diff?against=${draft.body.id}&pageSize=1`, w.coordinatorToken);
    expect(firstDiffRow.body).toMatchObject({ page: 1, pageSize: 1, total: diff.body.items.length, items: [diff.body.items[0]] });
    const runs = await t.http.get(`/zones/${w.zoneId}/runs?serviceDate=${DATE}&page=2&pageSize=1`, w.coordinatorToken);
    expect(runs.body).toMatchObject({ page: 2, pageSize: 1, total: 2, items: [{ id: draft.body.id }] });
    const pastTheEnd = await t.http.get(`/runs/${draft.body.id}/overrides?page=3&pageSize=1`, w.coordinatorToken);
    expect(pastTheEnd.body).toMatchObject({ page: 3, total: 2, items: [] });

    // Publish with If-Match.
    const published = await t.http.raw().post(`/runs/${second.body.id}/publish`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', second.headers.etag);
    expect(published.status).toBe(200);
    expect(published.body.status).toBe('published');
    const twice = await t.http.raw().post(`/runs/${second.body.id}/publish`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', published.headers.etag);
    expect([twice.status, twice.body.code]).toEqual([409, 'RUN_NOT_DRAFT']);

    // The enterprise reads its schedule with codes and a QR payload.
    const schedule = await t.http.get(`/enterprises/${hospital.id}/schedules/${DATE}`, hospital.token);
    expect(schedule.status).toBe(200);
    expect(schedule.body.pickups.length).toBeGreaterThan(0);
    const pickup = schedule.body.pickups[0];
    expect(pickup.pickupCode).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(pickup.qrPayload).toContain(pickup.pickupCode);
    expect(pickup.slotStart).not.toBeNull();
    expect(pickup.lines.length).toBeGreaterThan(0);
    expect(pickup.lines[0]).toMatchObject({ units: expect.any(Number), packs: expect.any(Number), nameZh: expect.any(String) });
    const hospitalMasks = schedule.body.pickups.flatMap((p: { lines: { productCode: string; units: number }[] }) => p.lines).filter((l: { productCode: string }) => l.productCode === MASK.code);
    expect(hospitalMasks.reduce((a: number, l: { units: number }) => a + l.units, 0)).toBe(400); // tier 1 in full

    // The supplier sees its pickups slot by slot and confirms by code (twice is fine).
    const supplierId: string = pickup.supplier.id;
    const supplierToken = supplierId === w.supplier.id ? w.supplier.token : secondSupplier.token;
    const otherToken = supplierId === w.supplier.id ? secondSupplier.token : w.supplier.token;
    const otherId = supplierId === w.supplier.id ? secondSupplier.id : w.supplier.id;
    const slots = await t.http.get(`/suppliers/${supplierId}/pickups/${DATE}`, supplierToken);
    expect(slots.status).toBe(200);
    expect(slots.body.slots.flatMap((s: { pickups: { appointmentId: string }[] }) => s.pickups.map((p) => p.appointmentId))).toContain(pickup.appointmentId);
    expect(JSON.stringify(slots.body)).not.toContain(pickup.pickupCode);
    const confirm = () => t.http.post(`/suppliers/${supplierId}/pickups/confirm`, supplierToken, { pickupCode: pickup.pickupCode });
    const early = await confirm(); // the evening before, the slip is printed but the gate is not open yet
    expect([early.status, early.body.code]).toEqual([409, 'PICKUP_NOT_YET']);
    t.clock.set(new Date(`${DATE}T01:30:00Z`)); // 09:30 on the day in Shanghai
    const first = await confirm();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ appointmentId: pickup.appointmentId, status: 'confirmed' });
    const again = await confirm();
    expect(again.body).toEqual(first.body);
    // A scanner reads the QR's whole text; a gate keeper may type the code in lower case with spaces.
    for (const typed of [pickup.qrPayload, ` ${pickup.pickupCode.slice(0, 4).toLowerCase()} ${pickup.pickupCode.slice(4).toLowerCase()} `]) {
      const scanned = await t.http.post(`/suppliers/${supplierId}/pickups/confirm`, supplierToken, { pickupCode: typed });
      expect([scanned.status, scanned.body]).toEqual([200, first.body]);
    }
    const foreign = await t.http.post(`/suppliers/${otherId}/pickups/confirm`, otherToken, { pickupCode: pickup.pickupCode });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'PICKUP_NOT_FOUND']);

    // The webhook receiver got a correctly signed POST about the published schedule.
    const delivery = await eventually(async () => received.find((r) => r.body.includes(second.body.id)), 20000, 'webhook delivery');
    const body = JSON.parse(delivery.body);
    expect(body).toMatchObject({ event: 'schedule.published', runId: second.body.id, organizationId: hospital.id, serviceDate: DATE });
    expect(verifyWebhook(secret, String(delivery.headers[TIMESTAMP_HEADER]), delivery.body, String(delivery.headers[SIGNATURE_HEADER]))).toBe(true);
    expect(verifyWebhook('whsec_wrong', String(delivery.headers[TIMESTAMP_HEADER]), delivery.body, String(delivery.headers[SIGNATURE_HEADER]))).toBe(false);
    const log = await eventually(async () => {
      const r = await t.http.get(`/organizations/${hospital.id}/webhook-deliveries`, hospital.token);
      return r.body.items.find((d: { status: string }) => d.status === 'delivered');
    }, 10000, 'delivery logged');
    expect(log).toMatchObject({ attempts: 1, lastStatusCode: 204 });
  });
});
