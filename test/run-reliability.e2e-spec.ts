import { DateTime } from 'luxon';
import { nightlySchedulerId, RunTrigger } from '#domain';
import { AllocationRun, createRun, WriteHooks } from '#store';
import { AllocationRunner } from '../apps/worker/src/allocation/allocation-runner.js';
import { MASK, type ZoneWorld } from './support/factories.js';
import { createTestWorker, eventually, type TestWorker } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

const DATE = '2026-03-03';

/** Fails the write of the first attempt halfway through its lines, then lets later attempts through. */
class FailHalfwayOnce extends WriteHooks {
  override chunkSize = 1;
  failures = 0;
  linesSeenAtFailure = 0;
  constructor(private readonly always = false) {
    super();
  }
  override afterLineChunk(_runId: string, written: number, total: number): void {
    if ((this.always || this.failures === 0) && written >= Math.ceil(total / 2)) {
      this.failures++;
      this.linesSeenAtFailure = written;
      throw new Error(`injected fault after ${written} of ${total} lines`);
    }
  }
}

describe('allocation runs are idempotent, atomic and scheduled once per zone', () => {
  const { t, f } = useTestApp({ reset: 'each' });
  let w: ZoneWorld;
  const workers: TestWorker[] = [];

  const startWorker = async (opts: Parameters<typeof createTestWorker>[0] = {}) => {
    const worker = await createTestWorker(opts);
    workers.push(worker);
    return worker;
  };
  const stopWorkers = async () => {
    while (workers.length) await workers.pop()!.close();
  };
  const lineCount = async (runId: string) => Number((await t.dataSource.query('SELECT count(*) AS n FROM allocation_lines WHERE run_id = $1', [runId]))[0].n);
  const runRow = (id: string) => t.dataSource.getRepository(AllocationRun).findOneByOrFail({ id });
  const waitForStatus = (id: string, status: string) =>
    eventually(async () => ((await runRow(id)).status === status ? runRow(id) : undefined), 30000, `run ${id} to be ${status}`);

  /** A zone with enough enterprises for a few dozen lines, masks short. */
  async function seedDay(): Promise<void> {
    w = await f.world();
    const second = await f.supplier(w.zoneId, w.coordinatorToken, { latitude: 31.8, longitude: 120.1 });
    for (let i = 0; i < 12; i++) {
      const e = await f.enterprise(w.zoneId, w.coordinatorToken, { priorityCategory: i % 3 === 0 ? 'medical' : 'other' });
      await t.http.post(`/enterprises/${e.id}/demand-reports`, e.token, { serviceDate: DATE, headcount: 100 + i * 10, lines: [{ productCode: MASK.code }] });
    }
    for (const s of [w.supplier, second]) {
      await t.http.post(`/suppliers/${s.id}/capacity-reports`, s.token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: 1500 }] });
    }
  }

  beforeEach(seedDay);
  afterEach(stopWorkers);

  it('processes the same run job twice, in turn and at once, into one run with the same lines', async () => {
    const worker = await startWorker();
    const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
    await waitForStatus(started.body.id, 'draft');
    const lines = await t.dataSource.query('SELECT id, enterprise_id, supplier_id, units FROM allocation_lines WHERE run_id = $1 ORDER BY id', [started.body.id]);
    expect(lines.length).toBeGreaterThan(10);

    // A second delivery of the same job (as after a stall) through the real queue.
    const again = await worker.queue.add('run', { runId: started.body.id }, { jobId: `redelivery-${started.body.id}` });
    await eventually(async () => ((await again.isCompleted()) ? true : undefined), 15000, 'redelivered job');
    expect(await again.getState()).toBe('completed');
    expect(await t.dataSource.query('SELECT id, enterprise_id, supplier_id, units FROM allocation_lines WHERE run_id = $1 ORDER BY id', [started.body.id])).toEqual(lines);
    expect(await t.dataSource.getRepository(AllocationRun).countBy({ zoneId: w.zoneId, serviceDate: DATE })).toBe(1);

    // Two deliveries at once (a stalled job handed to a second worker while the first still runs).
    const run = await t.dataSource.transaction((m) => createRun(m, { zoneId: w.zoneId, serviceDate: DATE, trigger: RunTrigger.Manual, startedBy: null, now: new Date() }));
    const runner = worker.module.get(AllocationRunner);
    const outcomes = await Promise.all([runner.compute(run.id), runner.compute(run.id)]);
    expect(outcomes.sort()).toEqual(['already_done', 'written']);
    expect(await lineCount(run.id)).toBe(lines.length);
    expect((await runRow(run.id)).status).toBe('draft');
  });

  it('leaves no partial lines when a write fails halfway, and the retry completes the run', async () => {
    const hooks = new FailHalfwayOnce();
    await startWorker({ hooks });
    const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
    await eventually(async () => hooks.failures > 0, 15000, 'the injected fault');
    expect(hooks.linesSeenAtFailure).toBeGreaterThan(0); // some lines were written inside the transaction…
    expect(await lineCount(started.body.id)).toBe(0); // …and none survived its rollback
    expect((await runRow(started.body.id)).status).toBe('running');
    const done = await waitForStatus(started.body.id, 'draft');
    expect(done.attempts).toBe(2);
    expect(await lineCount(started.body.id)).toBeGreaterThan(hooks.linesSeenAtFailure);
    expect(hooks.failures).toBe(1);
  });

  it('marks a run failed with its reason when every attempt fails, with no lines', async () => {
    await startWorker({ hooks: new FailHalfwayOnce(true) });
    const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
    const failed = await waitForStatus(started.body.id, 'failed');
    expect(failed.failureReason).toContain('injected fault');
    expect(failed.attempts).toBe(3);
    expect(await lineCount(started.body.id)).toBe(0);
  });

  it('has one nightly scheduler per zone however many workers start, at the zone’s local run time', async () => {
    await t.http.patch(`/zones/${w.zoneId}`, w.coordinatorToken, { timeZone: 'America/New_York', runTime: '01:30' });
    const a = await startWorker();
    await startWorker();
    const schedulers = (await a.queue.getJobSchedulers()).filter((s) => s.key === nightlySchedulerId(w.zoneId) || s.id === nightlySchedulerId(w.zoneId));
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ pattern: '30 1 * * *', tz: 'America/New_York' });
    const next = DateTime.fromMillis(Number(schedulers[0].next), { zone: 'America/New_York' });
    expect(next.toFormat('HH:mm')).toBe('01:30');
    expect(next.toMillis()).toBeGreaterThan(Date.now());
    expect(next.toMillis()).toBeLessThanOrEqual(Date.now() + 25 * 3600_000);

    // A settings change moves the same scheduler, it does not add one.
    await t.http.patch(`/zones/${w.zoneId}`, w.coordinatorToken, { runTime: '02:15' });
    const moved = (await a.queue.getJobSchedulers()).filter((s) => s.key === nightlySchedulerId(w.zoneId) || s.id === nightlySchedulerId(w.zoneId));
    expect(moved).toHaveLength(1);
    expect(DateTime.fromMillis(Number(moved[0].next), { zone: 'America/New_York' }).toFormat('HH:mm')).toBe('02:15');
  });

  it('runs the nightly job for the zone-local date, once however often it is delivered', async () => {
    // 2026-03-02T17:00Z is 01:00 on 03-03 in Shanghai (the zone's run time) but still 03-02 in UTC.
    const worker = await startWorker({ now: new Date('2026-03-02T17:00:00Z') });
    const first = await worker.queue.add('nightly', { zoneId: w.zoneId }, { jobId: 'nightly-delivery-1' });
    const second = await worker.queue.add('nightly', { zoneId: w.zoneId }, { jobId: 'nightly-delivery-2' });
    await eventually(async () => ((await first.isCompleted()) && (await second.isCompleted()) ? true : undefined), 20000, 'both nightly deliveries');
    const runs = await t.dataSource.getRepository(AllocationRun).findBy({ zoneId: w.zoneId });
    expect(runs.map((r) => [r.serviceDate, r.trigger, r.status])).toEqual([[DATE, 'schedule', 'draft']]);
  });
});
