import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Province } from './province.entity.js';
import { ProvinceNightStatus, type ZoneOutcome } from '#domain';
import type { RunTimings } from './allocation-run.entity.js';


/** A province night's totals over its zones. */
export interface ProvinceTotals {
  zones: number;
  /** Zones per outcome. */
  outcomes: Partial<Record<ZoneOutcome, number>>;
  lines: number;
  unmet: number;
  appointments: number;
  /** The sum of the zones' run times. */
  zoneMs: number;
  slowest: { zoneId: string; totalMs: number } | null;
  /** From the night's start to its summary. */
  wallMs: number;
  /** Zones per worker process. */
  workers: Record<string, number>;
}

/** What one zone's job came to in a province night. */
export interface ProvinceZoneResult {
  zoneId: string;
  runId: string;
  /** The run's status when the summary was taken (draft, failed, superseded…). */
  status: string;
  /** What the child job returned ('written', 'already_done', 'invalid'), or 'failed' with its reason. */
  outcome: ZoneOutcome;
  failureReason?: string;
  lines: number;
  unmet: number;
  appointments: number;
  timings: RunTimings | null;
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
  totals: ProvinceTotals | null;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
