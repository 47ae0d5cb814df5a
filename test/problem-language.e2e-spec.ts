import { Factory, type ZoneWorld } from './support/factories.js';
import { createTestApp, resetData, type TestApp } from './support/test-app.js';

/** Problem details in the caller's language: Chinese for a zh Accept-Language, English otherwise; the code never changes. */
describe('problem details in Chinese or English', () => {
  let t: TestApp;
  let w: ZoneWorld;

  beforeAll(async () => {
    t = await createTestApp();
    await resetData(t);
    w = await new Factory(t).world();
  });
  afterAll(async () => {
    expect(t.statuses.filter((s) => s >= 500)).toEqual([]);
    await t.close();
  });

  const postDemand = (body: unknown, acceptLanguage?: string) => {
    const req = t.http.raw().post(`/enterprises/${w.enterprise.id}/demand-reports`).set('Authorization', `Bearer ${w.enterprise.token}`);
    return (acceptLanguage ? req.set('Accept-Language', acceptLanguage) : req).send(body as object);
  };
  const report = { serviceDate: '2026-03-03', headcount: 100, lines: [{ productCode: 'MASK-MED' }] };

  it('a report after the cutoff: Chinese with the date, cutoff and zone for zh-CN; English by default', async () => {
    t.clock.set(new Date('2026-03-02T13:00:00Z')); // 21:00 in Shanghai, after the 20:00 cutoff for 03-03
    const zh = await postDemand(report, 'zh-CN,zh;q=0.9,en;q=0.8');
    expect(zh.status).toBe(409);
    expect(zh.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(zh.headers.vary).toMatch(/Accept-Language/i);
    expect(zh.body).toMatchObject({
      code: 'DEMAND_AFTER_CUTOFF',
      status: 409,
      title: '已过需求填报截止时间，如需补报请联系协调员',
      detail: '2026-03-03 的需求填报已于 2026-03-02 20:00（Asia/Shanghai）截止，如需补报请联系协调员',
      errors: [{ field: 'serviceDate', reason: '已过填报截止时间' }],
    });

    const en = await postDemand(report);
    expect(en.headers['content-language']).toBe('en');
    expect(en.body).toMatchObject({ code: 'DEMAND_AFTER_CUTOFF', title: 'Demand after cutoff', errors: [{ field: 'serviceDate', reason: 'after the reporting cutoff' }] });
    expect(en.body.detail).toBe('Reports for 2026-03-03 closed at 2026-03-02 20:00 (Asia/Shanghai); ask a coordinator to post it');

    // English preferred by q-value, though Chinese is listed first.
    expect((await postDemand(report, 'zh-Hans;q=0.4, en-GB;q=0.9')).body.title).toBe('Demand after cutoff');
  });

  it('a validation error lists every field with its reason in Chinese', async () => {
    t.clock.set(new Date('2026-03-02T04:00:00Z'));
    const res = await postDemand({ serviceDate: '2026-02-30', headcount: -1, lines: [{ productCode: 'MASK-MED', stockOnHand: 1.5 }], extra: true }, 'zh');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'serviceDate', reason: '须为日期 YYYY-MM-DD' },
        { field: 'headcount', reason: '不能小于 0' },
        { field: 'lines[0].stockOnHand', reason: '须为整数' },
        { field: 'extra', reason: '不允许的字段' },
      ]),
    );
    expect(res.body.detail).toMatch(/^请求内容有误，请按字段说明修改：.*headcount：不能小于 0/);
  });

  it('a rule with values: the headcount above the registered employees, and an unknown route', async () => {
    const res = await postDemand({ ...report, serviceDate: '2026-03-04', headcount: 401 }, 'zh-CN');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'HEADCOUNT_ABOVE_REGISTERED', detail: '在岗人数 401 超过登记的员工人数 400' });
    const unknown = await t.http.raw().get('/no-such-route').set('Accept-Language', 'zh-CN');
    expect(unknown.body).toMatchObject({ status: 404, code: 'NOT_FOUND', title: '未找到' });
  });
});
