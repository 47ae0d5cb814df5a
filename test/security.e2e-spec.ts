import { createTestApp, resetData, ADMIN_TOKEN, type TestApp } from './support/test-app.js';

describe('security headers, CORS and credentials', () => {
  let closed: TestApp;
  let open: TestApp;

  beforeAll(async () => {
    closed = await createTestApp();
    open = await createTestApp(undefined, { CORS_ORIGINS: 'https://office.example.gov.cn' });
    await resetData(closed);
  });
  afterAll(async () => {
    await closed.close();
    await open.close();
  });

  it('sends security headers and no framework banner', async () => {
    const res = await closed.http.get('/me', ADMIN_TOKEN);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('keeps CORS closed by default and opens it only to configured origins', async () => {
    const preflight = (app: TestApp, origin: string) =>
      app.http.raw().options('/me').set('Origin', origin).set('Access-Control-Request-Method', 'GET').set('Access-Control-Request-Headers', 'authorization');
    expect((await preflight(closed, 'https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
    expect((await preflight(closed, 'https://office.example.gov.cn')).headers['access-control-allow-origin']).toBeUndefined();
    expect((await preflight(open, 'https://office.example.gov.cn')).headers['access-control-allow-origin']).toBe('https://office.example.gov.cn');
    expect((await preflight(open, 'https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('stores credentials only as hashes', async () => {
    const issued = await closed.http.post('/users', ADMIN_TOKEN, { name: 'someone', role: 'admin' });
    const rows: { token_hash: string; token_prefix: string }[] = await closed.dataSource.query('SELECT token_hash, token_prefix FROM api_credentials');
    const dump = JSON.stringify(await closed.dataSource.query('SELECT * FROM api_credentials')) + JSON.stringify(await closed.dataSource.query('SELECT * FROM audit_log'));
    expect(dump).not.toContain(issued.body.token);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });
});
