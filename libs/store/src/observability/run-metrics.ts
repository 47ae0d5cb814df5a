import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Each zone's latest finished run, as the run gauges show it. */
export interface LatestFinishedRun {
  zone_id: string;
  zone_name: string;
  /** timings.totalMs when the worker recorded it, else finished_at − started_at (failed runs). */
  duration_seconds: number | string | null;
  snapshot_ms: number | string | null;
  solve_ms: number | string | null;
  write_ms: number | string | null;
}

/** Each zone's latest published run: its per-product figures (fill ratios by tier). */
export interface LatestPublishedRun {
  zone_id: string;
  zone_name: string;
  by_product: { productCode: string; fillRatioByTier?: Readonly<Record<string, number>>; minFillRatioByTier?: Readonly<Record<string, number>> }[] | null;
}

/** The run figures the API's /metrics reads at scrape time, whichever worker produced them. */
@Injectable()
export class RunMetrics {
  constructor(private readonly dataSource: DataSource) {}

  latestFinished(): Promise<LatestFinishedRun[]> {
    return this.dataSource.query<LatestFinishedRun[]>(
      `SELECT DISTINCT ON (r.zone_id) r.zone_id, z.name AS zone_name,
              coalesce((r.timings ->> 'totalMs')::numeric / 1000, extract(epoch FROM r.finished_at - r.started_at)) AS duration_seconds,
              r.timings ->> 'snapshotMs' AS snapshot_ms, coalesce((r.timings ->> 'solveMs')::numeric, r.solve_ms) AS solve_ms,
              r.timings ->> 'writeMs' AS write_ms
         FROM allocation_runs r JOIN zones z ON z.id = r.zone_id
        WHERE r.finished_at IS NOT NULL
        ORDER BY r.zone_id, r.finished_at DESC, r.service_date DESC, r.sequence DESC`,
    );
  }

  /** The published schedule of the latest service date: the one enterprises are acting on. */
  latestPublished(): Promise<LatestPublishedRun[]> {
    return this.dataSource.query<LatestPublishedRun[]>(
      `SELECT DISTINCT ON (r.zone_id) r.zone_id, z.name AS zone_name, r.figures -> 'byProduct' AS by_product
         FROM allocation_runs r JOIN zones z ON z.id = r.zone_id
        WHERE r.status = 'published'
        ORDER BY r.zone_id, r.service_date DESC`,
    );
  }
}
