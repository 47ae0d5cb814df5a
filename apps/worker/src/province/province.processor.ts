import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES } from '#domain';
import { dispatchJob, type JobHandlers } from '#store';
import { JOB_LOCK_MS, STALLED_INTERVAL_MS } from '../worker-tuning.js';
import { ProvinceNightService } from './province-night.service.js';

/**
 * Consumes the province queue: starting a province's night, and its summary once every zone's
 * run job (on the allocation queue, shared by all workers) has finished.
 */
@Processor(QUEUES.province, { concurrency: 1, lockDuration: JOB_LOCK_MS, stalledInterval: STALLED_INTERVAL_MS })
export class ProvinceProcessor extends WorkerHost {
  private readonly handlers: JobHandlers<typeof QUEUES.province> = {
    'province-night': (data) => this.nights.start(data),
    'province-summary': (_, job) => this.nights.summarize(job),
  };

  constructor(private readonly nights: ProvinceNightService) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return dispatchJob(this.handlers, job);
  }
}
