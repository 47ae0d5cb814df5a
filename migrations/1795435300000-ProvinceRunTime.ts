import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A province's nights get a scheduler at its local run time (provinces.run_time, HH:MM). */
export class ProvinceRunTime1795435300000 implements MigrationInterface {
  name = 'ProvinceRunTime1795435300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "provinces" ADD "run_time" character varying(5) NOT NULL DEFAULT '01:00'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "provinces" DROP COLUMN "run_time"`);
  }
}
