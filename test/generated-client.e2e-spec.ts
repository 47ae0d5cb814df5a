import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import createClient from 'openapi-fetch';
import ts from 'typescript';
import { renderClientTypes } from '../tools/client/client-types.js';
import { conformanceCheck, type OpenApiDocument } from './client/conformance.js';
import type { paths } from './client/schema.js';
import { creditCode } from './support/factories.js';
import { ADMIN_TOKEN } from './support/test-app.js';
import { eventually } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

// DEFAULT_NOW: 2026-03-02 12:00 Shanghai; reports for 03-03 are open, and a run for 03-03 may start.
const DATE = '2026-03-03';
const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(THIS_FILE), '..');
const COMMITTED_TYPES = resolve(ROOT, 'test/client/schema.d.ts');

type Outcome<D> = { data?: D; error?: unknown; response: Response };

/** The typed data of a call that must answer `status`; anything else fails with the problem the API sent. */
async function expectStatus<D>(call: Promise<Outcome<D>>, status: number): Promise<D> {
  const { data, error, response } = await call;
  if (response.status !== status || data === undefined) {
    throw new Error(`${response.url} answered ${response.status}, expected ${status}: ${JSON.stringify(error)}`);
  }
  return data;
}

// First, before the API and the worker exist: type-checking blocks the event loop for seconds.
describe('generated client: the typed calls below', () => {
  it('compile against the committed types, with no explicit any', () => {
    const config = ts.readConfigFile(resolve(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const program = ts.createProgram([THIS_FILE], { ...options, noEmit: true });
    const mine = [THIS_FILE, COMMITTED_TYPES, resolve(ROOT, 'test/client/conformance.ts')];
    const diagnostics = mine.flatMap((file) => {
      const source = program.getSourceFile(file);
      return source ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)] : [];
    });
    expect(diagnostics.map((d) => `${d.file?.fileName}:${d.start}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
    expect(program.getSourceFile(COMMITTED_TYPES)).toBeDefined();
    const explicitAny: number[] = [];
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.AnyKeyword) explicitAny.push(node.getStart());
      ts.forEachChild(node, visit);
    };
    const source = program.getSourceFile(THIS_FILE);
    if (source) visit(source);
    expect(explicitAny).toEqual([]);
  });
});

/**
 * A real client proves the API description: openapi-fetch typed by the types generated from
 * /docs-json drives a whole day against the API on a loopback port, with the worker running, and
 * every response is checked against the described schema as it arrives.
 */
describe('generated client: the OpenAPI description drives a whole day', () => {
  const { t } = useTestApp({ worker: true });
  let baseUrl: string;
  let doc: OpenApiDocument;
  const problems: string[] = [];

  beforeAll(async () => {
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    doc = (await (await fetch(`${baseUrl}/docs-json`)).json()) as OpenApiDocument;
  });

  /** A client acting with one credential; every response it receives is checked against the description. */
  const as = (token: string) => {
    const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
    client.use(conformanceCheck(doc, problems));
    return client;
  };

  it('the committed client types match what the API serves at /docs-json', async () => {
    const committed = readFileSync(COMMITTED_TYPES, 'utf8');
    const live = await renderClientTypes(doc);
    const firstDifferentLine = live.split('\n').findIndex((line, i) => line !== committed.split('\n')[i]) + 1;
    expect({ stale: committed !== live, firstDifferentLine, fix: 'npm run client:generate' }).toEqual({ stale: false, firstDifferentLine: 0, fix: 'npm run client:generate' });
  });

  it('runs report → run → publish → schedule → pickup through the typed client, every response as described', async () => {
    const admin = as(ADMIN_TOKEN);
    const zone = await expectStatus(admin.POST('/zones', { body: { name: '常州经开区（类型化客户端）', autoPublishTime: null, tierMapping: { medical: 1, above_scale: 3 } } }), 201);
    expect(zone).toMatchObject({ timeZone: 'Asia/Shanghai', cutoffTime: '20:00', autoPublishTime: null });
    expect(zone.tierMapping.medical).toBe(1);
    const coordinatorCredential = await expectStatus(admin.POST('/users', { body: { name: '对接小组 coordinator', role: 'coordinator', zoneId: zone.id } }), 201);
    const coordinator = as(coordinatorCredential.token);
    const zonePath = { params: { path: { zoneId: zone.id } } };

    // The catalogue: masks in boxes of 50, two per worker a day.
    const mask = await expectStatus(
      coordinator.POST('/zones/{zoneId}/products', { ...zonePath, body: { code: 'MASK-MED', nameZh: '一次性医用口罩', nameEn: 'Disposable medical mask', unit: 'piece', packSize: 50, normPerWorker: 2 } }),
      201,
    );
    expect(mask.capFactor).toBe(1.5); // the default

    // An enterprise and a supplier, each with a member credential.
    const enterprise = await expectStatus(
      coordinator.POST('/zones/{zoneId}/enterprises', {
        ...zonePath,
        body: { name: '常州市第一人民医院', creditCode: creditCode(), address: '常州市局前街185号', latitude: 31.776, longitude: 119.951, contactName: '王芳', contactPhone: '0519-6887-0000', registeredEmployees: 300, priorityCategory: 'medical' },
      }),
      201,
    );
    const supplier = await expectStatus(
      coordinator.POST('/zones/{zoneId}/suppliers', {
        ...zonePath,
        body: { name: '常州防护用品厂', creditCode: creditCode(), address: '常州经开区工业路1号', latitude: 31.78, longitude: 119.96, contactName: '李强', contactPhone: '0519-8666-1234', pickupWindows: [{ start: '08:00', end: '10:00' }] },
      }),
      201,
    );
    const issue = (organizationId: string) =>
      expectStatus(coordinator.POST('/organizations/{organizationId}/credentials', { params: { path: { organizationId } }, body: { name: 'member' } }), 201);
    const member = as((await issue(enterprise.id)).token);
    const maker = as((await issue(supplier.id)).token);

    // Demand (300 on site × 2 = 600 masks) and capacity (400): masks are short.
    const demand = await expectStatus(
      member.POST('/enterprises/{enterpriseId}/demand-reports', { params: { path: { enterpriseId: enterprise.id } }, body: { serviceDate: DATE, headcount: 300, lines: [{ productCode: 'MASK-MED', statedQuantity: null }] } }),
      201,
    );
    expect(demand.lines[0]).toMatchObject({ productCode: 'MASK-MED', need: 600, statedQuantity: null });
    await expectStatus(maker.POST('/suppliers/{supplierId}/capacity-reports', { params: { path: { supplierId: supplier.id } }, body: { serviceDate: DATE, lines: [{ productCode: 'MASK-MED', quantity: 400 }] } }), 201);

    // An enterprise may not start runs: the problem is typed too.
    const refused = await member.POST('/zones/{zoneId}/runs', { ...zonePath, body: { serviceDate: DATE } });
    expect([refused.response.status, refused.error?.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);

    // The coordinator starts the run; the worker computes the draft.
    const queued = await expectStatus(coordinator.POST('/zones/{zoneId}/runs', { ...zonePath, body: { serviceDate: DATE } }), 202);
    expect(queued.status).toBe('queued');
    const runPath = { params: { path: { runId: queued.id } } };
    const { draft, etag } = await eventually(async () => {
      const { data, response } = await coordinator.GET('/runs/{runId}', runPath);
      if (data?.status === 'failed') throw new Error(`run failed: ${data.failureReason}`);
      const header = response.headers.get('etag');
      return data?.status === 'draft' && header ? { draft: data, etag: header } : undefined;
    }, 30000, 'the draft');
    expect(etag).toBe(`"${draft.version}"`);

    // Publish with If-Match; the figures are typed down to the fill ratio of a tier.
    const published = await expectStatus(coordinator.POST('/runs/{runId}/publish', { params: { path: { runId: queued.id }, header: { 'If-Match': etag } } }), 200);
    expect(published.status).toBe('published');
    const masks = published.figures?.byProduct.find((p) => p.productCode === 'MASK-MED');
    expect(masks).toMatchObject({ demand: 600, supply: 400, allocated: 400 });
    expect(masks?.fillRatioByTier['1']).toBeCloseTo(400 / 600);

    // The enterprise reads where and when to pick up, with its code.
    const schedule = await expectStatus(member.GET('/enterprises/{enterpriseId}/schedules/{serviceDate}', { params: { path: { enterpriseId: enterprise.id, serviceDate: DATE } } }), 200);
    expect(schedule.runId).toBe(queued.id);
    const [pickup] = schedule.pickups;
    expect(pickup.supplier.id).toBe(supplier.id);
    expect(pickup.lines).toEqual([expect.objectContaining({ productCode: 'MASK-MED', units: 400, packs: 8 })]);
    expect(pickup.slotStart).not.toBeNull();

    // On the day, the supplier sees it slot by slot and confirms the code at the gate.
    t.clock.set(new Date(`${DATE}T01:30:00Z`));
    const slots = await expectStatus(maker.GET('/suppliers/{supplierId}/pickups/{serviceDate}', { params: { path: { supplierId: supplier.id, serviceDate: DATE } } }), 200);
    expect(slots.slots.flatMap((s) => s.pickups.map((p) => p.appointmentId))).toEqual([pickup.appointmentId]);
    const confirmed = await expectStatus(maker.POST('/suppliers/{supplierId}/pickups/confirm', { params: { path: { supplierId: supplier.id } }, body: { pickupCode: pickup.pickupCode } }), 200);
    expect(confirmed).toMatchObject({ appointmentId: pickup.appointmentId, status: 'confirmed', enterpriseId: enterprise.id, serviceDate: DATE });

    expect(problems).toEqual([]);
  });
});
