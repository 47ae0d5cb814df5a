import { AllocationRun, PickupAppointment, WebhookDelivery } from '#store';
import { MASK, type ZoneWorld } from './support/factories.js';
import { eventually, runInStatus } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

const [D1, D2] = ['2026-03-03', '2026-03-04'];

/** Publishing: auto-publish, corrections that supersede a published run, no-shows. */
describe('publishing, corrections and no-shows', () => {
  // The worker's clock: 06:00 on D1 in Shanghai, the zone's auto-publish time.
  const { t, f, worker } = useTestApp({ worker: { now: new Date('2026-03-02T22:00:00Z') } });
  let w: ZoneWorld;

  const waitFor = (id: string, status: string) => runInStatus(t, w.coordinatorToken, id, status);
  const post = (path: string, etag: string) => t.http.raw().post(path).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', etag);
  const runJob = async (name: string, data: object, jobId: string) => {
    const job = await worker.queue.add(name, data, { jobId });
    await eventually(async () => ((await job.isCompleted()) ? true : undefined), 20000, `${name} job`);
    return (await worker.queue.getJob(jobId))!.returnvalue;
  };

  beforeAll(async () => {
    w = await f.world({ autoPublishTime: '06:00' });
    await t.http.put(`/organizations/${w.enterprise.id}/webhook`, w.enterprise.token, { url: 'http://127.0.0.1:9/unused' });
    for (const date of [D1, D2]) {
      await t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, { serviceDate: date, headcount: 100, lines: [{ productCode: MASK.code }] });
      await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: date, lines: [{ productCode: MASK.code, quantity: 1000 }] });
    }
  });

  it('auto-publishes the latest draft when nobody has, once', async () => {
    const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: D1 });
    await waitFor(started.body.id, 'draft');
    expect(await runJob('auto-publish', { zoneId: w.zoneId }, 'autopublish-1')).toBe('published');
    const run = await t.dataSource.getRepository(AllocationRun).findOneByOrFail({ id: started.body.id });
    expect(run).toMatchObject({ status: 'published', publishedBy: null });
    expect(await runJob('auto-publish', { zoneId: w.zoneId }, 'autopublish-2')).toBe('already_published');
    // Publishing queued the no-show sweep for the supplier's last window close (12:00 Shanghai on D1).
    const sweep = await worker.queue.getJob(`noshow-${run.id}-${w.supplier.id}`);
    expect(sweep).toBeDefined();
    expect(sweep!.timestamp + sweep!.delay).toBeGreaterThan(Date.now() - 60_000);
  });

  it('corrects a published run with a new one that supersedes it, and tells the organizations', async () => {
    const published = await t.dataSource.getRepository(AllocationRun).findOneByOrFail({ zoneId: w.zoneId, serviceDate: D1, status: 'published' as never });
    const current = await t.http.get(`/runs/${published.id}`, w.coordinatorToken);
    const correction = await post(`/runs/${published.id}/rerun`, current.headers.etag);
    expect(correction.status).toBe(202);
    const draft = await waitFor(correction.body.id, 'draft');
    expect((await t.http.get(`/runs/${published.id}`, w.coordinatorToken)).body.status).toBe('published'); // until the correction is published
    expect((await post(`/runs/${draft.body.id}/publish`, draft.headers.etag)).status).toBe(200);
    expect((await t.http.get(`/runs/${published.id}`, w.coordinatorToken)).body.status).toBe('superseded');
    // Nothing changed since: the correction keeps the one appointment as it was, and its
    // enterprise, whose schedule is the same, is not told again.
    expect(draft.body.correction).toMatchObject({ mode: 'minimal', basedOnRunId: published.id, changes: { kept: 1, changed: 0, cancelled: 0, new: 0 } });
    const deliveries = await t.dataSource.getRepository(WebhookDelivery).findBy({ organizationId: w.enterprise.id });
    expect(deliveries.map((d) => d.event)).toEqual(['schedule.published']);
    const published2 = await t.http.get(`/enterprises/${w.enterprise.id}/schedules/${D1}`, w.enterprise.token);
    expect(published2.body.runId).toBe(draft.body.id);
  });

  it('marks unconfirmed pickups no-shows after the last window, and a no-show is not carried as deficit', async () => {
    const run = await t.dataSource.getRepository(AllocationRun).findOneByOrFail({ zoneId: w.zoneId, serviceDate: D1, status: 'published' as never });
    expect(await runJob('no-shows', { runId: run.id, supplierId: w.supplier.id }, 'noshow-now')).toBe(1);
    const appointment = await t.dataSource.getRepository(PickupAppointment).findOneByOrFail({ runId: run.id });
    expect(appointment.status).toBe('no_show');
    t.clock.set(new Date('2026-03-03T06:00:00Z')); // 14:00 on D1 in Shanghai, after the last window
    const late = await t.http.post(`/suppliers/${w.supplier.id}/pickups/confirm`, w.supplier.token, { pickupCode: appointment.pickupCode });
    expect([late.status, late.body.code]).toEqual([409, 'PICKUP_NO_SHOW']);
    // The enterprise was allocated its full need on D1 but did not come: D2 carries no deficit for it.
    const next = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: D2 });
    const d2 = await waitFor(next.body.id, 'draft');
    const e = d2.body.inputSnapshot.enterprises.find((x: { id: string }) => x.id === w.enterprise.id);
    expect(e.deficit).toBeUndefined();
  });
});
