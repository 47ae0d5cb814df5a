import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock, QUEUES, reportPartitionsSchedulerId, type MaintenanceJobs } from '#domain';
import { ensureReportPartitions } from './report-partitions.js';

/** Local time the partition job runs every day; partitions exist two months ahead, so any day works. */
const PARTITIONS_CRON = '10 0 * * *';

/**
 * Database housekeeping on its own queue: every day, the report tables' partitions ahead. The
 * worker also makes sure of them when it starts, so a fresh database never waits for the first night.
 */
@Processor(QUEUES.maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('MaintenanceProcessor');

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.partitions();
    await this.queue.upsertJobScheduler(
      reportPartitionsSchedulerId,
      { pattern: PARTITIONS_CRON, tz: 'Asia/Shanghai' },
      { name: 'report-partitions', data: {} satisfies MaintenanceJobs['report-partitions'], opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 100, removeOnFail: 100 } },
    );
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as keyof MaintenanceJobs) {
      case 'report-partitions':
        return this.partitions();
      default:
        throw new Error(`unknown maintenance job ${job.name}`);
    }
  }

  private async partitions(): Promise<string[]> {
    const created = await ensureReportPartitions(this.dataSource, this.clock.now().toISOString().slice(0, 10));
    if (created.length) this.logger.log(`report partitions created: ${created.join(', ')}`);
    return created;
  }
}
