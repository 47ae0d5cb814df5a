import { createServer, type Server } from 'node:http';
import { nightlySchedulerId } from '#domain';
import { AllocationRun, WebhookDelivery } from '#store';
import { Factory, MASK, type Org, type ZoneWorld } from './support/factories.js';
import { CuttableProxy, exited, PrivateRedis, spawnWorker } from './support/processes.js';
import { createTestApp, resetData, testConfig, type TestApp } from './support/test-app.js';
import { clearQueues, createTestWorker, eventually, runInStatus, type TestWorker } from './support/test-worker.js';

const DATE = '2026-03-03';

/** Each guarantee of issue 6 §3 under a real fault: a killed worker, a restarted Redis, a vanished database, a dead webhook receiver. */
describe('faults', () => {
  let t: TestApp;
  let w: ZoneWorld;
  let enterprises: Org[];

  async function seed(app: TestApp, count: number): Promise<void> {
    await resetData(app);
    const f = new Factory(app);
    w = await f.world();
    enterprises = [];
    for (let i = 0; i < count; i++) {
      const e = await f.enterprise(w.zoneId, w.coordinatorToken);
      await app.http.post(`/enterprises/${e.id}/demand-reports`, e.token, { serviceDate: DATE, headcount: 100 + i, lines: [{ productCode: MASK.code }] });
      enterprises.push(e);
    }
    await app.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: 100_000 }] });
  }

  afterAll(() => clearQueues());

  describe('a worker killed in the middle of a run', () => {
    beforeAll(async () => {
      t = await createTestApp();
      await seed(t, 20);
    });
    afterAll(() => t.close());

    it('is finished by another worker: exactly one draft, no partial or duplicate lines', async () => {
      const timings = { JOB_LOCK_MS: '2000', JOB_STALLED_INTERVAL_MS: '1000' };
      const doomed = spawnWorker({ ...timings, FAULT_PAUSE_MID_WRITE_MS: '600000' });
      const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
      // The doomed worker has written a line inside its open transaction and paused there.
      await eventually(async () => {
        const [row] = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'idle in transaction' AND query ILIKE 'INSERT INTO%allocation_lines%'`,
        );
        return row.n > 0;
      }, 20000, 'the worker to pause mid-write');
      doomed.kill('SIGKILL');
      await exited(doomed);

      const rescuer = spawnWorker(timings);
      try {
        const run = await eventually(async () => {
          const r = await t.dataSource.getRepository(AllocationRun).findOneByOrFail({ id: started.body.id });
          return r.status === 'draft' ? r : undefined;
        }, 30000, 'another worker to finish the run');
        expect(run.attempts).toBe(2);
        expect(await t.dataSource.getRepository(AllocationRun).countBy({ zoneId: w.zoneId, serviceDate: DATE, status: 'draft' as never })).toBe(1);
        const [lines] = await t.dataSource.query(
          `SELECT count(*)::int AS n, count(DISTINCT (enterprise_id, supplier_id, product_code))::int AS distinct_n, coalesce(sum(units), 0)::int AS units
             FROM allocation_lines WHERE run_id = $1`,
          [run.id],
        );
        expect(lines.n).toBe(enterprises.length); // one line per reporting enterprise: supply covers everyone
        expect(lines.distinct_n).toBe(lines.n);
      } finally {
        rescuer.kill('SIGTERM');
        await exited(rescuer);
      }
    });
  });

  describe('Redis restarted while the API takes reports', () => {
    const redis = new PrivateRedis(6391);
    let worker: TestWorker;

    beforeAll(async () => {
      await redis.start();
      t = await createTestApp(undefined, { REDIS_URL: redis.url });
      worker = await createTestWorker({ config: { REDIS_URL: redis.url, SCHEDULER_RESYNC_MS: '1000' } });
      await seed(t, 3);
    });
    afterAll(async () => {
      await worker.close();
      await t.close();
      await redis.kill();
    });

    it('keeps storing reports, and the worker reconnects and restores the schedule on its own', async () => {
      await eventually(async () => ((await worker.queue.getJobScheduler(nightlySchedulerId(w.zoneId))) ? true : undefined), 10000, 'scheduler');
      await redis.kill();
      const acknowledged: number[] = [];
      for (const e of enterprises) {
        const res = await t.http.post(`/enterprises/${e.id}/demand-reports`, e.token, { serviceDate: DATE, headcount: 50, lines: [{ productCode: MASK.code }] });
        acknowledged.push(res.status);
      }
      expect(acknowledged).toEqual(enterprises.map(() => 201));
      // A run started during the outage is recorded; its job cannot be queued yet.
      const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
      expect(started.status).toBe(202);
      const ready = await t.http.get('/health/ready', null);
      expect(ready.status).toBe(503);

      await redis.start(); // empty: no persistence, as on these machines
      // The worker reconnects by itself, re-creates the zone's nightly scheduler and queues the pending run.
      const scheduler = await eventually(async () => worker.queue.getJobScheduler(nightlySchedulerId(w.zoneId)), 20000, 'scheduler restored');
      expect(scheduler).toMatchObject({ pattern: '0 1 * * *', tz: 'Asia/Shanghai' });
      await eventually(async () => ((await t.dataSource.getRepository(AllocationRun).findOneByOrFail({ id: started.body.id })).status === 'draft' ? true : undefined), 30000, 'the pending run');
      const [stored] = await t.dataSource.query(`SELECT count(*)::int AS n FROM demand_reports WHERE headcount = 50 AND service_date = $1`, [DATE]);
      expect(stored.n).toBe(enterprises.length);
      expect((await t.http.get('/health/ready', null)).status).toBe(200);
    });
  });

  describe('PostgreSQL unreachable for a moment', () => {
    const proxy = new CuttableProxy(5432);

    beforeAll(async () => {
      await proxy.open();
      const url = new URL(testConfig().DATABASE_URL);
      url.port = String(proxy.port);
      t = await createTestApp(undefined, { DATABASE_URL: url.toString() });
      await seed(t, 1);
    });
    afterAll(async () => {
      await t.close();
      await proxy.cut();
    });

    it('answers 503 problem+json quickly, and recovers without a restart', async () => {
      await proxy.cut();
      const started = Date.now();
      const down = await t.http.post(`/enterprises/${enterprises[0].id}/demand-reports`, enterprises[0].token, { serviceDate: DATE, headcount: 10, lines: [{ productCode: MASK.code }] });
      expect(down.status).toBe(503);
      expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(down.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(down.headers['retry-after']).toBeDefined();
      expect(Date.now() - started).toBeLessThan(6000);
      expect((await t.http.get('/health/ready', null)).status).toBe(503);

      await proxy.open(proxy.port);
      const up = await eventually(async () => {
        const res = await t.http.post(`/enterprises/${enterprises[0].id}/demand-reports`, enterprises[0].token, { serviceDate: DATE, headcount: 11, lines: [{ productCode: MASK.code }] });
        return res.status === 201 ? res : undefined;
      }, 15000, 'recovery');
      expect(up.body.headcount).toBe(11);
      expect(t.statuses.filter((s) => s === 500)).toEqual([]);
    });
  });

  describe('a webhook receiver that is down', () => {
    let worker: TestWorker;
    let receiver: Server | null = null;

    beforeAll(async () => {
      t = await createTestApp();
      worker = await createTestWorker();
      await seed(t, 1);
    });
    afterAll(async () => {
      await worker.close();
      await t.close();
      await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
    });

    it('retries with backoff, logs each attempt, and holds nothing else up', async () => {
      const port = 6392;
      await t.http.put(`/organizations/${enterprises[0].id}/webhook`, enterprises[0].token, { url: `http://127.0.0.1:${port}/hook` });
      const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
      const draft = await runInStatus(t, w.coordinatorToken, started.body.id);
      const before = Date.now();
      const published = await t.http.raw().post(`/runs/${draft.body.id}/publish`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', draft.headers.etag);
      expect(published.status).toBe(200);
      expect(Date.now() - before).toBeLessThan(2000); // publishing does not wait for the receiver
      const deliveries = t.dataSource.getRepository(WebhookDelivery);
      const failing = await eventually(async () => {
        const d = await deliveries.findOneBy({ organizationId: enterprises[0].id });
        return d && d.attempts >= 2 ? d : undefined;
      }, 15000, 'two failed attempts');
      expect(failing.status).toBe('pending');
      expect(failing.lastError).toBe('could not connect'); // generic: the socket error (address, port) stays in the worker log
      // Other work goes on meanwhile: the supplier reads its list and confirms a pickup.
      const slots = await t.http.get(`/suppliers/${w.supplier.id}/pickups/${DATE}`, w.supplier.token);
      expect(slots.status).toBe(200);

      // The receiver comes back; a later retry delivers.
      receiver = createServer((_req, res) => res.writeHead(200).end());
      await new Promise<void>((r) => receiver!.listen(port, '127.0.0.1', r));
      const delivered = await eventually(async () => {
        const d = await deliveries.findOneBy({ organizationId: enterprises[0].id });
        return d?.status === 'delivered' ? d : undefined;
      }, 30000, 'delivery after the receiver returns');
      expect(delivered.attempts).toBeGreaterThanOrEqual(3);
      expect(delivered.lastStatusCode).toBe(200);
    });
  });
});
