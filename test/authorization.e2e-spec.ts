import { MASK, creditCode, enterpriseBody, supplierBody, type Org, type ZoneWorld } from './support/factories.js';
import { ACTORS, castActors, row, type Actor } from './support/actors.js';
import { useTestApp } from './support/use-test-app.js';

const OPEN_DATE = '2026-03-03';


interface Endpoint {
  name: string;
  method: 'get' | 'post' | 'patch' | 'put';
  path: () => string;
  body?: () => unknown;
  /** A CSV file sent as a text/csv body instead of JSON. */
  csv?: () => string;
  /** Expected status for each actor; every actor must be listed so the matrix is explicit. */
  expect: Record<Actor, number>;
}

/**
 * For every endpoint, every role and every organization that is not the resource's own gets
 * exactly the answer it should: 401 without a credential, 403 when the role may not act, 404 for
 * another organization's or zone's resource (so ids cannot be probed), success otherwise.
 */
describe('authorization matrix', () => {
  const { t } = useTestApp();
  let w: ZoneWorld; // zone A: the resources under test
  let tokens: Record<Actor, string | null>;
  let otherEnterprise: Org;
  let member: { id: string; userId: string }; // a member of the enterprise with an unused sign-in link
  let sessionId: string; // another member's web session

  beforeAll(async () => {
    ({ w, otherEnterprise, tokens } = await castActors(t));
    member = (await t.http.post(`/organizations/${w.enterprise.id}/members`, w.coordinatorToken, { name: '成员' })).body;
    const signedIn = (await t.http.post(`/organizations/${w.enterprise.id}/members`, w.coordinatorToken, { name: '已登录成员' })).body;
    await t.http.post('/sessions', null, { invite: signedIn.invitePath.split('#')[1] });
    sessionId = (await t.http.get(`/organizations/${w.enterprise.id}/sessions`, w.coordinatorToken)).body.items.find((x: { userId: string }) => x.userId === signedIn.userId).id;
  });

  const demandBody = () => ({ serviceDate: OPEN_DATE, headcount: 10, lines: [{ productCode: MASK.code }] });
  const capacityBody = () => ({ serviceDate: OPEN_DATE, lines: [{ productCode: MASK.code, quantity: 100 }] });
  let productSeq = 0;

  //                                        anon admin coord otherC ent otherE sup otherS foreignE

  const endpoints = (): Endpoint[] => [
    { name: 'GET /me', method: 'get', path: () => '/me', expect: row(401, 200, 200, 200, 200, 200, 200, 200, 200) },
    { name: 'POST /users', method: 'post', path: () => '/users', body: () => ({ name: 'x', role: 'coordinator', zoneId: w.zoneId }), expect: row(401, 201, 403, 403, 403, 403, 403, 403, 403) },
    { name: 'GET /audit-log', method: 'get', path: () => '/audit-log', expect: row(401, 200, 200, 200, 403, 403, 403, 403, 403) }, // coordinators: their zone's entries only
    { name: 'POST /zones', method: 'post', path: () => '/zones', body: () => ({ name: 'new zone' }), expect: row(401, 201, 403, 403, 403, 403, 403, 403, 403) },
    { name: 'GET /zones', method: 'get', path: () => '/zones', expect: row(401, 200, 200, 200, 200, 200, 200, 200, 200) },
    { name: 'GET /zones/:id', method: 'get', path: () => `/zones/${w.zoneId}`, expect: row(401, 200, 200, 404, 200, 200, 200, 200, 404) },
    { name: 'PATCH /zones/:id', method: 'patch', path: () => `/zones/${w.zoneId}`, body: () => ({ maxPickupDistanceKm: 25 }), expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'POST /zones/:id/products', method: 'post', path: () => `/zones/${w.zoneId}/products`, body: () => ({ ...MASK, code: `P-${++productSeq}` }), expect: row(401, 201, 201, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /zones/:id/products', method: 'get', path: () => `/zones/${w.zoneId}/products`, expect: row(401, 200, 200, 404, 200, 200, 200, 200, 404) },
    { name: 'PATCH /zones/:id/products/:pid', method: 'patch', path: () => `/zones/${w.zoneId}/products/${w.productIds[MASK.code]}`, body: () => ({ capFactor: 1.5 }), expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'POST /zones/:id/enterprises', method: 'post', path: () => `/zones/${w.zoneId}/enterprises`, body: () => enterpriseBody(), expect: row(401, 201, 201, 404, 403, 403, 403, 403, 403) },
    { name: 'POST /zones/:id/suppliers', method: 'post', path: () => `/zones/${w.zoneId}/suppliers`, body: () => supplierBody(), expect: row(401, 201, 201, 404, 403, 403, 403, 403, 403) },
    {
      name: 'POST /zones/:id/imports/organizations',
      method: 'post',
      path: () => `/zones/${w.zoneId}/imports/organizations`,
      csv: () => `统一社会信用代码,类型,名称,地址,纬度,经度,联系人,联系电话,登记员工数,优先类别\n${creditCode()},企业,导入企业,地址,31.7,120.0,王芳,0519-1,10,medical\n`,
      expect: row(401, 201, 201, 404, 403, 403, 403, 403, 403),
    },
    { name: 'GET /zones/:id/organizations', method: 'get', path: () => `/zones/${w.zoneId}/organizations`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /zones/:id/days/:date', method: 'get', path: () => `/zones/${w.zoneId}/days/${OPEN_DATE}`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /organizations/:enterprise', method: 'get', path: () => `/organizations/${w.enterprise.id}`, expect: row(401, 200, 200, 404, 200, 404, 404, 404, 404) },
    { name: 'GET /organizations/:supplier', method: 'get', path: () => `/organizations/${w.supplier.id}`, expect: row(401, 200, 200, 404, 404, 404, 200, 404, 404) },
    { name: 'PATCH /enterprises/:id', method: 'patch', path: () => `/enterprises/${w.enterprise.id}`, body: () => ({ contactName: '赵磊' }), expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'PATCH /suppliers/:id', method: 'patch', path: () => `/suppliers/${w.supplier.id}`, body: () => ({ contactName: '赵磊' }), expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    {
      name: 'PUT /suppliers/:id/pickup-windows',
      method: 'put',
      path: () => `/suppliers/${w.supplier.id}/pickup-windows`,
      body: () => ({ pickupWindows: [{ start: '08:00', end: '12:00' }] }),
      expect: row(401, 200, 200, 404, 403, 403, 200, 404, 403),
    },
    { name: 'POST /organizations/:id/credentials', method: 'post', path: () => `/organizations/${w.enterprise.id}/credentials`, body: () => ({ name: 'm' }), expect: row(401, 201, 201, 404, 403, 403, 403, 403, 403) },
    { name: 'POST /enterprises/:id/demand-reports', method: 'post', path: () => `/enterprises/${w.enterprise.id}/demand-reports`, body: demandBody, expect: row(401, 201, 201, 404, 201, 404, 403, 403, 404) },
    { name: 'GET /enterprises/:id/demand-reports', method: 'get', path: () => `/enterprises/${w.enterprise.id}/demand-reports`, expect: row(401, 200, 200, 404, 200, 404, 403, 403, 404) },
    {
      name: 'GET /enterprises/:id/demand-reports/:date/versions',
      method: 'get',
      path: () => `/enterprises/${w.enterprise.id}/demand-reports/${OPEN_DATE}/versions`,
      expect: row(401, 200, 200, 404, 200, 404, 403, 403, 404),
    },
    { name: 'POST /suppliers/:id/capacity-reports', method: 'post', path: () => `/suppliers/${w.supplier.id}/capacity-reports`, body: capacityBody, expect: row(401, 201, 201, 404, 403, 403, 201, 404, 403) },
    { name: 'GET /suppliers/:id/capacity-reports', method: 'get', path: () => `/suppliers/${w.supplier.id}/capacity-reports`, expect: row(401, 200, 200, 404, 403, 403, 200, 404, 403) },
    {
      name: 'GET /suppliers/:id/capacity-reports/:date/versions',
      method: 'get',
      path: () => `/suppliers/${w.supplier.id}/capacity-reports/${OPEN_DATE}/versions`,
      expect: row(401, 200, 200, 404, 403, 403, 200, 404, 403),
    },
    // An enterprise id under the supplier route (and the reverse) is not found, whoever asks.
    { name: 'POST /suppliers/:enterprise/capacity-reports', method: 'post', path: () => `/suppliers/${w.enterprise.id}/capacity-reports`, body: capacityBody, expect: row(401, 404, 404, 404, 403, 403, 404, 404, 403) },
    { name: 'GET /enterprises/:supplier/demand-reports', method: 'get', path: () => `/enterprises/${w.supplier.id}/demand-reports`, expect: row(401, 404, 404, 404, 404, 404, 403, 403, 404) },
    // The web console's sign-in: staff invite and end sessions; anyone may exchange a link (an unknown one here).
    { name: 'POST /organizations/:id/members', method: 'post', path: () => `/organizations/${w.enterprise.id}/members`, body: () => ({ name: '张敏' }), expect: row(401, 201, 201, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /organizations/:id/invites', method: 'get', path: () => `/organizations/${w.enterprise.id}/invites`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'GET /organizations/:id/sessions', method: 'get', path: () => `/organizations/${w.enterprise.id}/sessions`, expect: row(401, 200, 200, 404, 403, 403, 403, 403, 403) },
    { name: 'POST /users/:id/invites', method: 'post', path: () => `/users/${member.userId}/invites`, expect: row(401, 201, 201, 404, 403, 403, 403, 403, 403) },
    { name: 'POST /invites/:id/revoke', method: 'post', path: () => `/invites/${member.id}/revoke`, expect: row(401, 204, 204, 404, 403, 403, 403, 403, 403) },
    { name: 'POST /sessions/:id/revoke', method: 'post', path: () => `/sessions/${sessionId}/revoke`, expect: row(401, 204, 204, 404, 403, 403, 403, 403, 403) },
    { name: 'POST /sessions (public)', method: 'post', path: () => '/sessions', body: () => ({ invite: 'A'.repeat(43) }), expect: row(404, 404, 404, 404, 404, 404, 404, 404, 404) },
    { name: 'POST /sessions/sign-out', method: 'post', path: () => '/sessions/sign-out', expect: row(401, 204, 204, 204, 204, 204, 204, 204, 204) },
    { name: 'GET /console/context', method: 'get', path: () => '/console/context', expect: row(401, 200, 200, 200, 200, 200, 200, 200, 200) },
    { name: 'GET /health/ready (public)', method: 'get', path: () => '/health/ready', expect: row(200, 200, 200, 200, 200, 200, 200, 200, 200) },
  ];

  const sendCsv = (path: string, token: string | null, csv: string) => {
    const req = t.http.raw().post(path).set('Content-Type', 'text/csv');
    return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(csv);
  };

  it('gives each role and each foreign organization exactly the access it should, on every endpoint', async () => {
    const mismatches: string[] = [];
    for (const e of endpoints()) {
      for (const actor of ACTORS) {
        const token = tokens[actor];
        const res = e.csv ? await sendCsv(e.path(), token, e.csv()) : e.method === 'get' ? await t.http.get(e.path(), token) : await t.http[e.method](e.path(), token, e.body?.());
        if (res.status !== e.expect[actor]) mismatches.push(`${e.name} as ${actor}: expected ${e.expect[actor]}, got ${res.status} ${res.body?.code ?? ''}`);
        if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses a revoked-looking or malformed token with 401, and never reveals a foreign report', async () => {
    expect((await t.http.get('/me', 'ppe_not_a_real_token_at_all_0000000000')).status).toBe(401);
    expect((await t.http.raw().get('/me').set('Authorization', 'Basic abc')).status).toBe(401);
    await t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, demandBody());
    const other = await t.http.get(`/enterprises/${w.enterprise.id}/demand-reports`, otherEnterprise.token);
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ code: 'ORGANIZATION_NOT_FOUND' });
    expect(JSON.stringify(other.body)).not.toContain('headcount');
  });
});
