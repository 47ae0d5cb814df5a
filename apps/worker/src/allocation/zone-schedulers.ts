import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '#domain';
import { AppConfig, JobCatalogue, RunStore, RunWriter, ZoneStore } from '#store';
import { ProvinceNightService } from '../province/province-night.service.js';

/**
 * At start and then periodically: one nightly (and auto-publish, reminder) scheduler per zone and
 * one per province, idempotent by id, a flow for every province night recorded as running, and a
 * live job for every run PostgreSQL records as queued or running. A pending run whose
 * job is gone (Redis lost it) or finished without writing it is queued again (job id = run id); one
 * whose job failed for good (e.g. every attempt met PostgreSQL down, so the last one could not mark
 * it failed either) is marked failed with the job's reason, and can be re-run.
 */
@Injectable()
export class ZoneSchedulers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ZoneSchedulers');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly runs: RunStore,
    private readonly runWriter: RunWriter,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly jobs: JobCatalogue,
    private readonly zoneStore: ZoneStore,
    private readonly provinceNights: ProvinceNightService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sync();
    // Again every SCHEDULER_RESYNC_MS: cheap (idempotent upserts, deduplicated job ids) and it heals a Redis that lost its data.
    this.timer = setInterval(() => {
      this.sync().catch((err: unknown) => this.logger.warn(`resync failed: ${err instanceof Error ? err.message : String(err)}`));
    }, this.config.SCHEDULER_RESYNC_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sync(): Promise<void> {
    const zones = await this.zoneStore.all();
    for (const zone of zones) await this.jobs.upsertZoneSchedulers(zone);
    const pending = await this.runs.pending();
    let requeued = 0;
    for (const run of pending) {
      const check = await this.jobs.ensureRunJob(run.id);
      if (check.outcome === 'failed') {
        if (await this.runWriter.markFailed(run.id, check.reason, this.clock.now())) this.logger.warn(`run ${run.id} was left ${run.status}; marked failed: ${check.reason}`);
      }
      if (check.outcome === 'queued') requeued++;
    }
    // After the runs: a night's flow adopts the run jobs queued above rather than adding its own.
    const provinces = await this.provinceNights.resync();
    this.logger.debug(
      `schedulers upserted for ${zones.length} zones and ${provinces.provinces} provinces; ${pending.length} pending runs, ${requeued} queued again; ${provinces.restarted} province nights restarted`,
    );
  }
}
