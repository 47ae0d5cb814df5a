import { UnrecoverableError, type Job } from 'bullmq';
import type { QueueJobs, QueueName } from '#domain';

/**
 * A processor's handlers, one per job name of its queue: the compiler checks that every name of
 * the catalogue has one and that each gets its own payload.
 */
export type JobHandlers<Q extends QueueName> = {
  [N in keyof QueueJobs[Q]]: (data: QueueJobs[Q][N], job: Job<QueueJobs[Q][N]>) => Promise<unknown>;
};

/** Runs the handler of the job's name. A name the catalogue does not know is not retried: no attempt could succeed. */
export function dispatchJob<Q extends QueueName>(handlers: JobHandlers<Q>, job: Job): Promise<unknown> {
  if (!Object.hasOwn(handlers, job.name)) throw new UnrecoverableError(`unknown ${job.queueName} job ${job.name}`);
  const handler = handlers[job.name as keyof QueueJobs[Q]] as (data: unknown, job: Job) => Promise<unknown>;
  return handler(job.data, job);
}
