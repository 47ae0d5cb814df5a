import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { nightlySchedulerId, QUEUES, reminderSchedulerId, reportPartitionsSchedulerId, RunTrigger } from '#domain';
import { AllocationRun, createRun, RunOverride, WebhookDelivery } from '#store';
import { Factory, MASK, type Org, type ZoneWorld } from './support/factories.js';
import { CuttableProxy, exited, spawnWorker } from './support/processes.js';
import { ADMIN_TOKEN, createTestApp, resetData, testConfig, type TestApp } from './support/test-app.js';
import { clearQueues, createTestWorker, eventually, runInStatus } from './support/test-worker.js';

const DATE = '2026-03-03';
/** 09:30 on the service day in Shanghai: the gates are open. */
const SERVICE_DAY = new Date(`${DATE}T01:30:00Z`);

interface Pickup {
  appointmentId: string;
  pickupCode: string;
  status: string;
  supplier: { id: string };
  lines: { productCode: string; units: number }[];
}

/**
 * The day of service, with the API here and the worker as its own OS process: overrides checked
 * when they are made, a correction at 07:00 that keeps faith with what was handed out, runs that
 * never hang, and ETags that let exactly one of two racing requests through.
 */
describe('the day of service', () => {
  let t: TestApp;
  let f: Factory;
  let w: ZoneWorld;
  let worker: ChildProcess | null = null;

  const etag = async (runId: string) => (await t.http.get(`/runs/${runId}`, w.coordinatorToken)).headers.etag as string;
  const post = (path: string, ifMatch: string, body?: object) => {
    const req = t.http.raw().post(path).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', ifMatch);
    return body ? req.send(body) : req;
  };
  const waitFor = (id: string, status = 'draft') => runInStatus(t, w.coordinatorToken, id, status, 60_000);
  const demand = (org: Org, headcount: number) => t.http.post(`/enterprises/${org.id}/demand-reports`, org.token, { serviceDate: DATE, headcount, lines: [{ productCode: MASK.code }] });
  const capacity = (org: Org, quantity: number, token = org.token) => t.http.post(`/suppliers/${org.id}/capacity-reports`, token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity }] });
  const schedule = async (org: Org) => (await t.http.get(`/enterprises/${org.id}/schedules/${DATE}`, org.token)).body as { runId: string; reported: boolean; pickups: Pickup[] };
  const startWorker = () => {
    worker = spawnWorker();
    return worker;
  };
  const stopWorker = async () => {
    if (!worker) return;
    worker.kill('SIGTERM');
    await exited(worker);
    worker = null;
  };

  /** A handle on this test run's allocation queue, to see a job's fate. */
  let queue: Queue;
  const redis = () => new Redis(testConfig().REDIS_URL, { maxRetriesPerRequest: null });
  const connections: Redis[] = [];
  const queueOf = (name: string) => {
    const connection = redis();
    connections.push(connection);
    return new Queue(name, { connection, prefix: testConfig().QUEUE_PREFIX });
  };

  beforeAll(async () => {
    t = await createTestApp();
    queue = queueOf(QUEUES.allocation);
  });
  afterAll(async () => {
    await stopWorker();
    await queue.close();
    // BullMQ leaves connections it was given open.
    for (const c of connections) c.disconnect();
    expect(t.statuses.filter((s) => s >= 500)).toEqual([]);
    await t.close();
    await clearQueues();
  });

  describe('overrides are checked when they are made', () => {
    let runId: string;
    let supplier: Org;
    let silent: Org;

    beforeAll(async () => {
      await resetData(t);
      f = new Factory(t);
      w = await f.world();
      supplier = w.supplier;
      silent = await f.enterprise(w.zoneId, w.coordinatorToken); // registered, never reports
      await demand(w.enterprise, 100); // needs 200 masks
      await capacity(supplier, 1000);
      startWorker();
      const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
      runId = (await waitFor(started.body.id)).body.id;
    });
    afterAll(stopWorker);

    const pin = (units: number, enterpriseId = w.enterprise.id) => ({ kind: 'pin', enterpriseId, supplierId: supplier.id, productCode: MASK.code, units, reason: '区指挥部批示' });
    const setQuantity = (units: number, enterpriseId = w.enterprise.id) => ({ kind: 'set_quantity', enterpriseId, productCode: MASK.code, units, reason: '核定用量' });

    it.each([
      ['a pin above the supplier’s capacity', () => pin(100_000), 'PIN_ABOVE_CAPACITY', 'units'],
      ['a pin of 0 units', () => pin(0), 'INVALID_QUANTITY', 'units'],
      ['a pin of part of a pack', () => pin(7), 'PIN_NOT_WHOLE_PACKS', 'units'],
      ['a pin for an enterprise without a report that day', () => pin(50, silent.id), 'UNKNOWN_ENTERPRISE', 'enterpriseId'],
      ['a set-quantity for an enterprise without a report that day', () => setQuantity(100, silent.id), 'UNKNOWN_ENTERPRISE', 'enterpriseId'],
    ])('refuses %s with 422 naming the field, and stores nothing', async (_label, body, code, field) => {
      const before = await t.dataSource.getRepository(RunOverride).count();
      const res = await post(`/runs/${runId}/overrides`, await etag(runId), body());
      expect([res.status, res.body.code]).toEqual([422, code]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await t.dataSource.getRepository(RunOverride).count()).toBe(before);
    });

    it('refuses a second set-quantity of one enterprise and product, and a pin and an exclude of one pair', async () => {
      expect((await post(`/runs/${runId}/overrides`, await etag(runId), setQuantity(300))).status).toBe(201);
      const second = await post(`/runs/${runId}/overrides`, await etag(runId), setQuantity(150));
      expect([second.status, second.body.code, second.body.errors[0].field]).toEqual([422, 'DUPLICATE_OVERRIDE', 'productCode']);
      expect((await post(`/runs/${runId}/overrides`, await etag(runId), pin(100))).status).toBe(201);
      const exclude = await post(`/runs/${runId}/overrides`, await etag(runId), { kind: 'exclude', enterpriseId: w.enterprise.id, supplierId: supplier.id, reason: '不再由该厂供货' });
      expect([exclude.status, exclude.body.code]).toEqual([422, 'OVERRIDE_CONFLICT']);
      const standing = await t.http.get(`/runs/${runId}/overrides`, w.coordinatorToken);
      expect(standing.body.items.map((o: { kind: string }) => o.kind)).toEqual(['set_quantity', 'pin']);
    });

    it('keeps overrides standing for the date: withdrawn after publication, cut (not failed) when inputs change', async () => {
      const published = await post(`/runs/${runId}/publish`, await etag(runId));
      expect(published.status).toBe(200);
      const [setQ, pinned] = (await t.http.get(`/runs/${runId}/overrides`, w.coordinatorToken)).body.items as { id: string }[];
      // Withdrawn on the published run: it no longer stands.
      const withdrawn = await post(`/runs/${runId}/overrides/${setQ.id}/withdraw`, await etag(runId), { reason: '企业已自行采购' });
      expect(withdrawn.status).toBe(200);
      // The maker's capacity falls below the pin: the next run cuts the pin and says so.
      await capacity(supplier, 50, w.coordinatorToken);
      const rerun = await post(`/runs/${runId}/rerun`, await etag(runId));
      expect(rerun.status).toBe(202);
      const draft = await waitFor(rerun.body.id);
      expect(draft.body.explanations.overrideCuts).toEqual([expect.objectContaining({ id: pinned.id, code: 'PIN_ABOVE_CAPACITY', appliedUnits: 50 })]);
      expect(draft.body.inputSnapshot.overrides).toMatchObject({ pins: [{ units: 50 }], setQuantities: [] });
    });

    it('tells an enterprise that did not report, and lists it in the day summary', async () => {
      const own = await schedule(silent);
      expect(own).toMatchObject({ reported: false, pickups: [] });
      expect((await schedule(w.enterprise)).reported).toBe(true);
      const day = await t.http.get(`/zones/${w.zoneId}/days/${DATE}`, w.coordinatorToken);
      expect(day.body.enterprises.missing.map((m: { id: string }) => m.id)).toEqual([silent.id]);
    });
  });

  describe('who has not reported', () => {
    it('reminds, once, each organization that has not reported by the zone’s reminder time, and refuses a reminder after the cutoff', async () => {
      await resetData(t);
      f = new Factory(t);
      const late = await t.http.post('/zones', ADMIN_TOKEN, { name: '提醒过晚区', cutoffTime: '20:00', reminderTime: '20:30' });
      expect([late.status, late.body.code]).toEqual([422, 'REMINDER_AFTER_CUTOFF']);
      w = await f.world({ reminderTime: '18:00' });
      const silent = await f.enterprise(w.zoneId, w.coordinatorToken);
      for (const org of [w.enterprise, silent, w.supplier]) await t.http.put(`/organizations/${org.id}/webhook`, w.coordinatorToken, { url: 'http://127.0.0.1:9/unused' });
      await demand(w.enterprise, 100); // the supplier and the second enterprise stay silent
      // 18:00 on the day before, in Shanghai.
      const reminder = await createTestWorker({ now: new Date(`2026-03-02T10:00:00Z`) });
      try {
        expect(await reminder.queue.getJobScheduler(reminderSchedulerId(w.zoneId))).toBeDefined();
        for (const jobId of ['reminder-1', 'reminder-2']) {
          const job = await reminder.queue.add('report-reminder', { zoneId: w.zoneId }, { jobId });
          await eventually(async () => (await job.isCompleted()) || undefined, 20_000, 'the reminder job');
        }
      } finally {
        await reminder.close();
      }
      const sent = await t.dataSource.getRepository(WebhookDelivery).findBy({ event: 'report.reminder' });
      expect(sent.map((d) => d.organizationId).sort()).toEqual([silent.id, w.supplier.id].sort());
      expect(sent.map((d) => (d.payload as { serviceDate: string }).serviceDate)).toEqual([DATE, DATE]);
    });
  });

  describe('a correction at 07:00', () => {
    let m1: Org;
    let m2: Org;
    let near1: Org[];
    let near2: Org[];

    beforeAll(async () => {
      await resetData(t);
      f = new Factory(t);
      w = await f.world();
      // Maker 1 and three enterprises at one end of the district; maker 2 and three at the other, 14 km away.
      m1 = w.supplier;
      m2 = await f.supplier(w.zoneId, w.coordinatorToken, { latitude: 31.86, longitude: 120.16 });
      near1 = [w.enterprise, ...(await Promise.all([0, 1].map((i) => f.enterprise(w.zoneId, w.coordinatorToken, { latitude: 31.761 + i * 0.001, longitude: 120.061 }))))];
      near2 = await Promise.all([0, 1, 2].map((i) => f.enterprise(w.zoneId, w.coordinatorToken, { latitude: 31.861 + i * 0.001, longitude: 120.161 })));
      for (const org of [...near1, ...near2, m1, m2]) {
        expect((await t.http.put(`/organizations/${org.id}/webhook`, w.coordinatorToken, { url: 'http://127.0.0.1:9/unused' })).status).toBe(200);
      }
      for (const e of [...near1, ...near2]) await demand(e, 150); // 300 masks each
      await capacity(m1, 900);
      await capacity(m2, 900);
      startWorker();
    });
    afterAll(stopWorker);

    it('does not serve a confirmed pickup twice, keeps every unchanged slip, and tells only those whose schedule changed', async () => {
      // Evening: the nightly run, a pin for the first enterprise, a re-run, and publication.
      const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
      const first = await waitFor(started.body.id);
      const pinned = await post(`/runs/${first.body.id}/overrides`, first.headers.etag, { kind: 'pin', enterpriseId: near1[0].id, supplierId: m1.id, productCode: MASK.code, units: 300, reason: '定点医院' });
      expect(pinned.status).toBe(201);
      const rerun = await post(`/runs/${first.body.id}/rerun`, await etag(first.body.id));
      const plan = await waitFor(rerun.body.id);
      expect((await post(`/runs/${plan.body.id}/publish`, plan.headers.etag)).status).toBe(200);
      const printed = new Map<string, Pickup[]>();
      for (const e of [...near1, ...near2]) printed.set(e.id, (await schedule(e)).pickups);
      const publishedDeliveries = await t.dataSource.getRepository(WebhookDelivery).countBy({ event: 'schedule.published' });
      expect(publishedDeliveries).toBe(8);

      // 07:00 on the day: the first enterprise collects its 300 masks at maker 1's gate.
      t.clock.set(SERVICE_DAY);
      const collected = printed.get(near1[0].id)!.find((p) => p.supplier.id === m1.id)!;
      const confirmed = await t.http.post(`/suppliers/${m1.id}/pickups/confirm`, m1.token, { pickupCode: collected.pickupCode.toLowerCase() });
      expect([confirmed.status, confirmed.body.status]).toEqual([200, 'confirmed']);

      // Maker 1 calls: its capacity is halved. The coordinator posts it and re-runs the published run.
      expect((await capacity(m1, 450, w.coordinatorToken)).status).toBe(201);
      const correction = await post(`/runs/${plan.body.id}/rerun`, await etag(plan.body.id), { mode: 'minimal' });
      expect(correction.status).toBe(202);
      const draft = await waitFor(correction.body.id);
      expect(draft.body.correction).toMatchObject({ mode: 'minimal', basedOnRunId: plan.body.id });
      const changes = await t.http.get(`/runs/${draft.body.id}/changes`, w.coordinatorToken);
      expect(changes.body.againstRunId).toBe(plan.body.id);
      expect(changes.body.counts).toEqual(draft.body.correction.changes);
      const moved = changes.body.counts.changed + changes.body.counts.cancelled + changes.body.counts.new;
      expect({ total: changes.body.total, items: changes.body.items.length }).toEqual({ total: moved, items: Math.min(moved, 50) });
      // Paged: the second page of one starts where the first ended, and counts stay whole.
      const second = await t.http.get(`/runs/${draft.body.id}/changes?pageSize=1&page=2`, w.coordinatorToken);
      expect({ total: second.body.total, counts: second.body.counts, items: second.body.items }).toEqual({ total: moved, counts: changes.body.counts, items: changes.body.items.slice(1, 2) });
      expect((await post(`/runs/${draft.body.id}/publish`, draft.headers.etag)).status).toBe(200);

      // The confirmed pickup stands as it was handed out; the enterprise gets nothing more.
      const afterFirst = await schedule(near1[0]);
      expect(afterFirst.runId).toBe(draft.body.id);
      const stillCollected = afterFirst.pickups.find((p) => p.appointmentId === collected.appointmentId)!;
      expect(stillCollected).toMatchObject({ pickupCode: collected.pickupCode, status: 'confirmed' });
      const masks = (pickups: Pickup[]) => pickups.flatMap((p) => p.lines).reduce((sum, l) => sum + l.units, 0);
      expect(masks(afterFirst.pickups)).toBe(300);

      // Maker 2's enterprises are untouched: same slips, same codes.
      for (const e of near2) expect((await schedule(e)).pickups.map((p) => [p.appointmentId, p.pickupCode])).toEqual(printed.get(e.id)!.map((p) => [p.appointmentId, p.pickupCode]));

      // Maker 1's other enterprises share the 150 masks left: their slips changed, and the old code says so.
      const changed = changes.body.items.filter((i: { change: string }) => i.change !== 'new');
      expect(changed.map((i: { enterpriseId: string }) => i.enterpriseId).sort()).toEqual([near1[1].id, near1[2].id].sort());
      const oldSlip = printed.get(near1[1].id)!.find((p) => p.supplier.id === m1.id)!;
      const old = await t.http.post(`/suppliers/${m1.id}/pickups/confirm`, m1.token, { pickupCode: oldSlip.pickupCode });
      expect([old.status, old.body.code]).toEqual([410, 'PICKUP_CODE_SUPERSEDED']);
      const total = [...near1, ...near2].length;
      expect(masks((await schedule(near1[1])).pickups) + masks((await schedule(near1[2])).pickups)).toBeLessThanOrEqual(150);
      expect(changes.body.counts.kept).toBeGreaterThanOrEqual(total - 2);

      // Only the organizations whose schedule changed are told: the two enterprises and maker 1.
      const corrected = await t.dataSource.getRepository(WebhookDelivery).findBy({ event: 'schedule.corrected' });
      expect(corrected.map((d) => d.organizationId).sort()).toEqual([near1[1].id, near1[2].id, m1.id].sort());
    });

    it('refuses to publish a correction that changes a pickup confirmed after it was computed', async () => {
      // Maker 2 halves too; the correction re-plans its three enterprises.
      const published = await t.dataSource.getRepository(AllocationRun).findOneByOrFail({ zoneId: w.zoneId, serviceDate: DATE, status: 'published' as never });
      expect((await capacity(m2, 450, w.coordinatorToken)).status).toBe(201);
      const rerun = await post(`/runs/${published.id}/rerun`, await etag(published.id));
      const draft = await waitFor(rerun.body.id);
      // Meanwhile one of them collects at maker 2's gate, with the code of the published schedule.
      const [slip] = (await schedule(near2[0])).pickups;
      expect((await t.http.post(`/suppliers/${m2.id}/pickups/confirm`, m2.token, { pickupCode: slip.pickupCode })).status).toBe(200);
      const refused = await post(`/runs/${draft.body.id}/publish`, draft.headers.etag);
      expect([refused.status, refused.body.code]).toEqual([409, 'PICKUPS_CONFIRMED_SINCE']);
      expect((await schedule(near2[0])).runId).toBe(published.id);
    });
  });

  describe('runs never hang, and one ETag lets one request through', () => {
    beforeAll(async () => {
      await resetData(t);
      f = new Factory(t);
      w = await f.world();
      await demand(w.enterprise, 100);
      await capacity(w.supplier, 1000);
    });

    it('marks failed a run whose job failed for good while PostgreSQL was down, and re-runs it', async () => {
      // The worker reaches PostgreSQL through a proxy that is cut while it writes: every attempt fails,
      // the last one cannot record the failure either, and the run is left `running`.
      const proxy = new CuttableProxy(5432);
      await proxy.open();
      const db = new URL(testConfig().DATABASE_URL);
      db.host = `127.0.0.1:${proxy.port}`;
      const maintenance = queueOf(QUEUES.maintenance);
      await maintenance.removeJobScheduler(reportPartitionsSchedulerId);
      await queue.removeJobScheduler(nightlySchedulerId(w.zoneId));
      const doomed = spawnWorker({ DATABASE_URL: db.toString(), FAULT_PAUSE_MID_WRITE_MS: '2000' });
      // Its start-up is over once both start-up tasks have put their schedulers in place.
      await eventually(async () => (await queue.getJobScheduler(nightlySchedulerId(w.zoneId))) && maintenance.getJobScheduler(reportPartitionsSchedulerId), 30_000, 'the worker to start');
      await maintenance.close();
      const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
      await eventually(async () => (await t.dataSource.getRepository(AllocationRun).findOneByOrFail({ id: started.body.id })).status === 'running', 30_000, 'run to be running');
      await proxy.cut();
      const job = await eventually(async () => {
        const j = await queue.getJob(started.body.id);
        return j && (await j.getState()) === 'failed' ? j : undefined;
      }, 40_000, 'the job to fail for good');
      expect(job.attemptsMade).toBe(3);
      doomed.kill('SIGKILL');
      await exited(doomed);
      expect((await t.dataSource.getRepository(AllocationRun).findOneByOrFail({ id: started.body.id })).status).toBe('running');
      const stuck = await t.http.raw().post(`/runs/${started.body.id}/rerun`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', await etag(started.body.id));
      expect([stuck.status, stuck.body.code]).toEqual([409, 'RUN_NOT_RERUNNABLE']);

      // A healthy worker starts: its resync finds the run without a live job and marks it failed.
      startWorker();
      const failed = await waitFor(started.body.id, 'failed');
      expect(failed.body.failureReason).toMatch(/job failed after 3 attempt/);
      const again = await post(`/runs/${started.body.id}/rerun`, failed.headers.etag);
      expect(again.status).toBe(202);
      await waitFor(again.body.id);
      await stopWorker();
    });

    it('queues again a run left running whose job Redis lost', async () => {
      const run = await t.dataSource.transaction((m) => createRun(m, { zoneId: w.zoneId, serviceDate: DATE, trigger: RunTrigger.Manual, startedBy: null, now: new Date() }));
      await t.dataSource.query(`UPDATE allocation_runs SET status = 'running', attempts = 1 WHERE id = $1`, [run.id]);
      const inProcess = await createTestWorker();
      try {
        await waitFor(run.id);
      } finally {
        await inProcess.close();
      }
    });

    it('lets exactly one of eight concurrent re-runs with one ETag through', async () => {
      startWorker();
      const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
      const draft = await waitFor(started.body.id);
      const answers = await Promise.all(Array.from({ length: 8 }, () => post(`/runs/${draft.body.id}/rerun`, draft.headers.etag)));
      expect(answers.map((a) => a.status).sort()).toEqual([202, 412, 412, 412, 412, 412, 412, 412]);
      const runs = await t.dataSource.getRepository(AllocationRun).countBy({ parentRunId: draft.body.id });
      expect(runs).toBe(1);
      // A publish and a re-run with one ETag: one wins.
      const next = await waitFor(answers.find((a) => a.status === 202)!.body.id);
      const race = await Promise.all([post(`/runs/${next.body.id}/publish`, next.headers.etag), post(`/runs/${next.body.id}/rerun`, next.headers.etag)]);
      expect(race.map((r) => r.status).filter((s) => s < 300)).toHaveLength(1);
      expect(race.map((r) => r.status).filter((s) => s === 412)).toHaveLength(1);
      await stopWorker();
    });
  });
});
