import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Clock, QUEUES } from '#domain';
import { dispatchJob, JobCatalogue, ReportPartitions, type JobHandlers } from '#store';

/**
 * Database housekeeping on its own queue: every day, the report tables' partitions ahead. The
 * worker also makes sure of them when it starts, so a fresh database never waits for the first night.
 */
@Processor(QUEUES.maintenance, { concurrency: 1 })
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('MaintenanceProcessor');

  constructor(
    private readonly reportPartitions: ReportPartitions,
    private readonly clock: Clock,
    private readonly jobs: JobCatalogue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.partitions();
    await this.jobs.upsertReportPartitionsScheduler();
  }

  private readonly handlers: JobHandlers<typeof QUEUES.maintenance> = {
    'report-partitions': () => this.partitions(),
  };

  process(job: Job): Promise<unknown> {
    return dispatchJob(this.handlers, job);
  }

  private async partitions(): Promise<string[]> {
    const created = await this.reportPartitions.ensure(this.clock.now().toISOString().slice(0, 10));
    if (created.length) this.logger.log(`report partitions created: ${created.join(', ')}`);
    return created;
  }
}
