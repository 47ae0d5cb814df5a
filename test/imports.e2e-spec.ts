import { OrganizationKind, withCheckChar } from '#domain';
import { Organization } from '#store';
import { creditCode, MASK, SANITIZER, type Org, type ZoneWorld } from './support/factories.js';
import { ADMIN_TOKEN } from './support/test-app.js';
import { eventually } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

// DEFAULT_NOW = 2026-03-02 12:00 Shanghai: reports for 03-03 are open until 20:00 today.
const DATE = '2026-03-03';
const DISINFECTANT = { code: 'DISINFECTANT-5L', nameZh: '84消毒液 5L', nameEn: 'Disinfectant 5 L', unit: 'can', packSize: 4, normPerWorker: 0.02, capFactor: 1.5 };
const GLOVES = { code: 'GLOVES-NITRILE', nameZh: '丁腈手套', nameEn: 'Nitrile gloves', unit: 'pair', packSize: 100, normPerWorker: 1, capFactor: 2 };

describe('CSV import of demand and capacity', () => {
  const { t, f } = useTestApp({ reset: 'each' });
  let w: ZoneWorld;
  let a: { org: Org; code: string }; // 400 registered employees
  let b: { org: Org; code: string }; // 200 registered employees
  let supplierCode: string;
  let supplier: Org; // registered with supplierCode

  const upload = async (path: string, token: string | null, body: string | Buffer, contentType = 'text/csv') => {
    let req = t.http.raw().post(path).set('Content-Type', contentType);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    const res = await req.send(body);
    t.statuses.push(res.status);
    return res;
  };
  /** Rows past the 20 MiB file limit. */
  const tooLarge = () => Buffer.from(`creditCode,productCode,quantity\n${'91320400MA00000017,MASK-MED,1\n'.repeat(700_000)}`);
  const demandUrl = (date = DATE, zoneId = w.zoneId) => `/zones/${zoneId}/imports/demand?serviceDate=${date}`;
  const capacityUrl = (date = DATE, zoneId = w.zoneId) => `/zones/${zoneId}/imports/capacity?serviceDate=${date}`;
  const count = async (table: 'demand_reports' | 'capacity_reports') => (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;
  const versions = (org: Org, kind: 'demand' | 'capacity' = 'demand') =>
    t.http.get(`/${kind === 'demand' ? 'enterprises' : 'suppliers'}/${org.id}/${kind}-reports/${DATE}/versions`, w.coordinatorToken).then((r) => ({ ...r, body: r.body.items }));
  const expectProblem = (res: { status: number; headers: Record<string, string>; body: { code: string } }, status: number, code: string) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };

  beforeEach(async () => {
    w = await f.world();
    const enterprise = async (registeredEmployees: number) => {
      const code = creditCode();
      return { org: await f.enterprise(w.zoneId, w.coordinatorToken, { creditCode: code, registeredEmployees }), code };
    };
    a = await enterprise(400);
    b = await enterprise(200);
    supplierCode = creditCode();
    supplier = await f.supplier(w.zoneId, w.coordinatorToken, { creditCode: supplierCode });
  });

  describe('demand', () => {
    it('writes one new version per enterprise, as a repost does, and one audit entry for the import', async () => {
      const posted = await t.http.post(`/enterprises/${a.org.id}/demand-reports`, a.org.token, { serviceDate: DATE, headcount: 10, lines: [{ productCode: MASK.code }] });
      expect(posted.status).toBe(201);
      const csv = [
        'creditCode,headcount,productCode,statedQuantity,stockOnHand',
        `${a.code},100,${MASK.code},,30`,
        `${a.code},,${SANITIZER.code},12,`, // headcount may be left blank after the enterprise's first row
        `${b.code.toLowerCase()},50,${MASK.code.toLowerCase()},150,`, // 150 = 50 × 2 × 1.5, the cap itself
        '',
      ].join('\r\n');
      const res = await upload(demandUrl(), w.coordinatorToken, csv);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'demand', zoneId: w.zoneId, serviceDate: DATE, rows: 3, organizations: 2, versionsCreated: 2, reposted: 1, late: false });

      const aVersions = (await versions(a.org)).body;
      expect(aVersions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      expect(aVersions[1]).toMatchObject({ headcount: 100, late: false });
      expect(aVersions[1].lines).toEqual([
        { productId: w.productIds[MASK.code], productCode: MASK.code, statedQuantity: null, stockOnHand: 30, need: 170 },
        { productId: w.productIds[SANITIZER.code], productCode: SANITIZER.code, statedQuantity: 12, stockOnHand: 0, need: 12 },
      ]);
      const bVersions = (await versions(b.org)).body;
      expect(bVersions).toHaveLength(1);
      expect(bVersions[0]).toMatchObject({ headcount: 50, lines: [expect.objectContaining({ productCode: MASK.code, statedQuantity: 150, need: 150 })] });

      const audit = await t.dataSource.query(`SELECT action, entity_type, entity_id, after FROM audit_log WHERE action = 'demand_report.import'`);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ entity_type: 'demand_import', entity_id: res.body.importId });
      expect(audit[0].after).toMatchObject({ rows: 3, organizations: 2, fileSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

      // The same file again: one more version each.
      const again = await upload(demandUrl(), w.coordinatorToken, csv);
      expect(again.body).toMatchObject({ versionsCreated: 2, reposted: 2 });
      expect((await versions(a.org)).body).toHaveLength(3);
    });

    it('accepts Chinese headers in any order, with a BOM, bilingual headers and ignored name columns', async () => {
      const csv =
        '\uFEFF企业名称,产品编码,返岗员工数,统一社会信用代码,库存,"申报数量 statedQuantity"\n' +
        `常州恒源精密机械有限公司,${MASK.code},100,${a.code},0,\n` +
        `"某某公司, 有限",${SANITIZER.code},100,${a.code},,5\n`;
      const res = await upload(demandUrl(), w.coordinatorToken, csv);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ rows: 2, organizations: 1 });
      const latest = (await versions(a.org)).body[0];
      expect(latest.headcount).toBe(100);
      expect(latest.lines.map((l: { productCode: string; need: number }) => [l.productCode, l.need])).toEqual([
        [MASK.code, 200],
        [SANITIZER.code, 5],
      ]);

      const alt = `统一社会信用代码,在岗人数,产品编码,申报数量,库存\n${b.code},20,${MASK.code},,\n`;
      expect((await upload(demandUrl(), w.coordinatorToken, alt)).status).toBe(201);
    });

    it('refuses a file with bad rows, writes nothing, and names every bad row as the spreadsheet numbers it', async () => {
      await t.http.post(`/enterprises/${b.org.id}/demand-reports`, b.org.token, { serviceDate: DATE, headcount: 10, lines: [{ productCode: MASK.code }] });
      const other = await f.zone();
      const foreignCode = creditCode();
      await f.enterprise(other.zoneId, other.coordinatorToken, { creditCode: foreignCode });
      const cCode = creditCode();
      await f.enterprise(w.zoneId, w.coordinatorToken, { creditCode: cCode, registeredEmployees: 100 });
      const unregistered = creditCode();
      const before = await count('demand_reports');
      const csv = [
        /* 1 */ 'creditCode,headcount,productCode,statedQuantity,stockOnHand',
        /* 2 */ `${a.code},100,${MASK.code},,`,
        /* 3 */ `91320400MA0000000X,10,${MASK.code},,`, // wrong check character
        /* 4 */ `${unregistered},10,${MASK.code},,`,
        /* 5 */ `${supplierCode},10,${MASK.code},,`,
        /* 6 */ `${foreignCode},10,${MASK.code},,`, // another zone's enterprise
        /* 7 */ `${b.code},250,${MASK.code},,`, // 200 registered
        /* 8 */ `${cCode},100,${MASK.code},301,`, // cap 100 × 2 × 1.5 = 300
        /* 9 */ `${cCode},100,GLOVES,,`,
        /* 10 */ `${cCode},100,${SANITIZER.code},1.5,-5`,
        /* 11 */ `${a.code},100,${MASK.code},,`, // repeats row 2
        /* 12 */ `${a.code},90,${SANITIZER.code},,`, // another headcount for the same enterprise
        /* 13 */ '',
        /* 14 */ `${b.code},,${SANITIZER.code},,,surplus`,
        /* 15 */ `${unregistered},abc,${SANITIZER.code},,`,
      ].join('\n');
      const res = await upload(demandUrl(), w.coordinatorToken, csv);
      expectProblem(res, 422, 'IMPORT_ROWS_INVALID');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'row 3: creditCode',
        'row 4: creditCode',
        'row 5: creditCode',
        'row 6: creditCode',
        'row 7: headcount',
        'row 8: statedQuantity',
        'row 9: productCode',
        'row 10: statedQuantity',
        'row 10: stockOnHand',
        'row 11: productCode',
        'row 12: headcount',
        'row 14',
        'row 15: creditCode',
        'row 15: headcount',
      ]);
      const reason = (field: string) => res.body.errors.find((e: { field: string }) => e.field === field).reason as string;
      expect(reason('row 3: creditCode')).toContain('not a valid unified social credit code');
      expect(reason('row 5: creditCode')).toContain('registered as a supplier');
      expect(reason('row 6: creditCode')).toBe(reason('row 4: creditCode').replace(unregistered, foreignCode)); // no hint that it exists elsewhere
      expect(reason('row 7: headcount')).toBe('Headcount 250 exceeds the 200 registered employees');
      expect(reason('row 8: statedQuantity')).toContain('exceeds the limit 300');
      expect(reason('row 11: productCode')).toContain('first on row 2');
      expect(reason('row 12: headcount')).toContain('row 2');
      expect(res.body.detail).toMatch(/^12 rows of the file are invalid; nothing was imported/);
      expect(await count('demand_reports')).toBe(before);
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE '%.import'`))[0].n).toBe(0);
    });

    it('refuses unknown, repeated and missing columns, naming the header row', async () => {
      const res = await upload(demandUrl(), w.coordinatorToken, `统一社会信用代码,creditCode,产品编码,申报数,quantity\n${a.code},${a.code},${MASK.code},1,1\n`);
      expectProblem(res, 422, 'IMPORT_HEADER_INVALID');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['row 1: creditCode', 'row 1: 申报数', 'row 1: quantity', 'row 1: headcount']);
    });

    it('accepts a coordinator’s import after the cutoff and marks it late; refuses a past date', async () => {
      t.clock.set(new Date('2026-03-02T13:00:00Z')); // 21:00 in Shanghai, after the 20:00 cutoff for 03-03
      const res = await upload(demandUrl(), ADMIN_TOKEN, `creditCode,headcount,productCode\n${a.code},10,${MASK.code}\n`);
      expect(res.status).toBe(201);
      expect(res.body.late).toBe(true);
      expect((await versions(a.org)).body[0].late).toBe(true);
      expectProblem(await upload(demandUrl('2026-03-01'), w.coordinatorToken, `creditCode,headcount,productCode\n${a.code},10,${MASK.code}\n`), 422, 'SERVICE_DATE_IN_PAST');
    });

    /** Thousands of enterprises through HTTP one by one would be slow: they are inserted directly. */
    const insertEnterprises = async (count: number): Promise<string[]> => {
      const codes = Array.from({ length: count }, (_, i) => withCheckChar(`91320400MB${String(i).padStart(7, '0')}`));
      const repo = t.dataSource.getRepository(Organization);
      for (let i = 0; i < codes.length; i += 500) {
        await repo.insert(
          codes.slice(i, i + 500).map((code, j) => ({
            zoneId: w.zoneId,
            kind: OrganizationKind.Enterprise,
            name: `批量导入企业${i + j}`,
            creditCode: code,
            address: `常州经开区批量路${i + j}号`,
            latitude: 31.75,
            longitude: 120.05,
            contactName: '张伟',
            contactPhone: '0519-8000-0000',
            registeredEmployees: 1000,
            priorityCategory: 'above_scale',
            aboveScale: true,
          })),
        );
      }
      return codes;
    };

    it('imports 10,000 rows (2,500 enterprises × 4 products) in one transaction', async () => {
      await f.product(w.zoneId, w.coordinatorToken, DISINFECTANT);
      await f.product(w.zoneId, w.coordinatorToken, GLOVES);
      const codes = await insertEnterprises(2500);
      const headcountOf = (i: number) => 10 + (i % 500);
      const lines = ['统一社会信用代码,在岗人数,产品编码,申报数量,库存'];
      codes.forEach((code, i) => {
        lines.push(`${code},${headcountOf(i)},${MASK.code},,${i % 7}`);
        lines.push(`${code},,${SANITIZER.code},,`);
        lines.push(`${code},,${DISINFECTANT.code},,`);
        lines.push(`${code},,${GLOVES.code},${headcountOf(i)},`);
      });
      const csv = lines.join('\n');
      expect(lines.length - 1).toBe(10_000);

      const started = performance.now();
      const res = await upload(demandUrl(), w.coordinatorToken, csv);
      const ms = Math.round(performance.now() - started);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ rows: 10_000, organizations: 2500, versionsCreated: 2500, reposted: 0 });
      process.stdout.write(`10,000-row demand import (${Buffer.byteLength(csv)} bytes): ${ms} ms\n`);

      const [totals] = await t.dataSource.query(
        `SELECT count(DISTINCT d.enterprise_id)::int AS enterprises, count(DISTINCT d.id)::int AS reports, count(*)::int AS lines,
                sum((l->>'need')::int)::int AS need
           FROM demand_reports d CROSS JOIN jsonb_array_elements(d.lines) l WHERE d.zone_id = $1 AND d.service_date = $2`,
        [w.zoneId, DATE],
      );
      const expectedNeed = codes.reduce((sum, _, i) => {
        const h = headcountOf(i);
        return sum + (h * 2 - (i % 7)) + Math.ceil(h * 0.1 - 1e-9) + Math.ceil(h * 0.02 - 1e-9) + h;
      }, 0);
      expect(totals).toEqual({ enterprises: 2500, reports: 2500, lines: 10_000, need: expectedNeed });
    });

    it('imports 56,000 rows (14,000 enterprises × 4 products, with name columns) in one file: no row cap, the body limit bounds it', async () => {
      await f.product(w.zoneId, w.coordinatorToken, DISINFECTANT);
      await f.product(w.zoneId, w.coordinatorToken, GLOVES);
      const codes = await insertEnterprises(14_000);
      const lines = ['统一社会信用代码,企业名称,在岗人数,产品编码,产品名称,申报数量,库存'];
      codes.forEach((code, i) => {
        const name = `常州市武进区批量导入精密机械制造有限公司${i}`;
        lines.push(`${code},${name},${100 + (i % 900)},${MASK.code},医用外科口罩,,${i % 7}`);
        lines.push(`${code},${name},,${SANITIZER.code},免洗手消毒液 500ml,,`);
        lines.push(`${code},${name},,${DISINFECTANT.code},84消毒液 5L,,`);
        lines.push(`${code},${name},,${GLOVES.code},丁腈手套,50,`);
      });
      const csv = lines.join('\r\n');
      expect(lines.length - 1).toBe(56_000);
      const started = performance.now();
      const res = await upload(demandUrl(), w.coordinatorToken, csv);
      const ms = Math.round(performance.now() - started);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ rows: 56_000, organizations: 14_000, versionsCreated: 14_000, reposted: 0 });
      process.stdout.write(`56,000-row demand import (${Buffer.byteLength(csv)} bytes): ${ms} ms\n`);
      const [stored] = await t.dataSource.query(
        `SELECT count(*)::int AS reports, sum(jsonb_array_length(lines))::int AS lines FROM demand_reports WHERE zone_id = $1 AND service_date = $2`,
        [w.zoneId, DATE],
      );
      expect(stored).toEqual({ reports: 14_000, lines: 56_000 });
    });
  });

  describe('a file with only some of an enterprise’s products (split files)', () => {
    const maskFile = () => `creditCode,headcount,productCode,stockOnHand\n${a.code},100,${MASK.code},30\n${b.code},50,${MASK.code},\n`;
    const sanitizerFile = (headcount = 100, stated = '12') => `creditCode,headcount,productCode,statedQuantity\n${a.code},${headcount},${SANITIZER.code},${stated}\n`;
    const latestLines = async (org: Org) => {
      const [latest]: { version: number; headcount: number; lines: { productCode: string; need: number }[] }[] = await t.dataSource.query(
        'SELECT version, headcount, lines FROM demand_reports WHERE enterprise_id = $1 AND service_date = $2 ORDER BY version DESC LIMIT 1',
        [org.id, DATE],
      );
      return { version: latest.version, headcount: latest.headcount, lines: latest.lines.map((l) => [l.productCode, l.need]) };
    };

    it('merge keeps the first file’s products and adds the second’s', async () => {
      expect((await upload(demandUrl(), w.coordinatorToken, maskFile())).status).toBe(201);
      const res = await upload(`${demandUrl()}&mode=merge`, w.coordinatorToken, sanitizerFile());
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ mode: 'merge', organizations: 1, reposted: 1 });
      expect(await latestLines(a.org)).toEqual({ version: 2, headcount: 100, lines: [[SANITIZER.code, 12], [MASK.code, 170]] });
      expect(await latestLines(b.org)).toEqual({ version: 1, headcount: 50, lines: [[MASK.code, 100]] }); // not in the second file: untouched
    });

    it('merge works a kept line’s need out again with the file’s headcount, and refuses it above the new cap', async () => {
      await upload(demandUrl(), w.coordinatorToken, `creditCode,headcount,productCode,statedQuantity\n${a.code},100,${MASK.code},300\n`); // cap 100 × 2 × 1.5
      const res = await upload(`${demandUrl()}&mode=merge`, w.coordinatorToken, sanitizerFile(60, ''));
      expectProblem(res, 422, 'IMPORT_ROWS_INVALID');
      expect(res.body.errors).toEqual([{ field: 'row 2: headcount', reason: expect.stringMatching(/^Stated quantity 300 of MASK-MED exceeds the limit 180 .*that line is kept from the latest version/) }]);
      expect((await latestLines(a.org)).version).toBe(1);

      await upload(demandUrl(), w.coordinatorToken, maskFile());
      expect((await upload(`${demandUrl()}&mode=merge`, w.coordinatorToken, sanitizerFile(60, ''))).status).toBe(201);
      expect(await latestLines(a.org)).toEqual({ version: 3, headcount: 60, lines: [[SANITIZER.code, 6], [MASK.code, 90]] }); // 60 × 0.1; 60 × 2 − 30
    });

    it('replace keeps only the second file’s products', async () => {
      await upload(demandUrl(), w.coordinatorToken, maskFile());
      const res = await upload(`${demandUrl()}&mode=replace`, w.coordinatorToken, sanitizerFile());
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ mode: 'replace', reposted: 1 });
      expect(await latestLines(a.org)).toEqual({ version: 2, headcount: 100, lines: [[SANITIZER.code, 12]] });
    });

    it('without a mode, refuses a file that leaves out products of a latest version, naming the enterprises, and writes nothing', async () => {
      await upload(demandUrl(), w.coordinatorToken, maskFile());
      const before = await count('demand_reports');
      const res = await upload(demandUrl(), w.coordinatorToken, sanitizerFile());
      expectProblem(res, 422, 'IMPORT_MODE_REQUIRED');
      expect(res.body.detail).toContain(a.code);
      expect(res.body.errors).toEqual([{ field: 'row 2: creditCode', reason: `${a.code}: the latest version for the date also has ${MASK.code}` }]);
      expect(await count('demand_reports')).toBe(before);
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'demand_report.import'`))[0].n).toBe(1); // the first file's

      const zh = await t.http.raw().post(demandUrl()).set('Authorization', `Bearer ${w.coordinatorToken}`).set('Content-Type', 'text/csv').set('Accept-Language', 'zh-CN').send(sanitizerFile());
      expect(zh.body).toMatchObject({ code: 'IMPORT_MODE_REQUIRED', errors: [{ field: 'row 2: creditCode', reason: `${a.code} 当天最新填报中还有 ${MASK.code}，文件未包含` }] });
      expect(zh.body.detail).toContain('1 家单位');

      // A file that covers every product of the latest version needs no mode.
      expect((await upload(demandUrl(), w.coordinatorToken, `creditCode,headcount,productCode\n${a.code},80,${MASK.code}\n${a.code},,${SANITIZER.code}\n`)).status).toBe(201);
    });

    it('applies the same modes to capacity', async () => {
      const file = (product: string, quantity: number) => `creditCode,productCode,quantity\n${supplierCode},${product},${quantity}\n`;
      await upload(capacityUrl(), w.coordinatorToken, file(MASK.code, 500));
      expectProblem(await upload(capacityUrl(), w.coordinatorToken, file(SANITIZER.code, 40)), 422, 'IMPORT_MODE_REQUIRED');
      expect((await upload(`${capacityUrl()}&mode=merge`, w.coordinatorToken, file(SANITIZER.code, 40))).status).toBe(201);
      expect((await upload(`${capacityUrl()}&mode=merge`, w.coordinatorToken, file(MASK.code, 450))).status).toBe(201);
      const [latest] = await t.dataSource.query(
        `SELECT r.version, r.lines FROM capacity_reports r JOIN organizations o ON o.id = r.supplier_id
          WHERE o.credit_code = $1 AND r.service_date = $2 ORDER BY r.version DESC LIMIT 1`,
        [supplierCode, DATE],
      );
      expect(latest.version).toBe(3);
      expect(latest.lines.map((l: { productCode: string; quantity: number }) => [l.productCode, l.quantity])).toEqual([[MASK.code, 450], [SANITIZER.code, 40]]);
    });
  });

  describe('capacity', () => {
    it('imports with Chinese headers and refuses bad rows without writing', async () => {
      const s2Code = creditCode();
      const s2 = await f.supplier(w.zoneId, w.coordinatorToken, { creditCode: s2Code });
      const good = `统一社会信用代码,产品编码,可供数量,供应商名称\n${supplierCode},${MASK.code},20000,常州防护用品厂\n${supplierCode},${SANITIZER.code},480,\n${s2Code},${MASK.code},0,\n`;
      const res = await upload(capacityUrl(), w.coordinatorToken, good);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ kind: 'capacity', rows: 3, organizations: 2, versionsCreated: 2, reposted: 0 });
      const s2Versions = (await versions(s2, 'capacity')).body;
      expect(s2Versions[0].lines).toEqual([{ productId: w.productIds[MASK.code], productCode: MASK.code, quantity: 0 }]);

      const before = await count('capacity_reports');
      const bad = `creditCode,productCode,quantity\n${supplierCode},${MASK.code},100\n${a.code},${MASK.code},5\n${s2Code},${MASK.code},\n${s2Code},${SANITIZER.code},-1\n${supplierCode},${MASK.code},7\n`;
      const refused = await upload(capacityUrl(), w.coordinatorToken, bad);
      expectProblem(refused, 422, 'IMPORT_ROWS_INVALID');
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['row 3: creditCode', 'row 4: quantity', 'row 5: quantity', 'row 6: productCode']);
      expect(await count('capacity_reports')).toBe(before);
    });

    it('reads a GB18030 file (Excel’s plain CSV on Chinese Windows)', async () => {
      const header = Buffer.from('cdb3d2bbc9e7bbe1d0c5d3c3b4fac2eb2cb2fac6b7b1e0c2eb2cbfc9b9a9cafdc1bf', 'hex'); // 统一社会信用代码,产品编码,可供数量
      const res = await upload(capacityUrl(), w.coordinatorToken, Buffer.concat([header, Buffer.from(`\r\n${supplierCode},${MASK.code},300\r\n`)]));
      expect(res.status).toBe(201);
      expect(res.body.organizations).toBe(1);
    });
  });

  describe('a file uploaded as multipart/form-data (a browser form, a generated client)', () => {
    const form = (url: string, file: Buffer | null, field = 'file', key?: string) => {
      let req = t.http.raw().post(url).set('Authorization', `Bearer ${w.coordinatorToken}`);
      if (key) req = req.set('Idempotency-Key', key);
      return file ? req.attach(field, file, { filename: 'capacity.csv', contentType: 'text/csv' }) : req.field('note', 'no file');
    };
    const capacityFile = (quantity: number) => Buffer.from(`creditCode,productCode,quantity\n${supplierCode},${MASK.code},${quantity}\n`);

    it('imports the form field `file` as the text/csv body would, a GB18030 file too', async () => {
      const res = await form(capacityUrl(), capacityFile(300));
      expect({ status: res.status, organizations: res.body.organizations }).toEqual({ status: 201, organizations: 1 });
      const header = Buffer.from('cdb3d2bbc9e7bbe1d0c5d3c3b4fac2eb2cb2fac6b7b1e0c2eb2cbfc9b9a9cafdc1bf', 'hex'); // 统一社会信用代码,产品编码,可供数量
      const gb = await form(capacityUrl(), Buffer.concat([header, Buffer.from(`\r\n${supplierCode},${MASK.code},280\r\n`)]));
      expect({ status: gb.status, reposted: gb.body.reposted }).toEqual({ status: 201, reposted: 1 });
      expect((await versions(supplier, 'capacity')).body.map((v: { lines: { quantity: number }[] }) => v.lines[0].quantity)).toEqual([300, 280]);
    });

    it('refuses a form without the file (422), with a second file (422) or over the limit (413), writing nothing', async () => {
      expectProblem(await form(capacityUrl(), null), 422, 'IMPORT_FILE_MISSING');
      expectProblem(await form(capacityUrl(), capacityFile(1), 'upload'), 422, 'IMPORT_FILE_MISSING');
      const two = await t.http.raw().post(capacityUrl()).set('Authorization', `Bearer ${w.coordinatorToken}`).attach('file', capacityFile(1), 'a.csv').attach('file', capacityFile(2), 'b.csv');
      expectProblem(two, 422, 'IMPORT_FILE_MISSING');
      expectProblem(await form(capacityUrl(), tooLarge()), 413, 'PAYLOAD_TOO_LARGE');
      expect(await count('capacity_reports')).toBe(0);
    });

    it('binds an Idempotency-Key to the file: the same file is replayed, another file with the key is refused', async () => {
      const first = await form(capacityUrl(), capacityFile(300), 'file', 'upload-1');
      const again = await form(capacityUrl(), capacityFile(300), 'file', 'upload-1');
      expect([first.status, again.status, again.headers['idempotent-replayed'], again.body.importId]).toEqual([201, 201, 'true', first.body.importId]);
      expectProblem(await form(capacityUrl(), capacityFile(301), 'file', 'upload-1'), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await count('capacity_reports')).toBe(1);
    });
  });

  describe('one lock for single posts and imports', () => {
    const post = (org: Org, headcount: number) => t.http.post(`/enterprises/${org.id}/demand-reports`, org.token, { serviceDate: DATE, headcount, lines: [{ productCode: MASK.code }] });
    const versionsOf = async (org: Org): Promise<{ version: number; submitted_by: string }[]> =>
      t.dataSource.query('SELECT version, submitted_by FROM demand_reports WHERE enterprise_id = $1 AND service_date = $2 ORDER BY version', [org.id, DATE]);
    const waitingAdvisoryLocks = async (): Promise<number> =>
      (await t.dataSource.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`))[0].n;

    it('gives concurrent posts for one enterprise and date distinct, consecutive versions, each audited', async () => {
      const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => post(a.org, 10 + i)));
      expect(answers.map((r) => r.status)).toEqual(Array(24).fill(201));
      expect(answers.map((r) => r.body.version).sort((x, y) => x - y)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      // What each answer acknowledged is what was stored under its version.
      const stored: { version: number; headcount: number }[] = await t.dataSource.query(
        'SELECT version, headcount FROM demand_reports WHERE enterprise_id = $1 AND service_date = $2',
        [a.org.id, DATE],
      );
      expect(new Map(stored.map((r) => [r.version, r.headcount]))).toEqual(new Map(answers.map((r) => [r.body.version, r.body.headcount])));
      const audited: { entity_id: string; version: number }[] = await t.dataSource.query(
        `SELECT entity_id, (after->>'version')::int AS version FROM audit_log WHERE action = 'demand_report.post'`,
      );
      expect(new Map(audited.map((r) => [r.entity_id, r.version]))).toEqual(new Map(answers.map((r) => [r.body.id, r.body.version])));
    });

    it('makes an import wait for a post in flight, and a post arriving meanwhile wait for the import', async () => {
      // A post of A holds its locks in an open transaction, as a slow one would.
      const inFlight = t.dataSource.createQueryRunner();
      await inFlight.connect();
      await inFlight.startTransaction();
      try {
        const report = { zoneId: w.zoneId, enterpriseId: a.org.id, serviceDate: DATE, headcount: 5, lines: [], submittedBy: a.org.id, submittedAt: new Date(), late: false };
        await inFlight.query('SELECT append_demand_report($1::jsonb, $2::jsonb)', [
          JSON.stringify(report),
          JSON.stringify({ actorId: null, actorRole: 'system', action: 'demand_report.post', entityType: 'demand_report' }),
        ]);
        const csv = ['creditCode,headcount,productCode', `${a.code},100,${MASK.code}`, `${b.code},50,${MASK.code}`].join('\n');
        const imported = upload(demandUrl(), w.coordinatorToken, csv);
        await eventually(async () => (await waitingAdvisoryLocks()) === 1, 10000, 'the import to wait for the post in flight');
        const postedB = post(b.org, 20);
        await eventually(async () => (await waitingAdvisoryLocks()) === 2, 10000, 'the post of B to queue behind the import');
        await inFlight.commitTransaction();

        const [importAnswer, postAnswer] = await Promise.all([imported, postedB]);
        expect(importAnswer.status).toBe(201);
        expect(importAnswer.body).toMatchObject({ organizations: 2, versionsCreated: 2, reposted: 1 });
        expect(postAnswer.status).toBe(201);
        // A: the post in flight, then the import. B: the import, then the post that queued behind it.
        expect((await versionsOf(a.org)).map((r) => r.version)).toEqual([1, 2]);
        expect(postAnswer.body.version).toBe(2);
        const [first, second] = await versionsOf(b.org);
        expect([first.version, second.version]).toEqual([1, 2]);
        expect(second.submitted_by).toBe(postAnswer.body.submittedBy);
        expect(first.submitted_by).not.toBe(postAnswer.body.submittedBy);
      } finally {
        if (inFlight.isTransactionActive) await inFlight.rollbackTransaction();
        await inFlight.release();
      }
    });

    it('numbers imports and posts racing each other without gaps or repeats', async () => {
      const csv = ['creditCode,headcount,productCode', `${a.code},100,${MASK.code}`, `${b.code},50,${MASK.code}`].join('\n');
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, () => upload(demandUrl(), w.coordinatorToken, csv)),
        ...Array.from({ length: 8 }, (_, i) => post(i % 2 ? a.org : b.org, 10 + i)),
      ]);
      expect(answers.map((r) => r.status)).toEqual(Array(12).fill(201));
      expect((await versionsOf(a.org)).map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect((await versionsOf(b.org)).map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });
  });

  it('is documented in OpenAPI as a text/csv body or a multipart form with the file in `file`', async () => {
    const docs = (await t.http.get('/docs-json', null)).body;
    for (const kind of ['demand', 'capacity', 'organizations']) {
      const op = docs.paths[`/zones/{zoneId}/imports/${kind}`].post;
      expect(Object.keys(op.requestBody.content)).toEqual(['text/csv', 'multipart/form-data']);
      expect(op.requestBody.content['multipart/form-data'].schema).toMatchObject({ required: ['file'], properties: { file: { type: 'string', format: 'binary' } } });
    }
    for (const kind of ['demand', 'capacity']) {
      const op = docs.paths[`/zones/{zoneId}/imports/${kind}`].post;
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['zoneId', 'serviceDate']));
      expect(op.responses['201']).toBeDefined();
      expect(op.tags).toEqual(['imports']);
    }
  });

  describe('who may import, and malformed requests', () => {
    const csv = () => `creditCode,headcount,productCode\n${a.code},10,${MASK.code}\n`;

    it('is for the zone’s coordinators and admins: members get 403, another zone’s coordinator 404', async () => {
      expectProblem(await upload(demandUrl(), a.org.token, csv()), 403, 'ROLE_NOT_ALLOWED');
      expectProblem(await upload(capacityUrl(), w.supplier.token, csv()), 403, 'ROLE_NOT_ALLOWED');
      const other = await f.zone();
      expectProblem(await upload(demandUrl(), other.coordinatorToken, csv()), 404, 'ZONE_NOT_FOUND');
      expectProblem(await upload(capacityUrl(), other.coordinatorToken, csv()), 404, 'ZONE_NOT_FOUND');
      expectProblem(await upload(demandUrl(), null, csv()), 401, 'UNAUTHENTICATED');
      expect(await count('demand_reports')).toBe(0);
    });

    it('answers problem+json for a wrong media type, a missing date or mode, an empty or malformed file and a body over the limit', async () => {
      expectProblem(await upload(demandUrl(), w.coordinatorToken, JSON.stringify({ rows: [] }), 'application/json'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectProblem(await upload(`/zones/${w.zoneId}/imports/demand`, w.coordinatorToken, csv()), 400, 'VALIDATION_FAILED');
      expectProblem(await upload(demandUrl(), w.coordinatorToken, ''), 422, 'IMPORT_EMPTY');
      expectProblem(await upload(demandUrl(), w.coordinatorToken, 'creditCode,headcount,productCode\n'), 422, 'IMPORT_EMPTY');
      const malformed = await upload(demandUrl(), w.coordinatorToken, `creditCode,headcount,productCode\n${a.code},10,${MASK.code}\n"${a.code},10,${MASK.code}\n`);
      expectProblem(malformed, 422, 'IMPORT_CSV_MALFORMED');
      expectProblem(await upload(`${demandUrl()}&mode=append`, w.coordinatorToken, csv()), 400, 'VALIDATION_FAILED');
      expectProblem(await upload(demandUrl(), w.coordinatorToken, tooLarge()), 413, 'PAYLOAD_TOO_LARGE');
      // One endless cell is refused at its first 64 KiB, not gathered up to the file limit.
      const endless = await upload(demandUrl(), w.coordinatorToken, Buffer.alloc(1024 * 1024, 'a'));
      expectProblem(endless, 422, 'IMPORT_CSV_MALFORMED');
      expect(await count('demand_reports')).toBe(0);
    });
  });
});
