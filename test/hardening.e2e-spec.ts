import { jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import { parse } from 'csv-parse/sync';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import { QUEUES } from '#domain';
import { Factory, MASK, type ZoneWorld } from './support/factories.js';
import { ADMIN_TOKEN, createTestApp } from './support/test-app.js';
import { createTestWorker, eventually, runInStatus, type TestWorker } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

// DEFAULT_NOW: 2026-03-02 12:00 Shanghai; reports for 03-03 are open.
const DATE = '2026-03-03';

/** Issue 14: what an attacker and careless input got through, each shut and kept shut by a test here. */
describe('hardening (issue 14)', () => {
  const { t, f } = useTestApp({ reset: 'each' });

  describe('webhook egress (SSRF)', () => {
    /** Counts every TCP connection to one port on every local address, IPv4 and IPv6. */
    let trap: Server;
    let connections = 0;
    let requests: string[] = [];
    let port: number;
    // http is allowed here so that the address rule, not the scheme, is what refuses.
    const strict = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_HOSTS: '' };
    const internalTargets = () => [
      `http://127.0.0.1:${port}/hook`,
      `http://127.1.2.3:${port}/hook`,
      `http://localhost:${port}/hook`, // a host name that resolves to 127.0.0.1
      `http://10.0.0.5:${port}/hook`,
      `http://172.16.0.1:${port}/hook`,
      `http://192.168.1.1:${port}/hook`,
      `http://169.254.169.254:${port}/latest/meta-data/`,
      `http://100.64.0.1:${port}/hook`,
      `http://0.0.0.0:${port}/hook`,
      `http://224.0.0.1:${port}/hook`,
      `http://[::1]:${port}/hook`,
      `http://[::ffff:127.0.0.1]:${port}/hook`, // IPv4-mapped IPv6
      `http://[::ffff:a9fe:a9fe]:${port}/hook`, // 169.254.169.254, mapped
      `http://[fe80::1]:${port}/hook`,
      `http://[fd00::1]:${port}/hook`,
      `http://[ff02::1]:${port}/hook`,
    ];

    beforeAll(async () => {
      trap = createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        res.writeHead(200).end();
      });
      trap.on('connection', () => connections++);
      await new Promise<void>((r) => trap.listen(0, '::', r));
      port = (trap.address() as AddressInfo).port;
    });
    beforeEach(() => {
      connections = 0;
      requests = [];
    });
    afterAll(async () => {
      await new Promise((r) => trap.close(r));
    });

    it('refuses internal targets at registration, and http unless configured', async () => {
      const app = await createTestApp(undefined, strict);
      try {
        const w = await new Factory(app).world();
        for (const url of internalTargets()) {
          const res = await app.http.put(`/organizations/${w.enterprise.id}/webhook`, w.enterprise.token, { url });
          expect([url, res.status, res.body.code]).toEqual([url, 422, 'WEBHOOK_TARGET_NOT_ALLOWED']);
        }
        const [org] = await app.dataSource.query('SELECT webhook_url FROM organizations WHERE id = $1', [w.enterprise.id]);
        expect(org.webhook_url).toBeNull();
        expect(connections).toBe(0);
      } finally {
        await app.close();
      }

      // Defaults: https only.
      const defaults = await createTestApp(undefined, { WEBHOOK_ALLOW_HTTP: 'false', WEBHOOK_ALLOWED_HOSTS: '' });
      try {
        const w = await new Factory(defaults).world();
        const http = await defaults.http.put(`/organizations/${w.enterprise.id}/webhook`, w.enterprise.token, { url: 'http://93.184.216.34/hook' });
        expect([http.status, http.body.code, http.body.detail]).toEqual([422, 'WEBHOOK_TARGET_NOT_ALLOWED', 'url must be an https URL']);
        const creds = await defaults.http.put(`/organizations/${w.enterprise.id}/webhook`, w.enterprise.token, { url: 'https://user:pw@93.184.216.34/hook' });
        expect(creds.status).toBe(422);
      } finally {
        await defaults.close();
      }

      // The allow-list admits a named internal host.
      const allowing = await createTestApp(undefined, { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_HOSTS: 'localhost' });
      try {
        const w = await new Factory(allowing).world();
        const ok = await allowing.http.put(`/organizations/${w.enterprise.id}/webhook`, w.enterprise.token, { url: `http://localhost:${port}/hook` });
        expect(ok.status).toBe(200);
      } finally {
        await allowing.close();
      }
    });

    /** A delivery row and its job, as a publish creates them, for a URL stored however it got there (rebinding, older rows). */
    async function deliver(w: ZoneWorld, url: string): Promise<string> {
      await t.dataSource.query(`UPDATE organizations SET webhook_url = $2, webhook_secret = 'whsec_test' WHERE id = $1`, [w.enterprise.id, url]);
      const [{ id }] = await t.dataSource.query(
        `INSERT INTO webhook_deliveries (organization_id, event, url, payload, created_at) VALUES ($1, 'schedule.published', $2, '{"serviceDate":"2026-03-03"}', now()) RETURNING id`,
        [w.enterprise.id, url],
      );
      await t.app.get<Queue>(getQueueToken(QUEUES.webhooks)).add('deliver', { deliveryId: id }, { attempts: 2, backoff: { type: 'fixed', delay: 100 } });
      return id;
    }

    async function settled(ids: string[]): Promise<{ id: string; status: string; attempts: number; last_error: string | null; last_status_code: number | null }[]> {
      return eventually(async () => {
        const rows = await t.dataSource.query('SELECT id, status, attempts, last_error, last_status_code FROM webhook_deliveries WHERE id = ANY($1)', [ids]);
        return rows.every((r: { status: string }) => r.status !== 'pending') ? rows : undefined;
      }, 20000, 'deliveries to settle');
    }

    it('sends no request to any internal target at delivery, checking the address connected, and logs a generic error', async () => {
      const worker = await createTestWorker({ config: strict });
      try {
        const w = await f.world();
        const ids: string[] = [];
        for (const url of internalTargets()) ids.push(await deliver(w, url));
        const rows = await settled(ids);
        // Refused at once, not retried, with the same words whatever the address was.
        expect(rows.map((r) => [r.status, r.attempts, r.last_error, r.last_status_code])).toEqual(ids.map(() => ['failed', 1, 'target address not allowed', null]));
        expect(connections).toBe(0);
        expect(requests).toEqual([]);
        const log = await t.http.get(`/organizations/${w.enterprise.id}/webhook-deliveries`, w.enterprise.token);
        expect(log.status).toBe(200);
        expect(JSON.stringify(log.body.items.map((d: { lastError: string }) => d.lastError))).not.toMatch(/127\.|ECONN|::|\d{4,5}/);
      } finally {
        await worker.close();
      }
    });

    it('delivers to an allow-listed host, follows no redirect, and shows connection failures generically', async () => {
      // The control: the same trap, reached through an allow-listed name, does receive the POST.
      const worker = await createTestWorker({ config: { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_HOSTS: 'localhost' } });
      const redirector = createServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/redirected` }).end());
      await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
      try {
        const w = await f.world();
        const delivered = await deliver(w, `http://localhost:${port}/hook`);
        const redirected = await deliver(w, `http://localhost:${(redirector.address() as AddressInfo).port}/hook`);
        const closed = await deliver(w, 'http://localhost:9/hook');
        const rows = new Map((await settled([delivered, redirected, closed])).map((r) => [r.id, r]));
        expect(rows.get(delivered)).toMatchObject({ status: 'delivered', last_status_code: 200 });
        expect(rows.get(redirected)).toMatchObject({ status: 'failed', last_status_code: 302, last_error: 'receiver answered 302' });
        expect(rows.get(closed)).toMatchObject({ status: 'failed', last_status_code: null, last_error: 'could not connect' });
        expect(requests).toEqual(['POST /hook']); // never /redirected
      } finally {
        await worker.close();
        await new Promise((r) => redirector.close(r));
      }
    });
  });

  describe('CSV exports', () => {
    const hostile = ['\n=1+1', ' =1+1', '\u3000=1+1', '＝1+1', '\u200B=1+1', '\t=1+1', '\uFEFF@SUM(A1)', '－1+1', '＋1+1'];
    let worker: TestWorker;

    beforeAll(async () => {
      worker = await createTestWorker();
    });
    afterAll(async () => {
      await worker.close();
    });

    it('quote fields with line breaks and neutralise formulas behind blanks and full-width signs', async () => {
      const w = await f.world();
      const names: string[] = [];
      for (const [i, prefix] of hostile.entries()) {
        const name = `${prefix} 企业${i}`;
        names.push(name);
        const e = await f.enterprise(w.zoneId, w.coordinatorToken, { name });
        const demand = await t.http.post(`/enterprises/${e.id}/demand-reports`, e.token, { serviceDate: DATE, headcount: 100, lines: [{ productCode: MASK.code }] });
        expect(demand.status).toBe(201);
      }
      // Half of what is needed: everyone gets some (schedule) and is left short (shortages).
      await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: 50 * 2 * hostile.length }] });
      const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
      await runInStatus(t, w.coordinatorToken, started.body.id);

      for (const file of ['schedule.csv', 'shortages.csv']) {
        const res = await t.http.raw().get(`/runs/${started.body.id}/exports/${file}`).set('Authorization', `Bearer ${w.coordinatorToken}`).buffer(true).parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
        expect(res.status).toBe(200);
        const text = (res.body as Buffer).toString('utf8').replace(/^\uFEFF/, '');
        // Every physical line is a whole record: a bare LF inside a name is quoted.
        const rows: string[][] = parse(text, { relaxQuotes: false });
        const enterpriseCells = rows.slice(1).map((r) => r[0]);
        expect(new Set(enterpriseCells)).toEqual(new Set(names.map((n) => `'${n}`)));
        expect(text).toContain('"\'\n=1+1 企业0"');
      }
    });
  });

  describe('bad input answers 4xx, never 500, and writes nothing', () => {
    it('refuses NUL bytes in any string field, query or path', async () => {
      const w = await f.world();
      const before = await t.dataSource.query('SELECT (SELECT count(*) FROM zones)::int AS zones, (SELECT count(*) FROM audit_log)::int AS audit');
      const calls = [
        t.http.post('/zones', ADMIN_TOKEN, { name: 'a\u0000b' }),
        t.http.patch(`/enterprises/${w.enterprise.id}`, w.coordinatorToken, { address: 'x\u0000' }),
        t.http.post(`/zones/${w.zoneId}/products`, w.coordinatorToken, { ...MASK, code: 'NUL-1', nameEn: 'mask\u0000' }),
        t.http.put(`/organizations/${w.enterprise.id}/webhook`, w.enterprise.token, { url: 'http://127.0.0.1:9/\u0000' }),
        t.http.post(`/organizations/${w.enterprise.id}/credentials`, w.coordinatorToken, { name: 'n\u0000' }),
        t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, { serviceDate: DATE, headcount: 1, lines: [{ productCode: 'MASK\u0000' }] }),
        t.http.post('/zones', ADMIN_TOKEN, { ['na\u0000me']: 'z' }),
        t.http.get(`/zones/${w.zoneId}/organizations?q=%00`, w.coordinatorToken),
        t.http.get(`/audit-log?entityType=a%00b`, ADMIN_TOKEN),
        t.http.get(`/zones/${w.zoneId}%00`, ADMIN_TOKEN),
        t.http.post('/zones', ADMIN_TOKEN, { name: 'lone \uD800 surrogate' }),
      ];
      for (const res of await Promise.all(calls)) {
        expect([res.status, res.headers['content-type']]).toEqual([400, expect.stringMatching(/^application\/problem\+json/)]);
      }
      const after = await t.dataSource.query('SELECT (SELECT count(*) FROM zones)::int AS zones, (SELECT count(*) FROM audit_log)::int AS audit');
      expect(after).toEqual(before);
    });

    it('refuses deep nesting and __proto__ keys', async () => {
      const deep = '['.repeat(2000) + ']'.repeat(2000);
      for (const body of [`{"name":"z","tierMapping":${deep}}`, deep, `{"name":"z","__proto__":{"name":"x"}}`, `{"name":"z","constructor":{"prototype":{"x":1}}}`]) {
        const res = await t.http.raw().post('/zones').set('Authorization', `Bearer ${ADMIN_TOKEN}`).set('Content-Type', 'application/json').send(body);
        expect([res.status, res.body.code]).toEqual([400, 'INVALID_INPUT']);
      }
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM zones')).toEqual([{ n: 0 }]);
      expect(({} as Record<string, unknown>).name).toBeUndefined();
    });

    it('refuses names with nothing visible in them', async () => {
      const w = await f.world();
      for (const [path, token, body] of [
        ['/zones', ADMIN_TOKEN, { name: '   ' }],
        [`/zones/${w.zoneId}/enterprises`, w.coordinatorToken, { name: '\u3000\u200B\t' }],
        [`/zones/${w.zoneId}/products`, w.coordinatorToken, { ...MASK, code: 'BLANK-1', nameZh: ' ' }],
        [`/organizations/${w.enterprise.id}/credentials`, w.coordinatorToken, { name: '\n' }],
        ['/users', ADMIN_TOKEN, { name: '\u00A0', role: 'admin' }],
      ] as const) {
        const res = await t.http.post(path, token, body);
        expect([path, res.status, res.body.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
      }
    });

    it('refuses an auto-publish time at or before the run time', async () => {
      const early = await t.http.post('/zones', ADMIN_TOKEN, { name: 'z', runTime: '01:00', autoPublishTime: '00:30' });
      expect([early.status, early.body.code]).toEqual([422, 'AUTO_PUBLISH_BEFORE_RUN']);
      const w = await f.world({ autoPublishTime: '06:00' });
      const same = await t.http.patch(`/zones/${w.zoneId}`, w.coordinatorToken, { autoPublishTime: '01:00' });
      expect([same.status, same.body.code]).toEqual([422, 'AUTO_PUBLISH_BEFORE_RUN']);
      const later = await t.http.patch(`/zones/${w.zoneId}`, w.coordinatorToken, { runTime: '07:00' });
      expect([later.status, later.body.code]).toEqual([422, 'AUTO_PUBLISH_BEFORE_RUN']);
      const both = await t.http.patch(`/zones/${w.zoneId}`, w.coordinatorToken, { runTime: '07:00', autoPublishTime: '08:00' });
      expect(both.status).toBe(200);
    });
  });

  describe('credentials', () => {
    it('lists and revokes: admins any credential, coordinators their zone’s members only, audited', async () => {
      const w = await f.world();
      const b = await f.world();
      const list = await t.http.get(`/credentials?organizationId=${w.enterprise.id}`, w.coordinatorToken);
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({ organizationId: w.enterprise.id, role: 'enterprise', zoneId: w.zoneId, revokedAt: null });
      expect(JSON.stringify(list.body)).not.toContain(w.enterprise.token);
      // A coordinator sees the zone's members, never staff or other zones.
      const mine = await t.http.get('/credentials', w.coordinatorToken);
      expect(mine.body.items.map((c: { organizationId: string }) => c.organizationId).sort()).toEqual([w.enterprise.id, w.supplier.id].sort());
      const all = await t.http.get('/credentials', ADMIN_TOKEN);
      expect(all.body.total).toBe(7); // admin, two coordinators, four members
      for (const token of [w.enterprise.token, w.supplier.token]) expect((await t.http.get('/credentials', token)).status).toBe(403);

      const foreign = (await t.http.get(`/credentials?organizationId=${b.enterprise.id}`, ADMIN_TOKEN)).body.items[0].id;
      const coordinatorOfB = all.body.items.find((c: { role: string; zoneId: string }) => c.role === 'coordinator' && c.zoneId === b.zoneId).id;
      for (const id of [foreign, coordinatorOfB]) {
        const res = await t.http.post(`/credentials/${id}/revoke`, w.coordinatorToken);
        expect([res.status, res.body.code]).toEqual([404, 'CREDENTIAL_NOT_FOUND']);
      }

      const id = list.body.items[0].id;
      expect((await t.http.get('/me', w.enterprise.token)).status).toBe(200); // cached now
      const revoked = await t.http.post(`/credentials/${id}/revoke`, w.coordinatorToken);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      // Stops at once in the process that revoked it, cache or not.
      const after = await t.http.get('/me', w.enterprise.token);
      expect([after.status, after.body.code]).toEqual([401, 'INVALID_TOKEN']);
      const again = await t.http.post(`/credentials/${id}/revoke`, w.coordinatorToken);
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
      const audit = await t.http.get(`/audit-log?entityType=api_credential&entityId=${id}`, ADMIN_TOKEN);
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({ action: 'credential.revoke', actorRole: 'coordinator', zoneId: w.zoneId });
      expect((await t.http.get(`/credentials?organizationId=${w.enterprise.id}`, w.coordinatorToken)).body.items).toEqual([]);
      expect((await t.http.get(`/credentials?organizationId=${w.enterprise.id}&includeRevoked=true`, w.coordinatorToken)).body.items).toHaveLength(1);
      // Admins revoke staff credentials too.
      expect((await t.http.post(`/credentials/${coordinatorOfB}/revoke`, ADMIN_TOKEN)).status).toBe(200);
      expect((await t.http.get('/me', b.coordinatorToken)).status).toBe(401);
    });

    it('a revocation reaches another API process within its cache time', async () => {
      const other = await createTestApp(undefined, { CREDENTIAL_CACHE_MS: '1500' });
      try {
        const w = await f.world();
        expect((await other.http.get('/me', w.enterprise.token)).status).toBe(200);
        const id = (await t.http.get(`/credentials?organizationId=${w.enterprise.id}`, w.coordinatorToken)).body.items[0].id;
        const revokedAt = Date.now();
        expect((await t.http.post(`/credentials/${id}/revoke`, w.coordinatorToken)).status).toBe(200);
        await eventually(async () => (await other.http.get('/me', w.enterprise.token)).status === 401, 5000, 'the other process to refuse the token');
        expect(Date.now() - revokedAt).toBeLessThan(1500 + 1000);
      } finally {
        await other.close();
      }
    });

    it('limits failed authentication per client address before any database query', async () => {
      const limited = await createTestApp(undefined, { AUTH_FAILURES_PER_MINUTE: '5', QUEUE_PREFIX: `t${process.pid}auth` });
      try {
        const me = (token: string) => limited.http.raw().get('/me').set('Authorization', `Bearer ${token}`);
        expect((await me(ADMIN_TOKEN)).status).toBe(200); // cached from here on
        const random = () => `ppe_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
        for (let i = 0; i < 5; i++) expect((await me(random())).status).toBe(401);
        const queries = jest.spyOn(limited.dataSource, 'query');
        const statuses: number[] = [];
        for (let i = 0; i < 100; i++) {
          const res = await me(random());
          statuses.push(res.status);
          if (i === 0) expect(res.body.code).toBe('TOO_MANY_AUTH_FAILURES');
        }
        expect(new Set(statuses)).toEqual(new Set([429]));
        expect(queries).not.toHaveBeenCalled();
        queries.mockRestore();
        expect((await me(ADMIN_TOKEN)).status).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it('accepts the bearer scheme in any case', async () => {
      for (const scheme of ['bearer', 'BEARER', 'Bearer', 'bEaReR']) {
        const res = await t.http.raw().get('/me').set('Authorization', `${scheme} ${ADMIN_TOKEN}`);
        expect([scheme, res.status]).toEqual([scheme, 200]);
      }
      expect((await t.http.raw().get('/me').set('Authorization', `Basic ${ADMIN_TOKEN}`)).status).toBe(401);
    });
  });

  describe('smaller holes', () => {
    it('refuses TRUNCATE of the audit log, as it refuses UPDATE and DELETE', async () => {
      await f.world();
      await expect(t.dataSource.query('TRUNCATE audit_log')).rejects.toThrow('append-only');
      await expect(t.dataSource.query('DELETE FROM audit_log')).rejects.toThrow('append-only');
      expect((await t.dataSource.query('SELECT count(*)::int AS n FROM audit_log'))[0].n).toBeGreaterThan(0);
    });

    it('shows the queue dashboard, which lists every zone’s jobs, to admins only', async () => {
      const w = await f.world();
      expect((await t.http.get('/queues/api/queues', w.coordinatorToken)).status).toBe(403);
      expect((await t.http.get('/queues/api/queues', ADMIN_TOKEN)).status).toBe(200);
    });
  });
});
