import { Column, Entity, Index, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Organization } from './organization.entity.js';
import { ReportVersion } from './report-version.js';

export interface CapacityLine {
  productId: string;
  productCode: string;
  /** Units the supplier releases for allocation on the service date. */
  quantity: number;
}

/** One version of a supplier's capacity for a service date (see ReportVersion). */
@Entity('capacity_reports')
@Index(['supplierId', 'serviceDate', 'version'], { unique: true })
@Index(['zoneId', 'serviceDate', 'supplierId', 'version'])
export class CapacityReport extends ReportVersion {
  @Column({ type: 'uuid' })
  supplierId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  supplier?: Relation<Organization>;

  @Column({ type: 'jsonb' })
  lines: CapacityLine[];
}
