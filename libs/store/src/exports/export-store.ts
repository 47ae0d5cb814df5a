import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Organization } from '../entities/organization.entity.js';

/** One allocation line of a run with who collects it, where, when and with which code. */
export interface ScheduleExportRow {
  enterprise_name: string;
  credit_code: string;
  supplier_name: string;
  site: string;
  slot_start: Date | null;
  slot_end: Date | null;
  product_code: string;
  name_zh: string | null;
  unit: string | null;
  units: number;
  packs: number;
  pickup_code: string | null;
}

export type EnterpriseIdentity = Pick<Organization, 'id' | 'name' | 'creditCode' | 'priorityCategory'>;

/** The reads behind coordinators' spreadsheets of a run. */
@Injectable()
export class ExportStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Every line of the run with its pickup, by enterprise, slot, supplier and product. */
  scheduleRows(runId: string, zoneId: string): Promise<ScheduleExportRow[]> {
    return this.dataSource.query(
      `SELECT e.name AS enterprise_name, e.credit_code, s.name AS supplier_name, coalesce(s.pickup_site_address, s.address) AS site,
              a.slot_start, a.slot_end, l.product_code, p.name_zh, p.unit, l.units, l.packs, a.pickup_code
         FROM allocation_lines l
         JOIN organizations e ON e.id = l.enterprise_id
         JOIN organizations s ON s.id = l.supplier_id
         LEFT JOIN pickup_appointments a ON a.run_id = l.run_id AND a.enterprise_id = l.enterprise_id AND a.supplier_id = l.supplier_id
         LEFT JOIN products p ON p.zone_id = $2 AND p.code = l.product_code
        WHERE l.run_id = $1
        ORDER BY e.name, e.credit_code, a.slot_start NULLS LAST, s.name, l.product_code, l.id`,
      [runId, zoneId],
    );
  }

  /** Name, credit code and category of each enterprise named (a shortage report lists thousands: only these columns). */
  async enterpriseIdentities(ids: readonly string[]): Promise<Map<string, EnterpriseIdentity>> {
    if (!ids.length) return new Map();
    const orgs = await this.dataSource
      .getRepository(Organization)
      .createQueryBuilder('o')
      .select(['o.id', 'o.name', 'o.creditCode', 'o.priorityCategory'])
      .where('o.id = ANY(:ids)', { ids: [...new Set(ids)] })
      .getMany();
    return new Map(orgs.map((o) => [o.id, o]));
  }
}
