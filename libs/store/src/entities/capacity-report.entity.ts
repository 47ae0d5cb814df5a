import { Column, Entity, Index, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Organization } from './organization.entity.js';

export interface CapacityLine {
  productId: string;
  productCode: string;
  /** Units the supplier releases for allocation on the service date. */
  quantity: number;
}

/**
 * One version of a supplier's capacity for a service date; a repost adds a version, the latest counts.
 * Partitioned by range of service date like demand_reports, so the partition key is part of the primary key.
 */
@Entity('capacity_reports')
@Index(['supplierId', 'serviceDate', 'version'], { unique: true })
@Index(['zoneId', 'serviceDate', 'supplierId', 'version'])
export class CapacityReport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  zoneId: string;

  @Column({ type: 'uuid' })
  supplierId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  supplier?: Relation<Organization>;

  /** Zone-local calendar date YYYY-MM-DD; the partition key. */
  @PrimaryColumn({ type: 'date' })
  serviceDate: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  lines: CapacityLine[];

  @Column({ type: 'uuid' })
  submittedBy: string;

  @Column({ type: 'timestamptz' })
  submittedAt: Date;

  @Column({ type: 'boolean', default: false })
  late: boolean;
}
