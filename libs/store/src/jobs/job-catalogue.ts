import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Job, Queue, QueueEvents, type JobsOptions, type JobType } from 'bullmq';
import {
  autoPublishSchedulerId,
  dailyCron,
  JOB_QUEUE,
  nightlySchedulerId,
  provinceNightJobId,
  provinceNightSchedulerId,
  provinceSummaryJobId,
  QUEUES,
  reminderSchedulerId,
  reportPartitionsSchedulerId,
  type JobName,
  type JobPayload,
  type QueueName,
} from '#domain';
import { redisConnection } from './redis-connection.js';

/** How one job is queued: its options, and its id when a repeated enqueue must add it only once. */
interface JobSpec<N extends JobName> {
  options: JobsOptions;
  jobId?: (data: JobPayload<N>) => string | undefined;
}

/** Retries for work that meets PostgreSQL: a transient failure (a restart, a lost connection) is retried. */
const RETRIED: JobsOptions = { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 5000 };
/** Jobs of a scheduler: a missed one is simply taken again the next day. */
const DAILY: JobsOptions = { removeOnComplete: 1000, removeOnFail: 5000 };

/**
 * Every job's options and id, defined once. The compiler checks that every job of the catalogue
 * (libs/domain/src/jobs.ts) is here and that each id is built from that job's own payload.
 */
export const JOB_SPECS: { readonly [N in JobName]: JobSpec<N> } = {
  // job id = run id: the API, the resync and a province flow all queue a run under one id, so it is computed once.
  run: { options: RETRIED, jobId: ({ runId }) => runId },
  nightly: { options: RETRIED },
  'auto-publish': { options: DAILY },
  'report-reminder': { options: DAILY },
  'no-shows': { options: RETRIED, jobId: ({ runId, supplierId }) => `noshow-${runId}-${supplierId}` },
  // A receiver may be down for a while: six attempts, from 1 s to about half a minute apart.
  deliver: { options: { attempts: 6, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: 1000, removeOnFail: 5000 }, jobId: ({ deliveryId }) => `delivery-${deliveryId}` },
  'province-night': { options: RETRIED, jobId: ({ provinceId, serviceDate }) => (serviceDate ? provinceNightJobId(provinceId, serviceDate) : undefined) },
  'province-summary': { options: RETRIED, jobId: ({ nightId }) => provinceSummaryJobId(nightId) },
  // Partitions exist two months ahead: a failure has weeks to be noticed and retried.
  'report-partitions': { options: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 100, removeOnFail: 100 } },
};

/** Options and id of one job as it is added (also what a flow's child is added with). */
export function jobOptions<N extends JobName>(name: N, data: JobPayload<N>, delay?: number): JobsOptions {
  const spec = JOB_SPECS[name] as JobSpec<N>;
  const jobId = spec.jobId?.(data);
  return { ...spec.options, ...(jobId ? { jobId } : {}), ...(delay ? { delay } : {}) };
}

/** Local time the partition job runs every day; partitions exist two months ahead, so any hour works. */
const REPORT_PARTITIONS_CRON = '10 0 * * *';

/** The progress the worker reports on a run's job: BullMQ's state ('unknown' once removed), stage and percent. */
export interface RunJobProgress {
  state: string;
  stage: string | null;
  percent: number;
  attemptsMade: number;
}

/** What a pending run's job looks like in Redis, for the worker's resync. */
export type RunJobCheck = { outcome: 'live' } | { outcome: 'queued' } | { outcome: 'failed'; reason: string };

/**
 * The job catalogue: the system's queues, and the only place jobs are added, by name, with the
 * payload, options and id the catalogue gives that name. Producers (API, worker, tools) call it;
 * processors dispatch through dispatchJob.
 */
@Injectable()
export class JobCatalogue {
  private readonly byQueue: Readonly<Record<QueueName, Queue>>;

  constructor(
    @InjectQueue(QUEUES.allocation) allocation: Queue,
    @InjectQueue(QUEUES.webhooks) webhooks: Queue,
    @InjectQueue(QUEUES.province) province: Queue,
    @InjectQueue(QUEUES.maintenance) maintenance: Queue,
  ) {
    this.byQueue = { allocation, webhooks, province, maintenance };
  }

  /** Every queue, for the dashboard. */
  get queues(): Queue[] {
    return Object.values(this.byQueue);
  }

  /** Adds one job; with the catalogue's job id, a repeated call adds nothing while the job is kept. Resolves to the job's id. */
  async enqueue<N extends JobName>(name: N, data: JobPayload<N>, opts: { delay?: number } = {}): Promise<string> {
    const job = await this.byQueue[JOB_QUEUE[name]].add(name, data, jobOptions(name, data, opts.delay));
    return String(job.id);
  }

  /** Adds many jobs of one name in one round trip; `delayOf` delays each (e.g. until a window closes). */
  async enqueueBulk<N extends JobName>(name: N, payloads: readonly JobPayload<N>[], delayOf?: (data: JobPayload<N>) => number): Promise<void> {
    if (!payloads.length) return;
    await this.byQueue[JOB_QUEUE[name]].addBulk(payloads.map((data) => ({ name, data, opts: jobOptions(name, data, delayOf?.(data)) })));
  }

  /**
   * One nightly scheduler (and one auto-publish and one reminder scheduler, if the zone has those
   * times) per zone, idempotent by scheduler id: however many API or worker processes call this,
   * each zone has exactly one of each, firing at the zone's local time in its own time zone.
   */
  async upsertZoneSchedulers(zone: { id: string; runTime: string; timeZone: string; autoPublishTime: string | null; reminderTime?: string | null }): Promise<void> {
    await this.upsertDaily(nightlySchedulerId(zone.id), zone.runTime, zone.timeZone, 'nightly', { zoneId: zone.id });
    if (zone.autoPublishTime) await this.upsertDaily(autoPublishSchedulerId(zone.id), zone.autoPublishTime, zone.timeZone, 'auto-publish', { zoneId: zone.id });
    else await this.byQueue.allocation.removeJobScheduler(autoPublishSchedulerId(zone.id));
    if (zone.reminderTime) await this.upsertDaily(reminderSchedulerId(zone.id), zone.reminderTime, zone.timeZone, 'report-reminder', { zoneId: zone.id });
    else await this.byQueue.allocation.removeJobScheduler(reminderSchedulerId(zone.id));
  }

  /** The province's night, every day at its local run time, for that day's date in its time zone; idempotent by scheduler id. */
  async upsertProvinceScheduler(province: { id: string; runTime: string; timeZone: string }): Promise<void> {
    await this.upsertDaily(provinceNightSchedulerId(province.id), province.runTime, province.timeZone, 'province-night', { provinceId: province.id });
  }

  async upsertReportPartitionsScheduler(): Promise<void> {
    await this.byQueue.maintenance.upsertJobScheduler(
      reportPartitionsSchedulerId,
      { pattern: REPORT_PARTITIONS_CRON, tz: 'Asia/Shanghai' },
      { name: 'report-partitions', data: {}, opts: JOB_SPECS['report-partitions'].options },
    );
  }

  /**
   * Makes sure a run PostgreSQL records as pending has a live job. A job Redis lost, or one that
   * finished without writing the run, is queued again (same job id); a job that failed for good is
   * reported with its reason, for the caller to mark the run failed.
   */
  async ensureRunJob(runId: string): Promise<RunJobCheck> {
    const job = await this.byQueue.allocation.getJob(runId);
    const state = job ? await job.getState() : 'missing';
    if (job && state === 'failed') return { outcome: 'failed', reason: `its job failed after ${job.attemptsMade} attempt(s): ${job.failedReason ?? 'no reason recorded'}` };
    if (job && state === 'completed') await job.remove();
    if (state !== 'missing' && state !== 'completed') return { outcome: 'live' };
    await this.enqueue('run', { runId });
    return { outcome: 'queued' };
  }

  /** Removes the kept job of this name and payload, so the same job can be added again (a benchmark measuring one night twice). */
  async forget<N extends JobName>(name: N, data: JobPayload<N>): Promise<void> {
    const jobId = (JOB_SPECS[name] as JobSpec<N>).jobId?.(data);
    if (jobId) await this.byQueue[JOB_QUEUE[name]].remove(jobId);
  }

  /** The zone's nightly scheduler: its cron, time zone and next firing (epoch ms), or undefined. */
  async nightlyScheduler(zoneId: string): Promise<{ pattern?: string; tz?: string; next?: number } | undefined> {
    return this.byQueue.allocation.getJobScheduler(nightlySchedulerId(zoneId));
  }

  /** BullMQ's state of the job the catalogue would add for this name and payload ('missing' when there is none). */
  async jobState<N extends JobName>(name: N, data: JobPayload<N>): Promise<string> {
    const jobId = (JOB_SPECS[name] as JobSpec<N>).jobId?.(data);
    if (!jobId) throw new Error(`${name} jobs have no id of their own`);
    const job = await this.byQueue[JOB_QUEUE[name]].getJob(jobId);
    return job ? job.getState() : 'missing';
  }

  /** The run's job (job id = run id) as the worker left it: state, the stage it reported (snapshot, solve, write) and its percent. */
  async runProgress(runId: string): Promise<RunJobProgress> {
    const job = await this.byQueue.allocation.getJob(runId);
    if (!job) return { state: 'unknown', stage: null, percent: 0, attemptsMade: 0 };
    const state = await job.getState();
    const p = job.progress as { stage?: string; percent?: number } | number | undefined;
    const stage = typeof p === 'object' && p ? (p.stage ?? null) : null;
    const percent = state === 'completed' ? 100 : typeof p === 'number' ? p : typeof p === 'object' && p ? (p.percent ?? 0) : 0;
    return { state, stage, percent, attemptsMade: job.attemptsMade };
  }

  /** Jobs per queue in each of the given states (waiting, active…), for the metrics. */
  async jobCounts(states: readonly JobType[]): Promise<{ queue: string; counts: Record<string, number> }[]> {
    return Promise.all(this.queues.map(async (q) => ({ queue: q.name, counts: await q.getJobCounts(...states) })));
  }

  /** Hears every queue's connection errors (a queue without a listener prints each to stderr). */
  onError(listener: (queue: string, err: Error) => void): void {
    for (const queue of this.queues) queue.on('error', (err: Error) => listener(queue.name, err));
  }

  private async upsertDaily<N extends JobName>(schedulerId: string, hhmm: string, timeZone: string, name: N, data: JobPayload<N>): Promise<void> {
    await this.byQueue[JOB_QUEUE[name]].upsertJobScheduler(schedulerId, { pattern: dailyCron(hhmm), tz: timeZone }, { name, data, opts: JOB_SPECS[name].options });
  }
}

/** A catalogue of its own for a process without Nest (the demo, the benchmarks), and how to wait for its jobs. */
export interface OpenCatalogue {
  jobs: JobCatalogue;
  /** Resolves with the job's result once it completes; rejects with its reason when it fails for good. */
  finished(name: JobName, jobId: string, timeoutMs: number): Promise<unknown>;
  close(): Promise<void>;
}

export function openJobCatalogue(redisUrl: string, prefix: string): OpenCatalogue {
  // Waiting for jobs blocks on Redis, as a worker does.
  const connection = redisConnection(redisUrl, 'worker');
  const queue = (name: QueueName) => new Queue(name, { prefix, connection });
  const jobs = new JobCatalogue(queue(QUEUES.allocation), queue(QUEUES.webhooks), queue(QUEUES.province), queue(QUEUES.maintenance));
  const events = new Map<QueueName, QueueEvents>();
  return {
    jobs,
    async finished(name, jobId, timeoutMs) {
      const queueName = JOB_QUEUE[name];
      let listener = events.get(queueName);
      if (!listener) events.set(queueName, (listener = new QueueEvents(queueName, { prefix, connection })));
      await listener.waitUntilReady();
      const job = await Job.fromId(jobs.queues.find((q) => q.name === queueName)!, jobId);
      if (!job) throw new Error(`job ${jobId} of ${queueName} is gone`);
      return job.waitUntilFinished(listener, timeoutMs);
    },
    async close() {
      await Promise.all([...events.values()].map((e) => e.close()));
      await Promise.all(jobs.queues.map((q) => q.close()));
    },
  };
}
