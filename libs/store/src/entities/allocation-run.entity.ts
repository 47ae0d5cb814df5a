import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { Zone } from './zone.entity.js';
import { RunStatus, RunTrigger } from '#domain';



/**
 * A run of a date that already has a published schedule corrects it. The coordinator asks for a
 * mode and may name organizations to re-plan; the worker records what it based the run on and
 * how many schedules change.
 */
export interface RunCorrection {
  /** minimal: re-plan only what changed (and what is named); full: re-plan the whole date. Confirmed pickups stay facts either way. */
  mode: 'minimal' | 'full';
  /** Makers and enterprises the coordinator names for re-planning, besides those whose reports changed. */
  named: { supplierIds: string[]; enterpriseIds: string[] };
  /** The published run this one corrects, as the worker found it (null: nothing was published when it ran). */
  basedOnRunId?: string | null;
  /** Who the worker re-planned (minimal mode). */
  touched?: { supplierIds: string[]; enterpriseIds: string[] };
  /** Why the correction re-planned something nobody named (a maker's appointments no longer fit, a pin it could not keep). */
  notes?: string[];
  /** Appointments against the published run: unchanged (same code), changed (new code), cancelled, new. */
  changes?: { kept: number; changed: number; cancelled: number; new: number };
}

/** Phase timings of a computed run, recorded by the worker that wrote it. */
export interface RunTimings {
  snapshotMs: number;
  solveMs: number;
  /** The write transaction, from its first statement to its commit. */
  writeMs: number;
  /** From the worker picking the run up to the write's commit. */
  totalMs: number;
  rows: { lines: number; unmet: number; appointments: number };
  /** The worker process (host, pid and instance) that computed the run. */
  worker: string;
  /** Peak resident set size of that worker process so far, in KiB (process.resourceUsage().maxRSS). */
  maxRssKb: number;
}

/**
 * One allocation run for (zone, service date): queued → running → draft → published, or failed;
 * a newer draft supersedes older drafts, and a newly published run supersedes the published one.
 */
@Entity('allocation_runs')
@Index(['zoneId', 'serviceDate', 'sequence'], { unique: true })
// At most one published run per zone and date, enforced by the database.
@Index('uq_allocation_runs_published', ['zoneId', 'serviceDate'], { unique: true, where: `"status" = 'published'` })
// The nightly scheduler creates at most one run per zone and date, however often its job is delivered.
@Index('uq_allocation_runs_scheduled', ['zoneId', 'serviceDate'], { unique: true, where: `"trigger" = 'schedule'` })
export class AllocationRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  zoneId: string;

  @ManyToOne(() => Zone, { onDelete: 'RESTRICT' })
  zone?: Relation<Zone>;

  @Column({ type: 'date' })
  serviceDate: string;

  /** 1, 2, 3… per zone and date, in order of creation. */
  @Column({ type: 'integer' })
  sequence: number;

  @Column({ type: 'enum', enum: RunStatus, enumName: 'run_status' })
  status: RunStatus;

  @Column({ type: 'enum', enum: RunTrigger, enumName: 'run_trigger' })
  trigger: RunTrigger;

  /** The user who started it; null for the scheduler. */
  @Column({ type: 'uuid', nullable: true })
  startedBy: string | null;

  /** The run this one re-runs, keeping its overrides. */
  @Column({ type: 'uuid', nullable: true })
  parentRunId: string | null;

  /** Set on a correction of a published date: mode requested, base run and changes found. */
  @Column({ type: 'jsonb', nullable: true })
  correction: RunCorrection | null;

  /** Optimistic-concurrency version, exposed as the ETag. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  /** The matcher's input as solved, so the run can be replayed byte for byte. */
  @Column({ type: 'jsonb', nullable: true })
  inputSnapshot: object | null;

  /** Algorithm options used (deficit cap, candidate arcs, deficit memory). */
  @Column({ type: 'jsonb', nullable: true })
  policy: object | null;

  @Column({ type: 'jsonb', nullable: true })
  figures: object | null;

  /** Per-enterprise explanations (tier, fair share, why short) and unslotted pickups. */
  @Column({ type: 'jsonb', nullable: true })
  explanations: object | null;

  @Column({ type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz' })
  queuedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'integer', nullable: true })
  solveMs: number | null;

  /** Where the run's time went (snapshot read, solve, write, ms), rows written, the worker and its peak RSS. */
  @Column({ type: 'jsonb', nullable: true })
  timings: RunTimings | null;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /** Null when the zone's auto-publish time published it. */
  @Column({ type: 'uuid', nullable: true })
  publishedBy: string | null;
}
