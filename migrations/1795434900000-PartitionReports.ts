import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * demand_reports and capacity_reports become PARTITION BY RANGE (service_date), one partition per
 * calendar month (`demand_reports_p2026_03`), plus a DEFAULT partition so that no report is ever
 * refused for want of a partition. The worker's maintenance job creates the months ahead every
 * day (apps/worker/src/maintenance); this migration creates the months that hold data already and
 * the current month and the two after it.
 *
 * Every query on one service date (the nightly snapshot, the day summary, report versions, the
 * next version number) then reads one partition; see docs/query-plans.md.
 *
 * The primary key must contain the partition key, so it becomes (id, service_date): the entities
 * declare serviceDate a @PrimaryColumn, which is what TypeORM can represent. TypeORM cannot
 * represent PARTITION BY, the partitions or the DEFAULT partition; its schema diff compares
 * columns, keys, indexes and foreign keys of the parent table only, and those agree with the
 * entities (migration:check and test/schema.e2e-spec.ts). The partitions are not entities: they
 * inherit columns, indexes and constraints from the parent.
 *
 * Existing rows are moved by copy and swap inside the migration's transaction: rename the old
 * table, create the partitioned one under the old name, copy, drop the old table, then build the
 * indexes and the foreign key once over the copied rows. The renames hold an ACCESS EXCLUSIVE
 * lock for the copy: run it outside the reporting hours of a zone with many reports.
 */
export class PartitionReports1795434900000 implements MigrationInterface {
  name = 'PartitionReports1795434900000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of TABLES) {
      await q.query(`ALTER TABLE "${t.name}" RENAME TO "${t.name}_unpartitioned"`);
      await q.query(`ALTER TABLE "${t.name}_unpartitioned" DROP CONSTRAINT "${t.fk}"`);
      await q.query(`ALTER TABLE "${t.name}_unpartitioned" DROP CONSTRAINT "${t.oldPk}"`);
      for (const index of t.indexes) await q.query(`DROP INDEX "public"."${index.name}"`);
      await q.query(`CREATE TABLE "${t.name}" (${t.columns}, CONSTRAINT "${t.pk}" PRIMARY KEY ("id", "service_date")) PARTITION BY RANGE ("service_date")`);
      await q.query(`CREATE TABLE "${t.name}_default" PARTITION OF "${t.name}" DEFAULT`);
      const months: { month: string }[] = await q.query(
        `SELECT to_char(m, 'YYYY-MM-DD') AS month FROM (
            SELECT DISTINCT date_trunc('month', service_date)::date AS m FROM "${t.name}_unpartitioned"
            UNION SELECT generate_series(date_trunc('month', current_date), date_trunc('month', current_date) + interval '2 months', interval '1 month')::date
         ) s ORDER BY m`,
      );
      for (const { month } of months) {
        await q.query(
          `CREATE TABLE "${t.name}_p${month.slice(0, 4)}_${month.slice(5, 7)}" PARTITION OF "${t.name}"
             FOR VALUES FROM ('${month}') TO ('${nextMonth(month)}')`,
        );
      }
      await q.query(`INSERT INTO "${t.name}" (${t.columnNames}) SELECT ${t.columnNames} FROM "${t.name}_unpartitioned"`);
      await q.query(`DROP TABLE "${t.name}_unpartitioned"`);
      for (const index of t.indexes) await q.query(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX "${index.name}" ON "${t.name}" (${index.columns})`);
      await q.query(`ALTER TABLE "${t.name}" ADD CONSTRAINT "${t.fk}" FOREIGN KEY ("${t.org}") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of TABLES) {
      await q.query(`ALTER TABLE "${t.name}" RENAME TO "${t.name}_partitioned"`);
      await q.query(`ALTER TABLE "${t.name}_partitioned" DROP CONSTRAINT "${t.fk}"`);
      for (const index of t.indexes) await q.query(`DROP INDEX "public"."${index.name}"`);
      await q.query(`CREATE TABLE "${t.name}" (${t.columns}, CONSTRAINT "${t.oldPk}" PRIMARY KEY ("id"))`);
      await q.query(`INSERT INTO "${t.name}" (${t.columnNames}) SELECT ${t.columnNames} FROM "${t.name}_partitioned"`);
      // Drops every partition with it.
      await q.query(`DROP TABLE "${t.name}_partitioned"`);
      for (const index of t.indexes) await q.query(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX "${index.name}" ON "${t.name}" (${index.columns})`);
      await q.query(`ALTER TABLE "${t.name}" ADD CONSTRAINT "${t.fk}" FOREIGN KEY ("${t.org}") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }
  }
}

function nextMonth(firstOfMonth: string): string {
  const y = Number(firstOfMonth.slice(0, 4));
  const m = Number(firstOfMonth.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

// The tables as the Initial migration made them (names from TypeORM's naming of the entities).
const TABLES = [
  {
    name: 'demand_reports',
    org: 'enterprise_id',
    columns:
      '"id" uuid NOT NULL DEFAULT gen_random_uuid(), "zone_id" uuid NOT NULL, "enterprise_id" uuid NOT NULL, "service_date" date NOT NULL, "version" integer NOT NULL, "headcount" integer NOT NULL, "lines" jsonb NOT NULL, "submitted_by" uuid NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "late" boolean NOT NULL DEFAULT false',
    columnNames: '"id", "zone_id", "enterprise_id", "service_date", "version", "headcount", "lines", "submitted_by", "submitted_at", "late"',
    oldPk: 'PK_9279728dd7419ac9b5edc99dec4',
    pk: 'PK_18194c8df798a22cb3632881f26',
    fk: 'FK_d449e04c1d92f0c2b066f43bc0d',
    indexes: [
      { name: 'IDX_708edcaac516766987ec4a1d49', unique: false, columns: '"zone_id", "service_date", "enterprise_id", "version"' },
      { name: 'IDX_6e4c5e6950ec9238be076846e3', unique: true, columns: '"enterprise_id", "service_date", "version"' },
    ],
  },
  {
    name: 'capacity_reports',
    org: 'supplier_id',
    columns:
      '"id" uuid NOT NULL DEFAULT gen_random_uuid(), "zone_id" uuid NOT NULL, "supplier_id" uuid NOT NULL, "service_date" date NOT NULL, "version" integer NOT NULL, "lines" jsonb NOT NULL, "submitted_by" uuid NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "late" boolean NOT NULL DEFAULT false',
    columnNames: '"id", "zone_id", "supplier_id", "service_date", "version", "lines", "submitted_by", "submitted_at", "late"',
    oldPk: 'PK_1cd25ccf43a8a8429f881e95442',
    pk: 'PK_0754c14a0a60b60c64e634cc732',
    fk: 'FK_a3520af63f9c35d84461038a97c',
    indexes: [
      { name: 'IDX_30af44c2cbd921636fa543f958', unique: false, columns: '"zone_id", "service_date", "supplier_id", "version"' },
      { name: 'IDX_6970ce89b6cd2cc3bb3f2a17c5', unique: true, columns: '"supplier_id", "service_date", "version"' },
    ],
  },
];
