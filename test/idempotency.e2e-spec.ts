import { requestHash } from '../apps/api/src/idempotency/idempotency.interceptor.js';
import { MASK, type ZoneWorld } from './support/factories.js';
import { useTestApp } from './support/use-test-app.js';

const DATE = '2026-03-03';

describe('Idempotency-Key on POST', () => {
  const { t, f } = useTestApp({ reset: 'each' });
  let w: ZoneWorld;
  const body = { serviceDate: DATE, headcount: 100, lines: [{ productCode: MASK.code }] };
  const path = () => `/enterprises/${w.enterprise.id}/demand-reports`;
  const post = (key: string, payload: object = body, token = w.enterprise.token) =>
    t.http.raw().post(path()).set('Authorization', `Bearer ${token}`).set('Idempotency-Key', key).send(payload);
  const versions = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM demand_reports'))[0].n);

  beforeEach(async () => {
    w = await f.world();
  });

  it('answers a retry with the first response and does the work once', async () => {
    const first = await post('order-2026-03-03-a');
    expect(first.status).toBe(201);
    const retry = await post('order-2026-03-03-a');
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await versions()).toBe(1);
    // Without a key, a repost is a new version, as designed.
    expect((await t.http.post(path(), w.enterprise.token, body)).body.version).toBe(2);
  });

  it('refuses the same key with a different body (422)', async () => {
    await post('k-1');
    const other = await post('k-1', { ...body, headcount: 101 });
    expect([other.status, other.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await versions()).toBe(1);
  });

  it('answers 409 while the first request with the key is still in flight', async () => {
    const hash = requestHash({ method: 'POST', originalUrl: path(), body });
    const me = (await t.http.get('/me', w.enterprise.token)).body.userId;
    await t.dataSource.query(`INSERT INTO idempotency_keys (user_id, key, request_hash, state, created_at) VALUES ($1, 'k-busy', $2, 'in_flight', now())`, [me, hash]);
    const busy = await post('k-busy');
    expect([busy.status, busy.body.code]).toEqual([409, 'IDEMPOTENCY_IN_FLIGHT']);
    expect(await versions()).toBe(0);
  });

  it('replays a refusal too, and keeps keys per caller and for 24 hours', async () => {
    const refused = await post('k-2', { ...body, headcount: 10_000 });
    expect(refused.status).toBe(422);
    const again = await post('k-2', { ...body, headcount: 10_000 });
    expect(again.status).toBe(422);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toEqual(refused.body);

    // Another caller's identical key is unrelated.
    expect((await post('k-2', body, w.coordinatorToken)).status).toBe(201);
    // After 24 hours the key can be used afresh.
    await t.dataSource.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours'`);
    expect((await post('k-2', { ...body, headcount: 50 })).status).toBe(201);
  });

  it('rejects a malformed key', async () => {
    const bad = await post('x'.repeat(201));
    expect([bad.status, bad.body.code]).toEqual([400, 'IDEMPOTENCY_KEY_INVALID']);
  });
});
