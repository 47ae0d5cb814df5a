/**
 * One day through the fetch client orval generates from /docs-json (./client/api.ts, made by
 * test/third-party-clients.e2e-spec.ts with the live server as base URL), as an integrator would
 * write it: no casts, no any. Generated with orval's `headers: true`, so each call takes the
 * operation's typed headers (If-Match, Idempotency-Key, X-Request-Id) before the fetch options. Prints one JSON line of what it saw; exits non-zero on the first
 * unexpected answer.
 */
import * as api from './client/api.js';

const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? '';
const DATE = process.env.SERVICE_DATE ?? '';

const as = (token: string): RequestInit => ({ headers: { Authorization: `Bearer ${token}` } });

function fail(what: string, answer: { status: number; data: unknown }): never {
  throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.data)}`);
}

/** Valid unified social credit codes for the enterprise and the supplier (the test makes them). */
const [enterpriseCode = '', supplierCode = ''] = (process.env.CREDIT_CODES ?? '').split(',');

async function main(): Promise<void> {
  const admin = as(ADMIN_TOKEN);
  const zone = await api.createZone({ name: `第三方客户端 orval ${Date.now()}`, autoPublishTime: null, tierMapping: { medical: 1 } }, {}, admin);
  if (zone.status !== 201) fail('createZone', zone);
  const staff = await api.createUser({ name: 'coordinator', role: 'coordinator', zoneId: zone.data.id }, {}, admin);
  if (staff.status !== 201) fail('createUser', staff);
  const coordinator = as(staff.data.token);
  const zoneId = zone.data.id;
  const product = await api.createProduct(zoneId, { code: 'MASK-MED', nameZh: '一次性医用口罩', nameEn: 'Medical mask', unit: 'piece', packSize: 50, normPerWorker: 2 }, {}, coordinator);
  if (product.status !== 201) fail('createProduct', product);
  const enterprise = await api.registerEnterprise(
    zoneId,
    { name: '常州市第一人民医院', creditCode: enterpriseCode, address: '局前街185号', latitude: 31.776, longitude: 119.951, contactName: '王芳', contactPhone: '0519-6887-0000', registeredEmployees: 300, priorityCategory: 'medical' },
    {},
    coordinator,
  );
  if (enterprise.status !== 201) fail('registerEnterprise', enterprise);
  const supplier = await api.registerSupplier(
    zoneId,
    { name: '常州防护用品厂', creditCode: supplierCode, address: '工业路1号', latitude: 31.78, longitude: 119.96, contactName: '李强', contactPhone: '0519-8666-1234', pickupWindows: [{ start: '08:00', end: '10:00' }] },
    {},
    coordinator,
  );
  if (supplier.status !== 201) fail('registerSupplier', supplier);
  const issue = async (organizationId: string) => {
    const issued = await api.issueCredential(organizationId, { name: 'member' }, {}, coordinator);
    if (issued.status !== 201) fail('issueCredential', issued);
    return as(issued.data.token);
  };
  const member = await issue(enterprise.data.id);
  const maker = await issue(supplier.data.id);

  const demand = await api.postDemandReport(enterprise.data.id, { serviceDate: DATE, headcount: 300, lines: [{ productCode: 'MASK-MED', statedQuantity: null }] }, {}, member);
  if (demand.status !== 201) fail('postDemandReport', demand);
  // The supplier's capacity comes as a CSV import by the coordinator, uploaded as the form field
  // `file` (orval's fetch client sends a multipart/form-data body as FormData).
  const file = new Blob([`creditCode,productCode,quantity\n${supplierCode},MASK-MED,400\n`], { type: 'text/csv' });
  const imported = await api.importCapacity(zoneId, { file }, { serviceDate: DATE }, {}, coordinator);
  if (imported.status !== 201) fail('importCapacity', imported);
  const capacity = await api.listCapacityReports(supplier.data.id, { from: DATE, to: DATE }, {}, maker);
  if (capacity.status !== 200) fail('listCapacityReports', capacity);

  const queued = await api.startRun(zoneId, { serviceDate: DATE }, {}, coordinator);
  if (queued.status !== 202) fail('startRun', queued);
  const runId = queued.data.id;
  let etag = '';
  for (let i = 0; i < 300 && !etag; i++) {
    const read = await api.getRun(runId, {}, {}, coordinator);
    if (read.status !== 200) fail('getRun', read);
    if (read.data.status === 'failed') throw new Error(`run failed: ${read.data.failureReason}`);
    // The entity tag is in the body too (`etag`, typed), the same value as the ETag header.
    if (read.data.status === 'draft') etag = read.data.etag;
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!etag) throw new Error('no draft');
  const override = await api.addOverride(
    runId,
    { kind: 'set_quantity', enterpriseId: enterprise.data.id, productCode: 'MASK-MED', units: 500, reason: '定点医院急需' },
    { 'If-Match': etag },
    coordinator,
  );
  if (override.status !== 201) fail('addOverride', override);
  const current = await api.getRun(runId, {}, {}, coordinator);
  if (current.status !== 200) fail('getRun', current);
  const published = await api.publishRun(runId, { 'If-Match': current.data.etag }, coordinator);
  if (published.status !== 200) fail('publishRun', published);

  const schedule = await api.getEnterpriseSchedule(enterprise.data.id, DATE, {}, member);
  if (schedule.status !== 200) fail('getEnterpriseSchedule', schedule);
  const pickup = schedule.data.pickups[0];
  const slip = await api.getPickupSlip(enterprise.data.id, DATE, pickup.appointmentId, {}, member);
  if (slip.status !== 200) fail('getPickupSlip', slip);
  const csv = await api.exportScheduleCsv(runId, {}, coordinator);
  if (csv.status !== 200) fail('exportScheduleCsv', csv);

  process.stdout.write(
    `${JSON.stringify({
      imported: imported.data.versionsCreated,
      capacity: capacity.data.items.map((r) => r.lines.map((l) => l.quantity)),
      override: override.data.kind,
      published: published.data.status,
      units: pickup.lines.map((l) => l.units),
      slipHasCode: slip.data.includes(pickup.pickupCode),
      csvRows: csv.data.trim().split('\n').length,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
