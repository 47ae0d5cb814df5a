import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '#domain';
import { AllocationRun, claimRun, Zone } from '#store';
import { DEFAULT_OPTIONS, type AllocateOptions } from '#matching';
import { planRun } from './plan-run.js';
import { RunSnapshotReader, DEFICIT_DAYS, DEFICIT_DECAY } from './run-snapshot.js';
import { RunWriter } from './run-writer.js';

/** Options the nightly run uses; stored with each run as its policy. */
export const RUN_OPTIONS: AllocateOptions = { ...DEFAULT_OPTIONS };

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
    if (!run || !(await claimRun(this.dataSource.manager, runId, this.clock.now()))) return 'already_done';
    const zone = await this.dataSource.getRepository(Zone).findOneByOrFail({ id: run.zoneId });
    const snapshotStarted = performance.now();
    const inputs = await this.snapshot.read(zone, run.serviceDate);
    const snapshotMs = Math.round(performance.now() - snapshotStarted);
    const started = performance.now();
    const plan = planRun(inputs, run.correction, zone.timeZone, run.serviceDate, RUN_OPTIONS);
    const solveMs = Math.round(performance.now() - started);
    // 'infeasible' only says that a pinned pickup found no slot: the draft is written with it
    // unslotted and the reason shown. 'invalid' means the input itself was refused.
    if (plan.result.status === 'invalid') {
      const reasons = plan.result.reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
      await this.writer.markFailed(runId, `matcher refused the input: ${reasons}`, this.clock.now(), inputs.problem);
      this.logger.warn(`run ${runId} refused by the matcher: ${reasons}`);
      return 'invalid';
    }
    const policy = { ...RUN_OPTIONS, deficitDays: DEFICIT_DAYS, deficitDecay: DEFICIT_DECAY };
    const outcome = await this.writer.writeDraft(zone, runId, inputs, plan.result, {
      policy,
      solveMs,
      now: this.clock.now(),
      clock: { startedAt, snapshotMs, worker: this.worker },
      correction: plan.correction,
    });
    const { result } = plan;
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
