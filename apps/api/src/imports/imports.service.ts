import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { checkReportingWindow, Clock, DomainError, REPORT_KINDS, type FieldProblem, type ReportKindName } from '#domain';
import { OrganizationStore, ReportLedger, type ReportContent } from '#store';
import { AccessPolicy } from '../common/auth/access-policy.js';
import { isStaff, type Principal } from '../common/auth/principal.js';
import { ReportingRules } from '../reports/reporting-rules.js';
import { readTable, rowsInvalid, type ColumnSpec, type TableRow } from './csv-table.js';
import type { CsvUpload } from './csv-upload.js';
import { assertNothingLeftOut, mergeCapacity, mergeDemand, type ImportMode } from './import-modes.js';
import { CAPACITY_COLUMNS, DEMAND_COLUMNS, validateCapacityRows, validateDemandRows, type ImportContext, type ReportDraft, type Validated } from './import-rows.js';
import type { ImportSummaryView, OrganizationImportView } from './import.views.js';
import { ORGANIZATION_COLUMNS, planOrganizations } from './organization-rows.js';

/** How a file of each kind is read: its columns, the row checks that turn it into reports, and how it merges into the latest versions. */
interface FileFormat<K extends ReportKindName> {
  columns: readonly ColumnSpec<string>[];
  validate(rows: readonly TableRow<string>[], ctx: ImportContext, fileProblems: readonly FieldProblem[]): Validated<ReportDraft<K>>;
  merge(drafts: readonly ReportDraft<K>[], latest: ReadonlyMap<string, ReportContent<K>>, ctx: ImportContext): ReportDraft<K>[];
}

const FILE_FORMATS: { [K in ReportKindName]: FileFormat<K> } = {
  demand: { columns: DEMAND_COLUMNS, validate: validateDemandRows, merge: (drafts, latest, ctx) => mergeDemand(drafts, latest, ctx.products) },
  capacity: { columns: CAPACITY_COLUMNS, validate: validateCapacityRows, merge: mergeCapacity },
};

/**
 * Bulk import of a zone's demand or capacity for one service date from CSV. Every row is checked
 * with the rules of the single-report API; one bad row and nothing is written. A good file becomes
 * one new report version per organization (as a repost would), appended to the ledger at once with
 * one audit entry summarising the import.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly ledger: ReportLedger,
    private readonly organizations: OrganizationStore,
    private readonly access: AccessPolicy,
    private readonly rules: ReportingRules,
    private readonly clock: Clock,
  ) {}

  async importFile<K extends ReportKindName>(kind: K, actor: Principal, zoneId: string, serviceDate: string, file: CsvUpload, mode?: ImportMode): Promise<ImportSummaryView> {
    const format: FileFormat<K> = FILE_FORMATS[kind];
    this.access.assertCanManageZone(actor, zoneId);
    const zone = await this.rules.zone(zoneId);
    const now = this.clock.now();
    const { late } = checkReportingWindow(now, zone, serviceDate, REPORT_KINDS[kind], isStaff(actor));

    const table = readTable(file.records, format.columns);
    const codes = table.rows.map((r) => r.cells.creditCode.toUpperCase());
    const ctx = await this.context(zone.id, codes);
    const validated = format.validate(table.rows, ctx, table.problems);
    if (validated.problems.length) throw rowsInvalid(validated.problems, validated.badRows);
    if (validated.reports.length === 0) throw DomainError.rule('IMPORT_EMPTY', 'body', 'The file has a header but no data rows');

    const summary = {
      importId: randomUUID(),
      kind,
      zoneId: zone.id,
      serviceDate,
      mode: mode ?? null,
      rows: table.rows.length,
      organizations: validated.reports.length,
      versionsCreated: validated.reports.length,
      late,
    };
    const { reposted } = await this.ledger.appendMany(
      kind,
      actor,
      { zoneId: zone.id, serviceDate, submittedAt: now, late, reports: validated.reports },
      { entityId: summary.importId, after: { ...summary, fileSha256: file.sha256, bytes: file.bytes } },
      mode === 'replace' ? undefined : (latest) => this.complete(format, validated.reports, latest, ctx, serviceDate, mode),
    );
    return { ...summary, reposted };
  }

  /** The reports a file writes given each organization's latest version: merged into it, or as they are once the file drops none of its lines. */
  private complete<K extends ReportKindName>(
    format: FileFormat<K>,
    drafts: ReportDraft<K>[],
    latest: ReadonlyMap<string, ReportContent<K>>,
    ctx: ImportContext,
    serviceDate: string,
    mode: 'merge' | undefined,
  ): ReportDraft<K>[] {
    if (mode === 'merge') return format.merge(drafts, latest, ctx);
    assertNothingLeftOut(drafts, latest, serviceDate);
    return drafts;
  }

  /**
   * Registers or updates a zone's organizations from CSV, keyed by unified social credit code, all
   * in one transaction with one audit entry; a bad row and nothing is written.
   */
  async importOrganizations(actor: Principal, zoneId: string, file: CsvUpload): Promise<OrganizationImportView> {
    this.access.assertCanManageZone(actor, zoneId);
    const zone = await this.rules.zone(zoneId);
    const table = readTable(file.records, ORGANIZATION_COLUMNS);
    if (table.rows.length === 0 && table.problems.length === 0) throw DomainError.rule('IMPORT_EMPTY', 'body', 'The file has a header but no data rows');
    const summary = { importId: randomUUID(), zoneId: zone.id, rows: table.rows.length };
    const ctx = { zoneId: zone.id, mappedCategories: new Set(Object.keys(zone.tierMapping)) };
    const counts = await this.organizations.importMany(
      actor,
      zone.id,
      table.rows.map((r) => r.cells.creditCode.toUpperCase()).filter((c) => c.length === 18),
      (existing) => {
        const { plan, problems, badRows } = planOrganizations(table.rows, existing, ctx, table.problems);
        if (problems.length) throw rowsInvalid(problems, badRows);
        return plan;
      },
      { entityId: summary.importId, after: { ...summary, fileSha256: file.sha256, bytes: file.bytes } },
    );
    return { ...summary, ...counts };
  }

  /** The zone's catalogue and the organizations the file names. */
  private async context(zoneId: string, creditCodes: string[]): Promise<ImportContext> {
    return {
      zoneId,
      products: await this.rules.catalogue(zoneId),
      orgs: await this.organizations.byCreditCodes(creditCodes.filter((c) => c.length === 18)),
    };
  }
}
