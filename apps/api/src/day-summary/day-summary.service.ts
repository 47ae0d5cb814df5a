import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { reportCutoff } from '#domain';
import { Product } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { ZonesService } from '../zones/zones.service.js';
import type { DaySummaryView, MissingReporterView, ProductDayView, ReportingStatusView } from './day-summary.views.js';

const MISSING_LIST_LIMIT = 500;

interface ProductTotalsRow {
  product_code: string;
  derived: string;
  stated: string;
}

/** A zone's day at a glance: demand versus capacity per product, and who has not reported. */
@Injectable()
export class DaySummaryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly zones: ZonesService,
  ) {}

  async summary(actor: Principal, zoneId: string, serviceDate: string): Promise<DaySummaryView> {
    const zone = await this.zones.get(actor, zoneId);
    const q = (sql: string, params: unknown[]) => this.dataSource.query(sql, params);
    const latestDemand = `SELECT DISTINCT ON (enterprise_id) * FROM demand_reports
                           WHERE zone_id = $1 AND service_date = $2 ORDER BY enterprise_id, version DESC`;
    const latestCapacity = `SELECT DISTINCT ON (supplier_id) * FROM capacity_reports
                             WHERE zone_id = $1 AND service_date = $2 ORDER BY supplier_id, version DESC`;
    const [products, demandRows, capacityRows, headcountRows, enterprises, suppliers] = await Promise.all([
      this.dataSource.getRepository(Product).find({ where: { zoneId }, order: { code: 'ASC' } }),
      q(
        `SELECT l."productCode" AS product_code,
                coalesce(sum(l.need) FILTER (WHERE l."statedQuantity" IS NULL), 0) AS derived,
                coalesce(sum(l.need) FILTER (WHERE l."statedQuantity" IS NOT NULL), 0) AS stated
           FROM (${latestDemand}) d,
                jsonb_to_recordset(d.lines) AS l("productCode" text, need bigint, "statedQuantity" bigint)
          GROUP BY l."productCode"`,
        [zoneId, serviceDate],
      ) as Promise<ProductTotalsRow[]>,
      q(
        `SELECT l."productCode" AS product_code, sum(l.quantity) AS quantity
           FROM (${latestCapacity}) c, jsonb_to_recordset(c.lines) AS l("productCode" text, quantity bigint)
          GROUP BY l."productCode"`,
        [zoneId, serviceDate],
      ) as Promise<{ product_code: string; quantity: string }[]>,
      q(`SELECT coalesce(sum(headcount), 0) AS headcount FROM (${latestDemand}) d`, [zoneId, serviceDate]) as Promise<{ headcount: string }[]>,
      this.reportingStatus('enterprise', 'demand_reports', 'enterprise_id', zoneId, serviceDate),
      this.reportingStatus('supplier', 'capacity_reports', 'supplier_id', zoneId, serviceDate),
    ]);
    const demand = new Map(demandRows.map((r) => [r.product_code, r]));
    const capacity = new Map(capacityRows.map((r) => [r.product_code, Number(r.quantity)]));
    return {
      zoneId,
      serviceDate,
      cutoffAt: reportCutoff(serviceDate, zone.cutoffTime, zone.timeZone),
      headcount: Number(headcountRows[0].headcount),
      products: products.map((p): ProductDayView => {
        const derivedDemand = Number(demand.get(p.code)?.derived ?? 0);
        const statedDemand = Number(demand.get(p.code)?.stated ?? 0);
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
      enterprises,
      suppliers,
    };
  }

  private async reportingStatus(kind: string, table: string, orgColumn: string, zoneId: string, serviceDate: string): Promise<ReportingStatusView> {
    const [counts] = await this.dataSource.query(
      `SELECT count(*) AS registered,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ${table} r WHERE r.${orgColumn} = o.id AND r.service_date = $3)) AS reported
         FROM organizations o WHERE o.zone_id = $1 AND o.kind = $2`,
      [zoneId, kind, serviceDate],
    );
    const missing: MissingReporterView[] = await this.dataSource.query(
      `SELECT o.id, o.name, o.priority_category AS "priorityCategory"
         FROM organizations o
        WHERE o.zone_id = $1 AND o.kind = $2
          AND NOT EXISTS (SELECT 1 FROM ${table} r WHERE r.${orgColumn} = o.id AND r.service_date = $3)
        ORDER BY o.name, o.id LIMIT ${MISSING_LIST_LIMIT}`,
      [zoneId, kind, serviceDate],
    );
    const registered = Number(counts.registered);
    const reported = Number(counts.reported);
    return { registered, reported, missingCount: registered - reported, missing };
  }
}
