import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, OrganizationKind } from '#domain';
import { DemandReport, Zone, type DemandLine } from '#store';
import { AuditService } from '../common/audit.service.js';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '#domain';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { PostDemandDto } from './dto/post-demand.dto.js';
import { needFor } from './need.js';
import { allVersions, latestPerDate } from './report-history.js';
import { ReportingRules } from './reporting-rules.js';

@Injectable()
export class DemandService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly organizations: OrganizationsService,
    private readonly rules: ReportingRules,
    private readonly clock: Clock,
  ) {}

  /** Posts (or reposts, as a new version) an enterprise's demand for a service date. */
  async post(actor: Principal, enterpriseId: string, dto: PostDemandDto): Promise<DemandReport> {
    const enterprise = await this.organizations.get(actor, enterpriseId, OrganizationKind.Enterprise);
    // Every check before the transaction: the zone and catalogue come from a cache whose loads take
    // their own pool connection, which a transaction holding one must never wait for.
    const zone = await this.rules.zone(enterprise.zoneId);
    const { late } = this.rules.checkWindow(actor, zone, dto.serviceDate, 'DEMAND_AFTER_CUTOFF');
    if (dto.headcount > (enterprise.registeredEmployees ?? 0)) {
      throw DomainError.rule(
        'HEADCOUNT_ABOVE_REGISTERED',
        'headcount',
        `Headcount ${dto.headcount} exceeds the ${enterprise.registeredEmployees} registered employees`,
      );
    }
    const products = await this.rules.resolveProducts(zone.id, dto.lines.map((l) => l.productCode));
    const lines: DemandLine[] = dto.lines.map((line, i) => ({
      productId: products[i].id,
      productCode: products[i].code,
      statedQuantity: line.statedQuantity ?? null,
      stockOnHand: line.stockOnHand ?? 0,
      need: needFor(dto.headcount, products[i], line, `lines[${i}].statedQuantity`),
    }));
    return this.dataSource.transaction(async (m) => {
      const version = await this.rules.nextVersion(m, 'demand_reports', 'enterprise_id', enterprise.id, dto.serviceDate);
      const report = m.create(DemandReport, {
        zoneId: zone.id,
        enterpriseId: enterprise.id,
        serviceDate: dto.serviceDate,
        version,
        headcount: dto.headcount,
        lines,
        submittedBy: actor.userId,
        submittedAt: this.clock.now(),
        late,
      });
      await m.insert(DemandReport, report);
      await this.audit.record(m, actor, { action: 'demand_report.post', entityType: 'demand_report', entityId: report.id, zoneId: zone.id, after: report });
      return report;
    });
  }

  /** The latest version for each service date in the range, newest date first. */
  async latest(actor: Principal, enterpriseId: string, from?: string, to?: string): Promise<DemandReport[]> {
    const enterprise = await this.organizations.get(actor, enterpriseId, OrganizationKind.Enterprise);
    const zone = await this.rules.zone(enterprise.zoneId);
    return latestPerDate(this.dataSource.getRepository(DemandReport), 'enterpriseId', enterprise.id, this.rules.range(zone, from, to));
  }

  /** Every version for one service date, oldest first. */
  async versions(actor: Principal, enterpriseId: string, serviceDate: string): Promise<DemandReport[]> {
    const enterprise = await this.organizations.get(actor, enterpriseId, OrganizationKind.Enterprise);
    return allVersions(this.dataSource.getRepository(DemandReport), 'enterpriseId', enterprise.id, serviceDate);
  }
}
