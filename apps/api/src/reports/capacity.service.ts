import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrganizationKind } from '#domain';
import { CapacityReport, Zone, type CapacityLine } from '#store';
import { AuditService } from '../common/audit.service.js';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '#domain';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { PostCapacityDto } from './dto/post-capacity.dto.js';
import { allVersions, latestPerDate } from './report-history.js';
import { ReportingRules } from './reporting-rules.js';

@Injectable()
export class CapacityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly organizations: OrganizationsService,
    private readonly rules: ReportingRules,
    private readonly clock: Clock,
  ) {}

  /** Posts (or reposts, as a new version) a supplier's releasable capacity for a service date. */
  async post(actor: Principal, supplierId: string, dto: PostCapacityDto): Promise<CapacityReport> {
    const supplier = await this.organizations.get(actor, supplierId, OrganizationKind.Supplier);
    // Checks before the transaction (see DemandService.post).
    const zone = await this.rules.zone(supplier.zoneId);
    const { late } = this.rules.checkWindow(actor, zone, dto.serviceDate, 'CAPACITY_AFTER_CUTOFF');
    const products = await this.rules.resolveProducts(zone.id, dto.lines.map((l) => l.productCode));
    const lines: CapacityLine[] = dto.lines.map((line, i) => ({ productId: products[i].id, productCode: products[i].code, quantity: line.quantity }));
    return this.dataSource.transaction(async (m) => {
      const version = await this.rules.nextVersion(m, 'capacity_reports', 'supplier_id', supplier.id, dto.serviceDate);
      const report = m.create(CapacityReport, {
        zoneId: zone.id,
        supplierId: supplier.id,
        serviceDate: dto.serviceDate,
        version,
        lines,
        submittedBy: actor.userId,
        submittedAt: this.clock.now(),
        late,
      });
      await m.insert(CapacityReport, report);
      await this.audit.record(m, actor, { action: 'capacity_report.post', entityType: 'capacity_report', entityId: report.id, zoneId: zone.id, after: report });
      return report;
    });
  }

  async latest(actor: Principal, supplierId: string, from?: string, to?: string): Promise<CapacityReport[]> {
    const supplier = await this.organizations.get(actor, supplierId, OrganizationKind.Supplier);
    const zone = await this.rules.zone(supplier.zoneId);
    return latestPerDate(this.dataSource.getRepository(CapacityReport), 'supplierId', supplier.id, this.rules.range(zone, from, to));
  }

  async versions(actor: Principal, supplierId: string, serviceDate: string): Promise<CapacityReport[]> {
    const supplier = await this.organizations.get(actor, supplierId, OrganizationKind.Supplier);
    return allVersions(this.dataSource.getRepository(CapacityReport), 'supplierId', supplier.id, serviceDate);
  }
}
