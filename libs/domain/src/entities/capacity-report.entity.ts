import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Organization } from './organization.entity.js';

export interface CapacityLine {
  productId: string;
  productCode: string;
  /** Units the supplier releases for allocation on the service date. */
  quantity: number;
}

/** One version of a supplier's capacity for a service date; a repost adds a version, the latest counts. */
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

  @Column({ type: 'date' })
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
