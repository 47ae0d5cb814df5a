import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { addDays, Clock, QUEUES, reportCutoff, zoneToday, type AllocationJobs } from '#domain';
import { dispatchJob, enqueueAfterPublish, JobCatalogue, ReportReminders, RunStore, type JobHandlers } from '#store';
import { JOB_LOCK_MS, STALLED_INTERVAL_MS } from '../worker-tuning.js';
import { AllocationRunner } from './allocation-runner.js';

/**
 * Consumes the allocation queue: runs, the nightly schedule, auto-publish and no-show sweeps.
 * Every handler is idempotent, since BullMQ delivers at least once.
 */
@Processor(QUEUES.allocation, { concurrency: 1, lockDuration: JOB_LOCK_MS, stalledInterval: STALLED_INTERVAL_MS })
export class AllocationProcessor extends WorkerHost {
  private readonly logger = new Logger('AllocationProcessor');

  constructor(
    private readonly runner: AllocationRunner,
    private readonly runs: RunStore,
    private readonly reminders: ReportReminders,
    private readonly clock: Clock,
    private readonly jobs: JobCatalogue,
  ) {
    super();
  }

  private readonly handlers: JobHandlers<typeof QUEUES.allocation> = {
    run: (_, job) => this.run(job),
    nightly: ({ zoneId }) => this.nightly(zoneId),
    'auto-publish': ({ zoneId }) => this.autoPublish(zoneId),
    'report-reminder': ({ zoneId }) => this.reportReminder(zoneId),
    'no-shows': (data) => this.noShows(data),
  };

  process(job: Job): Promise<unknown> {
    return dispatchJob(this.handlers, job);
  }

  private async run(job: Job<AllocationJobs['run']>): Promise<string> {
    try {
      return await this.runner.compute(job.data.runId, (p) => job.updateProgress(p));
    } catch (err) {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (lastAttempt) await this.runner.fail(job.data.runId, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  /** The run for today's service date in the zone's own time zone; created once however often the job arrives. */
  private async nightly(zoneId: string): Promise<string> {
    const zone = await this.runs.zone(zoneId);
    if (!zone) return 'zone_gone';
    const run = await this.runs.scheduledRun(zoneId, zoneToday(this.clock.now(), zone.timeZone), this.clock.now());
    return this.runner.compute(run.id);
  }

  private async autoPublish(zoneId: string): Promise<string> {
    const zone = await this.runs.zone(zoneId);
    if (!zone) return 'zone_gone';
    const serviceDate = zoneToday(this.clock.now(), zone.timeZone);
    if (await this.runs.isPublished(zoneId, serviceDate)) return 'already_published';
    const draft = await this.runs.newestDraft(zoneId, serviceDate);
    if (!draft) return 'no_draft';
    const now = this.clock.now();
    const outcome = await this.runs.publish(null, zone, draft.id, now);
    await enqueueAfterPublish(this.jobs, outcome, now);
    this.logger.log(`auto-published run ${draft.id} for ${zone.name} ${serviceDate}`);
    return 'published';
  }

  /** At the zone's reminder time on D−1: a webhook to each organization that has not reported for D. */
  private async reportReminder(zoneId: string): Promise<number> {
    const zone = await this.runs.zone(zoneId);
    if (!zone) return 0;
    const now = this.clock.now();
    const serviceDate = addDays(zoneToday(now, zone.timeZone), 1);
    const cutoffAt = reportCutoff(serviceDate, zone.cutoffTime, zone.timeZone);
    if (now >= cutoffAt) return 0; // too late to remind: reports for D have closed
    const deliveryIds = await this.reminders.write(zone.id, serviceDate, cutoffAt, now);
    await this.jobs.enqueueBulk('deliver', deliveryIds.map((deliveryId) => ({ deliveryId })));
    return deliveryIds.length;
  }

  /** Unconfirmed pickups of a published run become no-shows once the supplier's last window has closed. */
  private noShows(data: AllocationJobs['no-shows']): Promise<number> {
    return this.runs.markNoShows(data.runId, data.supplierId);
  }
}
