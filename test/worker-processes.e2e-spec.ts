import { Queue } from 'bullmq';
import { nightlySchedulerId, QUEUES } from '#domain';
import { AllocationRun } from '#store';
import { MASK, type ZoneWorld } from './support/factories.js';
import { startNode, WORKER_MAIN } from '../tools/processes.js';
import { exited, spawnWorker } from './support/processes.js';
import { testConfig } from './support/test-app.js';
import { eventually } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

const DATE = '2026-03-03';

/** The worker as real OS processes: schedulers stay one per zone, and SIGTERM finishes the job in hand. */
describe('worker processes', () => {
  const { t, f } = useTestApp();
  let w: ZoneWorld;
  let queue: Queue;

  beforeAll(async () => {
    w = await f.world();
    for (let i = 0; i < 5; i++) {
      const e = await f.enterprise(w.zoneId, w.coordinatorToken);
      await t.http.post(`/enterprises/${e.id}/demand-reports`, e.token, { serviceDate: DATE, headcount: 100, lines: [{ productCode: MASK.code }] });
    }
    await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: 10_000 }] });
    const config = testConfig();
    queue = new Queue(QUEUES.allocation, { prefix: config.QUEUE_PREFIX, connection: { url: config.REDIS_URL } });
  });
  afterAll(() => queue.close());

  it('keeps exactly one nightly scheduler per zone when two worker processes start', async () => {
    const workers = [spawnWorker(), spawnWorker()];
    try {
      const schedulers = await eventually(async () => {
        const all = (await queue.getJobSchedulers()).filter((s) => s.key === nightlySchedulerId(w.zoneId) || s.id === nightlySchedulerId(w.zoneId));
        return all.length > 0 ? all : undefined;
      }, 20000, 'the scheduler');
      await new Promise((r) => setTimeout(r, 1500)); // both processes have started by now
      expect((await queue.getJobSchedulers()).filter((s) => s.key === nightlySchedulerId(w.zoneId) || s.id === nightlySchedulerId(w.zoneId))).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ pattern: '0 1 * * *', tz: 'Asia/Shanghai' });
    } finally {
      for (const p of workers) p.kill('SIGTERM');
      await Promise.all(workers.map(exited));
    }
  });

  it('finishes the job in hand on SIGTERM, then exits', async () => {
    // The worker pauses 3 s inside the run's write transaction; SIGTERM arrives during the pause.
    const worker = spawnWorker({ FAULT_PAUSE_MID_WRITE_MS: '3000' });
    const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
    await eventually(async () => {
      const [row] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND query ILIKE 'INSERT INTO%allocation_lines%'`,
      );
      return row.n > 0;
    }, 20000, 'the worker to be mid-write');
    worker.kill('SIGTERM');
    // Nest closes the application (BullMQ waits for the active job), then re-raises the signal.
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => worker.once('exit', (code, signal) => resolve({ code, signal })));
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    // No other worker exists: a draft now means the terminated worker finished the job before exiting.
    const run = await t.dataSource.getRepository(AllocationRun).findOneByOrFail({ id: started.body.id });
    expect(run.status).toBe('draft');
    expect(run.attempts).toBe(1);
  });

  it('refuses a bad MATCHING_HELPER_THREADS at start, naming it', async () => {
    // The value is read as the worker loads, before it connects to anything.
    const worker = startNode('worker', WORKER_MAIN, { env: { LOG_LEVEL: 'error', MATCHING_HELPER_THREADS: 'two' }, output: 'capture' });
    const code = await new Promise<number | null>((resolve) => worker.child.once('exit', (c) => resolve(c)));
    expect(code).not.toBe(0);
    expect(worker.output.join('\n')).toContain('MATCHING_HELPER_THREADS must be an integer from 0 to 64');
  });
});
