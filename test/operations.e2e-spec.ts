import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES } from '#domain';
import { LOG_DESTINATION } from '../apps/api/src/observability/observability.module.js';
import { Factory, MASK, type ZoneWorld } from './support/factories.js';
import { ADMIN_TOKEN, createTestApp, DEFAULT_NOW, resetData, type TestApp } from './support/test-app.js';
import { clearQueues, createTestWorker, eventually, type TestWorker } from './support/test-worker.js';

// DEFAULT_NOW: 2026-03-02 12:00 Shanghai; reports for 03-03 are open.
const DATE = '2026-03-03';

type LogLine = Record<string, unknown>;

/** A pino destination that keeps every JSON line, so the test reads what production writes to stdout. */
function captureLogs(): { lines: LogLine[]; write(chunk: string): void } {
  const lines: LogLine[] = [];
  return {
    lines,
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
    },
  };
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text exposition into samples. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

const find = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('operations: metrics, queue dashboard, request ids in JSON logs, readiness', () => {
  const logs = captureLogs();
  let worker: TestWorker;
  let t: TestApp;
  let f: Factory;
  let w: ZoneWorld;

  beforeAll(async () => {
    // The worker first: Nest's logger is process-wide, and the API app created last installs the
    // capturing JSON logger, so the worker's lines (same process here) are captured too.
    worker = await createTestWorker();
    t = await createTestApp(DEFAULT_NOW, { LOG_LEVEL: 'log' }, (b) => b.overrideProvider(LOG_DESTINATION).useValue(logs));
    f = new Factory(t);
    await resetData(t);
    w = await f.world();
  });
  afterAll(async () => {
    expect(t.statuses.filter((s) => s >= 500)).toEqual([]);
    await worker.close();
    await t.close();
    await clearQueues();
  });

  const metrics = async () => {
    const res = await t.http.get('/metrics', null);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return parseMetrics(res.text);
  };

  describe('request ids and JSON logs', () => {
    it('echoes a sane X-Request-Id and writes one JSON access line carrying it, without the credential', async () => {
      const res = await t.http.raw().get(`/zones/${w.zoneId}`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('X-Request-Id', 'ops-check-42');
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toBe('ops-check-42');
      const line = await eventually(async () => logs.lines.find((l) => l.requestId === 'ops-check-42' && l.msg === 'request completed'), 2000, 'access log line');
      expect(line).toMatchObject({ level: 'info', service: 'api', method: 'GET', route: '/zones/:zoneId', path: `/zones/${w.zoneId}`, status: 200, role: 'coordinator' });
      expect(line.durationMs).toEqual(expect.any(Number));
      expect(typeof line.time).toBe('string');
      expect(JSON.stringify(logs.lines)).not.toContain(w.coordinatorToken);
      expect(JSON.stringify(logs.lines)).not.toContain(ADMIN_TOKEN);
    });

    it('gives a request without a usable X-Request-Id a new UUID', async () => {
      const none = await t.http.get('/health/live', null);
      expect(none.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const unsafe = await t.http.raw().get('/health/live').set('X-Request-Id', '"><script> x');
      expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const tooLong = await t.http.raw().get('/health/live').set('X-Request-Id', 'a'.repeat(200));
      expect(tooLong.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const ids = logs.lines.filter((l) => l.msg === 'request completed' && l.route === '/health/live').map((l) => l.requestId);
      expect(ids).toEqual(expect.arrayContaining([none.headers['x-request-id'], unsafe.headers['x-request-id'], tooLong.headers['x-request-id']]));
    });
  });

  describe('metrics', () => {
    it('times HTTP requests by method, route template and status, never by raw URL', async () => {
      await t.http.get(`/zones/${w.zoneId}`, w.coordinatorToken);
      await t.http.get(`/zones/${w.zoneId}/products`, w.enterprise.token);
      await t.http.get('/no/such/route', w.coordinatorToken);
      const samples = await metrics();
      const zone = find(samples, 'ppe_http_request_duration_seconds_count', { method: 'GET', route: '/zones/:zoneId', status_code: '200' });
      expect(zone).toHaveLength(1);
      expect(zone[0].value).toBeGreaterThanOrEqual(2); // this test's call and the access-log test's
      expect(find(samples, 'ppe_http_request_duration_seconds_bucket', { route: '/zones/:zoneId/products', status_code: '200', le: '+Inf' })[0].value).toBeGreaterThanOrEqual(1);
      expect(find(samples, 'ppe_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' })[0].value).toBeGreaterThanOrEqual(1);
      const routes = samples.filter((s) => s.name.startsWith('ppe_http_request_duration_seconds')).map((s) => s.labels.route);
      expect(routes.some((r) => r.includes(w.zoneId) || r.includes('/no/such'))).toBe(false);
      expect(find(samples, 'process_cpu_user_seconds_total', {})).toHaveLength(1); // Node process metrics too
    });

    it('reports queue depth per queue and state', async () => {
      const depth = (samples: Sample[], queue: string, state: string) => find(samples, 'ppe_queue_jobs', { queue, state })[0]?.value;
      const before = await metrics();
      for (const queue of Object.values(QUEUES)) {
        for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(depth(before, queue, state)).toEqual(expect.any(Number));
      }
      expect(find(before, 'ppe_metrics_source_up', { source: 'redis' })[0].value).toBe(1);
      // A delayed job shows up in the delayed count of its queue (and is removed before the worker could run it).
      const webhooks = t.app.get<Queue>(getQueueToken(QUEUES.webhooks));
      const job = await webhooks.add('deliver', { deliveryId: '00000000-0000-4000-8000-000000000000' }, { delay: 3_600_000 });
      try {
        await new Promise((r) => setTimeout(r, 1100)); // past the scrape's shared read of the sources
        const after = await metrics();
        expect(depth(after, QUEUES.webhooks, 'delayed')).toBe(depth(before, QUEUES.webhooks, 'delayed') + 1);
      } finally {
        await job.remove();
      }
    });

    it('exports the latest published run’s fill ratios per zone, product and tier, and run timings; worker lines carry the job', async () => {
      // Masks short: 800 needed (400 on site × 2), 500 offered.
      const demand = await t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, { serviceDate: DATE, headcount: 400, lines: [{ productCode: MASK.code }] });
      expect(demand.status).toBe(201);
      const capacity = await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: 500 }] });
      expect(capacity.status).toBe(201);
      const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
      expect(started.status).toBe(202);
      const draft = await eventually(async () => {
        const r = await t.http.get(`/runs/${started.body.id}`, w.coordinatorToken);
        if (r.body.status === 'failed') throw new Error(`run failed: ${r.body.failureReason}`);
        return r.body.status === 'draft' ? r : undefined;
      }, 30000, 'the draft');

      // Not published yet: no fill ratio for the zone.
      expect(find(await metrics(), 'ppe_run_fill_ratio', { zone_id: w.zoneId })).toEqual([]);

      const published = await t.http.raw().post(`/runs/${started.body.id}/publish`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', draft.headers.etag);
      expect(published.status).toBe(200);
      const masks = (published.body.figures.byProduct as { productCode: string; fillRatioByTier: Record<string, number>; minFillRatioByTier: Record<string, number> }[]).find(
        (p) => p.productCode === MASK.code,
      );
      expect(masks?.fillRatioByTier['3']).toBe(0.625);

      await new Promise((r) => setTimeout(r, 1100));
      const samples = await metrics();
      const zoneName = (await t.http.get(`/zones/${w.zoneId}`, w.coordinatorToken)).body.name as string;
      const labels = { zone: zoneName, zone_id: w.zoneId, product: MASK.code, tier: '3' };
      expect(find(samples, 'ppe_run_fill_ratio', labels).map((s) => s.value)).toEqual([masks?.fillRatioByTier['3']]);
      expect(find(samples, 'ppe_run_min_fill_ratio', labels).map((s) => s.value)).toEqual([masks?.minFillRatioByTier['3']]);
      const phase = (name: string) => find(samples, 'ppe_run_phase_seconds', { zone_id: w.zoneId, phase: name }).map((s) => s.value);
      expect(phase('solve')).toEqual([published.body.solveMs / 1000]);
      expect(phase('snapshot')).toEqual([expect.any(Number)]);
      expect(phase('write')).toEqual([expect.any(Number)]);
      // Measured by the worker (performance.now), not from the pinned clock: the whole run, so at least its phases.
      const [total] = find(samples, 'ppe_run_duration_seconds', { zone_id: w.zoneId }).map((s) => s.value);
      expect(total).toBeGreaterThan(0);
      expect(total).toBeGreaterThanOrEqual(phase('solve')[0] + phase('write')[0] + phase('snapshot')[0] - 0.003); // each phase rounded to 1 ms
      expect(find(samples, 'ppe_metrics_source_up', { source: 'postgres' })[0].value).toBe(1);

      // The worker's lines for that run carry the job's queue, name and id.
      const runLine = logs.lines.find((l) => l.context === 'AllocationRunner' && String(l.msg).includes(started.body.id));
      expect(runLine).toMatchObject({ queue: QUEUES.allocation, jobName: 'run', jobId: expect.any(String) });
      expect(logs.lines).toContainEqual(expect.objectContaining({ context: 'Jobs', msg: 'job completed', jobId: runLine?.jobId, durationMs: expect.any(Number) }));
    });
  });

  describe('queue dashboard at /queues', () => {
    it('answers 401 without a token and 403 to enterprise and supplier tokens, as problem+json', async () => {
      const anonymous = await t.http.get('/queues', null);
      expect([anonymous.status, anonymous.body.code]).toEqual([401, 'UNAUTHENTICATED']);
      expect(anonymous.headers['content-type']).toContain('application/problem+json');
      const unknown = await t.http.get('/queues/api/queues', 'ppe_not_a_real_token_0000000000');
      expect([unknown.status, unknown.body.code]).toEqual([401, 'INVALID_TOKEN']);
      for (const token of [w.enterprise.token, w.supplier.token]) {
        for (const path of ['/queues', '/queues/api/queues']) {
          const res = await t.http.get(path, token);
          expect([res.status, res.body.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
        }
      }
    });

    it('shows every queue (allocation, webhooks, province, maintenance) to admins only, read-only', async () => {
      // Coordinators would see other zones' job ids: the board cannot filter by zone.
      for (const path of ['/queues', '/queues/api/queues']) {
        const coordinator = await t.http.get(path, w.coordinatorToken);
        expect([coordinator.status, coordinator.body.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
      }
      for (const token of [ADMIN_TOKEN]) {
        const page = await t.http.get('/queues', token);
        expect(page.status).toBe(200);
        expect(page.headers['content-type']).toContain('text/html');
        const api = await t.http.get('/queues/api/queues', token);
        expect(api.status).toBe(200);
        const queues = api.body.queues as { name: string; readOnlyMode: boolean }[];
        expect(queues.map((q) => q.name).sort()).toEqual(Object.values(QUEUES).sort());
        expect(queues.every((q) => q.readOnlyMode)).toBe(true);
      }
      const retry = await t.http.put(`/queues/api/queues/${QUEUES.allocation}/retry/failed`, ADMIN_TOKEN);
      expect([retry.status, retry.body.code]).toEqual([403, 'DASHBOARD_READ_ONLY']);
      const line = logs.lines.find((l) => l.msg === 'request completed' && l.path === '/queues/api/queues' && l.status === 200);
      expect(line).toMatchObject({ route: '/queues' });
    });
  });

  describe('readiness when Redis is unreachable', () => {
    let down: TestApp;
    const downLogs = captureLogs();

    beforeAll(async () => {
      // An app of its own pointed at a closed port: the shared Redis keeps serving everyone else.
      down = await createTestApp(DEFAULT_NOW, { REDIS_URL: 'redis://127.0.0.1:1' }, (b) => b.overrideProvider(LOG_DESTINATION).useValue(downLogs));
    });
    afterAll(async () => {
      await down.close();
      // ioredis keeps a 2 s timer after disconnecting a socket that never connected; let it lapse so Jest exits cleanly.
      await new Promise((r) => setTimeout(r, 2100));
    });

    it('answers 503 problem+json NOT_READY naming redis, logged with the request id', async () => {
      const res = await down.http.raw().get('/health/ready').set('X-Request-Id', 'ready-check-7');
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ status: 503, code: 'NOT_READY' });
      expect(res.body.detail).toContain('redis');
      expect(res.body.detail).not.toContain('postgres');
      // The problem filter logs 5xx through Nest's Logger: JSON, with the request's id.
      expect(downLogs.lines).toContainEqual(expect.objectContaining({ level: 'error', context: 'Problem', requestId: 'ready-check-7' }));
      // Metrics still answer, saying Redis could not be read.
      const samples = parseMetrics((await down.http.get('/metrics', null)).text);
      expect(find(samples, 'ppe_metrics_source_up', { source: 'redis' })[0].value).toBe(0);
      expect(find(samples, 'ppe_metrics_source_up', { source: 'postgres' })[0].value).toBe(1);
      expect(find(samples, 'ppe_queue_jobs', {})).toEqual([]);
    });
  });
});
