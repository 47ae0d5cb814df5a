import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795432860607 implements MigrationInterface {
  name = 'Initial1795432860607';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"zones\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" character varying(200) NOT NULL, \"time_zone\" character varying(64) NOT NULL DEFAULT 'Asia/Shanghai', \"cutoff_time\" character varying(5) NOT NULL DEFAULT '20:00', \"run_time\" character varying(5) NOT NULL DEFAULT '01:00', \"auto_publish_time\" character varying(5), \"max_pickup_distance_km\" integer NOT NULL DEFAULT '30', \"max_suppliers_per_enterprise\" integer NOT NULL DEFAULT '3', \"tier_mapping\" jsonb NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_880484a43ca311707b05895bd4a\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE TYPE \"public\".\"organization_kind\" AS ENUM('enterprise', 'supplier')");
    await q.query("CREATE TABLE \"organizations\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"zone_id\" uuid NOT NULL, \"kind\" \"public\".\"organization_kind\" NOT NULL, \"name\" character varying(200) NOT NULL, \"credit_code\" character(18) NOT NULL, \"address\" character varying(300) NOT NULL, \"latitude\" numeric(9,6) NOT NULL, \"longitude\" numeric(9,6) NOT NULL, \"contact_name\" character varying(100) NOT NULL, \"contact_phone\" character varying(40) NOT NULL, \"registered_employees\" integer, \"priority_category\" character varying(40), \"above_scale\" boolean, \"pickup_site_address\" character varying(300), \"pickup_windows\" jsonb, \"slot_minutes\" integer, \"vehicles_per_slot\" integer, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_6b031fcd0863e3f6b44230163f9\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"IDX_43b31b255111c328c76c0c2611\" ON \"organizations\"  (\"credit_code\") ");
    await q.query("CREATE INDEX \"IDX_6d078d0848651cc2b540cfdf33\" ON \"organizations\"  (\"zone_id\", \"kind\", \"name\") ");
    await q.query("CREATE TYPE \"public\".\"user_role\" AS ENUM('admin', 'coordinator', 'enterprise', 'supplier')");
    await q.query("CREATE TABLE \"users\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" character varying(120) NOT NULL, \"role\" \"public\".\"user_role\" NOT NULL, \"zone_id\" uuid, \"organization_id\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_a3ffb1c0c8416b9fc6f907b7433\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_31def451399d7c949d9fd2bae8\" ON \"users\"  (\"zone_id\") ");
    await q.query("CREATE INDEX \"IDX_21a659804ed7bf61eb91688dea\" ON \"users\"  (\"organization_id\") ");
    await q.query("CREATE TABLE \"api_credentials\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"token_hash\" character(64) NOT NULL, \"token_prefix\" character varying(16) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"revoked_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_3e97de2b2f8c5d0897b67e89e3c\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_14cd1a6f8d27e1fc76c8e352f6\" ON \"api_credentials\"  (\"user_id\") ");
    await q.query("CREATE UNIQUE INDEX \"IDX_74617b6cf083d957a500c46a2b\" ON \"api_credentials\"  (\"token_hash\") ");
    await q.query("CREATE TABLE \"audit_log\" (\"id\" BIGSERIAL NOT NULL, \"at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"actor_id\" uuid, \"actor_role\" character varying(20) NOT NULL, \"action\" character varying(60) NOT NULL, \"entity_type\" character varying(40) NOT NULL, \"entity_id\" character varying(64) NOT NULL, \"zone_id\" uuid, \"before\" jsonb, \"after\" jsonb, CONSTRAINT \"PK_07fefa57f7f5ab8fc3f52b3ed0b\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_43fef0ec7f613c19c612fffe62\" ON \"audit_log\"  (\"entity_type\", \"entity_id\") ");
    await q.query("CREATE INDEX \"IDX_27ecde8c5a2543313b9f9161dd\" ON \"audit_log\"  (\"zone_id\", \"at\") ");
    await q.query("CREATE TABLE \"capacity_reports\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"zone_id\" uuid NOT NULL, \"supplier_id\" uuid NOT NULL, \"service_date\" date NOT NULL, \"version\" integer NOT NULL, \"lines\" jsonb NOT NULL, \"submitted_by\" uuid NOT NULL, \"submitted_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"late\" boolean NOT NULL DEFAULT false, CONSTRAINT \"PK_1cd25ccf43a8a8429f881e95442\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_30af44c2cbd921636fa543f958\" ON \"capacity_reports\"  (\"zone_id\", \"service_date\", \"supplier_id\", \"version\") ");
    await q.query("CREATE UNIQUE INDEX \"IDX_6970ce89b6cd2cc3bb3f2a17c5\" ON \"capacity_reports\"  (\"supplier_id\", \"service_date\", \"version\") ");
    await q.query("CREATE TABLE \"demand_reports\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"zone_id\" uuid NOT NULL, \"enterprise_id\" uuid NOT NULL, \"service_date\" date NOT NULL, \"version\" integer NOT NULL, \"headcount\" integer NOT NULL, \"lines\" jsonb NOT NULL, \"submitted_by\" uuid NOT NULL, \"submitted_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"late\" boolean NOT NULL DEFAULT false, CONSTRAINT \"PK_9279728dd7419ac9b5edc99dec4\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"IDX_708edcaac516766987ec4a1d49\" ON \"demand_reports\"  (\"zone_id\", \"service_date\", \"enterprise_id\", \"version\") ");
    await q.query("CREATE UNIQUE INDEX \"IDX_6e4c5e6950ec9238be076846e3\" ON \"demand_reports\"  (\"enterprise_id\", \"service_date\", \"version\") ");
    await q.query("CREATE TABLE \"products\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"zone_id\" uuid NOT NULL, \"code\" character varying(40) NOT NULL, \"name_zh\" character varying(120) NOT NULL, \"name_en\" character varying(120) NOT NULL, \"unit\" character varying(20) NOT NULL, \"pack_size\" integer NOT NULL, \"norm_per_worker\" numeric(10,3) NOT NULL, \"cap_factor\" numeric(6,2) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_0806c755e0aca124e67c0cf6d7d\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"IDX_c36e220ee07fb0636407ef92aa\" ON \"products\"  (\"zone_id\", \"code\") ");
    await q.query("ALTER TABLE \"organizations\" ADD CONSTRAINT \"FK_443d61aac715e4a593503b7248e\" FOREIGN KEY (\"zone_id\") REFERENCES \"zones\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await q.query("ALTER TABLE \"users\" ADD CONSTRAINT \"FK_31def451399d7c949d9fd2bae8a\" FOREIGN KEY (\"zone_id\") REFERENCES \"zones\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await q.query("ALTER TABLE \"users\" ADD CONSTRAINT \"FK_21a659804ed7bf61eb91688dea7\" FOREIGN KEY (\"organization_id\") REFERENCES \"organizations\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await q.query("ALTER TABLE \"api_credentials\" ADD CONSTRAINT \"FK_14cd1a6f8d27e1fc76c8e352f61\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await q.query("ALTER TABLE \"capacity_reports\" ADD CONSTRAINT \"FK_a3520af63f9c35d84461038a97c\" FOREIGN KEY (\"supplier_id\") REFERENCES \"organizations\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await q.query("ALTER TABLE \"demand_reports\" ADD CONSTRAINT \"FK_d449e04c1d92f0c2b066f43bc0d\" FOREIGN KEY (\"enterprise_id\") REFERENCES \"organizations\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    await q.query("ALTER TABLE \"products\" ADD CONSTRAINT \"FK_a571eb4bfe72dd5b2ce72d38845\" FOREIGN KEY (\"zone_id\") REFERENCES \"zones\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    // The audit log is append-only: refuse UPDATE and DELETE at the database, whatever the caller.
    await q.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`);
    await q.query(`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON "audit_log"
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER audit_log_no_change ON "audit_log"');
    await q.query('DROP FUNCTION audit_log_append_only()');
    await q.query("ALTER TABLE \"products\" DROP CONSTRAINT \"FK_a571eb4bfe72dd5b2ce72d38845\"");
    await q.query("ALTER TABLE \"demand_reports\" DROP CONSTRAINT \"FK_d449e04c1d92f0c2b066f43bc0d\"");
    await q.query("ALTER TABLE \"capacity_reports\" DROP CONSTRAINT \"FK_a3520af63f9c35d84461038a97c\"");
    await q.query("ALTER TABLE \"api_credentials\" DROP CONSTRAINT \"FK_14cd1a6f8d27e1fc76c8e352f61\"");
    await q.query("ALTER TABLE \"users\" DROP CONSTRAINT \"FK_21a659804ed7bf61eb91688dea7\"");
    await q.query("ALTER TABLE \"users\" DROP CONSTRAINT \"FK_31def451399d7c949d9fd2bae8a\"");
    await q.query("ALTER TABLE \"organizations\" DROP CONSTRAINT \"FK_443d61aac715e4a593503b7248e\"");
    await q.query("DROP INDEX \"public\".\"IDX_c36e220ee07fb0636407ef92aa\"");
    await q.query("DROP TABLE \"products\"");
    await q.query("DROP INDEX \"public\".\"IDX_6e4c5e6950ec9238be076846e3\"");
    await q.query("DROP INDEX \"public\".\"IDX_708edcaac516766987ec4a1d49\"");
    await q.query("DROP TABLE \"demand_reports\"");
    await q.query("DROP INDEX \"public\".\"IDX_6970ce89b6cd2cc3bb3f2a17c5\"");
    await q.query("DROP INDEX \"public\".\"IDX_30af44c2cbd921636fa543f958\"");
    await q.query("DROP TABLE \"capacity_reports\"");
    await q.query("DROP INDEX \"public\".\"IDX_27ecde8c5a2543313b9f9161dd\"");
    await q.query("DROP INDEX \"public\".\"IDX_43fef0ec7f613c19c612fffe62\"");
    await q.query("DROP TABLE \"audit_log\"");
    await q.query("DROP INDEX \"public\".\"IDX_74617b6cf083d957a500c46a2b\"");
    await q.query("DROP INDEX \"public\".\"IDX_14cd1a6f8d27e1fc76c8e352f6\"");
    await q.query("DROP TABLE \"api_credentials\"");
    await q.query("DROP INDEX \"public\".\"IDX_21a659804ed7bf61eb91688dea\"");
    await q.query("DROP INDEX \"public\".\"IDX_31def451399d7c949d9fd2bae8\"");
    await q.query("DROP TABLE \"users\"");
    await q.query("DROP TYPE \"public\".\"user_role\"");
    await q.query("DROP INDEX \"public\".\"IDX_6d078d0848651cc2b540cfdf33\"");
    await q.query("DROP INDEX \"public\".\"IDX_43b31b255111c328c76c0c2611\"");
    await q.query("DROP TABLE \"organizations\"");
    await q.query("DROP TYPE \"public\".\"organization_kind\"");
    await q.query("DROP TABLE \"zones\"");
  }
}
