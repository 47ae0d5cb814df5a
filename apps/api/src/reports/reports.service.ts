import { Injectable } from '@nestjs/common';
import { checkHeadcount, checkReportingWindow, Clock, needFor, REPORT_KINDS, reportRange, type ReportKindName } from '#domain';
import { ReportLedger, type Organization, type Product, type ReportContent, type StoredReport } from '#store';
import { isStaff, type Principal } from '../common/auth/principal.js';
import { readPage, type Page, type PageQuery } from '../common/pagination.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { PostCapacityDto } from './dto/post-capacity.dto.js';
import type { PostDemandDto } from './dto/post-demand.dto.js';
import type { ReportRangeQuery } from './dto/report-range.query.js';
import { ReportingRules } from './reporting-rules.js';

/** The body a poster sends for each kind of report. */
export interface PostReportDtos {
  demand: PostDemandDto;
  capacity: PostCapacityDto;
}

/** What a report of each kind states, from the checked body and its lines' products (in the body's order). */
const CONTENT: { [K in ReportKindName]: (dto: PostReportDtos[K], products: Product[], org: Organization) => ReportContent<K> } = {
  demand: (dto, products, enterprise) => {
    checkHeadcount(dto.headcount, enterprise.registeredEmployees, 'headcount');
    const lines = dto.lines.map((line, i) => ({
      productId: products[i].id,
      productCode: products[i].code,
      statedQuantity: line.statedQuantity ?? null,
      stockOnHand: line.stockOnHand ?? 0,
      need: needFor(dto.headcount, products[i], line, `lines[${i}].statedQuantity`),
    }));
    return { headcount: dto.headcount, lines };
  },
  capacity: (dto, products) => ({ lines: dto.lines.map((line, i) => ({ productId: products[i].id, productCode: products[i].code, quantity: line.quantity })) }),
};

/**
 * Demand (enterprises) and capacity (suppliers) reports: the same rules over two kinds. A post is
 * checked in full here (access, reporting window, catalogue, headcount and need) and appended to the
 * ledger in one round trip; reads go to the ledger once the caller may see the organization.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly ledger: ReportLedger,
    private readonly organizations: OrganizationsService,
    private readonly rules: ReportingRules,
    private readonly clock: Clock,
  ) {}

  /** Posts (or reposts, as a new version) an organization's report for a service date. */
  async post<K extends ReportKindName>(kind: K, actor: Principal, organizationId: string, dto: PostReportDtos[K]): Promise<StoredReport<K>> {
    const org = await this.organizations.getForReport(actor, organizationId, REPORT_KINDS[kind].organizationKind);
    const zone = await this.rules.zone(org.zoneId);
    const now = this.clock.now();
    const { late } = checkReportingWindow(now, zone, dto.serviceDate, REPORT_KINDS[kind], isStaff(actor));
    const products = await this.rules.resolveProducts(zone.id, dto.lines.map((l) => l.productCode));
    const content = CONTENT[kind](dto, products, org);
    return this.ledger.append(kind, actor, { organizationId: org.id, zoneId: zone.id, serviceDate: dto.serviceDate, content, submittedAt: now, late });
  }

  /** One page of the latest version for each service date in the range, newest date first. */
  async latest<K extends ReportKindName>(kind: K, actor: Principal, organizationId: string, q: ReportRangeQuery): Promise<Page<StoredReport<K>>> {
    const org = await this.organizations.get(actor, organizationId, REPORT_KINDS[kind].organizationKind);
    const zone = await this.rules.zone(org.zoneId);
    const range = reportRange(this.clock.now(), zone, q.from, q.to);
    return readPage(q, (window) => this.ledger.history(kind, org.id, range, window));
  }

  /** One page of the versions of one service date, oldest first. */
  async versions<K extends ReportKindName>(kind: K, actor: Principal, organizationId: string, serviceDate: string, q: PageQuery): Promise<Page<StoredReport<K>>> {
    const org = await this.organizations.get(actor, organizationId, REPORT_KINDS[kind].organizationKind);
    return readPage(q, (window) => this.ledger.versions(kind, org.id, serviceDate, window));
  }
}
