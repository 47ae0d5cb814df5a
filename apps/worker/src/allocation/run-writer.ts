import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';
import { RunStatus } from '#domain';
import { AllocationRun, completeRun, failRun, type RunCorrection, type RunTimings, type Zone } from '#store';
import type { Problem, Result } from '#matching';
import type { RunInputs } from './run-snapshot.js';
import { issueSlips } from './slips.js';

/** A run of a published date that nobody asked a mode for (the nightly run, a new start): a minimal correction. */
const DEFAULT_CORRECTION: RunCorrection = { mode: 'minimal', named: { supplierIds: [], enterpriseIds: [] } };

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

/**
 * Writes a computed run in one transaction: its lines, unmet needs, pickup appointments (with
 * codes), figures and snapshot, then supersedes older drafts of the date. A crash at any point
 * leaves nothing behind, and a second delivery of the same job finds the run done and writes nothing.
 */
@Injectable()
export class RunWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hooks: WriteHooks,
  ) {}

  async writeDraft(
    zone: Zone,
    runId: string,
    inputs: RunInputs,
    result: Result,
    extra: { policy: object; solveMs: number; now: Date; clock?: RunClock; correction?: Partial<RunCorrection> },
  ): Promise<WriteOutcome> {
    const writeStarted = performance.now();
    let rows: RunTimings['rows'] = { lines: 0, unmet: 0, appointments: 0 };
    const outcome = await this.dataSource.transaction(async (m): Promise<WriteOutcome> => {
      const run = await m.findOne(AllocationRun, { where: { id: runId }, lock: { mode: 'pessimistic_write' } });
      if (!run || (run.status !== RunStatus.Queued && run.status !== RunStatus.Running)) return 'already_done';
      const { problem } = inputs;
      const lines = result.lines;
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
      const unmet = result.unmet.filter((u) => u.units > 0);
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
      // Slot instants are exact durations after local midnight, as luxon's plus({ minutes }) computes them.
      const dayStartMs = DateTime.fromISO(run.serviceDate, { zone: zone.timeZone }).startOf('day').toMillis();
      const at = (minute: number) => new Date(dayStartMs + minute * 60_000);
      const planned = [
        ...result.appointments.map((a) => ({ enterpriseId: a.enterpriseId, supplierId: a.supplierId, slotStart: at(a.startMinute) as Date | null, slotEnd: at(a.endMinute) as Date | null })),
        // A pickup without a free slot still gets a code; its slot is left for the coordinator to arrange.
        ...result.unslotted.map((u) => ({ enterpriseId: u.enterpriseId, supplierId: u.supplierId, slotStart: null, slotEnd: null })),
      ];
      const { appointments, changes } = issueSlips(planned, lines, inputs.published);
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
        inputSnapshot: problem,
        policy: extra.policy,
        figures: result.figures,
        explanations: { explanations: result.explanations, unslotted: result.unslotted, reasons: result.reasons, overrideCuts: inputs.overrideCuts },
        correction: inputs.published ? { ...(run.correction ?? DEFAULT_CORRECTION), ...extra.correction, basedOnRunId: inputs.published.runId, changes } : run.correction,
        finishedAt: extra.now,
        solveMs: extra.solveMs,
        failureReason: null,
      });
      rows = { lines: lines.length, unmet: unmet.length, appointments: appointments.length };
      return 'written';
    });
    if (outcome === 'written' && extra.clock) {
      // After the commit, so the write time includes it and the run's own row (its snapshot and
      // explanations are most of the bytes). Not in the transaction: updating the run's row a
      // second time there would re-check its zone's foreign key, taking a late lock on zones.
      // Diagnostic only: a crash right here leaves a written run without timings.
      const finished = performance.now();
      const timings: RunTimings = {
        snapshotMs: extra.clock.snapshotMs,
        solveMs: extra.solveMs,
        writeMs: Math.round(finished - writeStarted),
        totalMs: Math.round(finished - extra.clock.startedAt),
        rows,
        worker: extra.clock.worker,
        maxRssKb: process.resourceUsage().maxRSS,
      };
      await this.dataSource.query('UPDATE allocation_runs SET timings = $2 WHERE id = $1', [runId, JSON.stringify(timings)]);
    }
    return outcome;
  }

  /** Marks the run failed with a reason (and the input it was refused on, if any), unless it already finished. */
  async markFailed(runId: string, reason: string, now: Date, inputSnapshot?: Problem): Promise<boolean> {
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
