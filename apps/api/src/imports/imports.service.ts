import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { checkReportingWindow, Clock, DomainError, REPORT_KINDS, type FieldProblem, type ReportKindName } from '#domain';
import { OrganizationStore, ReportLedger } from '#store';
import { AccessPolicy } from '../common/auth/access-policy.js';
import { isStaff, type Principal } from '../common/auth/principal.js';
import { ReportingRules } from '../reports/reporting-rules.js';
import { decodeCsv, readTable, rowsInvalid, type ColumnSpec, type TableRow } from './csv-table.js';
import { CAPACITY_COLUMNS, DEMAND_COLUMNS, validateCapacityRows, validateDemandRows, type ImportContext, type ReportDraft, type Validated } from './import-rows.js';
import type { ImportSummaryView } from './import.views.js';

/** How a file of each kind is read: its columns and the row checks that turn it into reports. */
interface FileFormat<K extends ReportKindName> {
  columns: readonly ColumnSpec<string>[];
  validate(rows: readonly TableRow<string>[], ctx: ImportContext, fileProblems: readonly FieldProblem[]): Validated<ReportDraft<K>>;
}

const FILE_FORMATS: { [K in ReportKindName]: FileFormat<K> } = {
  demand: { columns: DEMAND_COLUMNS, validate: validateDemandRows },
  capacity: { columns: CAPACITY_COLUMNS, validate: validateCapacityRows },
};

/** The body of an import request: the file's bytes and the charset its Content-Type declares, if any. */
export interface CsvFile {
  bytes: Buffer;
  charset?: string;
}

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

  async importFile<K extends ReportKindName>(kind: K, actor: Principal, zoneId: string, serviceDate: string, { bytes: body, charset }: CsvFile): Promise<ImportSummaryView> {
    const format: FileFormat<K> = FILE_FORMATS[kind];
    this.access.assertCanManageZone(actor, zoneId);
    const zone = await this.rules.zone(zoneId);
    const now = this.clock.now();
    const { late } = checkReportingWindow(now, zone, serviceDate, REPORT_KINDS[kind], isStaff(actor));

    const table = readTable(decodeCsv(body, charset), format.columns);
    const codes = table.rows.map((r) => r.cells.creditCode.toUpperCase());
    const validated = format.validate(table.rows, await this.context(zone.id, codes), table.problems);
    if (validated.problems.length) throw rowsInvalid(validated.problems, validated.badRows);
    if (validated.reports.length === 0) throw DomainError.rule('IMPORT_EMPTY', 'body', 'The file has a header but no data rows');

    const summary = {
      importId: randomUUID(),
      kind,
      zoneId: zone.id,
      serviceDate,
      rows: table.rows.length,
      organizations: validated.reports.length,
      versionsCreated: validated.reports.length,
      late,
    };
    const fileSha256 = createHash('sha256').update(body).digest('hex');
    const { reposted } = await this.ledger.appendMany(
      kind,
      actor,
      { zoneId: zone.id, serviceDate, submittedAt: now, late, reports: validated.reports },
      { entityId: summary.importId, after: { ...summary, fileSha256, bytes: body.length } },
    );
    return { ...summary, reposted };
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
