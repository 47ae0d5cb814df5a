import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log is append-only against TRUNCATE too. The row trigger of the initial migration
 * refuses UPDATE and DELETE, but TRUNCATE fires no row triggers; a statement-level trigger does.
 * A database superuser can still disable triggers: production should run the API as a role that
 * neither owns the table nor is a superuser (docs/security.md).
 */
export class Hardening1795435100000 implements MigrationInterface {
  name = 'Hardening1795435100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER audit_log_no_truncate ON "audit_log"');
  }
}
