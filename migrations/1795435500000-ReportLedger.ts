import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The report ledger's writes as PL/pgSQL functions, so that appending a report is one round trip
 * (libs/store/src/reports/report-ledger.ts calls them): take the lock, number the version, insert
 * the report with its lines and its audit entry, in the statement's own transaction.
 *
 * One locking scheme for single posts and imports, on transaction-scoped advisory locks keyed by
 * `report_lock_key(table, scope, date)`:
 * - a single report takes the (zone, date) lock SHARED, then its (organization, date) lock
 *   exclusively: posts of different organizations run side by side, two posts of one organization
 *   take turns and get consecutive versions;
 * - an import (a batch of one zone and date) takes the (zone, date) lock EXCLUSIVELY: it waits for
 *   the posts in flight and holds the next ones back, so it numbers every organization's version
 *   without a lock per organization (an import of 10,000 suppliers would overflow the lock table)
 *   and without retrying on the unique index.
 * A single report only ever waits for one lock after its shared one, so no cycle can form.
 * The (organization, date) key is the one the API used before this migration, so API processes of
 * both versions exclude each other during a rolling deploy.
 *
 * Each statement in a PL/pgSQL function takes a new snapshot (READ COMMITTED), so the max(version)
 * read after the lock sees the report of the transaction that held it. Inserts go through the
 * partitioned parent tables and land in their month's partition (or DEFAULT).
 *
 * The functions take JSON in the API's property names (camelCase): the ledger sends the report
 * without id and version, and the audit entry records it with both, as the API answers it.
 */
export class ReportLedger1795435500000 implements MigrationInterface {
  name = 'ReportLedger1795435500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION report_lock_key(report_table text, scope uuid, day date) RETURNS bigint
      LANGUAGE sql STABLE AS $$ SELECT hashtextextended(report_table || ':' || scope || ':' || to_char(day, 'YYYY-MM-DD'), 0) $$`);
    // The SQL twin of recordAudit (libs/store/src/audit/audit-log.ts): audit = { actorId, actorRole, action, entityType }.
    await q.query(`CREATE FUNCTION record_report_audit(audit jsonb, entity_id text, zone uuid, after jsonb) RETURNS void
      LANGUAGE sql AS $$
        INSERT INTO audit_log (actor_id, actor_role, action, entity_type, entity_id, zone_id, after)
        VALUES ((audit->>'actorId')::uuid, audit->>'actorRole', audit->>'action', audit->>'entityType', entity_id, zone, after) $$`);
    for (const k of KINDS) {
      await q.query(appendOne(k));
      await q.query(appendMany(k));
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const k of KINDS) {
      await q.query(`DROP FUNCTION append_${k.kind}_reports(jsonb, jsonb)`);
      await q.query(`DROP FUNCTION append_${k.kind}_report(jsonb, jsonb)`);
    }
    await q.query('DROP FUNCTION record_report_audit(jsonb, text, uuid, jsonb)');
    await q.query('DROP FUNCTION report_lock_key(text, uuid, date)');
  }
}

interface Kind {
  kind: string;
  table: string;
  /** The organization column and its JSON property. */
  org: string;
  orgKey: string;
  /** Columns besides lines that the report states, with their JSON property and type. */
  content: { column: string; key: string; type: string }[];
}

const KINDS: Kind[] = [
  { kind: 'demand', table: 'demand_reports', org: 'enterprise_id', orgKey: 'enterpriseId', content: [{ column: 'headcount', key: 'headcount', type: 'integer' }] },
  { kind: 'capacity', table: 'capacity_reports', org: 'supplier_id', orgKey: 'supplierId', content: [] },
];

/** append_<kind>_report(report, audit) → { id, version } of the report appended; the audit entry holds the whole report. */
function appendOne(k: Kind): string {
  const columns = ['id', 'zone_id', k.org, 'service_date', 'version', ...k.content.map((c) => c.column), 'lines', 'submitted_by', 'submitted_at', 'late'];
  const values = [
    'report_id',
    'zone',
    'org',
    'day',
    'next_version',
    ...k.content.map((c) => `(report->>'${c.key}')::${c.type}`),
    `report->'lines'`,
    `(report->>'submittedBy')::uuid`,
    `(report->>'submittedAt')::timestamptz`,
    `(report->>'late')::boolean`,
  ];
  return `CREATE FUNCTION append_${k.kind}_report(report jsonb, audit jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
    DECLARE
      zone uuid := (report->>'zoneId')::uuid;
      org uuid := (report->>'${k.orgKey}')::uuid;
      day date := (report->>'serviceDate')::date;
      report_id uuid := gen_random_uuid();
      next_version integer;
    BEGIN
      PERFORM pg_advisory_xact_lock_shared(report_lock_key('${k.table}', zone, day));
      PERFORM pg_advisory_xact_lock(report_lock_key('${k.table}', org, day));
      SELECT coalesce(max(r.version), 0) + 1 INTO next_version FROM ${k.table} r WHERE r.${k.org} = org AND r.service_date = day;
      INSERT INTO ${k.table} (${columns.join(', ')}) VALUES (${values.join(', ')});
      PERFORM record_report_audit(audit, report_id::text, zone, report || jsonb_build_object('id', report_id, 'version', next_version));
      RETURN jsonb_build_object('id', report_id, 'version', next_version);
    END $$`;
}

/**
 * append_<kind>_reports(batch, audit) → how many of the organizations already had a report for the
 * date. batch = { zoneId, serviceDate, submittedBy, submittedAt, late, reports: [{ <orgKey>, ...content, lines }] };
 * audit carries the batch's entity id and summary (`after`), to which the count is added.
 */
function appendMany(k: Kind): string {
  const recordColumns = [`"${k.orgKey}" uuid`, ...k.content.map((c) => `"${c.key}" ${c.type}`), 'lines jsonb'].join(', ');
  const columns = ['zone_id', k.org, 'service_date', 'version', ...k.content.map((c) => c.column), 'lines', 'submitted_by', 'submitted_at', 'late'];
  const values = [
    'zone',
    `d."${k.orgKey}"`,
    'day',
    'coalesce(c.version, 0) + 1',
    ...k.content.map((c) => `d."${c.key}"`),
    'd.lines',
    `(batch->>'submittedBy')::uuid`,
    `(batch->>'submittedAt')::timestamptz`,
    `(batch->>'late')::boolean`,
  ];
  return `CREATE FUNCTION append_${k.kind}_reports(batch jsonb, audit jsonb) RETURNS integer LANGUAGE plpgsql AS $$
    DECLARE
      zone uuid := (batch->>'zoneId')::uuid;
      day date := (batch->>'serviceDate')::date;
      reposted integer;
    BEGIN
      PERFORM pg_advisory_xact_lock(report_lock_key('${k.table}', zone, day));
      WITH drafts AS (SELECT * FROM jsonb_to_recordset(batch->'reports') AS d(${recordColumns})),
           latest AS (
             SELECT r.${k.org} AS org, max(r.version) AS version FROM ${k.table} r
              WHERE r.service_date = day AND r.${k.org} IN (SELECT "${k.orgKey}" FROM drafts)
              GROUP BY r.${k.org}),
           inserted AS (
             INSERT INTO ${k.table} (${columns.join(', ')})
             SELECT ${values.join(', ')} FROM drafts d LEFT JOIN latest c ON c.org = d."${k.orgKey}"
             RETURNING version)
      SELECT count(*) FILTER (WHERE version > 1) INTO reposted FROM inserted;
      PERFORM record_report_audit(audit, audit->>'entityId', zone, (audit->'after') || jsonb_build_object('reposted', reposted));
      RETURN reposted;
    END $$`;
}
