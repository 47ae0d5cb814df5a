import type { Queue } from 'bullmq';
import type { AllocationJobs, WebhookJobs } from '#domain';
import { RUN_JOB_OPTIONS, WEBHOOK_JOB_OPTIONS } from '../jobs/queues.js';
import type { PublishOutcome } from './publish-run.js';

/**
 * After a publish commits: queue the webhook deliveries and, per supplier, the no-show sweep at
 * the close of its last window. Job ids make a repeated call harmless.
 */
export async function enqueueAfterPublish(allocation: Queue, webhooks: Queue, outcome: PublishOutcome, now: Date): Promise<void> {
  await enqueueDeliveries(webhooks, outcome.deliveryIds);
  await allocation.addBulk(
    outcome.noShowSweeps.map((s) => ({
      name: 'no-shows',
      data: { runId: outcome.run.id, supplierId: s.supplierId } satisfies AllocationJobs['no-shows'],
      opts: { ...RUN_JOB_OPTIONS, jobId: `noshow-${outcome.run.id}-${s.supplierId}`, delay: Math.max(0, s.at.getTime() - now.getTime()) },
    })),
  );
}

/** Queues webhook deliveries written in a committed transaction; job ids make a repeated call harmless. */
export async function enqueueDeliveries(webhooks: Queue, deliveryIds: readonly string[]): Promise<void> {
  await webhooks.addBulk(
    deliveryIds.map((deliveryId) => ({
      name: 'deliver',
      data: { deliveryId } satisfies WebhookJobs['deliver'],
      opts: { ...WEBHOOK_JOB_OPTIONS, jobId: `delivery-${deliveryId}` },
    })),
  );
}
