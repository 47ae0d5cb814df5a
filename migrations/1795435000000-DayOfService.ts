import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The day of service: a printed slip's identity survives a correction that leaves its appointment
 * unchanged (slip_id, copied from id for the appointments that exist), a run records what it
 * corrects, overrides keep the order they were made in, and a zone may set the time of its reminder to organizations that have not reported.
 */
export class DayOfService1795435000000 implements MigrationInterface {
  name = 'DayOfService1795435000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "pickup_appointments" ADD "slip_id" uuid`);
    await q.query(`UPDATE "pickup_appointments" SET "slip_id" = "id"`);
    await q.query(`ALTER TABLE "pickup_appointments" ALTER COLUMN "slip_id" SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX "IDX_75a793fa2a694147b5fb77da2c" ON "pickup_appointments" ("run_id", "slip_id")`);
    await q.query(`ALTER TABLE "allocation_runs" ADD "correction" jsonb`);
    await q.query(`ALTER TABLE "zones" ADD "reminder_time" character varying(5)`);
    // Overrides stand in the order they were made; existing rows are numbered as the table holds them.
    await q.query(`ALTER TABLE "run_overrides" ADD "position" integer GENERATED ALWAYS AS IDENTITY NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "run_overrides" DROP COLUMN "position"`);
    await q.query(`ALTER TABLE "zones" DROP COLUMN "reminder_time"`);
    await q.query(`ALTER TABLE "allocation_runs" DROP COLUMN "correction"`);
    await q.query(`DROP INDEX "IDX_75a793fa2a694147b5fb77da2c"`);
    await q.query(`ALTER TABLE "pickup_appointments" DROP COLUMN "slip_id"`);
  }
}
