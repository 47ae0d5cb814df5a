import fc from 'fast-check';
import { MASK, enterpriseBody, supplierBody, type ZoneWorld } from './support/factories.js';
import { ADMIN_TOKEN } from './support/test-app.js';
import { eventually, runInStatus } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

const DATE = '2026-03-03';
/** The province's night, started and finished before the fuzzing: starting it again only reads it. */
const NIGHT_DATE = '2026-03-04';
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);

type Method = 'get' | 'post' | 'patch' | 'put';

/** `n` arrays inside each other: `[[[…1…]]]`. */
const nested = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

/**
 * What the API writes itself, per table: row count and newest row version (xmin changes on every
 * insert and update). Tables only the worker writes after an accepted request (run results,
 * deliveries) are left out, and so is idempotency_keys: it records refusals by design, to replay them.
 */
const FINGERPRINT = `SELECT ${[
  'zones',
  'products',
  'organizations',
  'users',
  'api_credentials',
  'audit_log',
  'demand_reports',
  'capacity_reports',
  'run_overrides',
  'allocation_runs',
  'provinces',
  'province_zones',
  'province_nights',
  'invite_links',
  'web_sessions',
  'share_links',
]
  .map((table) => `(SELECT count(*) || '/' || coalesce(max(xmin::text::bigint), 0) FROM ${table}) AS ${table}`)
  .join(', ')}`;

/**
 * Generated malformed, oversized, wrong-typed and boundary requests against every endpoint, with
 * every kind of caller: control characters, NUL bytes and lone surrogates in strings, keys, queries
 * and paths, __proto__ keys, deep nesting, huge arrays and numeric edge cases in query strings. No
 * answer may be 5xx, every 4xx is problem+json, no refused request writes anything, and afterwards
 * the database still holds its invariants.
 */
describe('fuzzing every endpoint', () => {
  const { t, f } = useTestApp({ worker: true });
  let w: ZoneWorld;
  let runId: string;
  let pickupCode: string;
  let appointmentId: string;
  let credentialId: string;
  let provinceId: string;
  let inviteId: string;
  let inviteSecret: string;
  let memberId: string;
  let sessionId: string;
  const seen: { status: number; method: string; path: string }[] = [];

  beforeAll(async () => {
    w = await f.world();
    await t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, { serviceDate: DATE, headcount: 100, lines: [{ productCode: MASK.code }] });
    await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: 150 }] });
    const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
    const draft = await runInStatus(t, w.coordinatorToken, started.body.id);
    await t.http.raw().post(`/runs/${draft.body.id}/publish`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', draft.headers.etag);
    runId = draft.body.id;
    const schedule = await t.http.get(`/enterprises/${w.enterprise.id}/schedules/${DATE}`, w.enterprise.token);
    pickupCode = schedule.body.pickups[0].pickupCode;
    appointmentId = schedule.body.pickups[0].appointmentId;
    // A credential of its own to revoke: the fuzzing callers' tokens must keep working.
    await t.http.post(`/organizations/${w.enterprise.id}/credentials`, w.coordinatorToken, { name: 'to revoke' });
    const credentials = await t.http.get(`/credentials?organizationId=${w.enterprise.id}`, w.coordinatorToken);
    credentialId = credentials.body.items.find((c: { name: string }) => c.name === 'to revoke').id;
    provinceId = (await t.http.post('/provinces', ADMIN_TOKEN, { code: 'FUZZ', name: 'fuzz', zoneIds: [w.zoneId] })).body.id;
    await t.http.post(`/provinces/${provinceId}/nights`, ADMIN_TOKEN, { serviceDate: NIGHT_DATE });
    // Finished before the fuzzing starts, so the worker writes nothing while refusals are checked for writes.
    await eventually(async () => (await t.http.get(`/provinces/${provinceId}/nights/${NIGHT_DATE}`, ADMIN_TOKEN)).body.status === 'done', 45000, 'the province night');
    // One member signed in (a session to list and end), one link left unused (a valid sign-in for the fuzzing).
    const signedIn = await t.http.post(`/organizations/${w.enterprise.id}/members`, w.coordinatorToken, { name: 'signed in' });
    await t.http.raw().post('/sessions').send({ invite: signedIn.body.invitePath.split('#')[1] });
    sessionId = (await t.http.get(`/organizations/${w.enterprise.id}/sessions`, w.coordinatorToken)).body.items.find((s: { userId: string }) => s.userId === signedIn.body.userId).id;
    const pending = await t.http.post(`/organizations/${w.enterprise.id}/members`, w.coordinatorToken, { name: 'pending' });
    inviteId = pending.body.id;
    inviteSecret = pending.body.invitePath.split('#')[1];
    memberId = pending.body.userId;
  });

  it(`answers ${RUNS} generated requests without a 5xx, every 4xx as problem+json, and keeps the invariants`, async () => {
    const valid: Record<string, () => unknown> = {
      demand: () => ({ serviceDate: DATE, headcount: 10, lines: [{ productCode: MASK.code, stockOnHand: 1 }] }),
      capacity: () => ({ serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: 10 }] }),
      zone: () => ({ name: 'z', timeZone: 'Asia/Shanghai', cutoffTime: '20:00' }),
      product: () => ({ ...MASK, code: 'FUZZ-1' }),
      enterprise: () => enterpriseBody(),
      supplier: () => supplierBody(),
      windows: () => ({ pickupWindows: [{ start: '08:00', end: '12:00' }], slotMinutes: 30 }),
      override: () => ({ kind: 'pin', enterpriseId: w.enterprise.id, supplierId: w.supplier.id, productCode: MASK.code, units: 50, reason: 'fuzz' }),
      user: () => ({ name: 'u', role: 'coordinator', zoneId: w.zoneId }),
      credential: () => ({ name: 'n' }),
      confirm: () => ({ pickupCode }),
      webhook: () => ({ url: 'http://127.0.0.1:9/x' }),
      run: () => ({ serviceDate: DATE }),
      withdraw: () => ({ reason: 'fuzz' }),
      province: () => ({ code: 'FUZZ-2', name: 'p', timeZone: 'Asia/Shanghai', runTime: '01:00', zoneIds: [w.zoneId] }),
      night: () => ({ serviceDate: NIGHT_DATE }),
      member: () => ({ name: 'm' }),
      signIn: () => ({ invite: inviteSecret }),
      none: () => ({}),
    };
    const endpoints: { method: Method; path: string; body: keyof typeof valid }[] = [
      { method: 'post', path: '/zones', body: 'zone' },
      { method: 'patch', path: '/zones/{zone}', body: 'zone' },
      { method: 'get', path: '/zones/{zone}', body: 'none' },
      { method: 'post', path: '/zones/{zone}/products', body: 'product' },
      { method: 'patch', path: '/zones/{zone}/products/{product}', body: 'product' },
      { method: 'post', path: '/zones/{zone}/enterprises', body: 'enterprise' },
      { method: 'post', path: '/zones/{zone}/suppliers', body: 'supplier' },
      { method: 'get', path: '/zones/{zone}/organizations', body: 'none' },
      { method: 'get', path: '/organizations/{enterprise}', body: 'none' },
      { method: 'patch', path: '/enterprises/{enterprise}', body: 'enterprise' },
      { method: 'patch', path: '/suppliers/{supplier}', body: 'supplier' },
      { method: 'put', path: '/suppliers/{supplier}/pickup-windows', body: 'windows' },
      { method: 'post', path: '/organizations/{enterprise}/credentials', body: 'credential' },
      { method: 'post', path: '/users', body: 'user' },
      { method: 'get', path: '/audit-log', body: 'none' },
      { method: 'post', path: '/enterprises/{enterprise}/demand-reports', body: 'demand' },
      { method: 'get', path: '/enterprises/{enterprise}/demand-reports', body: 'none' },
      { method: 'get', path: '/enterprises/{enterprise}/demand-reports/{date}/versions', body: 'none' },
      { method: 'post', path: '/suppliers/{supplier}/capacity-reports', body: 'capacity' },
      { method: 'get', path: '/suppliers/{supplier}/capacity-reports', body: 'none' },
      { method: 'get', path: '/zones/{zone}/days/{date}', body: 'none' },
      { method: 'post', path: '/zones/{zone}/runs', body: 'run' },
      { method: 'get', path: '/zones/{zone}/runs', body: 'none' },
      { method: 'get', path: '/runs/{run}', body: 'none' },
      { method: 'get', path: '/runs/{run}/lines', body: 'none' },
      { method: 'get', path: '/runs/{run}/diff', body: 'none' },
      { method: 'post', path: '/runs/{run}/overrides', body: 'override' },
      { method: 'post', path: '/runs/{run}/rerun', body: 'none' },
      { method: 'post', path: '/runs/{run}/publish', body: 'none' },
      { method: 'get', path: '/enterprises/{enterprise}/schedules/{date}', body: 'none' },
      { method: 'get', path: '/suppliers/{supplier}/pickups/{date}', body: 'none' },
      { method: 'post', path: '/suppliers/{supplier}/pickups/confirm', body: 'confirm' },
      { method: 'put', path: '/organizations/{enterprise}/webhook', body: 'webhook' },
      { method: 'get', path: '/organizations/{enterprise}/webhook-deliveries', body: 'none' },
      { method: 'post', path: '/zones/{zone}/imports/demand', body: 'none' },
      { method: 'get', path: '/runs/{run}/exports/schedule.csv', body: 'none' },
      { method: 'get', path: '/enterprises/{enterprise}/schedules/{date}/slips/{appointment}', body: 'none' },
      { method: 'get', path: '/me', body: 'none' },
      { method: 'get', path: '/zones', body: 'none' },
      { method: 'get', path: '/zones/{zone}/products', body: 'none' },
      { method: 'get', path: '/suppliers/{supplier}/capacity-reports/{date}/versions', body: 'none' },
      { method: 'get', path: '/runs/{run}/changes', body: 'none' },
      { method: 'get', path: '/runs/{run}/explanations', body: 'none' },
      { method: 'get', path: '/runs/{run}/overrides', body: 'none' },
      { method: 'post', path: '/runs/{run}/overrides/{override}/withdraw', body: 'withdraw' },
      { method: 'post', path: '/zones/{zone}/imports/capacity', body: 'none' },
      { method: 'post', path: '/zones/{zone}/imports/organizations', body: 'none' },
      { method: 'get', path: '/runs/{run}/exports/schedule.xlsx', body: 'none' },
      { method: 'get', path: '/runs/{run}/exports/shortages.csv', body: 'none' },
      { method: 'get', path: '/runs/{run}/exports/shortages.xlsx', body: 'none' },
      { method: 'get', path: '/credentials', body: 'none' },
      { method: 'post', path: '/credentials/{credential}/revoke', body: 'none' },
      { method: 'post', path: '/enterprises/{enterprise}/schedules/{date}/slips/{appointment}/links', body: 'none' },
      { method: 'post', path: '/enterprises/{enterprise}/calendar-feed', body: 'none' },
      { method: 'post', path: '/share-links/{override}/revoke', body: 'none' },
      { method: 'get', path: '/s/{secret}', body: 'none' },
      { method: 'get', path: '/s/{secret}/qr.svg', body: 'none' },
      { method: 'get', path: '/calendars/{secret}.ics', body: 'none' },
      { method: 'get', path: '/health/live', body: 'none' },
      { method: 'get', path: '/health/ready', body: 'none' },
      { method: 'get', path: '/queues/api/queues', body: 'none' },
      { method: 'post', path: '/provinces', body: 'province' },
      { method: 'get', path: '/provinces', body: 'none' },
      { method: 'get', path: '/provinces/{province}', body: 'none' },
      { method: 'post', path: '/provinces/{province}/nights', body: 'night' },
      { method: 'get', path: '/provinces/{province}/nights', body: 'none' },
      { method: 'get', path: '/provinces/{province}/nights/{night}', body: 'none' },
      { method: 'post', path: '/organizations/{enterprise}/members', body: 'member' },
      { method: 'post', path: '/users/{user}/invites', body: 'none' },
      { method: 'get', path: '/organizations/{enterprise}/invites', body: 'none' },
      { method: 'get', path: '/organizations/{enterprise}/sessions', body: 'none' },
      { method: 'post', path: '/sessions/{session}/revoke', body: 'none' },
      { method: 'post', path: '/invites/{invite}/revoke', body: 'none' },
      { method: 'post', path: '/sessions', body: 'signIn' },
      { method: 'post', path: '/sessions/sign-out', body: 'none' },
      { method: 'get', path: '/console/context', body: 'none' },
      { method: 'get', path: '/runs/{run}/map', body: 'none' },
      { method: 'get', path: '/runs/{run}/progress', body: 'none' },
      { method: 'get', path: '/enterprises/{enterprise}/schedules/{date}/explanation', body: 'none' },
    ];
    // Every operation the API describes is fuzzed: a new endpoint fails this until it is listed above.
    const described = (await t.http.get('/docs-json', null)).body as { paths: Record<string, Record<string, unknown>> };
    const shape = (method: string, path: string) => `${method} ${path.replace(/\{[^}]+\}/g, '{}')}`;
    const fuzzed = new Set(endpoints.map((e) => shape(e.method, e.path)));
    const operations = Object.entries(described.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => shape(method, path)));
    expect(operations.filter((o) => !fuzzed.has(o))).toEqual([]);

    const weird = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('', ' ', '00000000-0000-0000-0000-000000000000', '../../etc/passwd', '%00', '\u0000', 'a\u0000b', "'; DROP TABLE zones; --", '2026-02-30', '9999-99-99', 'ñ中文🚑', 'null', '__proto__', '\u202Eevil'),
      fc.uuid(),
      fc.string({ minLength: 300, maxLength: 2000 }),
    );
    const param = (real: string) => fc.oneof({ weight: 3, arbitrary: fc.constant(real) }, { weight: 2, arbitrary: weird });
    /** Text no endpoint should store as is: controls, NUL, lone surrogates, invisible and bidi characters, blanks. */
    const hostileText = fc.oneof(
      fc.constantFrom('\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\uDBFF\uDBFF', '\t\r\n', '\u0007\u001b[31m', '\u200B', '\u202E', '\uFEFF', '   ', '\u3000', '＝1+1', '\n=1+1', 'NaN'),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => `a${String.fromCharCode(c)}b`),
      fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 10 }),
    );
    /** Structures that cost a parser or a validator: deep nesting and huge arrays (deeper ones are raw bodies below, which fast-check need not print). */
    const heavy = fc.constantFrom(nested(40), nested(1000), Array.from({ length: 50_000 }, () => 0), Array.from({ length: 2000 }, () => ({ productCode: MASK.code })));
    const boundary = fc.oneof(
      fc.constantFrom(0, -1, -0, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, '', 'x'.repeat(10_000), [], {}, null, true, '1', '2026-03-03T00:00:00Z'),
      fc.anything({ maxDepth: 3 }),
      hostileText,
      heavy,
    );
    /** Takes a valid body and breaks it: a field wrong-typed or at a boundary, a field removed, a field added, or the whole thing replaced. */
    const mutated = (base: unknown) =>
      fc.oneof(
        fc.constant(base),
        fc.tuple(fc.nat(), boundary).map(([i, v]) => {
          const o = { ...(base as Record<string, unknown>) };
          const keys = Object.keys(o);
          if (keys.length) o[keys[i % keys.length]] = v;
          return o;
        }),
        fc.nat().map((i) => {
          const o = { ...(base as Record<string, unknown>) };
          const keys = Object.keys(o);
          if (keys.length) delete o[keys[i % keys.length]];
          return o;
        }),
        fc.tuple(fc.string({ maxLength: 20 }), boundary).map(([k, v]) => ({ ...(base as Record<string, unknown>), [k || 'extra']: v })),
        fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'a\u0000', '\uD800'), boundary).map(([k, v]) => ({ ...(base as Record<string, unknown>), [k]: v })),
        heavy,
        fc.array(fc.constant(base), { minLength: 0, maxLength: 3 }),
        fc.anything({ maxDepth: 4 }),
        fc.constant({ lines: Array.from({ length: 5000 }, () => ({ productCode: MASK.code })) }),
      );
    const tokens = [null, ADMIN_TOKEN, 'ppe_garbage_token_000000000000000', 'x', '', 'Bearer'];
    const request = fc.record({
      endpoint: fc.constantFrom(...endpoints),
      params: fc.record({
        zone: param(w.zoneId),
        enterprise: param(w.enterprise.id),
        supplier: param(w.supplier.id),
        run: param(runId),
        product: param(w.productIds[MASK.code]),
        appointment: param(appointmentId),
        credential: param(credentialId),
        override: param('00000000-0000-4000-8000-000000000001'),
        date: param(DATE),
        secret: param('A'.repeat(43)),
        province: param(provinceId),
        night: param(NIGHT_DATE),
        user: param(memberId),
        session: param(sessionId),
        invite: param(inviteId),
      }),
      who: fc.nat({ max: 9 }),
      query: fc.dictionary(
        fc.constantFrom('page', 'pageSize', 'from', 'to', 'serviceDate', 'kind', 'q', 'against', 'enterpriseId', 'organizationId', 'includeRevoked', 'priorityCategory', 'zoneId', 'entityType', 'includeEnded', '__proto__'),
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.integer().map(String),
          // Numeric edge cases: overflow, signs, bases, exponents, precision beyond 2^53, padding.
          fc.constantFrom('1e309', '-0', 'NaN', 'Infinity', '-Infinity', '0x10', '0b1', '9007199254740993', '1.5', ' 1', '1 ', '+1', '00001', '-1', '0', '2147483648', '1e3', '1_000', '١'),
          hostileText,
        ),
        { maxKeys: 3 },
      ),
      raw: fc.option(
        fc.oneof(
          fc.constantFrom(
            '{"a":',
            '[]',
            'null',
            '"x"',
            '{"serviceDate":"2026-03-03","headcount":1e999}',
            'x'.repeat(300_000),
            '{"__proto__":{"role":"admin"},"name":"z"}',
            '{"name":"a\\u0000b"}',
            '{"name":"\\ud800"}',
            '['.repeat(5000) + ']'.repeat(5000),
            '{"a":'.repeat(3000) + '1' + '}'.repeat(3000),
          ),
          fc.string({ maxLength: 200 }),
        ),
        { freq: 5 },
      ),
      contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'text/csv', 'application/x-www-form-urlencoded'),
      ifMatch: fc.option(fc.constantFrom('"1"', '"999"', 'W/"2"', '*', 'garbage'), { freq: 2 }),
      idempotencyKey: fc.option(fc.oneof(fc.string({ maxLength: 30 }), fc.constant('k'.repeat(300))), { freq: 4 }),
    }).chain((r) => mutated(valid[r.endpoint.body]()).map((body) => ({ ...r, body })));

    const roles = () => [w.coordinatorToken, w.enterprise.token, w.supplier.token, ...tokens];

    let fingerprint = (await t.dataSource.query(FINGERPRINT))[0];
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let path = r.endpoint.path;
        for (const [name, value] of Object.entries(r.params)) path = path.replace(`{${name}}`, encodeURIComponent(String(value)));
        const query = new URLSearchParams(r.query).toString();
        const token = roles()[r.who % roles().length];
        let req = t.http.raw()[r.endpoint.method](path + (query ? `?${query}` : ''));
        if (token !== null) req = req.set('Authorization', token.startsWith('ppe_') ? `Bearer ${token}` : token);
        if (r.ifMatch) req = req.set('If-Match', r.ifMatch);
        if (r.idempotencyKey !== null && /^[\x20-\x7e]*$/.test(r.idempotencyKey)) req = req.set('Idempotency-Key', r.idempotencyKey);
        req = req.set('Content-Type', r.contentType);
        const res = r.endpoint.method === 'get' ? await req : await req.send(r.raw ?? JSON.stringify(r.body));
        seen.push({ status: res.status, method: r.endpoint.method, path: r.endpoint.path });
        if (res.status >= 500) throw new Error(`${r.endpoint.method.toUpperCase()} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
        // The queue dashboard is bull-board's: it answers its own JSON errors (but never a 5xx).
        const ours = !r.endpoint.path.startsWith('/queues');
        if (ours && res.status >= 400 && !/^application\/problem\+json/.test(String(res.headers['content-type']))) {
          throw new Error(`${r.endpoint.method.toUpperCase()} ${path} answered ${res.status} as ${res.headers['content-type']}`);
        }
        const now = (await t.dataSource.query(FINGERPRINT))[0];
        if (res.status >= 400 && JSON.stringify(now) !== JSON.stringify(fingerprint)) {
          throw new Error(`${r.endpoint.method.toUpperCase()} ${path} answered ${res.status} but wrote: ${JSON.stringify(fingerprint)} → ${JSON.stringify(now)}`);
        }
        fingerprint = now;
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20260303), endOnFailure: true },
    );
    expect(seen.length).toBeGreaterThanOrEqual(Math.min(RUNS, 5000));
    // The requests reached the rules, not only the front door.
    expect(seen.filter((s) => s.status < 300).length).toBeGreaterThan(50);
    expect(new Set(seen.map((s) => s.status)).size).toBeGreaterThan(6);

    // Invariants.
    const [orphans] = await t.dataSource.query(`
      SELECT (SELECT count(*) FROM demand_reports d LEFT JOIN organizations o ON o.id = d.enterprise_id AND o.kind = 'enterprise' WHERE o.id IS NULL)::int AS demand,
             (SELECT count(*) FROM capacity_reports c LEFT JOIN organizations o ON o.id = c.supplier_id AND o.kind = 'supplier' WHERE o.id IS NULL)::int AS capacity`);
    expect(orphans).toEqual({ demand: 0, capacity: 0 });
    const gaps = await t.dataSource.query(`
      SELECT enterprise_id AS org, service_date FROM demand_reports GROUP BY 1, 2 HAVING min(version) <> 1 OR max(version) <> count(*)
      UNION ALL
      SELECT supplier_id, service_date FROM capacity_reports GROUP BY 1, 2 HAVING min(version) <> 1 OR max(version) <> count(*)`);
    expect(gaps).toEqual([]);
    const runs: { id: string; input_snapshot: { suppliers: { id: string; capacity: Record<string, number> }[] } | null }[] = await t.dataSource.query(`SELECT id, input_snapshot FROM allocation_runs WHERE input_snapshot IS NOT NULL`);
    for (const run of runs) {
      const used: { supplier_id: string; product_code: string; units: string }[] = await t.dataSource.query(
        'SELECT supplier_id, product_code, sum(units) AS units FROM allocation_lines WHERE run_id = $1 GROUP BY 1, 2',
        [run.id],
      );
      for (const u of used) {
        const capacity = run.input_snapshot!.suppliers.find((s) => s.id === u.supplier_id)?.capacity[u.product_code] ?? 0;
        expect(Number(u.units)).toBeLessThanOrEqual(capacity);
      }
    }
    const [published] = await t.dataSource.query(`SELECT count(*)::int AS n FROM allocation_runs WHERE status = 'published' GROUP BY zone_id, service_date HAVING count(*) > 1`).then((r: unknown[]) => [r.length]);
    expect(published).toBe(0);
  }, 600_000);
});
