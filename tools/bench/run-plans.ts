/**
 * Query plans of the run's hot queries on the bench database, as Markdown (docs/query-plans.md).
 *
 *   npm run bench:run -- --zones 20 && node dist/tools/bench/run-plans.js > /tmp/plans.md
 *
 * Uses the database the bench left behind (BENCH_DATABASE_URL, default ppe_bench). So that pruning
 * shows against real data, a second service date is added one month later (a copy of the first
 * date's reports, once), landing in the next month's partition.
 */
import pg from 'pg';
import { addDays } from '#domain';
import { LATEST_IN_ZONE_SQL, SNAPSHOT_WORK_MEM } from '#store';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ppe_bench';

async function main(): Promise<void> {
  const db = new pg.Client({ connectionString: DATABASE_URL });
  await db.connect();
  const out: string[] = [];
  const say = (line = '') => out.push(line);
  try {
    const { rows: dates } = await db.query<{ d: string }>(`SELECT DISTINCT service_date::text AS d FROM demand_reports ORDER BY 1`);
    if (!dates.length) throw new Error('no reports: run `npm run bench:run -- --zones 20` first');
    const date = dates[0].d;
    const later = addDays(date, 31);
    if (!dates.some((r) => r.d === later)) {
      await db.query(
        `INSERT INTO demand_reports (zone_id, enterprise_id, service_date, version, headcount, lines, submitted_by, submitted_at)
         SELECT zone_id, enterprise_id, $2, version, headcount, lines, submitted_by, submitted_at FROM demand_reports WHERE service_date = $1`,
        [date, later],
      );
      await db.query(
        `INSERT INTO capacity_reports (zone_id, supplier_id, service_date, version, lines, submitted_by, submitted_at)
         SELECT zone_id, supplier_id, $2, version, lines, submitted_by, submitted_at FROM capacity_reports WHERE service_date = $1`,
        [date, later],
      );
      await db.query('ANALYZE');
    }
    const { rows: zone } = await db.query<{ id: string; name: string }>(`SELECT id, name FROM zones ORDER BY name LIMIT 1`);
    const { rows: ent } = await db.query<{ id: string }>(`SELECT enterprise_id AS id FROM demand_reports WHERE zone_id = $1 AND service_date = $2 LIMIT 1`, [zone[0].id, date]);
    const { rows: run } = await db.query<{ id: string }>(`SELECT id FROM allocation_runs WHERE zone_id = $1 ORDER BY sequence DESC LIMIT 1`, [zone[0].id]);
    const { rows: sizes } = await db.query(
      `SELECT c.relname AS partition, c.reltuples::bigint AS rows, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent IN ('demand_reports'::regclass, 'capacity_reports'::regclass) ORDER BY 1`,
    );
    const { rows: counts } = await db.query(`SELECT (SELECT count(*) FROM zones) AS zones, (SELECT count(*) FROM organizations) AS organizations, (SELECT count(*) FROM allocation_lines) AS lines`);
    const { rows: version } = await db.query<{ server_version: string }>('SHOW server_version');

    say(`Database: ${counts[0].zones} zones, ${counts[0].organizations} organizations, ${counts[0].lines} allocation lines; PostgreSQL ${version[0].server_version}.`);
    say(`Service dates with reports: ${date} and ${later}. Plans for zone "${zone[0].name}" on ${date}.`);
    say();
    say('| partition | rows (estimate) | size |');
    say('|---|---:|---:|');
    for (const s of sizes) say(`| ${s.partition} | ${s.rows} | ${s.size} |`);

    const plan = async (title: string, why: string, sql: string, params: unknown[]) => {
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
      say();
      say(`### ${title}`);
      say();
      say(why);
      say();
      say('```sql');
      say(sql.trim());
      say('```');
      say('```');
      for (const r of rows) say(r['QUERY PLAN']);
      say('```');
    };

    // The worker reads its snapshot with this sort memory (SET LOCAL in its read transaction).
    await db.query(`SET work_mem = '${SNAPSHOT_WORK_MEM}'`);
    await plan(
      'Latest demand per enterprise (run snapshot)',
      `\`LATEST_IN_ZONE_SQL.demand\` in libs/store/src/reports/report-ledger.ts, $1 = zone, $2 = ${date}; work_mem ${SNAPSHOT_WORK_MEM} as the worker sets it.`,
      LATEST_IN_ZONE_SQL.demand,
      [zone[0].id, date],
    );
    await plan('Latest capacity per supplier (run snapshot)', `\`LATEST_IN_ZONE_SQL.capacity\`, same parameters.`, LATEST_IN_ZONE_SQL.capacity, [zone[0].id, date]);
    await db.query('RESET work_mem');
    await plan(
      'Carried deficits (run snapshot)',
      'Unmet needs of the published runs of the previous 7 days (none published in the bench: the plan is what matters).',
      `SELECT u.enterprise_id, u.product_code, round(sum(u.units * power($4::float8, (($3::date - r.service_date) - 1))))::bigint AS deficit
         FROM unmet_needs u JOIN allocation_runs r ON r.id = u.run_id
        WHERE r.zone_id = $1 AND r.status = 'published' AND r.service_date >= $2::date AND r.service_date < $3::date
        GROUP BY u.enterprise_id, u.product_code`,
      [zone[0].id, addDays(date, -7), date, 0.5],
    );
    await plan(
      'Next version number of a report (API, in the posting transaction)',
      'In `append_demand_report` (migrations/*-ReportLedger.ts), after the lock.',
      'SELECT max(version) FROM demand_reports WHERE enterprise_id = $1 AND service_date = $2',
      [ent[0].id, date],
    );
    await plan(
      'Every version of a report for one date (API)',
      '`ReportLedger.versions` in libs/store/src/reports/report-ledger.ts.',
      'SELECT * FROM demand_reports WHERE enterprise_id = $1 AND service_date = $2 ORDER BY version',
      [ent[0].id, date],
    );
    await plan(
      'Who has reported for the date (API day summary)',
      '`ReportLedger.reportingStatus`.',
      `SELECT count(*) AS registered,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM demand_reports r WHERE r.enterprise_id = o.id AND r.service_date = $3)) AS reported
         FROM organizations o WHERE o.zone_id = $1 AND o.kind = $2`,
      [zone[0].id, 'enterprise', date],
    );
    await plan(
      'An enterprise’s lines in a run (API schedules)',
      'Read per enterprise and per supplier after publishing.',
      'SELECT * FROM allocation_lines WHERE run_id = $1 AND enterprise_id = $2',
      [run[0]?.id ?? '00000000-0000-0000-0000-000000000000', (await db.query('SELECT enterprise_id FROM allocation_lines WHERE run_id = $1 LIMIT 1', [run[0]?.id ?? null])).rows[0]?.enterprise_id ?? ent[0].id],
    );
  } finally {
    await db.end();
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
