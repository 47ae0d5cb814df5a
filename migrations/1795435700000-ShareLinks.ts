import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Share links: read-only links an enterprise hands out (a pickup slip for a driver, a calendar
 * subscription of its pickups). Only SHA-256 hashes of their secrets are stored; they go with the
 * enterprise (ON DELETE CASCADE).
 */
export class ShareLinks1795435700000 implements MigrationInterface {
  name = 'ShareLinks1795435700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "share_links" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "enterprise_id" uuid NOT NULL, "kind" character varying(16) NOT NULL, "slip_id" uuid, "service_date" date, "secret_hash" character(64) NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_70320b79ecd8acab96419fcdd6d" PRIMARY KEY ("id"))`);
    await q.query(`CREATE UNIQUE INDEX "IDX_30c791bba38855c9ad16ea11d0" ON "share_links" ("secret_hash") `);
    await q.query(`CREATE INDEX "IDX_349d2dc2343c04e0090b50631d" ON "share_links" ("enterprise_id", "kind") `);
    await q.query(`ALTER TABLE "share_links" ADD CONSTRAINT "FK_36975897155f9faa48c749bf4f6" FOREIGN KEY ("enterprise_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "share_links" DROP CONSTRAINT "FK_36975897155f9faa48c749bf4f6"`);
    await q.query(`DROP INDEX "public"."IDX_349d2dc2343c04e0090b50631d"`);
    await q.query(`DROP INDEX "public"."IDX_30c791bba38855c9ad16ea11d0"`);
    await q.query(`DROP TABLE "share_links"`);
  }
}
