import { MASK, type Org, type ZoneWorld } from './support/factories.js';
import { runInStatus } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

// Now: 2026-03-02 12:00 Shanghai; reports for 03-03…03-05 are all open.
const [D1, D2, D3] = ['2026-03-03', '2026-03-04', '2026-03-05'];

/**
 * Memory across days: enterprise A is left short on D1 (excluded from the only supplier), both
 * are served in full on D2, and on the short day D3 A's carried deficit gives it more than B,
 * although they are equal in every other way.
 */
describe('carried deficit over three consecutive dates', () => {
  const { t, f } = useTestApp({ worker: true });
  let w: ZoneWorld;
  let a: Org;
  let b: Org;

  beforeAll(async () => {
    w = await f.world();
    // Same tier, same place, same need: 250 workers × 2 masks = 500 each.
    a = await f.enterprise(w.zoneId, w.coordinatorToken, { latitude: 31.75, longitude: 120.05 });
    b = await f.enterprise(w.zoneId, w.coordinatorToken, { latitude: 31.75, longitude: 120.05 });
  });

  const waitForDraft = (id: string) => runInStatus(t, w.coordinatorToken, id);

  async function day(date: string, masks: number, excludeA = false): Promise<{ a: number; b: number; run: { body: { explanations: unknown } } }> {
    for (const e of [a, b]) await t.http.post(`/enterprises/${e.id}/demand-reports`, e.token, { serviceDate: date, headcount: 250, lines: [{ productCode: MASK.code }] });
    await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: date, lines: [{ productCode: MASK.code, quantity: masks }] });
    let run = await waitForDraft((await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: date })).body.id);
    if (excludeA) {
      const override = { kind: 'exclude', enterpriseId: a.id, supplierId: w.supplier.id, reason: 'Enterprise A could not send a vehicle' };
      await t.http.raw().post(`/runs/${run.body.id}/overrides`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', run.headers.etag).send(override);
      const etag = (await t.http.get(`/runs/${run.body.id}`, w.coordinatorToken)).headers.etag;
      const rerun = await t.http.raw().post(`/runs/${run.body.id}/rerun`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', etag);
      run = await waitForDraft(rerun.body.id);
    }
    const published = await t.http.raw().post(`/runs/${run.body.id}/publish`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', run.headers.etag);
    expect(published.status).toBe(200);
    const lines = (await t.http.get(`/runs/${run.body.id}/lines?pageSize=500`, w.coordinatorToken)).body.items as { enterpriseId: string; units: number }[];
    const units = (id: string) => lines.filter((l) => l.enterpriseId === id).reduce((s, l) => s + l.units, 0);
    return { a: units(a.id), b: units(b.id), run };
  }

  it('raises the share of the enterprise that was short, on the next short day', async () => {
    const d1 = await day(D1, 1000, true);
    expect(d1).toMatchObject({ a: 0, b: 500 }); // A short by 500
    const d2 = await day(D2, 1000);
    expect(d2).toMatchObject({ a: 500, b: 500 }); // plenty: both in full, A's deficit still carried
    const d3 = await day(D3, 500); // short: 500 for 1,000 needed
    expect(d3.a + d3.b).toBe(500);
    expect(d3.a).toBeGreaterThan(d3.b);
    const snapshot = (await t.http.get(`/runs/${(d3.run.body as unknown as { id: string }).id}`, w.coordinatorToken)).body.inputSnapshot;
    const deficitOf = (id: string) => snapshot.enterprises.find((e: { id: string }) => e.id === id).deficit;
    expect(deficitOf(a.id)).toEqual({ [MASK.code]: 250 }); // 500 short on D1, two days back: × 0.5
    expect(deficitOf(b.id)).toBeUndefined();
  });
});
