import { Logger, type Provider } from '@nestjs/common';
import type { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { withLogContext } from '#store';
import { AllocationProcessor } from '../allocation/allocation.processor.js';
import { WebhookProcessor } from '../webhooks/webhook.processor.js';

const logger = new Logger('Jobs');

/**
 * Runs each job inside a log context carrying its queue, name and id, so every line logged while
 * it is processed (the runner's, TypeORM's, a failure's) says which job wrote it; and writes one
 * line per finished or failed job with its duration.
 */
export function instrumentProcessor(host: WorkerHost): void {
  const process = host.process.bind(host);
  host.process = (job: Job, token?: string) =>
    withLogContext({ queue: job.queueName, jobName: job.name, jobId: String(job.id) }, async () => {
      const started = performance.now();
      try {
        const result: unknown = await process(job, token);
        logger.log({ msg: 'job completed', attempt: job.attemptsMade + 1, durationMs: Math.round(performance.now() - started) });
        return result;
      } catch (err) {
        logger.warn({ msg: 'job failed', attempt: job.attemptsMade + 1, durationMs: Math.round(performance.now() - started), error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    });
}

export const JOB_LOG_CONTEXT = Symbol('JOB_LOG_CONTEXT');

/**
 * Wraps the processors when they are instantiated, which Nest does before @nestjs/bullmq binds
 * their process() to its BullMQ workers (at module init).
 */
export const jobLogContextProvider: Provider = {
  provide: JOB_LOG_CONTEXT,
  inject: [AllocationProcessor, WebhookProcessor],
  useFactory: (...hosts: WorkerHost[]) => {
    hosts.forEach(instrumentProcessor);
    return hosts.length;
  },
};
