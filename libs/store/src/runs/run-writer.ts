import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { RunStatus, type PickupStatus } from '#domain';
import { AllocationRun, type RunCorrection, type RunTimings } from '../entities/allocation-run.entity.js';
import { Zone } from '../entities/zone.entity.js';
import { claimRun, completeRun, failRun } from './run-lifecycle.js';

/**
 * How lines are written: rows per INSERT statement, and a hook after each chunk of lines that
 * fault-injection tests use to fail a write halfway. Production uses these defaults.
 */
export class WriteHooks {
  /** Rows per INSERT … SELECT FROM unnest(…): one array parameter per column, so no parameter limit applies. */
  chunkSize = 10_000;
  afterLineChunk(_runId: string, _written: number, _total: number): void | Promise<void> {}
}

/** Fault injection for the kill-mid-write test: one line per chunk, then a long pause after the first. */
export class PauseMidWriteHooks extends WriteHooks {
  override chunkSize = 1;
  constructor(private readonly pauseMs: number) {
    super();
  }
  override async afterLineChunk(_runId: string, written: number): Promise<void> {
    if (written === 1) await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
  }
}

export type WriteOutcome = 'written' | 'already_done';

/** What the runner measured before the write, completed by the writer into the run's timings. */
export interface RunClock {
  /** performance.now() when the worker picked the run up. */
  startedAt: number;
  snapshotMs: number;
  worker: string;
}

/** An appointment row as written: a pickup with its slot (null: no free slot), slip, code and gate status. */
export interface IssuedAppointment {
  enterpriseId: string;
  supplierId: string;
  slotStart: Date | null;
  slotEnd: Date | null;
  slipId: string;
  pickupCode: string;
  status: PickupStatus;
  confirmedAt: Date | null;
  confirmedBy: string | null;
}

/** A computed run as rows: what the worker made of the matcher's result, ready to store. */
export interface ComputedRun {
  lines: readonly { enterpriseId: string; supplierId: string; productCode: string; units: number; packs: number; distanceM: number }[];
  unmet: readonly { enterpriseId: string; productCode: string; units: number }[];
  appointments: readonly IssuedAppointment[];
  inputSnapshot: object;
  policy: object;
  figures: object;
  explanations: object;
  /** The correction record to store (for a run of a published date), or undefined to keep the run's own. */
  correction?: RunCorrection | null;
  finishedAt: Date;
  solveMs: number;
}

/**
 * The worker's side of a run: claiming it, then writing the computed run in one transaction (its
 * lines, unmet needs, pickup appointments, figures and snapshot), superseding older drafts of the
 * date. A crash at any point leaves nothing behind, and a second delivery of the same job finds the
 * run done and writes nothing.
 */
@Injectable()
export class RunWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hooks: WriteHooks,
  ) {}

  /** Claims a queued (or lapsed running) run for this worker; null when it is gone or already done. */
  async claim(runId: string, now: Date): Promise<{ run: AllocationRun; zone: Zone } | null> {
    const run = await this.dataSource.getRepository(AllocationRun).findOneBy({ id: runId });
    if (!run || !(await claimRun(this.dataSource.manager, runId, now))) return null;
    const zone = await this.dataSource.getRepository(Zone).findOneByOrFail({ id: run.zoneId });
    return { run, zone };
  }

  async writeDraft(runId: string, computed: ComputedRun, clock?: RunClock): Promise<WriteOutcome> {
    const writeStarted = performance.now();
    const { lines, appointments } = computed;
    const unmet = computed.unmet.filter((u) => u.units > 0);
    const outcome = await this.dataSource.transaction(async (m): Promise<WriteOutcome> => {
      const run = await m.findOne(AllocationRun, { where: { id: runId }, lock: { mode: 'pessimistic_write' } });
      if (!run || (run.status !== RunStatus.Queued && run.status !== RunStatus.Running)) return 'already_done';
      await this.insertChunks(
        m,
        `INSERT INTO allocation_lines (run_id, enterprise_id, supplier_id, product_code, units, packs, distance_m)
         SELECT $1::uuid, * FROM unnest($2::uuid[], $3::uuid[], $4::varchar[], $5::int[], $6::int[], $7::int[])`,
        runId,
        lines.length,
        (from, to) => {
          const chunk = lines.slice(from, to);
          return [chunk.map((l) => l.enterpriseId), chunk.map((l) => l.supplierId), chunk.map((l) => l.productCode), chunk.map((l) => l.units), chunk.map((l) => l.packs), chunk.map((l) => l.distanceM)];
        },
        (written) => this.hooks.afterLineChunk(runId, written, lines.length),
      );
      await this.insertChunks(
        m,
        `INSERT INTO unmet_needs (run_id, enterprise_id, product_code, units) SELECT $1::uuid, * FROM unnest($2::uuid[], $3::varchar[], $4::int[])`,
        runId,
        unmet.length,
        (from, to) => {
          const chunk = unmet.slice(from, to);
          return [chunk.map((u) => u.enterpriseId), chunk.map((u) => u.productCode), chunk.map((u) => u.units)];
        },
      );
      await this.insertChunks(
        m,
        `INSERT INTO pickup_appointments (run_id, enterprise_id, supplier_id, slot_start, slot_end, slip_id, pickup_code, status, confirmed_at, confirmed_by)
         SELECT $1::uuid, * FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[], $5::timestamptz[], $6::uuid[], $7::varchar[], $8::pickup_status[], $9::timestamptz[], $10::uuid[])`,
        runId,
        appointments.length,
        (from, to) => {
          const chunk = appointments.slice(from, to);
          return [
            chunk.map((a) => a.enterpriseId),
            chunk.map((a) => a.supplierId),
            chunk.map((a) => a.slotStart),
            chunk.map((a) => a.slotEnd),
            chunk.map((a) => a.slipId),
            chunk.map((a) => a.pickupCode),
            chunk.map((a) => a.status),
            chunk.map((a) => a.confirmedAt),
            chunk.map((a) => a.confirmedBy),
          ];
        },
      );
      await completeRun(m, run, {
        inputSnapshot: computed.inputSnapshot,
        policy: computed.policy,
        figures: computed.figures,
        explanations: computed.explanations,
        correction: computed.correction === undefined ? run.correction : computed.correction,
        finishedAt: computed.finishedAt,
        solveMs: computed.solveMs,
        failureReason: null,
      });
      return 'written';
    });
    if (outcome === 'written' && clock) {
      // After the commit, so the write time includes it and the run's own row (its snapshot and
      // explanations are most of the bytes). Not in the transaction: updating the run's row a
      // second time there would re-check its zone's foreign key, taking a late lock on zones.
      // Diagnostic only: a crash right here leaves a written run without timings.
      const finished = performance.now();
      const timings: RunTimings = {
        snapshotMs: clock.snapshotMs,
        solveMs: computed.solveMs,
        writeMs: Math.round(finished - writeStarted),
        totalMs: Math.round(finished - clock.startedAt),
        rows: { lines: lines.length, unmet: unmet.length, appointments: appointments.length },
        worker: clock.worker,
        maxRssKb: process.resourceUsage().maxRSS,
      };
      await this.dataSource.query('UPDATE allocation_runs SET timings = $2 WHERE id = $1', [runId, JSON.stringify(timings)]);
    }
    return outcome;
  }

  /** Marks the run failed with a reason (and the input it was refused on, if any), unless it already finished. */
  markFailed(runId: string, reason: string, now: Date, inputSnapshot?: object): Promise<boolean> {
    return failRun(this.dataSource.manager, runId, reason, now, inputSnapshot ? { inputSnapshot } : {});
  }

  /**
   * Inserts `total` rows in statements of `chunkSize` rows, each column one typed array parameter
   * (INSERT … SELECT FROM unnest): one round trip and one plan per chunk instead of per row, and
   * none of the 65,535-parameter limit of a VALUES list. No RETURNING: nothing reads the ids back.
   */
  private async insertChunks(
    m: EntityManager,
    sql: string,
    runId: string,
    total: number,
    columns: (from: number, to: number) => unknown[][],
    afterChunk?: (written: number) => void | Promise<void>,
  ): Promise<void> {
    const size = this.hooks.chunkSize;
    for (let i = 0; i < total; i += size) {
      const to = Math.min(total, i + size);
      await m.query(sql, [runId, ...columns(i, to)]);
      await afterChunk?.(to);
    }
  }
}
