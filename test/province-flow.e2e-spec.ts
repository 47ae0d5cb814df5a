import type { Job } from 'bullmq';
import { provinceNightSchedulerId, QUEUES } from '#domain';
import { AllocationRun, JobCatalogue, WriteHooks, type ProvinceZoneResult, type RunTimings } from '#store';
import { ProvinceNightService } from '../apps/worker/src/province/province-night.service.js';
import { ProvinceProcessor } from '../apps/worker/src/province/province.processor.js';
import { MASK, type ZoneWorld } from './support/factories.js';
import { ADMIN_TOKEN } from './support/test-app.js';
import { createTestWorker, eventually, type TestWorker } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

const DATE = '2026-03-03';
const ZONES = 4;

/** Holds each run's write open a while, so that one worker cannot take every zone before the other wakes. */
class SlowWrite extends WriteHooks {
  override async afterLineChunk(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

/** Fails every attempt to write the first run it sees: that zone's job fails for good. */
class FailFirstRun extends WriteHooks {
  target: string | null = null;
  override afterLineChunk(runId: string): void {
    this.target ??= runId;
    if (runId === this.target) throw new Error('injected fault in one zone');
  }
}

describe('a province night: registered and started through the API, one flow, a run per zone over several workers, one summary', () => {
  const { t, f } = useTestApp({ reset: 'each' });
  const workers: TestWorker[] = [];
  let zones: ZoneWorld[];
  let zoneIds: string[];

  /** A zone with a supplier and a few enterprises that reported for DATE, masks short. */
  async function seedZone(): Promise<ZoneWorld> {
    const w = await f.world();
    for (let i = 0; i < 3; i++) {
      const e = i === 0 ? w.enterprise : await f.enterprise(w.zoneId, w.coordinatorToken);
      const res = await t.http.post(`/enterprises/${e.id}/demand-reports`, e.token, { serviceDate: DATE, headcount: 100 + 20 * i, lines: [{ productCode: MASK.code }] });
      expect(res.status).toBe(201);
    }
    await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: 500 }] });
    return w;
  }

  async function registerProvince(code: string, ids: string[]): Promise<string> {
    const res = await t.http.post('/provinces', ADMIN_TOKEN, { code, name: `${code} 省`, runTime: '01:30', zoneIds: ids });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code, runTime: '01:30', timeZone: 'Asia/Shanghai', zoneIds: [...ids].sort() });
    return res.body.id;
  }

  /** Starts the night through the API and waits for its summary, read through the API. */
  async function runNight(provinceId: string): Promise<any> {
    const started = await t.http.post(`/provinces/${provinceId}/nights`, ADMIN_TOKEN, { serviceDate: DATE });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ provinceId, serviceDate: DATE, status: 'running' });
    return eventually(async () => {
      const r = await t.http.get(`/provinces/${provinceId}/nights/${DATE}`, ADMIN_TOKEN);
      expect(r.status).toBe(200);
      return r.body.status === 'done' ? r.body : undefined;
    }, 45000, 'the province summary');
  }

  beforeEach(async () => {
    zones = [];
    for (let i = 0; i < ZONES; i++) zones.push(await seedZone());
    zoneIds = zones.map((z) => z.zoneId);
  });
  afterEach(async () => {
    while (workers.length) await workers.pop()!.close();
  });

  it('spreads the zones’ runs over two workers and records the summary once', async () => {
    for (let i = 0; i < 2; i++) workers.push(await createTestWorker({ hooks: new SlowWrite() }));
    // Every completion of the flow's parent, on whichever worker it happens.
    const summaries: Job[] = [];
    for (const w of workers) w.module.get(ProvinceProcessor).worker.on('completed', (job) => job.name === 'province-summary' && summaries.push(job));

    const provinceId = await registerProvince('JS', zoneIds);
    const night = await runNight(provinceId);

    // One scheduled run per zone, each written as a draft.
    const runs = await t.dataSource.getRepository(AllocationRun).findBy({ serviceDate: DATE });
    expect(runs.map((r) => [r.zoneId, r.trigger, r.status]).sort()).toEqual(zoneIds.map((z) => [z, 'schedule', 'draft']).sort());
    // Both worker applications computed some of them.
    const byWorker = new Map<string, number>();
    for (const r of runs) byWorker.set(r.timings!.worker, (byWorker.get(r.timings!.worker) ?? 0) + 1);
    expect(byWorker.size).toBe(2);

    // The summary: every zone, its outcome and rows, from the children's results.
    const results = night.zoneResults as ProvinceZoneResult[];
    expect(results.map((z) => z.zoneId).sort()).toEqual([...zoneIds].sort());
    for (const z of results) {
      expect(z).toMatchObject({ status: 'draft', outcome: 'written' });
      expect(z.lines).toBeGreaterThan(0);
      expect(z.appointments).toBeGreaterThan(0);
      const run = runs.find((r) => r.id === z.runId)!;
      expect((z.timings as RunTimings).worker).toBe(run.timings!.worker);
    }
    expect(night.totals).toMatchObject({ zones: ZONES, outcomes: { written: ZONES } });

    // The parent completed exactly once; starting the same night again, through the API or as a
    // redelivered job, changes nothing.
    expect(summaries.map((j) => j.returnvalue)).toEqual(['recorded']);
    const again = await t.http.post(`/provinces/${provinceId}/nights`, ADMIN_TOKEN, { serviceDate: DATE });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: night.id, status: 'done' });
    expect(await workers[0].module.get(ProvinceNightService).start({ provinceId, serviceDate: DATE })).toBe('already_done');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(summaries).toHaveLength(1);
    const listed = await t.http.get(`/provinces/${provinceId}/nights`, ADMIN_TOKEN);
    expect(listed.body).toMatchObject({ page: 1, total: 1 });
    expect(listed.body.items.map((n: { id: string }) => n.id)).toEqual([night.id]);
    expect(await t.dataSource.getRepository(AllocationRun).countBy({ serviceDate: DATE })).toBe(ZONES);
    expect((await t.http.get(`/provinces/${provinceId}/nights/${DATE}`, ADMIN_TOKEN)).body.finishedAt).toEqual(night.finishedAt);
  });

  it('still summarises when a zone’s run fails for good, and reports it', async () => {
    const hooks = new FailFirstRun();
    workers.push(await createTestWorker({ hooks }));
    const night = await runNight(await registerProvince('JS', zoneIds));
    const results = night.zoneResults as ProvinceZoneResult[];
    const broken = results.filter((z) => z.runId === hooks.target);
    expect(broken).toEqual([expect.objectContaining({ status: 'failed', outcome: 'failed', failureReason: expect.stringContaining('injected fault'), lines: 0 })]);
    expect(results.filter((z) => z.status === 'draft' && z.outcome === 'written')).toHaveLength(ZONES - 1);
    expect(night.totals).toMatchObject({ zones: ZONES, outcomes: { written: ZONES - 1, failed: 1 } });
  });

  it('has a daily scheduler at the province’s run time, and is read only by admins and its zones’ coordinators', async () => {
    const worker = await createTestWorker();
    workers.push(worker);
    const [a1, a2, b1, b2] = zones;
    const provinceA = await registerProvince('JS', [a1.zoneId, a2.zoneId]);
    const provinceB = await registerProvince('ZJ', [b1.zoneId, b2.zoneId]);

    // Its scheduler fires at 01:30 Shanghai time every day (created at registration, re-asserted by the worker's resync).
    const jobs = worker.module.get(JobCatalogue);
    const scheduler = await jobs.queues.find((q) => q.name === QUEUES.province)!.getJobScheduler(provinceNightSchedulerId(provinceA));
    expect(scheduler).toMatchObject({ name: 'province-night', pattern: '30 1 * * *', tz: 'Asia/Shanghai', template: { data: { provinceId: provinceA } } });

    // A scheduled night carries no date: it is today's in the province's time zone (2026-03-02 here).
    await jobs.enqueue('province-night', { provinceId: provinceB });
    const scheduled = await eventually(async () => {
      const r = await t.http.get(`/provinces/${provinceB}/nights/2026-03-02`, ADMIN_TOKEN);
      return r.body.status === 'done' ? r.body : undefined;
    }, 45000, 'the scheduled night');
    expect(scheduled.runs.map((r: { zoneId: string }) => r.zoneId).sort()).toEqual([b1.zoneId, b2.zoneId].sort());

    // A night of two zones, started and read through the API.
    const night = await runNight(provinceA);
    expect(night.totals).toMatchObject({ zones: 2, outcomes: { written: 2 } });

    // The coordinator of one of its zones reads the province and its nights, but may not start one.
    const member = a1.coordinatorToken;
    expect((await t.http.get(`/provinces/${provinceA}`, member)).status).toBe(200);
    expect((await t.http.get(`/provinces/${provinceA}/nights/${DATE}`, member)).body).toMatchObject({ id: night.id, status: 'done' });
    expect((await t.http.get('/provinces', member)).body.map((p: { id: string }) => p.id)).toEqual([provinceA]);
    expect((await t.http.post(`/provinces/${provinceA}/nights`, member, { serviceDate: DATE })).status).toBe(403);
    expect((await t.http.post('/provinces', member, { code: 'X', name: 'X', zoneIds: [a1.zoneId] })).status).toBe(403);
    // Another province does not exist for them; members of organizations may not ask.
    for (const path of [`/provinces/${provinceB}`, `/provinces/${provinceB}/nights`, `/provinces/${provinceB}/nights/2026-03-02`]) {
      const r = await t.http.get(path, member);
      expect([path, r.status, r.body.code]).toEqual([path, 404, 'PROVINCE_NOT_FOUND']);
    }
    expect((await t.http.get(`/provinces/${provinceA}`, a1.enterprise.token)).status).toBe(403);
    expect((await t.http.get('/provinces', a1.supplier.token)).status).toBe(403);

    // Refusals name the field, and write nothing.
    const refusals: [unknown, number, string, string][] = [
      [{ code: 'JS', name: 'again', zoneIds: [zoneIds[0]] }, 409, 'ZONE_IN_PROVINCE', 'zoneIds[0]'],
      [{ code: 'ZJ', name: 'again', zoneIds: [(await f.zone()).zoneId] }, 409, 'PROVINCE_CODE_TAKEN', 'code'],
      [{ code: 'AH', name: 'Anhui', zoneIds: ['00000000-0000-4000-8000-000000000000'] }, 422, 'UNKNOWN_ZONE', 'zoneIds[0]'],
      [{ code: 'AH', name: 'Anhui', zoneIds: [] }, 400, 'VALIDATION_FAILED', 'zoneIds'],
      [{ code: 'AH', name: 'Anhui', zoneIds: ['not-a-uuid'] }, 400, 'VALIDATION_FAILED', 'zoneIds'],
      [{ code: 'AH', name: 'Anhui', runTime: '25:00', zoneIds: [zoneIds[0]] }, 400, 'VALIDATION_FAILED', 'runTime'],
    ];
    for (const [body, status, code, field] of refusals) {
      const r = await t.http.post('/provinces', ADMIN_TOKEN, body);
      expect([r.status, r.body.code, r.body.errors?.[0]?.field?.startsWith(field)]).toEqual([status, code, true]);
    }
    expect((await t.http.get('/provinces', ADMIN_TOKEN)).body).toHaveLength(2);
    const late = await t.http.post(`/provinces/${provinceA}/nights`, ADMIN_TOKEN, { serviceDate: '2026-04-30' });
    expect([late.status, late.body.code]).toEqual([422, 'SERVICE_DATE_OUT_OF_RANGE']);
    expect((await t.http.get(`/provinces/${provinceA}/nights/2026-04-30`, ADMIN_TOKEN)).status).toBe(404);
  });
});
