import { Column, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What every version of a report has, demand or capacity: a repost adds a version, the latest
 * counts. The tables are partitioned by range of service date (migrations/*-PartitionReports.ts),
 * so the partition key is part of the primary key. Each kind adds its organization and its lines.
 */
export abstract class ReportVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  zoneId: string;

  /** Zone-local calendar date YYYY-MM-DD; the partition key. */
  @PrimaryColumn({ type: 'date' })
  serviceDate: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'uuid' })
  submittedBy: string;

  @Column({ type: 'timestamptz' })
  submittedAt: Date;

  /** Posted by a coordinator after the cutoff. */
  @Column({ type: 'boolean', default: false })
  late: boolean;
}
