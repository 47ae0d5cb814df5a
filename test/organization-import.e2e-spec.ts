import iconv from 'iconv-lite';
import { withCheckChar } from '#domain';
import { creditCode, type ZoneWorld } from './support/factories.js';
import { ADMIN_TOKEN } from './support/test-app.js';
import { useTestApp } from './support/use-test-app.js';

const CHINESE_HEADER = '统一社会信用代码,类型,名称,地址,纬度,经度,联系人,联系电话,登记员工数,优先类别,规模以上,取货时段,取货地址,时段分钟数,每时段车辆数';

interface OrgRow {
  kind: string;
  name: string;
  credit_code: string;
  address: string;
  latitude: string;
  longitude: string;
  contact_name: string;
  contact_phone: string;
  registered_employees: number | null;
  priority_category: string | null;
  above_scale: boolean | null;
  pickup_site_address: string | null;
  pickup_windows: { start: string; end: string }[] | null;
  slot_minutes: number | null;
  vehicles_per_slot: number | null;
}

describe('CSV import of organizations', () => {
  const { t, f } = useTestApp({ reset: 'each' });
  let w: ZoneWorld;

  const url = (zoneId = w.zoneId) => `/zones/${zoneId}/imports/organizations`;
  const upload = async (body: string | Buffer, token: string | null = w.coordinatorToken, contentType = 'text/csv', zoneId?: string) => {
    let req = t.http.raw().post(url(zoneId)).set('Content-Type', contentType);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    const res = await req.send(body);
    t.statuses.push(res.status);
    return res;
  };
  const organizations = async (): Promise<number> => (await t.dataSource.query('SELECT count(*)::int AS n FROM organizations'))[0].n;
  const byCode = async (code: string): Promise<OrgRow> => (await t.dataSource.query('SELECT * FROM organizations WHERE credit_code = $1', [code]))[0];
  const imports = async (): Promise<{ zone_id: string; entity_id: string; after: Record<string, unknown> }[]> =>
    t.dataSource.query(`SELECT zone_id, entity_id, after FROM audit_log WHERE action = 'organization.import'`);

  beforeEach(async () => {
    w = await f.world();
  });

  it('registers new codes and updates the zone’s own, in Chinese or English headers, a blank cell keeping its value', async () => {
    const [e1, s1, existing] = [creditCode(), creditCode(), creditCode()];
    await f.enterprise(w.zoneId, w.coordinatorToken, { creditCode: existing, registeredEmployees: 300, contactName: '赵磊' });
    const csv =
      `\uFEFF${CHINESE_HEADER},备注\r\n` +
      `${e1},企业,常州恒源精密机械有限公司,常州经开区长帆路8号,31.7456,120.0523,王芳,0519-8888 6666,420,规上企业,是,,,,,新登记\r\n` +
      `${s1.toLowerCase()},供应商,常州康护医疗用品有限公司,常州武进区康护路1号,31.70,120.01,李强,+86 519 8888 7777,,,,08:00-12:00；14:00-17:00,2号门,60,4,\r\n` +
      `${existing},enterprise,,,,,,,350,medical,,,,,,只改人数和类别\r\n`;
    const res = await upload(csv);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ importId: expect.any(String), zoneId: w.zoneId, rows: 3, created: 2, updated: 1, unchanged: 0 });

    expect(await byCode(e1)).toMatchObject({
      kind: 'enterprise',
      name: '常州恒源精密机械有限公司',
      latitude: '31.745600',
      contact_phone: '0519-8888 6666',
      registered_employees: 420,
      priority_category: 'above_scale',
      above_scale: true,
      pickup_windows: null,
    });
    expect(await byCode(s1)).toMatchObject({
      kind: 'supplier',
      pickup_site_address: '2号门',
      pickup_windows: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '17:00' }],
      slot_minutes: 60,
      vehicles_per_slot: 4,
      registered_employees: null,
    });
    expect(await byCode(existing)).toMatchObject({ registered_employees: 350, priority_category: 'medical', contact_name: '赵磊' });
    // The new organizations are the zone's like any registered one.
    const listed = await t.http.get(`/zones/${w.zoneId}/organizations?q=康护`, w.coordinatorToken);
    expect(listed.body.items.map((o: { creditCode: string }) => o.creditCode)).toEqual([s1]);

    const audit = await imports();
    expect(audit).toEqual([
      { zone_id: w.zoneId, entity_id: res.body.importId, after: expect.objectContaining({ rows: 3, created: 2, updated: 1, unchanged: 0, fileSha256: expect.stringMatching(/^[0-9a-f]{64}$/) }) },
    ]);

    // The same file again changes nothing; English headers name the same columns.
    expect((await upload(csv)).body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const english = `creditCode,kind,contactPhone\n${s1},supplier,0519-1234 5678\n`;
    expect((await upload(english, ADMIN_TOKEN)).body).toMatchObject({ created: 0, updated: 1 });
    expect((await byCode(s1)).contact_phone).toBe('0519-1234 5678');
  });

  it('refuses a file with bad rows, names each by row and column, and writes nothing', async () => {
    const other = await f.zone();
    const foreign = creditCode();
    await f.enterprise(other.zoneId, other.coordinatorToken, { creditCode: foreign });
    const supplierCode = creditCode();
    await f.supplier(w.zoneId, w.coordinatorToken, { creditCode: supplierCode });
    const fresh = creditCode();
    const before = await organizations();
    const rows = [
      /* 1 */ CHINESE_HEADER,
      /* 2 */ `${creditCode()},企业,好企业,地址,31.7,120.0,王芳,0519-1,10,medical,,,,,`,
      /* 3 */ `91320400MA0000000X,企业,坏代码,地址,31.7,120.0,王芳,0519-1,10,medical,,,,,`,
      /* 4 */ `${foreign},企业,外区企业,地址,31.7,120.0,王芳,0519-1,10,medical,,,,,`,
      /* 5 */ `${supplierCode},企业,类型不对,地址,31.7,120.0,王芳,0519-1,10,medical,,,,,`,
      /* 6 */ `${fresh},工厂,未知类型,地址,31.7,120.0,王芳,0519-1,10,medical,,,,,`,
      /* 7 */ `${fresh},企业,重复代码,地址,31.7,120.0,王芳,0519-1,10,medical,,,,,`,
      /* 8 */ `${creditCode()},企业,,地址,91,120.0,王芳,电话,0,最重要,也许,08:00-12:00,,,`,
      /* 9 */ `${creditCode()},供应商,新供应商,地址,31.7,120.0,王芳,0519-1,,,,08:00-08:10,,30,`,
      /* 10 */ `${creditCode()},供应商,新供应商,地址,31.7,120.0,王芳,0519-1,,,,8点到12点,,,`,
    ];
    const res = await upload(rows.join('\n'));
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code: 'IMPORT_ROWS_INVALID' });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'row 3: creditCode',
      'row 4: creditCode',
      'row 5: kind',
      'row 6: kind',
      'row 7: creditCode',
      'row 8: pickupWindows',
      'row 8: latitude',
      'row 8: contactPhone',
      'row 8: name',
      'row 8: registeredEmployees',
      'row 8: priorityCategory',
      'row 8: aboveScale',
      'row 9: pickupWindows[0]',
      'row 10: pickupWindows',
    ]);
    const reason = (field: string) => res.body.errors.find((e: { field: string }) => e.field === field).reason as string;
    expect(reason('row 4: creditCode')).toBe(`${foreign} is registered in another zone`);
    expect(reason('row 5: kind')).toBe(`${supplierCode} is registered as a supplier`);
    expect(reason('row 7: creditCode')).toBe(`${fresh} appears again in the file (first on row 6)`);
    expect(reason('row 8: name')).toBe('name is required for a new enterprise');
    expect(res.body.detail).toMatch(/^8 rows of the file are invalid; nothing was imported/);
    expect(await organizations()).toBe(before);
    expect(await imports()).toEqual([]);

    const zh = await t.http.raw().post(url()).set('Authorization', `Bearer ${w.coordinatorToken}`).set('Content-Type', 'text/csv').set('Accept-Language', 'zh-CN').send(rows.join('\n'));
    const zhReason = (field: string) => zh.body.errors.find((e: { field: string }) => e.field === field).reason as string;
    expect([zhReason('row 4: creditCode'), zhReason('row 6: kind'), zhReason('row 8: name'), zhReason('row 9: pickupWindows[0]')]).toEqual([
      '已在其他园区登记',
      '须为 企业（enterprise）或 供应商（supplier）',
      '必须填写',
      '领取时段无效：结束须晚于开始、至少容纳一个时段，且各时段不能重叠',
    ]);
  });

  it('detects the charset: the declared one, else UTF-8 (with or without BOM), else GB18030', async () => {
    const line = (code: string) => `${code},企业,常州市武进区测试企业,常州市武进区测试路1号,31.7,120.0,王芳,0519-1,10,城市运行必需,否,,,,\r\n`;
    const [a, b, c] = [creditCode(), creditCode(), creditCode()];
    expect((await upload(iconv.encode(CHINESE_HEADER + '\r\n' + line(a), 'gb18030'))).body).toMatchObject({ created: 1 });
    expect((await upload(iconv.encode(CHINESE_HEADER + '\r\n' + line(b), 'gbk'), w.coordinatorToken, 'text/csv; charset=GBK')).body).toMatchObject({ created: 1 });
    expect((await upload(Buffer.from(CHINESE_HEADER + '\r\n' + line(c), 'utf8'))).body).toMatchObject({ created: 1 });
    for (const code of [a, b, c]) expect(await byCode(code)).toMatchObject({ name: '常州市武进区测试企业', priority_category: 'city_operations', above_scale: false });
    // GB18030 bytes declared as UTF-8 are not guessed at.
    const wrong = await upload(iconv.encode(CHINESE_HEADER + '\r\n' + line(creditCode()), 'gb18030'), w.coordinatorToken, 'text/csv; charset=utf-8');
    expect({ status: wrong.status, code: wrong.body.code }).toEqual({ status: 422, code: 'IMPORT_ENCODING_INVALID' });
  });

  it('is for the zone’s coordinators and admins, with a text/csv body', async () => {
    const csv = `${CHINESE_HEADER}\n${creditCode()},企业,名称,地址,31.7,120.0,王芳,0519-1,10,medical,,,,,\n`;
    const other = await f.zone();
    const answers = [await upload(csv, w.enterprise.token), await upload(csv, other.coordinatorToken), await upload(csv, null), await upload(JSON.stringify({ csv }), w.coordinatorToken, 'application/json')];
    expect(answers.map((r) => [r.status, r.body.code])).toEqual([
      [403, 'ROLE_NOT_ALLOWED'],
      [404, 'ZONE_NOT_FOUND'],
      [401, 'UNAUTHENTICATED'],
      [415, 'UNSUPPORTED_MEDIA_TYPE'],
    ]);
    expect((await upload(`${CHINESE_HEADER}\n`)).body.code).toBe('IMPORT_EMPTY');
    expect(await imports()).toEqual([]);
  });

  it('imports 20,000 organizations from one GB18030 file in one transaction, and updates them from the next', async () => {
    const codes = Array.from({ length: 20_000 }, (_, i) => withCheckChar(`91320412MC${String(i).padStart(7, '0')}`));
    const file = (employees: (i: number) => number) =>
      iconv.encode(
        [
          CHINESE_HEADER,
          ...codes.map((code, i) =>
            i % 10 === 9
              ? `${code},供应商,常州市武进区防护用品制造有限公司${i},常州市武进区湖塘镇工业园${i}号,${(31.6 + (i % 1000) / 10_000).toFixed(4)},${(119.9 + (i % 997) / 10_000).toFixed(4)},李强,0519-8${String(i).padStart(7, '0')},,,,08:00-12:00;13:30-17:30,,30,2`
              : `${code},企业,常州市武进区精密机械制造有限公司${i},常州市武进区湖塘镇工业园${i}号,${(31.6 + (i % 1000) / 10_000).toFixed(4)},${(119.9 + (i % 997) / 10_000).toFixed(4)},王芳,0519-8${String(i).padStart(7, '0')},${employees(i)},${i % 3 ? '规上企业' : 'key_supply'},${i % 3 ? '是' : '否'},,,,`,
          ),
        ].join('\r\n') + '\r\n',
        'gb18030',
      );
    const first = file((i) => 50 + (i % 900));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(first)).toThrow(); // really not UTF-8

    const started = performance.now();
    const res = await upload(first);
    const ms = Math.round(performance.now() - started);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 20_000, created: 20_000, updated: 0, unchanged: 0 });
    process.stdout.write(`20,000-organization GB18030 import (${first.length} bytes): ${ms} ms\n`);

    const [stored] = await t.dataSource.query(
      `SELECT count(*) FILTER (WHERE kind = 'enterprise')::int AS enterprises, count(*) FILTER (WHERE kind = 'supplier')::int AS suppliers,
              sum(registered_employees)::int AS employees
         FROM organizations WHERE zone_id = $1 AND credit_code LIKE '91320412MC%'`,
      [w.zoneId],
    );
    const expectedEmployees = codes.reduce((sum, _, i) => sum + (i % 10 === 9 ? 0 : 50 + (i % 900)), 0);
    expect(stored).toEqual({ enterprises: 18_000, suppliers: 2_000, employees: expectedEmployees });
    expect(await byCode(codes[9])).toMatchObject({ name: '常州市武进区防护用品制造有限公司9', pickup_site_address: '常州市武进区湖塘镇工业园9号', slot_minutes: 30 });

    // The next day's file changes one organization in four (all enterprises: every tenth is a supplier, at an odd index).
    const second = file((i) => 50 + (i % 900) + (i % 4 === 0 ? 1 : 0));
    const startedUpdate = performance.now();
    const updated = await upload(second);
    const updateMs = Math.round(performance.now() - startedUpdate);
    expect(updated.body).toMatchObject({ rows: 20_000, created: 0, updated: 5_000, unchanged: 15_000 });
    process.stdout.write(`20,000-organization GB18030 re-import (5,000 changed): ${updateMs} ms\n`);
    expect((await imports()).map((e) => e.after.created)).toEqual([20_000, 0]);
  });

  it('is documented as a text/csv body (or a multipart form) answered with the counts', async () => {
    const op = (await t.http.get('/docs-json', null)).body.paths['/zones/{zoneId}/imports/organizations'].post;
    expect(op.operationId).toBe('importOrganizations');
    expect(Object.keys(op.requestBody.content)).toEqual(['text/csv', 'multipart/form-data']);
    expect(op.responses['201'].content['application/json'].schema.$ref).toMatch(/OrganizationImportView$/);
  });
});
