import { Injectable, Logger } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { JobCatalogue, RunMetrics, type LatestFinishedRun, type LatestPublishedRun } from '#store';

/** Queue states exported as ppe_queue_jobs{state}. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** A scrape must answer even when a dependency hangs: each source gets this long. */
const SOURCE_TIMEOUT_MS = 2000;
/** The gauges of one scrape are collected concurrently and share one read of the sources. */
const READ_TTL_MS = 1000;

/** Phases of a computed run, as the worker records them in allocation_runs.timings. */
export const RUN_PHASES = ['snapshot', 'solve', 'write'] as const;

type ProductRatios = NonNullable<LatestPublishedRun['by_product']>[number];

interface SourceRead {
  /** Per queue name, jobs per state; undefined when Redis could not be read. */
  queues?: { name: string; counts: Record<string, number> }[];
  /** Latest finished and latest published run per zone; undefined when PostgreSQL could not be read. */
  runs?: { finished: LatestFinishedRun[]; published: LatestPublishedRun[] };
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${SOURCE_TIMEOUT_MS} ms`)), SOURCE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Prometheus metrics of the API process, served at /metrics. HTTP timings are recorded as
 * requests finish; run and queue figures are read at scrape time from PostgreSQL and Redis, so
 * they are right whichever process (API or worker, one or many) produced them.
 */
@Injectable()
export class MetricsService {
  /** One registry per application (tests run several in one process). */
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');
  private lastRead?: { at: number; value: Promise<SourceRead> };
  private lastWarning = 0;

  private readonly httpDuration = new Histogram({
    name: 'ppe_http_request_duration_seconds',
    help: 'HTTP request duration, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(
    private readonly runMetrics: RunMetrics,
    private readonly jobs: JobCatalogue,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const read = () => this.read();
    const zoneLabels = (row: { zone_id: string; zone_name: string }) => ({ zone: row.zone_name, zone_id: row.zone_id });

    new Gauge({
      name: 'ppe_metrics_source_up',
      help: 'Whether this scrape could read the source (postgres, redis); 0 means the figures from it are missing',
      labelNames: ['source'] as const,
      registers: [this.registry],
      async collect() {
        const { queues, runs } = await read();
        this.set({ source: 'redis' }, queues ? 1 : 0);
        this.set({ source: 'postgres' }, runs ? 1 : 0);
      },
    });

    new Gauge({
      name: 'ppe_queue_jobs',
      help: 'Jobs in each BullMQ queue by state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const queue of (await read()).queues ?? []) {
          for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, queue.counts[state] ?? 0);
        }
      },
    });

    new Gauge({
      name: 'ppe_run_duration_seconds',
      help: 'Time the worker spent on each zone’s latest finished allocation run, from pickup to written draft (or failure)',
      labelNames: ['zone', 'zone_id'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of (await read()).runs?.finished ?? []) {
          if (row.duration_seconds !== null) this.set(zoneLabels(row), Number(row.duration_seconds));
        }
      },
    });

    new Gauge({
      name: 'ppe_run_phase_seconds',
      help: 'Phases of each zone’s latest finished allocation run: reading the snapshot, solving, writing',
      labelNames: ['zone', 'zone_id', 'phase'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of (await read()).runs?.finished ?? []) {
          const ms = { snapshot: row.snapshot_ms, solve: row.solve_ms, write: row.write_ms };
          for (const phase of RUN_PHASES) {
            if (ms[phase] !== null) this.set({ ...zoneLabels(row), phase }, Number(ms[phase]) / 1000);
          }
        }
      },
    });

    const ratioGauge = (name: string, help: string, pick: (p: ProductRatios) => Readonly<Record<string, number>> | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['zone', 'zone_id', 'product', 'tier'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const row of (await read()).runs?.published ?? []) {
            for (const product of row.by_product ?? []) {
              for (const [tier, ratio] of Object.entries(pick(product) ?? {})) {
                this.set({ ...zoneLabels(row), product: product.productCode, tier }, ratio);
              }
            }
          }
        },
      });
    ratioGauge('ppe_run_fill_ratio', 'Share of demand allocated, per zone, product and tier, in the zone’s latest published run', (p) => p.fillRatioByTier);
    ratioGauge('ppe_run_min_fill_ratio', 'Lowest enterprise fill ratio, per zone, product and tier, in the zone’s latest published run', (p) => p.minFillRatioByTier);
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(status) }, seconds);
  }

  /** Reads Redis and PostgreSQL once for all the gauges of a scrape; a source that fails is left out. */
  private read(): Promise<SourceRead> {
    const now = Date.now();
    if (!this.lastRead || now - this.lastRead.at > READ_TTL_MS) {
      this.lastRead = { at: now, value: this.readSources() };
    }
    return this.lastRead.value;
  }

  private async readSources(): Promise<SourceRead> {
    const [queues, runs] = await Promise.all([
      withTimeout(this.readQueues(), 'Redis').catch((err: unknown) => this.warn('queue depths', err)),
      withTimeout(this.readRuns(), 'PostgreSQL').catch((err: unknown) => this.warn('run figures', err)),
    ]);
    return { queues: queues ?? undefined, runs: runs ?? undefined };
  }

  private async readQueues(): Promise<NonNullable<SourceRead['queues']>> {
    return (await this.jobs.jobCounts(QUEUE_STATES)).map(({ queue, counts }) => ({ name: queue, counts }));
  }

  private async readRuns(): Promise<NonNullable<SourceRead['runs']>> {
    const [finished, published] = await Promise.all([this.runMetrics.latestFinished(), this.runMetrics.latestPublished()]);
    return { finished, published };
  }

  /** At most one warning every 30 s: a scraper polling a broken source must not flood the log. */
  private warn(what: string, err: unknown): null {
    if (Date.now() - this.lastWarning >= 30_000) {
      this.lastWarning = Date.now();
      this.logger.warn(`metrics: ${what} unavailable: ${err instanceof Error ? err.message : String(err)}`);
    }
    return null;
  }
}
