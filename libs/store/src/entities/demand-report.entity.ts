import { Column, Entity, Index, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { Organization } from './organization.entity.js';
import { ReportVersion } from './report-version.js';

export interface DemandLine {
  productId: string;
  productCode: string;
  /** What the enterprise asked for, or null to use headcount × norm − stock. */
  statedQuantity: number | null;
  stockOnHand: number;
  /** The need allocation uses: the stated quantity, or max(0, ceil(headcount × norm) − stock). */
  need: number;
}

/** One version of an enterprise's demand for a service date (see ReportVersion). */
@Entity('demand_reports')
@Index(['enterpriseId', 'serviceDate', 'version'], { unique: true })
@Index(['zoneId', 'serviceDate', 'enterpriseId', 'version'])
export class DemandReport extends ReportVersion {
  @Column({ type: 'uuid' })
  enterpriseId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  enterprise?: Relation<Organization>;

  @Column({ type: 'integer' })
  headcount: number;

  @Column({ type: 'jsonb' })
  lines: DemandLine[];
}
