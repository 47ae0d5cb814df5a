import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OrgPoint {
  id: string;
  name: string;
  kind: 'enterprise' | 'supplier';
  lat: number;
  lng: number;
  priorityCategory: string | null;
}

export interface CompactLine {
  enterpriseId: string;
  supplierId: string;
  productCode: string;
  units: number;
  packs: number;
  distanceM: number;
}

export interface ProductExplanationRow {
  productCode: string;
  requested: number;
  need: number;
  claim: number;
  fairShare: number;
  allocated: number;
  roundingCredit: number;
  fillRatio: number;
  short: string[];
}

/**
 * Reads the web console needs in one query each, where the REST resources would take many pages:
 * a run's lines with every organization's name and position (the run page's map and table), an
 * enterprise's explanation in the published run (the "why this much" of its schedule card).
 */
@Injectable()
export class ConsoleReads {
  constructor(private readonly dataSource: DataSource) {}

  async names(userId: string, organizationId: string | null): Promise<{ userName: string; organization: { id: string; name: string; kind: 'enterprise' | 'supplier' } | null }> {
    const [u] = await this.dataSource.query(`SELECT name FROM users WHERE id = $1`, [userId]);
    const [o] = organizationId ? await this.dataSource.query(`SELECT id, name, kind FROM organizations WHERE id = $1`, [organizationId]) : [];
    return { userName: u?.name ?? '', organization: o ? { id: o.id, name: o.name, kind: o.kind } : null };
  }

  async runHeader(runId: string): Promise<{ zoneId: string; status: string } | null> {
    const [r] = await this.dataSource.query(`SELECT zone_id, status FROM allocation_runs WHERE id = $1`, [runId]);
    return r ? { zoneId: r.zone_id, status: r.status } : null;
  }

  async zoneOrganizations(zoneId: string): Promise<OrgPoint[]> {
    const rows = await this.dataSource.query(
      `SELECT id, name, kind, latitude::float8 AS lat, longitude::float8 AS lng, priority_category FROM organizations WHERE zone_id = $1 ORDER BY kind, name`,
      [zoneId],
    );
    return rows.map((r: Record<string, never>) => ({ id: r.id, name: r.name, kind: r.kind, lat: r.lat, lng: r.lng, priorityCategory: r.priority_category }));
  }

  async runLines(runId: string): Promise<CompactLine[]> {
    const rows = await this.dataSource.query(
      `SELECT enterprise_id, supplier_id, product_code, units, packs, distance_m FROM allocation_lines WHERE run_id = $1 ORDER BY enterprise_id, product_code, supplier_id`,
      [runId],
    );
    return rows.map((r: Record<string, never>) => ({ enterpriseId: r.enterprise_id, supplierId: r.supplier_id, productCode: r.product_code, units: r.units, packs: r.packs, distanceM: r.distance_m }));
  }

  /** The enterprise's explanation in the date's published run, or null when nothing is published. */
  async publishedExplanation(zoneId: string, serviceDate: string, enterpriseId: string): Promise<{ runId: string; tier: number | null; products: ProductExplanationRow[] } | null> {
    const [row] = await this.dataSource.query(
      `SELECT r.id, e AS explanation
         FROM allocation_runs r
         LEFT JOIN LATERAL (SELECT x AS e FROM jsonb_array_elements(coalesce(r.explanations->'explanations', '[]'::jsonb)) x WHERE x->>'enterpriseId' = $3 LIMIT 1) ex ON true
        WHERE r.zone_id = $1 AND r.service_date = $2 AND r.status = 'published'`,
      [zoneId, serviceDate, enterpriseId],
    );
    if (!row) return null;
    const e = row.explanation as { tier?: number; products?: ProductExplanationRow[] } | null;
    return { runId: row.id, tier: e?.tier ?? null, products: e?.products ?? [] };
  }
}
