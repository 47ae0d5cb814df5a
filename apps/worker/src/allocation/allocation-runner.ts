import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '#domain';
import { RunWriter } from '#store';
import { DEFAULT_OPTIONS, type AllocateOptions } from '#matching';
import { planRun } from './plan-run.js';
import { RunSnapshotReader, DEFICIT_DAYS, DEFICIT_DECAY } from './run-snapshot.js';
import { toComputedRun } from './computed-run.js';

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
    private readonly snapshot: RunSnapshotReader,
    private readonly writer: RunWriter,
    private readonly clock: Clock,
  ) {}

  /** `progress` hears each stage as it starts (the console shows it: the job's progress in the queue). */
  async compute(runId: string, progress: (p: { stage: 'snapshot' | 'solve' | 'write'; percent: number }) => Promise<unknown> = async () => undefined): Promise<'written' | 'already_done' | 'invalid'> {
    const startedAt = performance.now();
    const claimed = await this.writer.claim(runId, this.clock.now());
    if (!claimed) return 'already_done';
    const { run, zone } = claimed;
    await progress({ stage: 'snapshot', percent: 5 });
    const snapshotStarted = performance.now();
    const inputs = await this.snapshot.read(zone, run.serviceDate);
    const snapshotMs = Math.round(performance.now() - snapshotStarted);
    await progress({ stage: 'solve', percent: 30 });
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
    await progress({ stage: 'write', percent: 70 });
    const computed = toComputedRun(zone, run, inputs, plan.result, { policy, solveMs, now: this.clock.now(), correction: plan.correction });
    const outcome = await this.writer.writeDraft(runId, computed, { startedAt, snapshotMs, worker: this.worker });
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
