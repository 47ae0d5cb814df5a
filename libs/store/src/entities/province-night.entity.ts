import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Province } from './province.entity.js';
import { ProvinceNightStatus } from '#domain';


/** What one zone's job came to in a province night. */
export interface ProvinceZoneResult {
  zoneId: string;
  runId: string;
  /** The run's status when the summary was taken (draft, failed, superseded…). */
  status: string;
  /** What the child job returned ('written', 'already_done', 'invalid'), or 'failed' with its reason. */
  outcome: string;
  failureReason?: string;
  lines: number;
  unmet: number;
  appointments: number;
  timings: object | null;
}

/** One province's night for a service date: the zone runs it started and, once all are done, their summary. */
@Entity('province_nights')
@Index(['provinceId', 'serviceDate'], { unique: true })
export class ProvinceNight {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  provinceId: string;

  @ManyToOne(() => Province, { onDelete: 'CASCADE' })
  province?: Relation<Province>;

  @Column({ type: 'date' })
  serviceDate: string;

  @Column({ type: 'enum', enum: ProvinceNightStatus, enumName: 'province_night_status', default: ProvinceNightStatus.Running })
  status: ProvinceNightStatus;

  /** Zone → run started for it, as the flow's children were built. */
  @Column({ type: 'jsonb' })
  runs: { zoneId: string; runId: string }[];

  /** Per-zone results, in zone order; null until the summary is recorded. */
  @Column({ type: 'jsonb', nullable: true })
  zoneResults: ProvinceZoneResult[] | null;

  /** Province totals: zones by outcome, rows written, slowest zone, wall time. */
  @Column({ type: 'jsonb', nullable: true })
  totals: object | null;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
