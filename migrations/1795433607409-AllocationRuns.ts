import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AllocationRuns1795433607409 implements MigrationInterface {
  name = 'AllocationRuns1795433607409';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TYPE \"public\".\"run_status\" AS ENUM('queued', 'running', 'draft', 'published', 'superseded', 'failed')");
    await q.query("CREATE TYPE \"public\".\"run_trigger\" AS ENUM('schedule', 'manual', 'rerun')");
    await q.query("CREATE TABLE \"allocation_runs\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"zone_id\" uuid NOT NULL, \"service_date\" date NOT NULL, \"sequence\" integer NOT NULL, \"status\" \"public\".\"run_status\" NOT NULL, \"trigger\" \"public\".\"run_trigger\" NOT NULL, \"started_by\" uuid, \"parent_run_id\" uuid, \"version\" integer NOT NULL DEFAULT '1', \"input_snapshot\" jsonb, \"policy\" jsonb, \"figures\" jsonb, \"explanations\" jsonb, \"failure_reason\" text, \"attempts\" integer NOT NULL DEFAULT '0', \"queued_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"started_at\" TIMESTAMP WITH TIME ZONE, \"finished_at\" TIMESTAMP WITH TIME ZONE, \"solve_ms\" integer, \"published_at\" TIMESTAMP WITH TIME ZONE, \"published_by\" uuid, CONSTRAINT \"PK_e33e146d4eb0d0629fe71ea2b44\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"uq_allocation_runs_scheduled\" ON \"allocation_runs\"  (\"zone_id\", \"service_date\") WHERE \"trigger\" = 'schedule'");
    await q.query("CREATE UNIQUE INDEX \"uq_allocation_runs_published\" ON \"allocation_runs\"  (\"zone_id\", \"service_date\") WHERE \"status\" = 'published'");
    await q.query("CREATE UNIQUE INDEX \"IDX_2427586617f89f9a234aabbad4\" ON \"allocation_runs\"  (\"zone_id\", \"service_date\", \"sequence\") ");
    await q.query("CREATE TABLE \"allocation_lines\" (\"id\" BIGSERIAL NOT NULL, \"run_id\" uuid NOT NULL, \"enterprise_id\" uuid NOT NULL, \"supplier_id\" uuid NOT NULL, \"product_code\" character varying(40) NOT NULL, \"units\" integer NOT NULL, \"packs\" integer NOT NULL, \"distance_m\" integer NOT NULL, CONSTRAINT \"PK_237d28ba8c3552abc1839e7d494\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_e4621f9f662e32a3fba5820654\" ON \"allocation_lines\"  (\"run_id\", \"supplier_id\") ");
    await q.query("CREATE INDEX \"IDX_6f07733edabfbdb4db8f9bb79b\" ON \"allocation_lines\"  (\"run_id\", \"enterprise_id\") ");
    await q.query("CREATE TABLE \"unmet_needs\" (\"id\" BIGSERIAL NOT NULL, \"run_id\" uuid NOT NULL, \"enterprise_id\" uuid NOT NULL, \"product_code\" character varying(40) NOT NULL, \"units\" integer NOT NULL, CONSTRAINT \"PK_1ce12ade13756618a9a8e2a09f4\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_a326d5e64effd923c6c7b9ddf8\" ON \"unmet_needs\"  (\"run_id\", \"enterprise_id\") ");
    await q.query("CREATE TYPE \"public\".\"pickup_status\" AS ENUM('scheduled', 'confirmed', 'no_show')");
    await q.query("CREATE TABLE \"pickup_appointments\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"run_id\" uuid NOT NULL, \"enterprise_id\" uuid NOT NULL, \"supplier_id\" uuid NOT NULL, \"slot_start\" TIMESTAMP WITH TIME ZONE, \"slot_end\" TIMESTAMP WITH TIME ZONE, \"pickup_code\" character varying(12) NOT NULL, \"status\" \"public\".\"pickup_status\" NOT NULL DEFAULT 'scheduled', \"confirmed_at\" TIMESTAMP WITH TIME ZONE, \"confirmed_by\" uuid, CONSTRAINT \"PK_4859e7dd6fb17f286230bee2338\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_4fe96dae57c569429712104a1b\" ON \"pickup_appointments\"  (\"supplier_id\", \"pickup_code\") ");
    await q.query("CREATE INDEX \"IDX_c3c96bf56349013cdfa1d98524\" ON \"pickup_appointments\"  (\"run_id\", \"supplier_id\", \"slot_start\") ");
    await q.query("CREATE INDEX \"IDX_3418f394ed6f0c1c1dce3672e3\" ON \"pickup_appointments\"  (\"run_id\", \"enterprise_id\") ");
    await q.query("CREATE TYPE \"public\".\"override_kind\" AS ENUM('pin', 'exclude', 'set_quantity')");
    await q.query("CREATE TABLE \"run_overrides\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"zone_id\" uuid NOT NULL, \"service_date\" date NOT NULL, \"run_id\" uuid NOT NULL, \"kind\" \"public\".\"override_kind\" NOT NULL, \"enterprise_id\" uuid NOT NULL, \"supplier_id\" uuid, \"product_code\" character varying(40), \"units\" integer, \"reason\" character varying(500) NOT NULL, \"created_by\" uuid NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"withdrawn_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_0c18335a3de9257c4020d0a6b08\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_8d240b9e7263762ed8cefd99e2\" ON \"run_overrides\"  (\"zone_id\", \"service_date\") ");
    await q.query("CREATE TYPE \"public\".\"delivery_status\" AS ENUM('pending', 'delivered', 'failed')");
    await q.query("CREATE TABLE \"webhook_deliveries\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"organization_id\" uuid NOT NULL, \"event\" character varying(60) NOT NULL, \"url\" character varying(2000) NOT NULL, \"payload\" jsonb NOT NULL, \"status\" \"public\".\"delivery_status\" NOT NULL DEFAULT 'pending', \"attempts\" integer NOT NULL DEFAULT '0', \"last_status_code\" integer, \"last_error\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"delivered_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_535dd409947fb6d8fc6dfc0112a\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_7fdd97c3bd218142cced0a1956\" ON \"webhook_deliveries\"  (\"organization_id\", \"created_at\") ");
    await q.query("ALTER TABLE \"organizations\" ADD \"webhook_url\" character varying(2000)");
    await q.query("ALTER TABLE \"organizations\" ADD \"webhook_secret\" character varying(100)");
    await q.query("ALTER TABLE \"allocation_runs\" ADD CONSTRAINT \"FK_c56b817766e588f8b173f88782e\" FOREIGN KEY (\"zone_id\") REFERENCES \"zones\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await q.query("ALTER TABLE \"allocation_lines\" ADD CONSTRAINT \"FK_19a54c69b3b03832aa916027cb3\" FOREIGN KEY (\"run_id\") REFERENCES \"allocation_runs\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await q.query("ALTER TABLE \"unmet_needs\" ADD CONSTRAINT \"FK_07aa84cc3c0dd93d4215985a68a\" FOREIGN KEY (\"run_id\") REFERENCES \"allocation_runs\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await q.query("ALTER TABLE \"pickup_appointments\" ADD CONSTRAINT \"FK_2c415d6d0a9d633a78b87064f3b\" FOREIGN KEY (\"run_id\") REFERENCES \"allocation_runs\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE \"pickup_appointments\" DROP CONSTRAINT \"FK_2c415d6d0a9d633a78b87064f3b\"");
    await q.query("ALTER TABLE \"unmet_needs\" DROP CONSTRAINT \"FK_07aa84cc3c0dd93d4215985a68a\"");
    await q.query("ALTER TABLE \"allocation_lines\" DROP CONSTRAINT \"FK_19a54c69b3b03832aa916027cb3\"");
    await q.query("ALTER TABLE \"allocation_runs\" DROP CONSTRAINT \"FK_c56b817766e588f8b173f88782e\"");
    await q.query("ALTER TABLE \"organizations\" DROP COLUMN \"webhook_secret\"");
    await q.query("ALTER TABLE \"organizations\" DROP COLUMN \"webhook_url\"");
    await q.query("DROP INDEX \"public\".\"IDX_7fdd97c3bd218142cced0a1956\"");
    await q.query("DROP TABLE \"webhook_deliveries\"");
    await q.query("DROP TYPE \"public\".\"delivery_status\"");
    await q.query("DROP INDEX \"public\".\"IDX_8d240b9e7263762ed8cefd99e2\"");
    await q.query("DROP TABLE \"run_overrides\"");
    await q.query("DROP TYPE \"public\".\"override_kind\"");
    await q.query("DROP INDEX \"public\".\"IDX_3418f394ed6f0c1c1dce3672e3\"");
    await q.query("DROP INDEX \"public\".\"IDX_c3c96bf56349013cdfa1d98524\"");
    await q.query("DROP INDEX \"public\".\"IDX_4fe96dae57c569429712104a1b\"");
    await q.query("DROP TABLE \"pickup_appointments\"");
    await q.query("DROP TYPE \"public\".\"pickup_status\"");
    await q.query("DROP INDEX \"public\".\"IDX_a326d5e64effd923c6c7b9ddf8\"");
    await q.query("DROP TABLE \"unmet_needs\"");
    await q.query("DROP INDEX \"public\".\"IDX_6f07733edabfbdb4db8f9bb79b\"");
    await q.query("DROP INDEX \"public\".\"IDX_e4621f9f662e32a3fba5820654\"");
    await q.query("DROP TABLE \"allocation_lines\"");
    await q.query("DROP INDEX \"public\".\"IDX_2427586617f89f9a234aabbad4\"");
    await q.query("DROP INDEX \"public\".\"uq_allocation_runs_published\"");
    await q.query("DROP INDEX \"public\".\"uq_allocation_runs_scheduled\"");
    await q.query("DROP TABLE \"allocation_runs\"");
    await q.query("DROP TYPE \"public\".\"run_trigger\"");
    await q.query("DROP TYPE \"public\".\"run_status\"");
  }
}
