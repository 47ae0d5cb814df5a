import { Column, Entity, Index, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Organization } from './organization.entity.js';

export interface DemandLine {
  productId: string;
  productCode: string;
  /** What the enterprise asked for, or null to use headcount × norm − stock. */
  statedQuantity: number | null;
  stockOnHand: number;
  /** The need allocation uses: the stated quantity, or max(0, ceil(headcount × norm) − stock). */
  need: number;
}

/**
 * One version of an enterprise's demand for a service date; a repost adds a version, the latest counts.
 * The table is partitioned by range of service date (migrations/*-PartitionReports.ts), so the
 * partition key is part of the primary key.
 */
@Entity('demand_reports')
@Index(['enterpriseId', 'serviceDate', 'version'], { unique: true })
@Index(['zoneId', 'serviceDate', 'enterpriseId', 'version'])
export class DemandReport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  zoneId: string;

  @Column({ type: 'uuid' })
  enterpriseId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT' })
  enterprise?: Relation<Organization>;

  /** Zone-local calendar date YYYY-MM-DD; the partition key. */
  @PrimaryColumn({ type: 'date' })
  serviceDate: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'integer' })
  headcount: number;

  @Column({ type: 'jsonb' })
  lines: DemandLine[];

  @Column({ type: 'uuid' })
  submittedBy: string;

  @Column({ type: 'timestamptz' })
  submittedAt: Date;

  /** Posted by a coordinator after the cutoff. */
  @Column({ type: 'boolean', default: false })
  late: boolean;
}
