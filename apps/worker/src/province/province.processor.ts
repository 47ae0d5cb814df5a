import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QUEUES, type ProvinceJobs } from '#domain';
import { JOB_LOCK_MS, STALLED_INTERVAL_MS } from '../worker-tuning.js';
import { ProvinceNightService } from './province-night.service.js';

/**
 * Consumes the province queue: starting a province's night, and its summary once every zone's
 * run job (on the allocation queue, shared by all workers) has finished.
 */
@Processor(QUEUES.province, { concurrency: 1, lockDuration: JOB_LOCK_MS, stalledInterval: STALLED_INTERVAL_MS })
export class ProvinceProcessor extends WorkerHost {
  constructor(private readonly nights: ProvinceNightService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as keyof ProvinceJobs) {
      case 'province-night':
        return this.nights.start(job.data as ProvinceJobs['province-night']);
      case 'province-summary':
        return this.nights.summarize(job as Job<ProvinceJobs['province-summary']>);
      default:
        throw new Error(`unknown province job ${job.name}`);
    }
  }
}
