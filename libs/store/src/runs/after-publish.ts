import type { JobCatalogue } from '../jobs/job-catalogue.js';
import type { PublishOutcome } from './publish-run.js';

/**
 * After a publish commits: queue the webhook deliveries and, per supplier, the no-show sweep at
 * the close of its last window. Job ids make a repeated call harmless.
 */
export async function enqueueAfterPublish(jobs: JobCatalogue, outcome: PublishOutcome, now: Date): Promise<void> {
  await jobs.enqueueBulk('deliver', outcome.deliveryIds.map((deliveryId) => ({ deliveryId })));
  const closesAt = new Map(outcome.noShowSweeps.map((s) => [s.supplierId, s.at.getTime()]));
  await jobs.enqueueBulk(
    'no-shows',
    outcome.noShowSweeps.map((s) => ({ runId: outcome.run.id, supplierId: s.supplierId })),
    ({ supplierId }) => Math.max(0, closesAt.get(supplierId)! - now.getTime()),
  );
}
