import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { FlowProducer, Queue } from 'bullmq';
import { JOB_QUEUE, QUEUES, type JobPayload } from '#domain';
import { jobOptions } from './job-catalogue.js';

/** The flow producer's name (the worker module registers it). */
export const JOB_FLOWS = 'job-flows';

/**
 * A province's night as one BullMQ flow: the zones' 'run' jobs are the children, on the
 * allocation queue where every worker takes them; the parent 'province-summary' runs once, when
 * the last of them has finished.
 */
@Injectable()
export class ProvinceNightFlow {
  constructor(
    @InjectFlowProducer(JOB_FLOWS) private readonly flows: FlowProducer,
    @InjectQueue(QUEUES.allocation) private readonly allocation: Queue,
  ) {}

  /**
   * Adds the flow for the night's pending runs. Idempotent: re-adding it with the same job ids
   * adds nothing while its jobs exist. A zone's job is the ordinary 'run' job (job id = run id), so
   * a run already queued by the API or the resync is adopted rather than computed twice; a failed
   * job left under a run's id (e.g. one failed for stalling) is removed first, as the flow would
   * otherwise adopt it and wait for it forever.
   */
  async start(nightId: string, pendingRunIds: readonly string[]): Promise<void> {
    for (const runId of pendingRunIds) {
      const job = await this.allocation.getJob(runId);
      if (job && (await job.isFailed()) && !job.parentKey) await job.remove();
    }
    const summary: JobPayload<'province-summary'> = { nightId };
    await this.flows.add({
      name: 'province-summary',
      queueName: JOB_QUEUE['province-summary'],
      data: summary,
      opts: jobOptions('province-summary', summary),
      children: pendingRunIds.map((runId) => ({
        name: 'run',
        queueName: JOB_QUEUE.run,
        data: { runId } satisfies JobPayload<'run'>,
        // A zone whose run fails after its retries must not hold the province's summary back.
        opts: { ...jobOptions('run', { runId }), ignoreDependencyOnFailure: true },
      })),
    });
  }
}
