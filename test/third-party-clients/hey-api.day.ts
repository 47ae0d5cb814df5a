/**
 * One day through the client @hey-api/openapi-ts generates from /docs-json (./client, made by
 * test/third-party-clients.e2e-spec.ts), as an integrator would write it: no casts, no any.
 * Prints one JSON line of what it saw; exits non-zero on the first unexpected answer.
 */
import { createClient, createConfig } from './client/client/index.js';
import * as api from './client/index.js';

const BASE_URL = process.env.BASE_URL ?? '';
const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? '';
const DATE = process.env.SERVICE_DATE ?? '';

const as = (token: string) => createClient(createConfig({ baseUrl: BASE_URL, auth: token }));

function must<T>(what: string, outcome: { data?: T; error?: unknown; response?: Response }): T {
  if (outcome.data === undefined) throw new Error(`${what}: ${outcome.response?.status} ${JSON.stringify(outcome.error)}`);
  return outcome.data;
}

/** Valid unified social credit codes for the enterprise and the supplier (the test makes them). */
const [enterpriseCode = '', supplierCode = ''] = (process.env.CREDIT_CODES ?? '').split(',');

async function main(): Promise<void> {
  const admin = as(ADMIN_TOKEN);
  const zone = must('createZone', await api.createZone({ client: admin, body: { name: `第三方客户端 hey-api ${Date.now()}`, autoPublishTime: null, tierMapping: { medical: 1 } } }));
  const staff = must('createUser', await api.createUser({ client: admin, body: { name: 'coordinator', role: 'coordinator', zoneId: zone.id } }));
  const coordinator = as(staff.token);
  const zonePath = { zoneId: zone.id };
  must('createProduct', await api.createProduct({ client: coordinator, path: zonePath, body: { code: 'MASK-MED', nameZh: '一次性医用口罩', nameEn: 'Medical mask', unit: 'piece', packSize: 50, normPerWorker: 2 } }));
  const enterprise = must(
    'registerEnterprise',
    await api.registerEnterprise({
      client: coordinator,
      path: zonePath,
      body: { name: '常州市第一人民医院', creditCode: enterpriseCode, address: '局前街185号', latitude: 31.776, longitude: 119.951, contactName: '王芳', contactPhone: '0519-6887-0000', registeredEmployees: 300, priorityCategory: 'medical' },
    }),
  );
  const supplier = must(
    'registerSupplier',
    await api.registerSupplier({
      client: coordinator,
      path: zonePath,
      body: { name: '常州防护用品厂', creditCode: supplierCode, address: '工业路1号', latitude: 31.78, longitude: 119.96, contactName: '李强', contactPhone: '0519-8666-1234', pickupWindows: [{ start: '08:00', end: '10:00' }] },
    }),
  );
  const issue = async (organizationId: string) => must('issueCredential', await api.issueCredential({ client: coordinator, path: { organizationId }, body: { name: 'member' } })).token;
  const member = as(await issue(enterprise.id));
  const maker = as(await issue(supplier.id));

  must('postDemandReport', await api.postDemandReport({ client: member, path: { enterpriseId: enterprise.id }, body: { serviceDate: DATE, headcount: 300, lines: [{ productCode: 'MASK-MED', statedQuantity: null }] } }));
  // The supplier's capacity comes as a CSV import by the coordinator: the body is the file's text.
  const imported = must('importCapacity', await api.importCapacity({ client: coordinator, path: zonePath, query: { serviceDate: DATE }, body: `creditCode,productCode,quantity\n${supplier.creditCode},MASK-MED,400\n` }));
  const capacity = must('listCapacityReports', await api.listCapacityReports({ client: maker, path: { supplierId: supplier.id }, query: { from: DATE, to: DATE } }));

  const queued = must('startRun', await api.startRun({ client: coordinator, path: zonePath, body: { serviceDate: DATE } }));
  const runPath = { runId: queued.id };
  let etag = '';
  for (let i = 0; i < 300 && !etag; i++) {
    const read = await api.getRun({ client: coordinator, path: runPath });
    if (read.data?.status === 'failed') throw new Error(`run failed: ${read.data.failureReason}`);
    // The entity tag is in the body too (`etag`, typed), the same value as the ETag header.
    if (read.data?.status === 'draft') etag = read.data.etag;
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!etag) throw new Error('no draft');
  const override = must(
    'addOverride',
    await api.addOverride({ client: coordinator, path: runPath, headers: { 'If-Match': etag }, body: { kind: 'set_quantity', enterpriseId: enterprise.id, productCode: 'MASK-MED', units: 500, reason: '定点医院急需' } }),
  );
  const current = must('getRun', await api.getRun({ client: coordinator, path: runPath }));
  const published = must('publishRun', await api.publishRun({ client: coordinator, path: runPath, headers: { 'If-Match': current.etag } }));

  const schedule = must('getEnterpriseSchedule', await api.getEnterpriseSchedule({ client: member, path: { enterpriseId: enterprise.id, serviceDate: DATE } }));
  const pickup = schedule.pickups[0];
  const slip = must('getPickupSlip', await api.getPickupSlip({ client: member, path: { enterpriseId: enterprise.id, serviceDate: DATE, appointmentId: pickup.appointmentId }, parseAs: 'text' }));
  const csv = must('exportScheduleCsv', await api.exportScheduleCsv({ client: coordinator, path: runPath, parseAs: 'text' }));

  process.stdout.write(
    `${JSON.stringify({
      imported: imported.versionsCreated,
      capacity: capacity.items.map((r) => r.lines.map((l) => l.quantity)),
      override: override.kind,
      published: published.status,
      units: pickup.lines.map((l) => l.units),
      slipHasCode: slip.includes(pickup.pickupCode),
      csvRows: csv.trim().split('\n').length,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
