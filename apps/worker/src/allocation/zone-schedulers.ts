import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { AllocationRun, AppConfig, QUEUES, RUN_JOB_OPTIONS, RunStatus, upsertZoneSchedulers, Zone } from '#domain';

/**
 * At start and then periodically: one nightly (and auto-publish) scheduler per zone, idempotent
 * by id, and a job for every run PostgreSQL records as queued or running (e.g. if Redis lost it),
 * deduplicated by job id = run id.
 */
@Injectable()
export class ZoneSchedulers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ZoneSchedulers');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
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
    await this.queue.addBulk(pending.map((r) => ({ name: 'run', data: { runId: r.id }, opts: { ...RUN_JOB_OPTIONS, jobId: r.id } })));
    this.logger.debug(`schedulers upserted for ${zones.length} zones; ${pending.length} pending runs queued`);
  }
}
