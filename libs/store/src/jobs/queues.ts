import type { Queue } from 'bullmq';
import { autoPublishSchedulerId, dailyCron, nightlySchedulerId, reminderSchedulerId, type AllocationJobs } from '#domain';

export const PROVINCE_NIGHT_JOB_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 } as const;

/** Retries for a run: deterministic failures (invalid input) are not retried; transient ones are. */
export const RUN_JOB_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 } as const;
export const WEBHOOK_JOB_OPTIONS = { attempts: 6, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 5000 } as const;

/**
 * One nightly scheduler (and one auto-publish scheduler, if the zone has a time) per zone,
 * idempotent by scheduler id: however many API or worker processes call this, each zone has
 * exactly one of each, firing at the zone's local time in its own time zone.
 */
export async function upsertZoneSchedulers(
  queue: Queue,
  zone: { id: string; runTime: string; timeZone: string; autoPublishTime: string | null; reminderTime?: string | null },
): Promise<void> {
  await queue.upsertJobScheduler(
    nightlySchedulerId(zone.id),
    { pattern: dailyCron(zone.runTime), tz: zone.timeZone },
    { name: 'nightly', data: { zoneId: zone.id } satisfies AllocationJobs['nightly'], opts: RUN_JOB_OPTIONS },
  );
  if (zone.autoPublishTime) {
    await queue.upsertJobScheduler(
      autoPublishSchedulerId(zone.id),
      { pattern: dailyCron(zone.autoPublishTime), tz: zone.timeZone },
      { name: 'auto-publish', data: { zoneId: zone.id } satisfies AllocationJobs['auto-publish'] },
    );
  } else {
    await queue.removeJobScheduler(autoPublishSchedulerId(zone.id));
  }
  if (zone.reminderTime) {
    await queue.upsertJobScheduler(
      reminderSchedulerId(zone.id),
      { pattern: dailyCron(zone.reminderTime), tz: zone.timeZone },
      { name: 'report-reminder', data: { zoneId: zone.id } satisfies AllocationJobs['report-reminder'] },
    );
  } else {
    await queue.removeJobScheduler(reminderSchedulerId(zone.id));
  }
}
