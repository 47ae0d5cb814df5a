import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { QUEUES, reportPartitionsSchedulerId } from '#domain';
import { LATEST_IN_ZONE_SQL, ensureReportPartitions, listReportPartitions } from '#store';
import { MASK, type ZoneWorld } from './support/factories.js';
import { createTestWorker, eventually, type TestWorker } from './support/test-worker.js';
import { useTestApp } from './support/use-test-app.js';

/** Every partition of the report tables named in a plan (the DEFAULT partition included). */
const partitionsIn = (plan: string) => [...new Set(plan.match(/\b(demand|capacity)_reports_(p\d{4}_\d{2}|default)\b/g) ?? [])].sort();

describe('report tables are partitioned by month of service date', () => {
  const { t, f } = useTestApp({ reset: 'each' });
  let w: ZoneWorld;
  const workers: TestWorker[] = [];

  const partitionOf = async (table: string, id: string) => (await t.dataSource.query(`SELECT tableoid::regclass::text AS p FROM ${table} WHERE id = $1`, [id]))[0]?.p;

  /** A demand report written as the API writes it, for a date the API would not take (beyond 7 days ahead). */
  const insertDemand = async (serviceDate: string, version = 1): Promise<string> =>
    (
      await t.dataSource.query(
        `INSERT INTO demand_reports (zone_id, enterprise_id, service_date, version, headcount, lines, submitted_by, submitted_at)
         VALUES ($1, $2, $3, $4, 10, $5, $2, now()) RETURNING id`,
        [w.zoneId, w.enterprise.id, serviceDate, version, JSON.stringify([{ productId: w.productIds[MASK.code], productCode: MASK.code, statedQuantity: null, stockOnHand: 0, need: 20 }])],
      )
    )[0].id;

  beforeEach(async () => {
    w = await f.world();
  });
  afterEach(async () => {
    while (workers.length) await workers.pop()!.close();
  });

  it('puts a report in its month’s partition; one without a partition waits in DEFAULT and moves when its month is created', async () => {
    await ensureReportPartitions(t.dataSource, '2026-03-02');
    const posted = await t.http.post(`/enterprises/${w.enterprise.id}/demand-reports`, w.enterprise.token, { serviceDate: '2026-03-03', headcount: 100, lines: [{ productCode: MASK.code }] });
    expect(posted.status).toBe(201);
    expect(await partitionOf('demand_reports', posted.body.id)).toBe('demand_reports_p2026_03');
    const capacity = await t.http.post(`/suppliers/${w.supplier.id}/capacity-reports`, w.supplier.token, { serviceDate: '2026-03-03', lines: [{ productCode: MASK.code, quantity: 500 }] });
    expect(await partitionOf('capacity_reports', capacity.body.id)).toBe('capacity_reports_p2026_03');

    // No partition for January 2032 yet: the report is kept, in DEFAULT, not refused.
    const early = await insertDemand('2032-01-10');
    expect(await partitionOf('demand_reports', early)).toBe('demand_reports_default');

    const created = await ensureReportPartitions(t.dataSource, '2032-01-05');
    expect(created).toEqual(['demand_reports_p2032_01', 'demand_reports_p2032_02', 'demand_reports_p2032_03', 'capacity_reports_p2032_01', 'capacity_reports_p2032_02', 'capacity_reports_p2032_03']);
    expect(await partitionOf('demand_reports', early)).toBe('demand_reports_p2032_01');
    expect(Number((await t.dataSource.query('SELECT count(*) AS n FROM demand_reports_default'))[0].n)).toBe(0);
    // The moved partition carries the parent's keys: the same version for the same date is still refused.
    await expect(insertDemand('2032-01-10')).rejects.toThrow(/duplicate key/);
    expect(await insertDemand('2032-01-10', 2)).toBeTruthy();

    // Idempotent: a second pass creates nothing and changes no bounds.
    const before = await listReportPartitions(t.dataSource, 'demand_reports');
    expect(await ensureReportPartitions(t.dataSource, '2032-01-05')).toEqual([]);
    expect(await listReportPartitions(t.dataSource, 'demand_reports')).toEqual(before);
    expect(before).toEqual(expect.arrayContaining([{ name: 'demand_reports_p2032_01', bound: "FOR VALUES FROM ('2032-01-01') TO ('2032-02-01')" }, { name: 'demand_reports_default', bound: 'DEFAULT' }]));
  });

  it('reads one partition for the hot queries on one service date', async () => {
    await ensureReportPartitions(t.dataSource, '2026-03-02');
    // Data in several partitions, so a scan of more than one would show.
    for (const date of ['2026-03-03', '2026-04-03', '2026-05-03']) await insertDemand(date);
    await insertDemand('2035-06-01'); // DEFAULT
    await t.dataSource.query('ANALYZE demand_reports');

    const explain = async (sql: string, params: unknown[]) =>
      ((await t.dataSource.query(`EXPLAIN (COSTS OFF) ${sql}`, params)) as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
    const demandPlan = await explain(LATEST_IN_ZONE_SQL.demand, [w.zoneId, '2026-04-03']);
    expect(partitionsIn(demandPlan)).toEqual(['demand_reports_p2026_04']);
    const capacityPlan = await explain(LATEST_IN_ZONE_SQL.capacity, [w.zoneId, '2026-04-03']);
    expect(partitionsIn(capacityPlan)).toEqual(['capacity_reports_p2026_04']);
    // The API's reads and version numbering for one date, too.
    const versionsPlan = await explain('SELECT * FROM demand_reports WHERE enterprise_id = $1 AND service_date = $2 ORDER BY version', [w.enterprise.id, '2026-05-03']);
    expect(partitionsIn(versionsPlan)).toEqual(['demand_reports_p2026_05']);
    const nextVersionPlan = await explain('SELECT max(version) FROM demand_reports WHERE enterprise_id = $1 AND service_date = $2', [w.enterprise.id, '2026-03-03']);
    expect(partitionsIn(nextVersionPlan)).toEqual(['demand_reports_p2026_03']);
    // A range of dates reads only the months it spans.
    const rangePlan = await explain('SELECT * FROM demand_reports WHERE enterprise_id = $1 AND service_date BETWEEN $2 AND $3', [w.enterprise.id, '2026-03-20', '2026-04-10']);
    expect(partitionsIn(rangePlan)).toEqual(['demand_reports_p2026_03', 'demand_reports_p2026_04']);
  });

  it('has the worker create partitions ahead at start and every day through a scheduled job, idempotently', async () => {
    // A clock in a year no other test touches: its months exist only if the worker made them.
    const worker = await createTestWorker({ now: new Date('2031-05-20T04:00:00Z') });
    workers.push(worker);
    const names = (await listReportPartitions(t.dataSource, 'capacity_reports')).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['capacity_reports_p2031_05', 'capacity_reports_p2031_06', 'capacity_reports_p2031_07']));

    const maintenance = worker.module.get<Queue>(getQueueToken(QUEUES.maintenance));
    const schedulers = await maintenance.getJobSchedulers();
    expect(schedulers.filter((s) => s.key === reportPartitionsSchedulerId || s.id === reportPartitionsSchedulerId)).toEqual([
      expect.objectContaining({ pattern: '10 0 * * *', tz: 'Asia/Shanghai' }),
    ]);

    // The day's job through the real queue: the worker's clock has moved on a month.
    worker.clock.set(new Date('2031-06-20T04:00:00Z'));
    const job = await maintenance.add('report-partitions', {});
    await eventually(async () => (await job.isCompleted()) || undefined, 15000, 'the partitions job');
    expect((await maintenance.getJob(job.id!))?.returnvalue).toEqual(['demand_reports_p2031_08', 'capacity_reports_p2031_08']);
    const again = await maintenance.add('report-partitions', {});
    await eventually(async () => (await again.isCompleted()) || undefined, 15000, 'the second partitions job');
    expect((await maintenance.getJob(again.id!))?.returnvalue).toEqual([]);
  });
});
