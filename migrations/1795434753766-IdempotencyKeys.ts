import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeys1795434753766 implements MigrationInterface {
  name = 'IdempotencyKeys1795434753766';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"idempotency_keys\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"key\" character varying(200) NOT NULL, \"request_hash\" character(64) NOT NULL, \"state\" character varying(10) NOT NULL, \"response_status\" integer, \"response_body\" jsonb, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_8ad20779ad0411107a56e53d0f6\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_06f372d2d5b1c6e18ceb91cdf7\" ON \"idempotency_keys\"  (\"user_id\", \"created_at\") ");
    await q.query("CREATE UNIQUE INDEX \"IDX_392b1af86f210d98d3f0c76472\" ON \"idempotency_keys\"  (\"user_id\", \"key\") ");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP INDEX \"public\".\"IDX_392b1af86f210d98d3f0c76472\"");
    await q.query("DROP INDEX \"public\".\"IDX_06f372d2d5b1c6e18ceb91cdf7\"");
    await q.query("DROP TABLE \"idempotency_keys\"");
  }
}
