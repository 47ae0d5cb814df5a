import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { provinceNightJobId, QUEUES } from '#domain';
import { AllocationRun, Province, ProvinceNight, ProvinceZone, type ProvinceZoneResult, type RunTimings } from '#store';
import { WriteHooks } from '../apps/worker/src/allocation/run-writer.js';
import { provinceSummaryJobId } from '../apps/worker/src/province/province-night.service.js';
import { ProvinceProcessor } from '../apps/worker/src/province/province.processor.js';
import { Factory, MASK } from './support/factories.js';
import { createTestApp, resetData, type TestApp } from './support/test-app.js';
import { clearQueues, createTestWorker, eventually, type TestWorker } from './support/test-worker.js';

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

describe('a province night: one flow, a run per zone over several workers, one summary', () => {
  let t: TestApp;
  let f: Factory;
  const workers: TestWorker[] = [];
  let provinceId: string;
  let zoneIds: string[];

  /** A zone with a supplier and a few enterprises that reported for DATE, masks short. */
  async function seedZone(): Promise<string> {
    const w = await f.world();
    for (let i = 0; i < 3; i++) {
      const e = i === 0 ? w.enterprise : await f.enterprise(w.zoneId, w.coordinatorToken);
      const res = await t.http.post(`/enterprises/${e.id}/demand-reports`, e.token, { serviceDate: DATE, headcount: 100 + 20 * i, lines: [{ productCode: MASK.code }] });
      expect(res.status).toBe(201);
    }
    await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: 500 }] });
    return w.zoneId;
  }

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t);
  });
  beforeEach(async () => {
    await resetData(t);
    zoneIds = [];
    for (let i = 0; i < ZONES; i++) zoneIds.push(await seedZone());
    const province = await t.dataSource.getRepository(Province).save({ code: 'JS', name: '江苏省' });
    provinceId = province.id;
    await t.dataSource.getRepository(ProvinceZone).insert(zoneIds.map((zoneId) => ({ provinceId, zoneId })));
  });
  afterEach(async () => {
    while (workers.length) await workers.pop()!.close();
  });
  afterAll(async () => {
    expect(t.statuses.filter((s) => s >= 500)).toEqual([]);
    await t.close();
    await clearQueues();
  });

  it('spreads the zones’ runs over two workers and records the summary once', async () => {
    for (let i = 0; i < 2; i++) workers.push(await createTestWorker({ hooks: new SlowWrite() }));
    // Every completion of the flow's parent, on whichever worker it happens.
    const summaries: Job[] = [];
    for (const w of workers) w.module.get(ProvinceProcessor).worker.on('completed', (job) => job.name === 'province-summary' && summaries.push(job));

    const provinceQueue = workers[0].module.get<Queue>(getQueueToken(QUEUES.province));
    await provinceQueue.add('province-night', { provinceId, serviceDate: DATE }, { jobId: provinceNightJobId(provinceId, DATE) });
    const nights = t.dataSource.getRepository(ProvinceNight);
    const night = await eventually(async () => {
      const n = await nights.findOneBy({ provinceId, serviceDate: DATE });
      return n?.status === 'done' ? n : undefined;
    }, 45000, 'the province summary');

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

    // The parent completed exactly once, and a second start of the same night changes nothing.
    const parent = await provinceQueue.getJob(provinceSummaryJobId(night.id));
    expect(await parent!.getState()).toBe('completed');
    expect(parent!.returnvalue).toBe('recorded');
    const again = await provinceQueue.add('province-night', { provinceId, serviceDate: DATE }, { jobId: `${provinceNightJobId(provinceId, DATE)}-again` });
    await eventually(async () => (await again.isCompleted()) || undefined, 15000, 'the repeated start');
    expect((await provinceQueue.getJob(again.id!))!.returnvalue).toBe('already_done');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(summaries.map((j) => j.id)).toEqual([provinceSummaryJobId(night.id)]);
    expect(await nights.countBy({ provinceId })).toBe(1);
    expect(await t.dataSource.getRepository(AllocationRun).countBy({ serviceDate: DATE })).toBe(ZONES);
    expect((await nights.findOneByOrFail({ id: night.id })).finishedAt).toEqual(night.finishedAt);
  });

  it('still summarises when a zone’s run fails for good, and reports it', async () => {
    const hooks = new FailFirstRun();
    const worker = await createTestWorker({ hooks });
    workers.push(worker);
    const provinceQueue = worker.module.get<Queue>(getQueueToken(QUEUES.province));
    await provinceQueue.add('province-night', { provinceId, serviceDate: DATE }, { jobId: provinceNightJobId(provinceId, DATE) });
    const night = await eventually(async () => {
      const n = await t.dataSource.getRepository(ProvinceNight).findOneBy({ provinceId, serviceDate: DATE });
      return n?.status === 'done' ? n : undefined;
    }, 45000, 'the province summary');
    const results = night.zoneResults as ProvinceZoneResult[];
    const broken = results.filter((z) => z.runId === hooks.target);
    expect(broken).toEqual([expect.objectContaining({ status: 'failed', outcome: 'failed', failureReason: expect.stringContaining('injected fault'), lines: 0 })]);
    expect(results.filter((z) => z.status === 'draft' && z.outcome === 'written')).toHaveLength(ZONES - 1);
    expect(night.totals).toMatchObject({ zones: ZONES, outcomes: { written: ZONES - 1, failed: 1 } });
  });
});
