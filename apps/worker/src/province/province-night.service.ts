import { InjectFlowProducer, InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { FlowProducer, Job, Queue } from 'bullmq';
import { DataSource, QueryFailedError } from 'typeorm';
import { Clock, ProvinceNightStatus, QUEUES, RunTrigger, zoneToday, type AllocationJobs, type ProvinceJobs } from '#domain';
import { AllocationRun, createRun, Province, ProvinceNight, RUN_JOB_OPTIONS, type ProvinceZoneResult, type RunTimings } from '#store';

/** The flow producer's name in the worker module. */
export const PROVINCE_FLOW = 'province-flow';

export const provinceSummaryJobId = (nightId: string) => `province-summary-${nightId}`;

/**
 * A province's night: the scheduled run of every zone, started together as one BullMQ flow. The
 * zones' 'run' jobs go to the allocation queue, where every worker takes them; the parent
 * 'province-summary' runs once, when the last of them has finished, and records the summary.
 */
@Injectable()
export class ProvinceNightService {
  private readonly logger = new Logger('ProvinceNight');

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @InjectFlowProducer(PROVINCE_FLOW) private readonly flows: FlowProducer,
    @InjectQueue(QUEUES.allocation) private readonly allocationQueue: Queue,
  ) {}

  /**
   * Creates (or finds) each zone's scheduled run for the date and the night's row, then adds the
   * flow. Idempotent: a second delivery finds the same runs and row, and re-adding the flow with
   * the same job ids adds nothing while its jobs exist; a night already summarised is left alone.
   *
   * A zone's job is the ordinary 'run' job with job id = run id, as the API and the worker's
   * resync use: a run already queued by either is adopted by the flow rather than computed twice.
   * Runs that finished before the night started are not queued again; the summary reports them.
   */
  async start(data: ProvinceJobs['province-night']): Promise<string> {
    const province = await this.dataSource.getRepository(Province).findOneBy({ id: data.provinceId });
    if (!province) return 'province_gone';
    const serviceDate = data.serviceDate ?? zoneToday(this.clock.now(), province.timeZone);
    const nights = this.dataSource.getRepository(ProvinceNight);
    const existing = await nights.findOneBy({ provinceId: province.id, serviceDate });
    if (existing?.status === ProvinceNightStatus.Done) return 'already_done';

    const zones: { zone_id: string }[] = await this.dataSource.query('SELECT zone_id FROM province_zones WHERE province_id = $1 ORDER BY zone_id', [province.id]);
    const runs: { zoneId: string; runId: string }[] = [];
    for (const { zone_id: zoneId } of zones) runs.push({ zoneId, runId: await this.scheduledRun(zoneId, serviceDate) });

    await this.dataSource.query(
      `INSERT INTO province_nights (province_id, service_date, status, runs, started_at) VALUES ($1, $2, 'running', $3, $4)
       ON CONFLICT (province_id, service_date) DO NOTHING`,
      [province.id, serviceDate, JSON.stringify(runs), this.clock.now()],
    );
    const night = await nights.findOneByOrFail({ provinceId: province.id, serviceDate });
    if (night.status === ProvinceNightStatus.Done) return 'already_done';

    const pending = await this.pendingRuns(night.runs.map((r) => r.runId));
    await this.flows.add({
      name: 'province-summary',
      queueName: QUEUES.province,
      data: { nightId: night.id } satisfies ProvinceJobs['province-summary'],
      opts: { jobId: provinceSummaryJobId(night.id), attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 },
      children: pending.map((runId) => ({
        name: 'run',
        queueName: QUEUES.allocation,
        data: { runId } satisfies AllocationJobs['run'],
        // A zone whose run fails after its retries must not hold the province's summary back.
        opts: { ...RUN_JOB_OPTIONS, jobId: runId, ignoreDependencyOnFailure: true },
      })),
    });
    this.logger.log(`province ${province.code} ${serviceDate}: ${pending.length} of ${night.runs.length} zone runs queued`);
    return 'started';
  }

  /**
   * Records the night's summary from the children's results and the runs as written. Runs once per
   * flow; a redelivered parent finds the summary recorded and changes nothing.
   */
  async summarize(job: Job<ProvinceJobs['province-summary']>): Promise<string> {
    const night = await this.dataSource.getRepository(ProvinceNight).findOneBy({ id: job.data.nightId });
    if (!night) return 'night_gone';
    if (night.status === ProvinceNightStatus.Done) return 'already_recorded';
    const outcomes = new Map<string, string>();
    for (const [key, value] of Object.entries(await job.getChildrenValues<string>())) outcomes.set(key.slice(-36), String(value));
    const failures = new Map<string, string>();
    for (const [key, reason] of Object.entries(await job.getIgnoredChildrenFailures())) failures.set(key.slice(-36), reason);

    const runIds = night.runs.map((r) => r.runId);
    const rows: Pick<AllocationRun, 'id' | 'zoneId' | 'status' | 'failureReason' | 'timings'>[] = runIds.length
      ? await this.dataSource.getRepository(AllocationRun).find({ select: { id: true, zoneId: true, status: true, failureReason: true, timings: true }, where: runIds.map((id) => ({ id })) })
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
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
    const [, updated]: [unknown, number] = await this.dataSource.query(
      `UPDATE province_nights SET status = 'done', zone_results = $2, totals = $3, finished_at = $4 WHERE id = $1 AND status = 'running'`,
      [night.id, JSON.stringify(zoneResults), JSON.stringify(totals), finishedAt],
    );
    if (updated === 0) return 'already_recorded';
    this.logger.log(`province night ${night.id} (${night.serviceDate}) summarised: ${JSON.stringify(totals.outcomes)}`);
    return 'recorded';
  }

  /**
   * The runs still to compute. A failed job left under a run's id (e.g. one failed for stalling)
   * is removed first: the flow would otherwise adopt it and wait for it forever.
   */
  private async pendingRuns(runIds: string[]): Promise<string[]> {
    if (!runIds.length) return [];
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM allocation_runs WHERE id = ANY($1) AND status IN ('queued', 'running') ORDER BY id`, [runIds]);
    for (const { id } of rows) {
      const job = await this.allocationQueue.getJob(id);
      if (job && (await job.isFailed()) && !job.parentKey) await job.remove();
    }
    return rows.map((r) => r.id);
  }

  /** The zone's scheduled run for the date, the same one its own nightly job creates (unique per zone and date). */
  private async scheduledRun(zoneId: string, serviceDate: string): Promise<string> {
    const runs = this.dataSource.getRepository(AllocationRun);
    const found = await runs.findOneBy({ zoneId, serviceDate, trigger: RunTrigger.Schedule });
    if (found) return found.id;
    try {
      return (await this.dataSource.transaction((m) => createRun(m, { zoneId, serviceDate, trigger: RunTrigger.Schedule, startedBy: null, now: this.clock.now() }))).id;
    } catch (err) {
      // The zone's nightly job (or another delivery) created it first.
      if (!(err instanceof QueryFailedError)) throw err;
      return (await runs.findOneByOrFail({ zoneId, serviceDate, trigger: RunTrigger.Schedule })).id;
    }
  }
}

/** Province totals: zones by outcome, rows, the slowest zone, the sum of zone times and the night's wall time. */
export function summarizeZones(zones: ProvinceZoneResult[], startedAt: Date, finishedAt: Date) {
  const outcomes: Record<string, number> = {};
  const workers: Record<string, number> = {};
  let slowest: { zoneId: string; totalMs: number } | null = null;
  let zoneMs = 0;
  for (const z of zones) {
    outcomes[z.outcome] = (outcomes[z.outcome] ?? 0) + 1;
    const t = z.timings as RunTimings | null;
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
