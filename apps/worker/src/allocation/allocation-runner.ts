import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AllocationRun, Clock, RunStatus, Zone } from '#domain';
import { allocate, DEFAULT_OPTIONS, type AllocateOptions } from '#matching';
import { RunSnapshotReader, DEFICIT_DAYS, DEFICIT_DECAY } from './run-snapshot.js';
import { RunWriter } from './run-writer.js';

/** Options the nightly run uses; stored with each run as its policy. */
export const RUN_OPTIONS: AllocateOptions = { ...DEFAULT_OPTIONS };

/** A failure that retrying cannot fix (the input itself is refused by the matcher). */
export class UnrecoverableRunError extends Error {}

/**
 * Computes one run: snapshot → matcher → one-transaction write. Safe to call again for the same
 * run (a redelivered or concurrent job): only the first completed write counts.
 */
@Injectable()
export class AllocationRunner {
  private readonly logger = new Logger('AllocationRunner');
  /** This worker application (host, process, instance), recorded with each run it computes. */
  readonly worker = `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;

  constructor(
    private readonly dataSource: DataSource,
    private readonly snapshot: RunSnapshotReader,
    private readonly writer: RunWriter,
    private readonly clock: Clock,
  ) {}

  async compute(runId: string): Promise<'written' | 'already_done' | 'invalid'> {
    const startedAt = performance.now();
    const run = await this.dataSource.getRepository(AllocationRun).findOneBy({ id: runId });
    if (!run || (run.status !== RunStatus.Queued && run.status !== RunStatus.Running)) return 'already_done';
    await this.dataSource.query(
      `UPDATE allocation_runs SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, $2), version = version + 1
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [runId, this.clock.now()],
    );
    const zone = await this.dataSource.getRepository(Zone).findOneByOrFail({ id: run.zoneId });
    const snapshotStarted = performance.now();
    const problem = await this.snapshot.read(zone, run.serviceDate);
    const snapshotMs = Math.round(performance.now() - snapshotStarted);
    const started = performance.now();
    const result = allocate(problem, RUN_OPTIONS);
    const solveMs = Math.round(performance.now() - started);
    if (result.status !== 'ok') {
      const reasons = result.reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
      await this.writer.markFailed(runId, `matcher refused the input (${result.status}): ${reasons}`, this.clock.now());
      this.logger.warn(`run ${runId} refused by the matcher: ${reasons}`);
      return 'invalid';
    }
    const policy = { ...RUN_OPTIONS, deficitDays: DEFICIT_DAYS, deficitDecay: DEFICIT_DECAY };
    const outcome = await this.writer.writeDraft(zone, runId, problem, result, {
      policy,
      solveMs,
      now: this.clock.now(),
      clock: { startedAt, snapshotMs, worker: this.worker },
    });
    this.logger.log(
      `run ${runId} (${zone.name} ${run.serviceDate}): ${outcome}, ${result.lines.length} lines; snapshot ${snapshotMs} ms, solve ${solveMs} ms, ` +
        `total ${Math.round(performance.now() - startedAt)} ms; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
    );
    return outcome;
  }

  async fail(runId: string, reason: string): Promise<void> {
    await this.writer.markFailed(runId, reason, this.clock.now());
  }
}
