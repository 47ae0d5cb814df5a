import { Injectable } from '@nestjs/common';
import { reportCutoff } from '#domain';
import { CatalogueStore, ReportLedger, type LatestCapacity, type LatestDemand } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { ZonesService } from '../zones/zones.service.js';
import type { DaySummaryView, ProductDayView } from './day-summary.views.js';

const MISSING_LIST_LIMIT = 500;

/** Needs per product of the latest demand reports, split into derived (headcount × norm − stock) and stated. */
function demandTotals(reports: readonly LatestDemand[]): Map<string, { derived: number; stated: number }> {
  const totals = new Map<string, { derived: number; stated: number }>();
  for (const report of reports) {
    for (const line of report.lines) {
      const total = totals.get(line.productCode) ?? { derived: 0, stated: 0 };
      if (line.statedQuantity === null) total.derived += line.need;
      else total.stated += line.need;
      totals.set(line.productCode, total);
    }
  }
  return totals;
}

function capacityTotals(reports: readonly LatestCapacity[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const report of reports) for (const line of report.lines) totals.set(line.productCode, (totals.get(line.productCode) ?? 0) + line.quantity);
  return totals;
}

/** A zone's day at a glance: demand versus capacity per product, and who has not reported. */
@Injectable()
export class DaySummaryService {
  constructor(
    private readonly ledger: ReportLedger,
    private readonly catalogue: CatalogueStore,
    private readonly zones: ZonesService,
  ) {}

  async summary(actor: Principal, zoneId: string, serviceDate: string): Promise<DaySummaryView> {
    const zone = await this.zones.get(actor, zoneId);
    const [products, demandReports, capacityReports, enterprises, suppliers] = await Promise.all([
      this.catalogue.products(zoneId),
      this.ledger.latestInZone('demand', zoneId, serviceDate),
      this.ledger.latestInZone('capacity', zoneId, serviceDate),
      this.ledger.reportingStatus('demand', zoneId, serviceDate, MISSING_LIST_LIMIT),
      this.ledger.reportingStatus('capacity', zoneId, serviceDate, MISSING_LIST_LIMIT),
    ]);
    const demand = demandTotals(demandReports);
    const capacity = capacityTotals(capacityReports);
    return {
      zoneId,
      serviceDate,
      cutoffAt: reportCutoff(serviceDate, zone.cutoffTime, zone.timeZone),
      timeZone: zone.timeZone,
      headcount: demandReports.reduce((sum, r) => sum + r.headcount, 0),
      products: products.map((p): ProductDayView => {
        const derivedDemand = demand.get(p.code)?.derived ?? 0;
        const statedDemand = demand.get(p.code)?.stated ?? 0;
        const totalDemand = derivedDemand + statedDemand;
        const cap = capacity.get(p.code) ?? 0;
        return {
          productCode: p.code,
          nameZh: p.nameZh,
          unit: p.unit,
          derivedDemand,
          statedDemand,
          totalDemand,
          capacity: cap,
          balance: cap - totalDemand,
          coverage: totalDemand === 0 ? null : Math.min(1, cap / totalDemand),
        };
      }),
      enterprises: { ...enterprises, missingCount: enterprises.registered - enterprises.reported },
      suppliers: { ...suppliers, missingCount: suppliers.registered - suppliers.reported },
    };
  }
}
