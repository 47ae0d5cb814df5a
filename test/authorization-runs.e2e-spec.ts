import { MASK, type ZoneWorld } from './support/factories.js';
import { ACTORS, castActors, row, type Actor } from './support/actors.js';
import { createTestWorker, runInStatus } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

const DATE = '2026-03-03';

type Expected = number | number[];

interface Endpoint {
  name: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: () => string;
  body?: () => string | object;
  contentType?: string;
  headers?: () => Promise<Record<string, string>>;
  expect: Record<Actor, Expected>;
}

/**
 * The authorization matrix of the daily cycle's endpoints: runs, overrides, re-runs, publishing,
 * schedules, slips, pickups, webhooks, exports, imports and the queue dashboard. Where a call
 * changes state the second staff call may meet the changed state (e.g. 409 after a publish): the
 * row lists what each caller may get, and never a success for a caller who must not act.
 */
describe('authorization matrix: runs, schedules, pickups, exports, imports, dashboard', () => {
  const { t } = useTestApp();
  let w: ZoneWorld;
  let tokens: Record<Actor, string | null>;
  let published: string;
  let draft: string;
  let pickupCode: string;
  let appointmentId: string;
  let slipLink: { id: string; path: string };
  let calendarPath: string;

  beforeAll(async () => {
    ({ w, tokens } = await castActors(t));
    await t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, { serviceDate: DATE, headcount: 100, lines: [{ productCode: MASK.code }] });
    await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: DATE, lines: [{ productCode: MASK.code, quantity: 1000 }] });
    // Two computed runs: the first published, the second a draft. The worker then stops, so runs started below stay queued.
    const worker = await createTestWorker();
    const computed = async () => {
      const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
      return runInStatus(t, w.coordinatorToken, started.body.id);
    };
    const first = await computed();
    await t.http.raw().post(`/runs/${first.body.id}/publish`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', first.headers.etag);
    published = first.body.id;
    draft = (await computed()).body.id;
    await worker.close();
    t.clock.set(new Date(`${DATE}T01:30:00Z`)); // the service day in Shanghai: pickups can be confirmed
    const schedule = await t.http.get(`/enterprises/${w.enterprise.id}/schedules/${DATE}`, w.enterprise.token);
    pickupCode = schedule.body.pickups[0].pickupCode;
    appointmentId = schedule.body.pickups[0].appointmentId;
    const shared = await t.http.post(`/enterprises/${w.enterprise.id}/schedules/${DATE}/slips/${appointmentId}/links`, w.enterprise.token);
    slipLink = { id: shared.body.id, path: new URL(shared.body.url).pathname };
    calendarPath = new URL((await t.http.post(`/enterprises/${w.enterprise.id}/calendar-feed`, w.enterprise.token)).body.url).pathname;
  });

  const etagOf = (runId: string) => async () => ({ 'If-Match': (await t.http.get(`/runs/${runId}`, w.coordinatorToken)).headers.etag as string });

  //                                                                  anon admin coord otherC ent otherE sup otherS foreignE
  const endpoints = (): Endpoint[] => [
    { name: 'GET /zones/:id/runs', method: 'get', path: () => `/zones/${w.zoneId}/runs`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /runs/:id', method: 'get', path: () => `/runs/${published}`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /runs/:id/lines', method: 'get', path: () => `/runs/${published}/lines`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /runs/:id/explanations', method: 'get', path: () => `/runs/${published}/explanations`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /runs/:id/diff', method: 'get', path: () => `/runs/${draft}/diff?against=${published}`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /runs/:id/overrides', method: 'get', path: () => `/runs/${draft}/overrides`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /runs/:id/map', method: 'get', path: () => `/runs/${published}/map`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /runs/:id/progress', method: 'get', path: () => `/runs/${draft}/progress`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    {
      name: 'GET /enterprises/:id/schedules/:date/explanation',
      method: 'get',
      path: () => `/enterprises/${w.enterprise.id}/schedules/${DATE}/explanation`,
      expect: row(401, 200, 200, 404, 200, 404, 403, 403, 404),
    },
    {
      name: 'POST /runs/:id/overrides',
      method: 'post',
      path: () => `/runs/${draft}/overrides`,
      headers: etagOf(draft),
      body: () => ({ kind: 'exclude', enterpriseId: w.enterprise.id, supplierId: w.supplier.id, reason: 'matrix check' }),
      expect: row(401, 201, 201, 404, 403, 403, 403, 403, 403),
    },
    { name: 'GET /runs/:id/exports/schedule.csv', method: 'get', path: () => `/runs/${published}/exports/schedule.csv`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /runs/:id/exports/schedule.xlsx', method: 'get', path: () => `/runs/${published}/exports/schedule.xlsx`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /runs/:id/exports/shortages.csv', method: 'get', path: () => `/runs/${published}/exports/shortages.csv`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /enterprises/:id/schedules/:date', method: 'get', path: () => `/enterprises/${w.enterprise.id}/schedules/${DATE}`, expect: row(401, 200, 200, 404, 200, 404, 403, 403, 404) },
    {
      name: 'GET /enterprises/:id/schedules/:date/slips/:appointment',
      method: 'get',
      path: () => `/enterprises/${w.enterprise.id}/schedules/${DATE}/slips/${appointmentId}`,
      expect: row(401, 200, 200, 404, 200, 404, 403, 403, 404),
    },
    // Share links open without a credential, whoever calls; creating and revoking them is the enterprise's and its staff's.
    { name: 'GET /s/:secret (public)', method: 'get', path: () => slipLink.path, expect: row(200, 200, 200, 200, 200, 200, 200, 200, 200) },
    { name: 'GET /s/:secret/qr.svg (public)', method: 'get', path: () => `${slipLink.path}/qr.svg`, expect: row(200, 200, 200, 200, 200, 200, 200, 200, 200) },
    { name: 'GET /calendars/:secret.ics (public)', method: 'get', path: () => calendarPath, expect: row(200, 200, 200, 200, 200, 200, 200, 200, 200) },
    {
      name: 'POST /enterprises/:id/schedules/:date/slips/:appointment/links',
      method: 'post',
      path: () => `/enterprises/${w.enterprise.id}/schedules/${DATE}/slips/${appointmentId}/links`,
      body: () => ({ validForHours: 1 }),
      expect: row(401, 201, 201, 404, 201, 404, 403, 403, 404),
    },
    { name: 'POST /enterprises/:id/calendar-feed', method: 'post', path: () => `/enterprises/${w.enterprise.id}/calendar-feed`, expect: row(401, 201, 201, 404, 201, 404, 403, 403, 404) },
    { name: 'POST /share-links/:id/revoke', method: 'post', path: () => `/share-links/${slipLink.id}/revoke`, expect: row(401, 200, 200, 404, 200, 404, 403, 403, 404) },
    { name: 'GET /suppliers/:id/pickups/:date', method: 'get', path: () => `/suppliers/${w.supplier.id}/pickups/${DATE}`, expect: row(401, 200, 200, 404, 403, 403, 200, 404, 403) },
    {
      name: 'POST /suppliers/:id/pickups/confirm',
      method: 'post',
      path: () => `/suppliers/${w.supplier.id}/pickups/confirm`,
      body: () => ({ pickupCode }),
      expect: row(401, 200, 200, 404, 403, 403, 200, 404, 403),
    },
    { name: 'PUT /organizations/:id/webhook', method: 'put', path: () => `/organizations/${w.enterprise.id}/webhook`, body: () => ({ url: 'http://127.0.0.1:9/h' }), expect: row(401, 200, 200, 404, 200, 404, 404, 404, 404) },
    { name: 'GET /organizations/:id/webhook-deliveries', method: 'get', path: () => `/organizations/${w.enterprise.id}/webhook-deliveries`, expect: row(401, 200, 200, 404, 200, 404, 404, 404, 404) },
    {
      name: 'POST /zones/:id/imports/demand',
      method: 'post',
      path: () => `/zones/${w.zoneId}/imports/demand?serviceDate=${DATE}`,
      contentType: 'text/csv',
      body: () => 'creditCode,headcount,productCode\n',
      expect: row(401, 422, 422, 404, 403, 403, 403, 403, 403),
    },
    { name: 'POST /zones/:id/runs', method: 'post', path: () => `/zones/${w.zoneId}/runs`, body: () => ({ serviceDate: DATE }), expect: row(401, 202, 202, 404, 403, 403, 403, 403, 403) },
    { name: 'POST /runs/:id/rerun', method: 'post', path: () => `/runs/${draft}/rerun`, headers: etagOf(draft), expect: row(401, 202, 202, 404, 403, 403, 403, 403, 403) },
    // The first staff call publishes; the second finds the run already published.
    { name: 'POST /runs/:id/publish', method: 'post', path: () => `/runs/${draft}/publish`, headers: etagOf(draft), expect: row<Expected>(401, [200, 409], [200, 409], 404, 403, 403, 403, 403, 403) },
    // The queue dashboard shows every zone's jobs and cannot filter them by zone: admins only.
    { name: 'GET /queues', method: 'get', path: () => '/queues', expect: row(401, 200, 403, 403, 403, 403, 403, 403, 403) },
    // The audit log can be read by admins but never changed: there is no route to change it.
    { name: 'PATCH /audit-log', method: 'patch', path: () => '/audit-log', body: () => ({}), expect: row(404, 404, 404, 404, 404, 404, 404, 404, 404) },
    { name: 'DELETE /audit-log', method: 'delete', path: () => '/audit-log', expect: row(404, 404, 404, 404, 404, 404, 404, 404, 404) },
  ];

  it('gives each role and each foreign organization exactly the access it should', async () => {
    const mismatches: string[] = [];
    for (const e of endpoints()) {
      for (const actor of ACTORS) {
        let req = t.http.raw()[e.method](e.path());
        const token = tokens[actor];
        if (token) req = req.set('Authorization', `Bearer ${token}`);
        for (const [k, v] of Object.entries((await e.headers?.()) ?? {})) req = req.set(k, v);
        if (e.contentType) req = req.set('Content-Type', e.contentType);
        const body = e.body?.();
        const res = body === undefined ? await req : await req.send(body as string);
        const allowed = ([] as number[]).concat(e.expect[actor]);
        if (!allowed.includes(res.status)) mismatches.push(`${e.name} as ${actor}: expected ${allowed.join(' or ')}, got ${res.status} ${res.body?.code ?? ''}`);
        if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
