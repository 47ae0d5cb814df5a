import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Province nights (a province is a set of zones whose runs are started together as one BullMQ
 * flow, with a summary when every zone is done) and per-run phase timings recorded by the worker.
 */
export class ProvinceNightsAndRunTimings1795434800000 implements MigrationInterface {
  name = 'ProvinceNightsAndRunTimings1795434800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"provinces\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"code\" character varying(40) NOT NULL, \"name\" character varying(200) NOT NULL, \"time_zone\" character varying(64) NOT NULL DEFAULT 'Asia/Shanghai', \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_2e4260eedbcad036ec53222e0c7\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"IDX_f4b684af62d5cb3aa174f6b9b8\" ON \"provinces\"  (\"code\") ");
    await q.query("CREATE TABLE \"province_zones\" (\"province_id\" uuid NOT NULL, \"zone_id\" uuid NOT NULL, CONSTRAINT \"PK_aa49d313b0afad991eb46e57e97\" PRIMARY KEY (\"province_id\", \"zone_id\"))");
    await q.query("CREATE UNIQUE INDEX \"IDX_b86eadbfd71859088ac8f7de15\" ON \"province_zones\"  (\"zone_id\") ");
    await q.query("CREATE TYPE \"public\".\"province_night_status\" AS ENUM('running', 'done')");
    await q.query("CREATE TABLE \"province_nights\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"province_id\" uuid NOT NULL, \"service_date\" date NOT NULL, \"status\" \"public\".\"province_night_status\" NOT NULL DEFAULT 'running', \"runs\" jsonb NOT NULL, \"zone_results\" jsonb, \"totals\" jsonb, \"started_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"finished_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_d1ab31c219fd6578fafde52b056\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"IDX_fcd53dc7eb125e533ae49e19bf\" ON \"province_nights\"  (\"province_id\", \"service_date\") ");
    await q.query("ALTER TABLE \"allocation_runs\" ADD \"timings\" jsonb");
    await q.query("ALTER TABLE \"province_zones\" ADD CONSTRAINT \"FK_54f9118b6a136708bf906f4e6b4\" FOREIGN KEY (\"province_id\") REFERENCES \"provinces\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await q.query("ALTER TABLE \"province_zones\" ADD CONSTRAINT \"FK_b86eadbfd71859088ac8f7de156\" FOREIGN KEY (\"zone_id\") REFERENCES \"zones\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await q.query("ALTER TABLE \"province_nights\" ADD CONSTRAINT \"FK_7f8df2a817f259f398a826902d6\" FOREIGN KEY (\"province_id\") REFERENCES \"provinces\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE \"province_nights\" DROP CONSTRAINT \"FK_7f8df2a817f259f398a826902d6\"");
    await q.query("ALTER TABLE \"province_zones\" DROP CONSTRAINT \"FK_b86eadbfd71859088ac8f7de156\"");
    await q.query("ALTER TABLE \"province_zones\" DROP CONSTRAINT \"FK_54f9118b6a136708bf906f4e6b4\"");
    await q.query("ALTER TABLE \"allocation_runs\" DROP COLUMN \"timings\"");
    await q.query("DROP INDEX \"public\".\"IDX_fcd53dc7eb125e533ae49e19bf\"");
    await q.query("DROP TABLE \"province_nights\"");
    await q.query("DROP TYPE \"public\".\"province_night_status\"");
    await q.query("DROP INDEX \"public\".\"IDX_b86eadbfd71859088ac8f7de15\"");
    await q.query("DROP TABLE \"province_zones\"");
    await q.query("DROP INDEX \"public\".\"IDX_f4b684af62d5cb3aa174f6b9b8\"");
    await q.query("DROP TABLE \"provinces\"");
  }
}
