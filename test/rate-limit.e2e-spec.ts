import { ADMIN_TOKEN, createTestApp, resetData, type TestApp } from './support/test-app.js';

/** Per-credential limits counted in Redis, so every API process shares them. */
describe('rate limits', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    // Two API instances with the same limit and Redis, as two processes behind a load balancer.
    a = await createTestApp(undefined, { RATE_LIMIT_PER_MINUTE: '5' });
    b = await createTestApp(undefined, { RATE_LIMIT_PER_MINUTE: '5' });
    await resetData(a);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('answers 429 problem+json with Retry-After past the limit, counted across API processes, per credential', async () => {
    const other = (await a.http.post('/users', ADMIN_TOKEN, { name: 'second admin', role: 'admin' })).body.token as string;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await (i % 2 ? a : b).http.get('/me', other)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect((await b.http.get('/me', other)).status).toBe(200); // the 5th, on the second process
    const limited = await a.http.get('/me', other);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another credential has its own budget.
    expect((await a.http.get('/me', ADMIN_TOKEN)).status).toBe(200);
    expect((await a.http.get('/health/ready', null)).status).toBe(200); // health is never limited
  });
});
