import type { EntityManager } from 'typeorm';
import { nextInSeries } from '../database/numbering.js';
import { AllocationRun, RunStatus, RunTrigger } from '../entities/allocation-run.entity.js';

/** Creates a queued run for (zone, date); the caller enqueues its job after the transaction commits. */
export async function createRun(
  m: EntityManager,
  input: { zoneId: string; serviceDate: string; trigger: RunTrigger; startedBy: string | null; parentRunId?: string | null; now: Date },
): Promise<AllocationRun> {
  const sequence = await nextInSeries(
    m,
    `allocation_runs:${input.zoneId}:${input.serviceDate}`,
    'SELECT max(sequence) FROM allocation_runs WHERE zone_id = $1 AND service_date = $2',
    [input.zoneId, input.serviceDate],
  );
  const run = m.create(AllocationRun, {
    zoneId: input.zoneId,
    serviceDate: input.serviceDate,
    sequence,
    status: RunStatus.Queued,
    trigger: input.trigger,
    startedBy: input.startedBy,
    parentRunId: input.parentRunId ?? null,
    queuedAt: input.now,
    // No result yet: stored as null, and answered as null rather than left out.
    figures: null,
    failureReason: null,
    startedAt: null,
    finishedAt: null,
    solveMs: null,
    publishedAt: null,
    publishedBy: null,
  });
  await m.insert(AllocationRun, run);
  return run;
}
