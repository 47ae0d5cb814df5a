import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { Clock, QUEUES, RunStatus } from '#domain';
import { AllocationRun, AppConfig, failRun, RUN_JOB_OPTIONS, upsertZoneSchedulers, Zone } from '#store';

/**
 * At start and then periodically: one nightly (and auto-publish) scheduler per zone, idempotent
 * by id, and a live job for every run PostgreSQL records as queued or running. A pending run whose
 * job is gone (Redis lost it) or finished without writing it is queued again (job id = run id); one
 * whose job failed for good (e.g. every attempt met PostgreSQL down, so the last one could not mark
 * it failed either) is marked failed with the job's reason, and can be re-run.
 */
@Injectable()
export class ZoneSchedulers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ZoneSchedulers');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.allocation) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sync();
    // Again every SCHEDULER_RESYNC_MS: cheap (idempotent upserts, deduplicated job ids) and it heals a Redis that lost its data.
    this.timer = setInterval(() => {
      this.sync().catch((err: unknown) => this.logger.warn(`resync failed: ${err instanceof Error ? err.message : String(err)}`));
    }, this.config.SCHEDULER_RESYNC_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sync(): Promise<void> {
    const zones = await this.dataSource.getRepository(Zone).find();
    for (const zone of zones) await upsertZoneSchedulers(this.queue, zone);
    const pending = await this.dataSource.getRepository(AllocationRun).findBy({ status: In([RunStatus.Queued, RunStatus.Running]) });
    let requeued = 0;
    for (const run of pending) {
      const job = await this.queue.getJob(run.id);
      const state = job ? await job.getState() : 'missing';
      if (state === 'failed') {
        const reason = `its job failed after ${job!.attemptsMade} attempt(s): ${job!.failedReason ?? 'no reason recorded'}`;
        if (await failRun(this.dataSource.manager, run.id, reason, this.clock.now())) this.logger.warn(`run ${run.id} was left ${run.status}; marked failed: ${reason}`);
        continue;
      }
      if (state === 'completed') await job!.remove();
      if (state === 'missing' || state === 'completed') {
        await this.queue.add('run', { runId: run.id }, { ...RUN_JOB_OPTIONS, jobId: run.id });
        requeued++;
      }
    }
    this.logger.debug(`schedulers upserted for ${zones.length} zones; ${pending.length} pending runs, ${requeued} queued again`);
  }
}
