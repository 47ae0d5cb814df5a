import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The web console's sign-in: single-use, expiring invite links and cookie sessions. Only SHA-256
 * hashes of their secrets are stored; both go with their user (ON DELETE CASCADE).
 */
export class WebSessions1795435600000 implements MigrationInterface {
  name = 'WebSessions1795435600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "invite_links" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "secret_hash" character(64) NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_df46bd981abebf8f78c5e334705" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_72c3dea36829add33df6fdada8" ON "invite_links" ("user_id") `);
    await q.query(`CREATE UNIQUE INDEX "IDX_4437138de73010eb3c6efcf1fe" ON "invite_links" ("secret_hash") `);
    await q.query(`CREATE TABLE "web_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "secret_hash" character(64) NOT NULL, "invite_id" uuid, "user_agent" character varying(200), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_3ae6bbf6cb5ac95b7f617d395d3" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "IDX_099af5f73522b589358b3d1189" ON "web_sessions" ("user_id") `);
    await q.query(`CREATE UNIQUE INDEX "IDX_1d3793a7b0eeb471a53eab1fe8" ON "web_sessions" ("secret_hash") `);
    await q.query(`ALTER TABLE "invite_links" ADD CONSTRAINT "FK_72c3dea36829add33df6fdada8f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await q.query(`ALTER TABLE "web_sessions" ADD CONSTRAINT "FK_099af5f73522b589358b3d1189f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "web_sessions" DROP CONSTRAINT "FK_099af5f73522b589358b3d1189f"`);
    await q.query(`ALTER TABLE "invite_links" DROP CONSTRAINT "FK_72c3dea36829add33df6fdada8f"`);
    await q.query(`DROP TABLE "web_sessions"`);
    await q.query(`DROP TABLE "invite_links"`);
  }
}
