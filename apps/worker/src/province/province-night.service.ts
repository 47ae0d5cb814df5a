import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Clock, ProvinceNightStatus, ZONE_OUTCOMES, zoneToday, type ProvinceJobs, type ZoneOutcome } from '#domain';
import { JobCatalogue, ProvinceNightFlow, ProvinceStore, type ProvinceTotals, type ProvinceZoneResult } from '#store';

/**
 * A province's night: the scheduled run of every zone, started together as one BullMQ flow. The
 * zones' 'run' jobs go to the allocation queue, where every worker takes them; the parent
 * 'province-summary' runs once, when the last of them has finished, and records the summary.
 */
@Injectable()
export class ProvinceNightService {
  private readonly logger = new Logger('ProvinceNight');

  constructor(
    private readonly provinces: ProvinceStore,
    private readonly flow: ProvinceNightFlow,
    private readonly jobs: JobCatalogue,
    private readonly clock: Clock,
  ) {}

  /**
   * Opens the night (each zone's scheduled run and the night's row, or finds them, as the API's
   * POST /provinces/{id}/nights does) and adds the flow of the runs still pending. Idempotent: a
   * second delivery finds the same runs and row and re-adds nothing; a night already summarised is
   * left alone. Runs that finished before the night started are not queued again; the summary
   * reports them.
   */
  async start(data: ProvinceJobs['province-night']): Promise<string> {
    const province = await this.provinces.find(data.provinceId);
    if (!province) return 'province_gone';
    const serviceDate = data.serviceDate ?? zoneToday(this.clock.now(), province.timeZone);
    const night = await this.provinces.openNight(null, province.id, serviceDate, this.clock.now());
    if (night.status === ProvinceNightStatus.Done) return 'already_done';
    const pending = await this.provinces.pendingRunIds(night.runs.map((r) => r.runId));
    await this.flow.start(night.id, pending);
    this.logger.log(`province ${province.code} ${serviceDate}: ${pending.length} of ${night.runs.length} zone runs queued`);
    return 'started';
  }

  /**
   * Records the night's summary from the children's results and the runs as written. Runs once per
   * flow; a redelivered parent finds the summary recorded and changes nothing.
   */
  async summarize(job: Job<ProvinceJobs['province-summary']>): Promise<string> {
    const night = await this.provinces.night(job.data.nightId);
    if (!night) return 'night_gone';
    if (night.status === ProvinceNightStatus.Done) return 'already_recorded';
    // Children are keyed '<prefix>:<queue>:<job id>', and a run's job id is its uuid.
    const outcomes = new Map<string, ZoneOutcome>();
    for (const [key, value] of Object.entries(await job.getChildrenValues<unknown>())) {
      outcomes.set(key.slice(-36), ZONE_OUTCOMES.find((o) => o === value) ?? 'failed');
    }
    const failures = new Map<string, string>();
    for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) failures.set(key.slice(-36), reason);

    const byId = new Map((await this.provinces.runsOf(night.runs.map((r) => r.runId))).map((r) => [r.id, r]));
    const zoneResults: ProvinceZoneResult[] = night.runs.map(({ zoneId, runId }) => {
      const run = byId.get(runId);
      const timings = run?.timings ?? null;
      return {
        zoneId,
        runId,
        status: run?.status ?? 'missing',
        // A run not among the children had finished before the night started.
        outcome: failures.has(runId) ? 'failed' : (outcomes.get(runId) ?? 'finished_before'),
        ...(run?.failureReason ? { failureReason: run.failureReason } : failures.has(runId) ? { failureReason: failures.get(runId) } : {}),
        lines: timings?.rows.lines ?? 0,
        unmet: timings?.rows.unmet ?? 0,
        appointments: timings?.rows.appointments ?? 0,
        timings,
      };
    });
    const finishedAt = this.clock.now();
    const totals = summarizeZones(zoneResults, night.startedAt, finishedAt);
    if (!(await this.provinces.recordSummary(night.id, zoneResults, totals, finishedAt))) return 'already_recorded';
    this.logger.log(`province night ${night.id} (${night.serviceDate}) summarised: ${JSON.stringify(totals.outcomes)}`);
    return 'recorded';
  }

  /**
   * Every province's scheduler at its run time, and a flow for every night recorded as running
   * whose summary job Redis does not have (the API opened it while Redis was away, or Redis lost
   * its data): the same healing as the zones' schedulers and pending runs.
   */
  async resync(): Promise<{ provinces: number; restarted: number }> {
    const provinces = await this.provinces.schedules();
    for (const province of provinces) await this.jobs.upsertProvinceScheduler(province);
    let restarted = 0;
    for (const night of await this.provinces.runningNights()) {
      if ((await this.jobs.jobState('province-summary', { nightId: night.id })) !== 'missing') continue;
      await this.start({ provinceId: night.provinceId, serviceDate: night.serviceDate });
      restarted++;
    }
    return { provinces: provinces.length, restarted };
  }
}

/** Province totals: zones by outcome, rows, the slowest zone, the sum of zone times and the night's wall time. */
export function summarizeZones(zones: ProvinceZoneResult[], startedAt: Date, finishedAt: Date): ProvinceTotals {
  const outcomes: ProvinceTotals['outcomes'] = {};
  const workers: Record<string, number> = {};
  let slowest: { zoneId: string; totalMs: number } | null = null;
  let zoneMs = 0;
  for (const z of zones) {
    outcomes[z.outcome] = (outcomes[z.outcome] ?? 0) + 1;
    const t = z.timings;
    if (!t) continue;
    workers[t.worker] = (workers[t.worker] ?? 0) + 1;
    zoneMs += t.totalMs;
    if (!slowest || t.totalMs > slowest.totalMs) slowest = { zoneId: z.zoneId, totalMs: t.totalMs };
  }
  return {
    zones: zones.length,
    outcomes,
    lines: zones.reduce((s, z) => s + z.lines, 0),
    unmet: zones.reduce((s, z) => s + z.unmet, 0),
    appointments: zones.reduce((s, z) => s + z.appointments, 0),
    zoneMs,
    slowest,
    wallMs: finishedAt.getTime() - startedAt.getTime(),
    workers,
  };
}
