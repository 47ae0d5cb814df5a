import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource, In, type EntityManager } from 'typeorm';
import { AllocationLine, AllocationRun, PickupAppointment, RunStatus, UnmetNeed, type Zone } from '#domain';
import type { Problem, Result } from '#matching';
import { newPickupCode } from './pickup-code.js';

/**
 * How lines are written: rows per multi-row INSERT, and a hook after each chunk of lines that
 * fault-injection tests use to fail a write halfway. Production uses these defaults.
 */
export class WriteHooks {
  chunkSize = 2000;
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

  async writeDraft(zone: Zone, runId: string, problem: Problem, result: Result, extra: { policy: object; solveMs: number; now: Date }): Promise<WriteOutcome> {
    return this.dataSource.transaction(async (m) => {
      const run = await m.findOne(AllocationRun, { where: { id: runId }, lock: { mode: 'pessimistic_write' } });
      if (!run || (run.status !== RunStatus.Queued && run.status !== RunStatus.Running)) return 'already_done';
      await this.insertChunks(m, AllocationLine, result.lines.map((l) => ({ runId, ...l })), (written) =>
        this.hooks.afterLineChunk(runId, written, result.lines.length),
      );
      await this.insertChunks(m, UnmetNeed, result.unmet.filter((u) => u.units > 0).map((u) => ({ runId, ...u })));
      const codes = new Set<string>();
      const dayStart = DateTime.fromISO(run.serviceDate, { zone: zone.timeZone }).startOf('day');
      const unslotted = new Set(result.unslotted.map((u) => `${u.enterpriseId}|${u.supplierId}`));
      const appointments = [
        ...result.appointments.map((a) => ({
          runId,
          enterpriseId: a.enterpriseId,
          supplierId: a.supplierId,
          slotStart: dayStart.plus({ minutes: a.startMinute }).toJSDate(),
          slotEnd: dayStart.plus({ minutes: a.endMinute }).toJSDate(),
          pickupCode: newPickupCode(codes),
        })),
        // A pickup without a free slot still gets a code; its slot is left for the coordinator to arrange.
        ...[...unslotted].map((key) => {
          const [enterpriseId, supplierId] = key.split('|');
          return { runId, enterpriseId, supplierId, slotStart: null, slotEnd: null, pickupCode: newPickupCode(codes) };
        }),
      ];
      await this.insertChunks(m, PickupAppointment, appointments);
      await m.update(
        AllocationRun,
        { id: runId },
        {
          status: RunStatus.Draft,
          inputSnapshot: problem,
          policy: extra.policy,
          figures: result.figures,
          explanations: { explanations: result.explanations, unslotted: result.unslotted, reasons: result.reasons },
          finishedAt: extra.now,
          solveMs: extra.solveMs,
          failureReason: null,
          version: run.version + 1,
        },
      );
      await supersedeOlderDrafts(m, run);
      return 'written';
    });
  }

  /** Marks the run failed with a reason, unless it already finished. */
  async markFailed(runId: string, reason: string, now: Date): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(AllocationRun)
      .set({ status: RunStatus.Failed, failureReason: reason.slice(0, 2000), finishedAt: now, version: () => 'version + 1' })
      .where({ id: runId, status: In([RunStatus.Queued, RunStatus.Running]) })
      .execute();
  }

  private async insertChunks<T extends object>(
    m: EntityManager,
    entity: new () => T,
    rows: object[],
    afterChunk?: (written: number) => void | Promise<void>,
  ): Promise<void> {
    const size = this.hooks.chunkSize;
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size);
      // Plain multi-row INSERT without RETURNING: nothing reads the generated ids back.
      await m.createQueryBuilder().insert().into(entity).values(chunk as never[]).updateEntity(false).execute();
      await afterChunk?.(i + chunk.length);
    }
  }
}

/** Older drafts (and runs still queued before this one) of the same date are superseded by this draft. */
async function supersedeOlderDrafts(m: EntityManager, run: AllocationRun): Promise<void> {
  await m.query(
    `UPDATE allocation_runs SET status = 'superseded', version = version + 1
      WHERE zone_id = $1 AND service_date = $2 AND sequence < $3 AND status IN ('draft', 'queued')`,
    [run.zoneId, run.serviceDate, run.sequence],
  );
}
