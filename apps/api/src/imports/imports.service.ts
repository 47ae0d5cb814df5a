import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { Clock, DomainError, type FieldProblem } from '#domain';
import { CapacityReport, DemandReport, Organization, Product, Zone } from '#store';
import { AuditService } from '../common/audit.service.js';
import { AccessPolicy } from '../common/auth/access-policy.js';
import type { Principal } from '../common/auth/principal.js';
import { ReportingRules } from '../reports/reporting-rules.js';
import { decodeCsv, readTable, rowsInvalid, type ColumnSpec, type TableRow } from './csv-table.js';
import {
  CAPACITY_COLUMNS,
  DEMAND_COLUMNS,
  validateCapacityRows,
  validateDemandRows,
  type ImportContext,
  type OrgRef,
  type Validated,
} from './import-rows.js';
import type { ImportSummaryView } from './import.views.js';

/** Rows per multi-row INSERT (9 columns each, well under PostgreSQL's 65,535 parameters). */
const INSERT_CHUNK = 1000;
/** A version number taken concurrently by a single post makes the insert fail; the import is retried whole. */
const WRITE_ATTEMPTS = 3;

interface ReportKind<C extends string, D> {
  kind: 'demand' | 'capacity';
  columns: readonly ColumnSpec<C>[];
  cutoffCode: string;
  validate: (rows: readonly TableRow<C>[], ctx: ImportContext, fileProblems: readonly FieldProblem[]) => Validated<D>;
  table: 'demand_reports' | 'capacity_reports';
  orgColumn: 'enterprise_id' | 'supplier_id';
  orgIdOf: (draft: D) => string;
  entity: typeof DemandReport | typeof CapacityReport;
}

const DEMAND: ReportKind<(typeof DEMAND_COLUMNS)[number]['key'], ReturnType<typeof validateDemandRows>['reports'][number]> = {
  kind: 'demand',
  columns: DEMAND_COLUMNS,
  cutoffCode: 'DEMAND_AFTER_CUTOFF',
  validate: validateDemandRows,
  table: 'demand_reports',
  orgColumn: 'enterprise_id',
  orgIdOf: (d) => d.enterpriseId,
  entity: DemandReport,
};

const CAPACITY: ReportKind<(typeof CAPACITY_COLUMNS)[number]['key'], ReturnType<typeof validateCapacityRows>['reports'][number]> = {
  kind: 'capacity',
  columns: CAPACITY_COLUMNS,
  cutoffCode: 'CAPACITY_AFTER_CUTOFF',
  validate: validateCapacityRows,
  table: 'capacity_reports',
  orgColumn: 'supplier_id',
  orgIdOf: (d) => d.supplierId,
  entity: CapacityReport,
};

/**
 * Bulk import of a zone's demand or capacity for one service date from CSV. Every row is checked
 * with the rules of the single-report API; one bad row and nothing is written. A good file becomes
 * one new report version per organization (as a repost would), all in one transaction with one
 * audit entry summarising the import.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly access: AccessPolicy,
    private readonly rules: ReportingRules,
    private readonly clock: Clock,
  ) {}

  importDemand(actor: Principal, zoneId: string, serviceDate: string, body: Buffer, charset?: string): Promise<ImportSummaryView> {
    return this.run(DEMAND, actor, zoneId, serviceDate, body, charset);
  }

  importCapacity(actor: Principal, zoneId: string, serviceDate: string, body: Buffer, charset?: string): Promise<ImportSummaryView> {
    return this.run(CAPACITY, actor, zoneId, serviceDate, body, charset);
  }

  private async run<C extends string, D extends object>(
    spec: ReportKind<C, D>,
    actor: Principal,
    zoneId: string,
    serviceDate: string,
    body: Buffer,
    charset: string | undefined,
  ): Promise<ImportSummaryView> {
    this.access.assertCanManageZone(actor, zoneId);
    const zone = await this.dataSource.getRepository(Zone).findOneBy({ id: zoneId });
    if (!zone) throw DomainError.notFound('Zone', 'ZONE_NOT_FOUND');
    const { late } = this.rules.checkWindow(actor, zone, serviceDate, spec.cutoffCode);

    const table = readTable(decodeCsv(body, charset), spec.columns);
    const codes = table.rows.map((r) => (r.cells as Record<string, string>).creditCode.toUpperCase());
    const validated = spec.validate(table.rows, await this.context(zone.id, codes), table.problems);
    if (validated.problems.length) throw rowsInvalid(validated.problems, validated.badRows);
    if (validated.reports.length === 0) throw DomainError.rule('IMPORT_EMPTY', 'body', 'The file has a header but no data rows');

    const importId = randomUUID();
    const fileSha256 = createHash('sha256').update(body).digest('hex');
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(async (m) => {
          const { reposted } = await this.write(m, spec, actor, zone, serviceDate, validated.reports, late);
          const summary: ImportSummaryView = {
            importId,
            kind: spec.kind,
            zoneId: zone.id,
            serviceDate,
            rows: table.rows.length,
            organizations: validated.reports.length,
            versionsCreated: validated.reports.length,
            reposted,
            late,
          };
          await this.audit.record(m, actor, {
            action: `${spec.kind === 'demand' ? 'demand_report' : 'capacity_report'}.import`,
            entityType: `${spec.kind}_import`,
            entityId: importId,
            zoneId: zone.id,
            after: { ...summary, fileSha256, bytes: body.length },
          });
          return summary;
        });
      } catch (err) {
        if (attempt < WRITE_ATTEMPTS && isUniqueViolation(err)) continue;
        throw err;
      }
    }
  }

  /** The zone's catalogue and the organizations the file names, each read once. */
  private async context(zoneId: string, creditCodes: string[]): Promise<ImportContext> {
    const products = await this.dataSource.getRepository(Product).findBy({ zoneId });
    const unique = [...new Set(creditCodes.filter((c) => c.length === 18))];
    const orgs: OrgRef[] = unique.length
      ? await this.dataSource
          .getRepository(Organization)
          .createQueryBuilder('o')
          .select(['o.id', 'o.kind', 'o.zoneId', 'o.creditCode', 'o.registeredEmployees'])
          .where('o.creditCode = ANY(:codes)', { codes: unique })
          .getMany()
      : [];
    return {
      zoneId,
      products: new Map(products.map((p) => [p.code, p])),
      orgs: new Map(orgs.map((o) => [(o as Organization).creditCode, o])),
    };
  }

  /**
   * Inserts one new version per organization with multi-row INSERTs. Imports of a zone and date are
   * serialised; a single post racing for the same version number makes one of them fail on the
   * unique (organization, date, version) index, and the import is retried whole.
   */
  private async write<C extends string, D extends object>(
    m: EntityManager,
    spec: ReportKind<C, D>,
    actor: Principal,
    zone: Zone,
    serviceDate: string,
    drafts: D[],
    late: boolean,
  ): Promise<{ reposted: number }> {
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`import:${spec.table}:${zone.id}:${serviceDate}`]);
    const ids = drafts.map(spec.orgIdOf);
    const current: { org_id: string; version: number }[] = await m.query(
      `SELECT ${spec.orgColumn} AS org_id, max(version)::int AS version FROM ${spec.table}
        WHERE service_date = $1 AND ${spec.orgColumn} = ANY($2::uuid[]) GROUP BY ${spec.orgColumn}`,
      [serviceDate, ids],
    );
    const latest = new Map(current.map((r) => [r.org_id, r.version]));
    const now = this.clock.now();
    const rows = drafts.map((d) => ({
      ...d,
      zoneId: zone.id,
      serviceDate,
      version: (latest.get(spec.orgIdOf(d)) ?? 0) + 1,
      submittedBy: actor.userId,
      submittedAt: now,
      late,
    }));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await m.createQueryBuilder().insert().into(spec.entity).values(rows.slice(i, i + INSERT_CHUNK)).updateEntity(false).execute();
    }
    return { reposted: latest.size };
  }
}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string } | undefined)?.code === '23505';
}
