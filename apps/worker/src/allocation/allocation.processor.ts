import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { addDays, Clock, QUEUES, reportCutoff, RunStatus, zoneToday, type AllocationJobs } from '#domain';
import { AllocationRun, enqueueAfterPublish, enqueueDeliveries, findOrCreateScheduledRun, publishRun, Zone } from '#store';
import { JOB_LOCK_MS, STALLED_INTERVAL_MS } from '../worker-tuning.js';
import { AllocationRunner } from './allocation-runner.js';
import { writeReportReminders } from './report-reminder.js';

/**
 * Consumes the allocation queue: runs, the nightly schedule, auto-publish and no-show sweeps.
 * Every handler is idempotent, since BullMQ delivers at least once.
 */
@Processor(QUEUES.allocation, { concurrency: 1, lockDuration: JOB_LOCK_MS, stalledInterval: STALLED_INTERVAL_MS })
export class AllocationProcessor extends WorkerHost {
  private readonly logger = new Logger('AllocationProcessor');

  constructor(
    private readonly runner: AllocationRunner,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.allocation) private readonly allocationQueue: Queue,
    @InjectQueue(QUEUES.webhooks) private readonly webhookQueue: Queue,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as keyof AllocationJobs) {
      case 'run':
        return this.run(job as Job<AllocationJobs['run']>);
      case 'nightly':
        return this.nightly((job.data as AllocationJobs['nightly']).zoneId);
      case 'auto-publish':
        return this.autoPublish((job.data as AllocationJobs['auto-publish']).zoneId);
      case 'report-reminder':
        return this.reportReminder((job.data as AllocationJobs['report-reminder']).zoneId);
      case 'no-shows':
        return this.noShows(job.data as AllocationJobs['no-shows']);
      default:
        throw new Error(`unknown allocation job ${job.name}`);
    }
  }

  private async run(job: Job<AllocationJobs['run']>): Promise<string> {
    try {
      return await this.runner.compute(job.data.runId);
    } catch (err) {
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (lastAttempt) await this.runner.fail(job.data.runId, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  /** The run for today's service date in the zone's own time zone; created once however often the job arrives. */
  private async nightly(zoneId: string): Promise<string> {
    const zone = await this.dataSource.getRepository(Zone).findOneBy({ id: zoneId });
    if (!zone) return 'zone_gone';
    const run = await findOrCreateScheduledRun(this.dataSource, zoneId, zoneToday(this.clock.now(), zone.timeZone), this.clock.now());
    return this.runner.compute(run.id);
  }

  private async autoPublish(zoneId: string): Promise<string> {
    const zone = await this.dataSource.getRepository(Zone).findOneBy({ id: zoneId });
    if (!zone) return 'zone_gone';
    const serviceDate = zoneToday(this.clock.now(), zone.timeZone);
    const runs = this.dataSource.getRepository(AllocationRun);
    if (await runs.existsBy({ zoneId, serviceDate, status: RunStatus.Published })) return 'already_published';
    const draft = await runs.findOne({ where: { zoneId, serviceDate, status: RunStatus.Draft }, order: { sequence: 'DESC' } });
    if (!draft) return 'no_draft';
    const now = this.clock.now();
    const outcome = await this.dataSource.transaction((m) => publishRun(m, zone, draft.id, null, now));
    await enqueueAfterPublish(this.allocationQueue, this.webhookQueue, outcome, now);
    this.logger.log(`auto-published run ${draft.id} for ${zone.name} ${serviceDate}`);
    return 'published';
  }

  /** At the zone's reminder time on D−1: a webhook to each organization that has not reported for D. */
  private async reportReminder(zoneId: string): Promise<number> {
    const zone = await this.dataSource.getRepository(Zone).findOneBy({ id: zoneId });
    if (!zone) return 0;
    const now = this.clock.now();
    const serviceDate = addDays(zoneToday(now, zone.timeZone), 1);
    const cutoffAt = reportCutoff(serviceDate, zone.cutoffTime, zone.timeZone);
    if (now >= cutoffAt) return 0; // too late to remind: reports for D have closed
    const deliveryIds = await this.dataSource.transaction((m) => writeReportReminders(m, zone.id, serviceDate, cutoffAt, now));
    await enqueueDeliveries(this.webhookQueue, deliveryIds);
    return deliveryIds.length;
  }

  /** Unconfirmed pickups of a published run become no-shows once the supplier's last window has closed. */
  private async noShows(data: AllocationJobs['no-shows']): Promise<number> {
    const result: [unknown, number] = await this.dataSource.query(
      `UPDATE pickup_appointments a SET status = 'no_show'
         FROM allocation_runs r
        WHERE a.run_id = r.id AND r.id = $1 AND r.status = 'published' AND a.supplier_id = $2 AND a.status = 'scheduled'`,
      [data.runId, data.supplierId],
    );
    return result[1];
  }
}
