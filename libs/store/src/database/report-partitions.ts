import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { addDays } from '#domain';

/** The report tables partitioned by range of service date, one partition per calendar month. */
export const PARTITIONED_TABLES = ['demand_reports', 'capacity_reports'] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/**
 * How far ahead partitions exist: reports are accepted up to 7 days ahead and read over ranges of
 * up to 62 days, so every month touching the next 62 days has its partition, created weeks before
 * the first report for it. A row outside every month lands in the DEFAULT partition instead of
 * being refused.
 */
export const DAYS_AHEAD = 62;

const firstOfMonth = (date: string) => `${date.slice(0, 7)}-01`;

function nextMonth(first: string): string {
  const y = Number(first.slice(0, 4));
  const m = Number(first.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** demand_reports_p2026_03 for March 2026. */
export function partitionName(table: PartitionedTable, date: string): string {
  return `${table}_p${date.slice(0, 4)}_${date.slice(5, 7)}`;
}

/** First days of the months from the month of `from` to the month of `to`, inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = firstOfMonth(from); m <= firstOfMonth(to); m = nextMonth(m)) out.push(m);
  return out;
}

/**
 * Creates the monthly partitions of both report tables from the month before `today` (a zone
 * west of UTC may still be on yesterday) to the month of today + DAYS_AHEAD. Idempotent and safe
 * to run from several workers at once (one advisory lock, one transaction per partition); returns
 * the partitions it created.
 *
 * If the DEFAULT partition already holds rows of a month being created (reports that arrived
 * before their month had a partition), they are moved into the new partition in the same
 * transaction: PostgreSQL refuses to add a partition whose range the DEFAULT partition has rows in.
 */
export async function ensureReportPartitions(ds: DataSource, today: string, daysAhead = DAYS_AHEAD): Promise<string[]> {
  const months = monthsBetween(addDays(today, -1), addDays(today, daysAhead));
  const created: string[] = [];
  for (const table of PARTITIONED_TABLES) {
    for (const month of months) {
      const name = partitionName(table, month);
      const made = await ds.transaction((m) => createPartition(m, table, name, month, nextMonth(month)));
      if (made) created.push(name);
    }
  }
  return created;
}

async function createPartition(m: EntityManager, table: PartitionedTable, name: string, from: string, to: string): Promise<boolean> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('report-partitions', 0))`);
  const [{ exists }] = await m.query('SELECT to_regclass($1) IS NOT NULL AS exists', [name]);
  if (exists) return false;
  const [{ stranded }] = await m.query(`SELECT EXISTS (SELECT 1 FROM "${table}_default" WHERE service_date >= $1 AND service_date < $2) AS stranded`, [from, to]);
  if (!stranded) {
    await m.query(`CREATE TABLE "${name}" PARTITION OF "${table}" FOR VALUES FROM ('${from}') TO ('${to}')`);
    return true;
  }
  // Move the month's rows out of DEFAULT, then attach (which builds the partition's indexes and keys).
  await m.query(`CREATE TABLE "${name}" (LIKE "${table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
  await m.query(
    `WITH moved AS (DELETE FROM "${table}_default" WHERE service_date >= $1 AND service_date < $2 RETURNING *)
     INSERT INTO "${name}" SELECT * FROM moved`,
    [from, to],
  );
  await m.query(`ALTER TABLE "${table}" ATTACH PARTITION "${name}" FOR VALUES FROM ('${from}') TO ('${to}')`);
  return true;
}

/** The partitions of a report table with their bounds, in order (for tests, docs and operators). */
export async function listReportPartitions(ds: DataSource, table: PartitionedTable): Promise<{ name: string; bound: string }[]> {
  return ds.query(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
    [table],
  );
}

/** The report tables' monthly partitions, for the worker's housekeeping. */
@Injectable()
export class ReportPartitions {
  constructor(private readonly dataSource: DataSource) {}

  /** See ensureReportPartitions: creates what is missing, returns the partitions it created. */
  ensure(today: string): Promise<string[]> {
    return ensureReportPartitions(this.dataSource, today);
  }
}
