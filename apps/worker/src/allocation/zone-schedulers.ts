import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { AllocationRun, QUEUES, RUN_JOB_OPTIONS, RunStatus, upsertZoneSchedulers, Zone } from '#domain';

/**
 * At start: one nightly (and auto-publish) scheduler per zone, idempotent by id, and a job for
 * every run left queued or running (e.g. if Redis lost it), deduplicated by job id = run id.
 */
@Injectable()
export class ZoneSchedulers implements OnApplicationBootstrap {
  private readonly logger = new Logger('ZoneSchedulers');

  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.allocation) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const zones = await this.dataSource.getRepository(Zone).find();
    for (const zone of zones) await upsertZoneSchedulers(this.queue, zone);
    const pending = await this.dataSource.getRepository(AllocationRun).findBy({ status: In([RunStatus.Queued, RunStatus.Running]) });
    await this.queue.addBulk(pending.map((r) => ({ name: 'run', data: { runId: r.id }, opts: { ...RUN_JOB_OPTIONS, jobId: r.id } })));
    this.logger.log(`schedulers upserted for ${zones.length} zones; ${pending.length} pending runs re-queued`);
  }
}
