import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import QRCode from 'qrcode';
import type { Response } from 'supertest';
import { creditCode, MASK, SANITIZER, type Org, type ZoneWorld } from './support/factories.js';
import { ADMIN_TOKEN } from './support/test-app.js';
import { createTestWorker, eventually, type TestWorker } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

// DEFAULT_NOW: 2026-03-02 12:00 Shanghai. Reports for 03-03 are open; runs for 03-03 may start now.
const DATE = '2026-03-03';
const SCHEDULE_HEADERS = [
  '企业名称 Enterprise',
  '统一社会信用代码 Credit code',
  '供应商 Supplier',
  '取货地址 Pickup site',
  '开始时间 Slot start (Asia/Shanghai)',
  '结束时间 Slot end (Asia/Shanghai)',
  '产品编码 Product code',
  '产品名称 Product name',
  '数量 Units',
  '单位 Unit',
  '包装数 Packs',
  '取货码 Pickup code',
];
const SHORTAGE_HEADERS = [
  '企业名称 Enterprise',
  '统一社会信用代码 Credit code',
  '优先类别 Priority category',
  '优先层级 Tier',
  '产品编码 Product code',
  '产品名称 Product name',
  '需求 Need',
  '已分配 Allocated',
  '缺口 Unmet',
  '满足率 Fill ratio',
  '短缺原因 Why short',
];

interface Line {
  enterpriseId: string;
  supplierId: string;
  productCode: string;
  units: number;
  packs: number;
}
interface Pickup {
  appointmentId: string;
  supplier: { id: string; name: string };
  slotStart: string | null;
  pickupCode: string;
  qrPayload: string;
}
interface Explanation {
  enterpriseId: string;
  tier: number;
  products: { productCode: string; need: number; allocated: number; fillRatio: number; short: string[] }[];
}

describe('exports: schedule and shortage spreadsheets, printable pickup slips', () => {
  const { t, f } = useTestApp();
  // Its own worker, not useTestApp's: a test stops it to keep the next run from being computed.
  let worker: TestWorker;
  let w: ZoneWorld;
  let other: { zoneId: string; coordinatorToken: string };
  let hospital: Org;
  let plant: Org;
  let runId: string;
  const codeOf = new Map<string, string>(); // enterprise id → credit code
  const nameOf = new Map<string, string>(); // organization id → name
  const HOSPITAL_NAME = '<script>alert("x")</script> 常州第一人民医院 & Co';
  const PLANT_NAME = '=SUM(1,2) 常州精密机械厂';

  /** Downloads as bytes, whatever the content type. */
  const download = async (path: string, token: string): Promise<Response & { body: Buffer }> => {
    const res = await t.http
      .raw()
      .get(path)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    t.statuses.push(res.status);
    return res as Response & { body: Buffer };
  };
  const problemOf = (res: { body: Buffer; headers: Record<string, string> }) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    return JSON.parse(res.body.toString('utf8')) as { code: string };
  };
  const readXlsx = async (body: Buffer) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };
  const runOf = (id: string) => t.http.get(`/runs/${id}`, w.coordinatorToken);
  const waitForStatus = (id: string, status: string) =>
    eventually(async () => {
      const r = await runOf(id);
      if (r.body.status === 'failed') throw new Error(`run failed: ${r.body.failureReason}`);
      return r.body.status === status ? r : undefined;
    }, 30000, `run ${id} to be ${status}`);
  const slipUrl = (enterpriseId: string, appointmentId: string) => `/enterprises/${enterpriseId}/schedules/${DATE}/slips/${appointmentId}`;

  beforeAll(async () => {
    worker = await createTestWorker();
    w = await f.world();
    other = await f.zone();
    const enterprise = async (name: string, overrides: Record<string, unknown>) => {
      const code = creditCode();
      const org = await f.enterprise(w.zoneId, w.coordinatorToken, { name, creditCode: code, ...overrides });
      codeOf.set(org.id, code);
      nameOf.set(org.id, name);
      return org;
    };
    hospital = await enterprise(HOSPITAL_NAME, { priorityCategory: 'medical', registeredEmployees: 200 });
    plant = await enterprise(PLANT_NAME, { priorityCategory: 'above_scale', registeredEmployees: 500 });
    const world = await t.http.get(`/organizations/${w.enterprise.id}`, w.coordinatorToken);
    codeOf.set(w.enterprise.id, world.body.creditCode);
    nameOf.set(w.enterprise.id, world.body.name);
    nameOf.set(w.supplier.id, (await t.http.get(`/organizations/${w.supplier.id}`, w.coordinatorToken)).body.name);

    // Masks are short (1,000 for 1,600 needed): the hospital (tier 1) is filled, the tier-3 enterprises share the rest.
    const post = (org: Org, headcount: number) =>
      t.http.post(`/enterprises/${org.id}/demand-reports`, org.token, { serviceDate: DATE, headcount, lines: [{ productCode: MASK.code }, { productCode: SANITIZER.code }] });
    expect((await post(hospital, 200)).status).toBe(201);
    expect((await post(plant, 300)).status).toBe(201);
    expect((await post(w.enterprise, 300)).status).toBe(201);
    const capacity = await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, {
      serviceDate: DATE,
      lines: [{ productCode: MASK.code, quantity: 1000 }, { productCode: SANITIZER.code, quantity: 480 }],
    });
    expect(capacity.status).toBe(201);

    const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
    expect(started.status).toBe(202);
    runId = started.body.id;
    await waitForStatus(runId, 'draft');
  });
  afterAll(() => worker.close());

  it('has no slip before the run is published', async () => {
    const lines = (await t.http.get(`/runs/${runId}/lines?pageSize=500`, w.coordinatorToken)).body.items as Line[];
    expect(lines.length).toBeGreaterThan(0);
    const appointment = await t.dataSource.query(`SELECT id FROM pickup_appointments WHERE run_id = $1 AND enterprise_id = $2`, [runId, hospital.id]);
    const res = await download(slipUrl(hospital.id, appointment[0].id), hospital.token);
    expect(res.status).toBe(404);
    expect(problemOf(res).code).toBe('SCHEDULE_NOT_PUBLISHED');

    const draft = await runOf(runId);
    const published = await t.http.raw().post(`/runs/${runId}/publish`).set('Authorization', `Bearer ${w.coordinatorToken}`).set('If-Match', draft.headers.etag);
    expect(published.status).toBe(200);
  });

  it('exports the schedule as CSV: UTF-8 with BOM, Chinese headers intact, one row per line, formulas made inert', async () => {
    const res = await download(`/runs/${runId}/exports/schedule.csv`, w.coordinatorToken);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="schedule_${DATE}_run1.csv"`);
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.body.toString('utf8');
    expect(text.slice(1).split('\r\n')[0]).toBe(SCHEDULE_HEADERS.join(','));
    const records: string[][] = parse(res.body, { bom: true });
    expect(records[0]).toEqual(SCHEDULE_HEADERS);
    const lines = (await t.http.get(`/runs/${runId}/lines?pageSize=500`, w.coordinatorToken)).body.items as Line[];
    expect(records).toHaveLength(lines.length + 1);
    const plantRows = records.filter((r) => r[1] === codeOf.get(plant.id));
    expect(plantRows.length).toBeGreaterThan(0);
    expect(plantRows.every((r) => r[0] === `'${PLANT_NAME}`)).toBe(true);
    expect(records.filter((r) => r[0] === HOSPITAL_NAME).length).toBeGreaterThan(0);
  });

  it('exports the schedule as XLSX whose rows match the run’s lines, codes and zone-local slots', async () => {
    const res = await download(`/runs/${runId}/exports/schedule.xlsx`, w.coordinatorToken);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="schedule_${DATE}_run1.xlsx"`);
    const [header, ...rows] = await readXlsx(res.body);
    expect(header).toEqual(SCHEDULE_HEADERS);

    const lines = (await t.http.get(`/runs/${runId}/lines?pageSize=500`, w.coordinatorToken)).body.items as Line[];
    const pickups = new Map<string, Pickup>(); // enterprise|supplier → pickup, from each enterprise's published schedule
    for (const org of [hospital, plant, w.enterprise]) {
      const schedule = await t.http.get(`/enterprises/${org.id}/schedules/${DATE}`, org.token);
      for (const p of schedule.body.pickups as Pickup[]) pickups.set(`${org.id}|${p.supplier.id}`, p);
    }
    const local = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm');
    const expected = lines.map((l) => {
      const p = pickups.get(`${l.enterpriseId}|${l.supplierId}`)!;
      return [nameOf.get(l.enterpriseId), codeOf.get(l.enterpriseId), nameOf.get(l.supplierId), local(p.slotStart!), l.productCode, l.units, l.packs, p.pickupCode];
    });
    const actual = rows.map((r) => [r[0], r[1], r[2], r[4], r[6], r[8], r[10], r[11]]);
    const sortKey = (r: unknown[]) => JSON.stringify(r);
    expect(actual.map(sortKey).sort()).toEqual(expected.map(sortKey).sort());
    expect(rows.every((r) => typeof r[8] === 'number' && typeof r[10] === 'number')).toBe(true);
    expect(rows.find((r) => r[6] === MASK.code)?.[7]).toBe(MASK.nameZh);
  });

  it('exports the shortage report as CSV and XLSX from the run’s explanations', async () => {
    const run = (await runOf(runId)).body;
    const explanations = run.explanations.explanations as Explanation[];
    const expected = explanations.flatMap((e) =>
      e.products.filter((p) => p.need > p.allocated).map((p) => [codeOf.get(e.enterpriseId), e.tier, p.productCode, p.need, p.allocated, p.need - p.allocated]),
    );
    expect(expected.length).toBeGreaterThanOrEqual(2); // both tier-3 enterprises are short of masks

    const csv = await download(`/runs/${runId}/exports/shortages.csv`, w.coordinatorToken);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="shortages_${DATE}_run1.csv"`);
    expect([...csv.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records: string[][] = parse(csv.body, { bom: true });
    expect(records[0]).toEqual(SHORTAGE_HEADERS);
    expect(records).toHaveLength(expected.length + 1);
    expect(records.slice(1).every((r) => r[2] === '规上企业 above_scale' && r[10].includes('supply short for the tier'))).toBe(true);

    const xlsx = await download(`/runs/${runId}/exports/shortages.xlsx`, w.coordinatorToken);
    expect(xlsx.status).toBe(200);
    const [header, ...rows] = await readXlsx(xlsx.body);
    expect(header).toEqual(SHORTAGE_HEADERS);
    const sortKey = (r: unknown[]) => JSON.stringify(r);
    expect(rows.map((r) => [r[1], r[3], r[4], r[6], r[7], r[8]]).map(sortKey).sort()).toEqual(expected.map(sortKey).sort());
    for (const r of rows) {
      expect(r[9]).toBeCloseTo((r[7] as number) / (r[6] as number), 4);
    }
    // Lowest fill ratio first.
    expect(rows.map((r) => r[9] as number)).toEqual([...rows.map((r) => r[9] as number)].sort((a, b) => a - b));
  });

  it('pages the run’s explanations as GET /runs/{id} carries them, by enterprise or only the short', async () => {
    const all = (await runOf(runId)).body.explanations.explanations as Explanation[];
    const page = (q: string) => t.http.get(`/runs/${runId}/explanations?${q}`, w.coordinatorToken).then((r) => r.body);
    expect(await page('pageSize=500')).toEqual({ items: all, page: 1, pageSize: 500, total: all.length });
    expect((await page('pageSize=1&page=2')).items).toEqual(all.slice(1, 2));
    expect(await page(`page=9`)).toEqual({ items: [], page: 9, pageSize: 50, total: all.length });
    const short = all.filter((e) => e.products.some((p) => p.short.length > 0));
    expect(short.length).toBeGreaterThanOrEqual(2);
    expect((await page('shortOnly=true&pageSize=500')).items).toEqual(short);
    expect((await page(`enterpriseId=${all[0].enterpriseId}`)).items).toEqual([all[0]]);
    expect((await t.http.get(`/runs/${runId}/explanations?shortOnly=yes`, w.coordinatorToken)).status).toBe(400);
    // The run without its input snapshot: everything else as it is.
    const whole = (await runOf(runId)).body;
    const light = (await t.http.get(`/runs/${runId}?inputSnapshot=false`, w.coordinatorToken)).body;
    expect(whole.inputSnapshot).not.toBeNull();
    const { inputSnapshot: _input, ...rest } = whole;
    expect(light).toEqual(rest);
    expect((await t.http.get(`/runs/${runId}/explanations`, other.coordinatorToken)).status).toBe(404);
  });

  it('exports only to the zone’s staff: members 403, another zone’s coordinator 404', async () => {
    const runAsForeign = await t.http.get(`/runs/${runId}`, other.coordinatorToken); // exports answer as the run itself does
    expect(runAsForeign.status).toBe(404);
    for (const path of ['schedule.csv', 'schedule.xlsx', 'shortages.csv', 'shortages.xlsx']) {
      const url = `/runs/${runId}/exports/${path}`;
      const member = await download(url, hospital.token);
      expect([member.status, problemOf(member).code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
      const supplier = await download(url, w.supplier.token);
      expect(supplier.status).toBe(403);
      const foreign = await download(url, other.coordinatorToken);
      expect([foreign.status, problemOf(foreign).code]).toEqual([404, runAsForeign.body.code]);
      expect((await download(url, ADMIN_TOKEN)).status).toBe(200);
    }
  });

  it('prints a pickup slip with the code and a QR code of the payload, escaping every string', async () => {
    const schedule = await t.http.get(`/enterprises/${hospital.id}/schedules/${DATE}`, hospital.token);
    const pickup = schedule.body.pickups[0] as Pickup;
    const res = await download(slipUrl(hospital.id, pickup.appointmentId), hospital.token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['cache-control']).toBe('private, no-store');
    const html = res.body.toString('utf8');
    expect(html).toContain(`<div class="code" id="pickup-code">${pickup.pickupCode}</div>`);
    expect(html).toContain(pickup.supplier.name);
    expect(html).toContain(codeOf.get(hospital.id));
    // The QR is the qrcode package's SVG of the appointment's payload, inline.
    const svg = await QRCode.toString(pickup.qrPayload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    expect(pickup.qrPayload).toBe(`PPE1|${pickup.pickupCode}|${pickup.appointmentId}|${DATE}`);
    expect(html).toContain(svg);
    // The enterprise's name is text, not markup.
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; 常州第一人民医院 &#38; Co');

    // The zone's coordinator and admins may print it too.
    expect((await download(slipUrl(hospital.id, pickup.appointmentId), w.coordinatorToken)).status).toBe(200);
    expect((await download(slipUrl(hospital.id, pickup.appointmentId), ADMIN_TOKEN)).status).toBe(200);
  });

  it('answers 404 for another enterprise, another zone and unknown appointments; 403 for suppliers', async () => {
    const schedule = await t.http.get(`/enterprises/${hospital.id}/schedules/${DATE}`, hospital.token);
    const appointmentId = (schedule.body.pickups[0] as Pickup).appointmentId;
    const asOther = await download(slipUrl(hospital.id, appointmentId), plant.token);
    expect([asOther.status, problemOf(asOther).code]).toEqual([404, 'ORGANIZATION_NOT_FOUND']);
    const viaOwnId = await download(slipUrl(plant.id, appointmentId), plant.token);
    expect([viaOwnId.status, problemOf(viaOwnId).code]).toEqual([404, 'PICKUP_NOT_FOUND']);
    const foreign = await download(slipUrl(hospital.id, appointmentId), other.coordinatorToken);
    expect(foreign.status).toBe(404);
    const supplier = await download(slipUrl(hospital.id, appointmentId), w.supplier.token);
    expect([supplier.status, problemOf(supplier).code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    const badDate = await download(`/enterprises/${hospital.id}/schedules/2026-02-30/slips/${appointmentId}`, hospital.token);
    expect([badDate.status, problemOf(badDate).code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('documents every export in OpenAPI with its media type', async () => {
    const docs = (await t.http.get('/docs-json', null)).body;
    const media = (path: string) => Object.keys(docs.paths[path].get.responses['200'].content);
    expect(media('/runs/{runId}/exports/schedule.csv')).toEqual(['text/csv']);
    expect(media('/runs/{runId}/exports/shortages.csv')).toEqual(['text/csv']);
    expect(media('/runs/{runId}/exports/schedule.xlsx')).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(media('/runs/{runId}/exports/shortages.xlsx')).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(media('/enterprises/{enterpriseId}/schedules/{serviceDate}/slips/{appointmentId}')).toEqual(['text/html']);
    expect(docs.paths['/runs/{runId}/exports/schedule.csv'].get.tags).toEqual(['exports']);
  });

  it('refuses to export a run that is not computed yet (409)', async () => {
    await worker.close(); // nothing computes the next run
    worker = { close: async () => undefined } as unknown as TestWorker;
    const started = await t.http.post(`/zones/${w.zoneId}/runs`, w.coordinatorToken, { serviceDate: DATE });
    expect(started.status).toBe(202);
    const res = await download(`/runs/${started.body.id}/exports/schedule.csv`, w.coordinatorToken);
    expect([res.status, problemOf(res).code]).toEqual([409, 'RUN_NOT_COMPUTED']);
  });
});
