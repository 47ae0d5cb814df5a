import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { RunStatus, type Actor, type RunTrigger } from '#domain';
import { recordAudit } from '../audit/audit-log.js';
import { AllocationLine } from '../entities/allocation-line.entity.js';
import { AllocationRun, type RunCorrection } from '../entities/allocation-run.entity.js';
import { Zone } from '../entities/zone.entity.js';
import type { PageSlice, PageWindow } from '../database/page-window.js';
import { createRun, findOrCreateScheduledRun, transitionRun, type Transition } from './run-lifecycle.js';
import { publishRun, type PublishOutcome } from './publish-run.js';

export interface NewRun {
  zoneId: string;
  serviceDate: string;
  trigger: RunTrigger;
  parentRunId: string | null;
  correction?: RunCorrection;
}

/** Units of one (enterprise, maker, product) in two runs of a date. */
export interface RunDiffRow {
  enterpriseId: string;
  supplierId: string;
  productCode: string;
  before: number;
  after: number;
  change: number;
}

export interface AppointmentState {
  slipId: string;
  pickupCode: string;
  slotStart: string | null;
  slotEnd: string | null;
  status: string;
  units: Record<string, number>;
}

/** How many appointments a run keeps, changes, cancels and adds against another. */
export type ChangeCounts = Record<AppointmentChange['change'], number>;

export interface AppointmentChange {
  enterpriseId: string;
  supplierId: string;
  before: AppointmentState | null;
  after: AppointmentState | null;
  change: 'kept' | 'changed' | 'cancelled' | 'new';
}

/** Listing leaves out the heavy snapshot and explanations. */
const LIST_COLUMNS = {
  id: true, zoneId: true, serviceDate: true, sequence: true, status: true, trigger: true, startedBy: true, parentRunId: true, version: true, correction: true,
  figures: true, failureReason: true, attempts: true, queuedAt: true, startedAt: true, finishedAt: true, solveMs: true, publishedAt: true, publishedBy: true,
} as const;

/** Everything but the input snapshot. */
const WITHOUT_INPUT_COLUMNS = { ...LIST_COLUMNS, policy: true, explanations: true, timings: true } as const;

/**
 * Allocation runs as coordinators see them: reading, starting, re-running and publishing, each a
 * whole unit of work with its audit entry. State changes go through the run lifecycle.
 */
@Injectable()
export class RunStore {
  constructor(private readonly dataSource: DataSource) {}

  /** A run whole, or without its input snapshot (the largest column, which a screen rarely shows). */
  find(runId: string, { withInput = true }: { withInput?: boolean } = {}): Promise<AllocationRun | null> {
    const repository = this.dataSource.getRepository(AllocationRun);
    return withInput ? repository.findOneBy({ id: runId }) : repository.findOne({ where: { id: runId }, select: WITHOUT_INPUT_COLUMNS });
  }

  findPublished(zoneId: string, serviceDate: string): Promise<AllocationRun | null> {
    return this.dataSource.getRepository(AllocationRun).findOneBy({ zoneId, serviceDate, status: RunStatus.Published });
  }

  zone(zoneId: string): Promise<Zone | null> {
    return this.dataSource.getRepository(Zone).findOneBy({ id: zoneId });
  }

  /** One page of the zone's runs, newest date and sequence first, without snapshots. */
  async list(zoneId: string, serviceDate: string | undefined, window: PageWindow): Promise<PageSlice<AllocationRun>> {
    const [items, total] = await this.dataSource.getRepository(AllocationRun).findAndCount({
      where: { zoneId, ...(serviceDate ? { serviceDate } : {}) },
      select: LIST_COLUMNS,
      order: { serviceDate: 'DESC', sequence: 'DESC' },
      skip: window.skip,
      take: window.take,
    });
    return { items, total };
  }

  /**
   * Records a queued run (and its audit entry); with `guard`, first moves the run it re-runs in the
   * same transaction, so of two re-runs sent with one ETag exactly one creates a run. The caller
   * enqueues its job after this returns.
   */
  create(actor: Actor, input: NewRun, action: string, now: Date, guard?: { runId: string; transition: Transition }): Promise<AllocationRun> {
    return this.dataSource.transaction(async (m) => {
      if (guard) await transitionRun(m, guard.runId, guard.transition);
      const created = await createRun(m, { ...input, startedBy: actor.userId, now });
      await recordAudit(m, actor, { action, entityType: 'allocation_run', entityId: created.id, zoneId: input.zoneId, after: { ...input, sequence: created.sequence } });
      return created;
    });
  }

  /**
   * Publishes a draft (see publishRun) with its audit entry; the caller enqueues what follows. A
   * null actor is the zone's auto-publish, which holds no ETag.
   */
  publish(actor: Actor | null, zone: Zone, runId: string, now: Date, expectedVersion?: number): Promise<PublishOutcome> {
    return this.dataSource.transaction(async (m) => {
      const outcome = await publishRun(m, zone, runId, actor?.userId ?? null, now, expectedVersion);
      await recordAudit(m, actor, {
        action: 'run.publish',
        entityType: 'allocation_run',
        entityId: runId,
        zoneId: zone.id,
        after: { status: RunStatus.Published, supersededRunId: outcome.supersededRunId },
      });
      return outcome;
    });
  }

  /** The scheduled run of (zone, date), created once however often the nightly job arrives. */
  scheduledRun(zoneId: string, serviceDate: string, now: Date): Promise<AllocationRun> {
    return findOrCreateScheduledRun(this.dataSource, zoneId, serviceDate, now);
  }

  /** Runs PostgreSQL records as queued or running, in every zone: each should have a live job. */
  pending(): Promise<AllocationRun[]> {
    return this.dataSource.getRepository(AllocationRun).findBy({ status: In([RunStatus.Queued, RunStatus.Running]) });
  }

  isPublished(zoneId: string, serviceDate: string): Promise<boolean> {
    return this.dataSource.getRepository(AllocationRun).existsBy({ zoneId, serviceDate, status: RunStatus.Published });
  }

  /** The date's newest draft (the one auto-publish publishes). */
  newestDraft(zoneId: string, serviceDate: string): Promise<AllocationRun | null> {
    return this.dataSource.getRepository(AllocationRun).findOne({ where: { zoneId, serviceDate, status: RunStatus.Draft }, order: { sequence: 'DESC' } });
  }

  /** Unconfirmed pickups of a published run at one maker become no-shows; returns how many. */
  async markNoShows(runId: string, supplierId: string): Promise<number> {
    const result: [unknown, number] = await this.dataSource.query(
      `UPDATE pickup_appointments a SET status = 'no_show'
         FROM allocation_runs r
        WHERE a.run_id = r.id AND r.id = $1 AND r.status = 'published' AND a.supplier_id = $2 AND a.status = 'scheduled'`,
      [runId, supplierId],
    );
    return result[1];
  }

  /** One page of a run's lines, optionally of one enterprise or maker. */
  async lines(runId: string, filter: { enterpriseId?: string; supplierId?: string }, window: { skip: number; take: number }): Promise<[AllocationLine[], number]> {
    const where = { runId, ...(filter.enterpriseId ? { enterpriseId: filter.enterpriseId } : {}), ...(filter.supplierId ? { supplierId: filter.supplierId } : {}) };
    return this.dataSource.getRepository(AllocationLine).findAndCount({ where, order: { id: 'ASC' }, skip: window.skip, take: window.take });
  }

  /**
   * One page of a computed run's per-enterprise explanations, in the matcher's order, optionally of
   * one enterprise or of those short of some product only; the window is cut in the SQL, so a page
   * of a 15,000-enterprise run does not travel whole.
   */
  async explanations(runId: string, filter: { enterpriseId?: string; shortOnly?: boolean }, window: PageWindow): Promise<PageSlice<object>> {
    const rows: { total: number; item: object | null }[] = await this.dataSource.query(
      `WITH matching AS (
         SELECT x.item, x.n FROM allocation_runs r, jsonb_array_elements(r.explanations->'explanations') WITH ORDINALITY AS x(item, n)
          WHERE r.id = $1
            AND ($2::text IS NULL OR x.item->>'enterpriseId' = $2)
            AND (NOT $3 OR EXISTS (SELECT 1 FROM jsonb_array_elements(x.item->'products') p WHERE jsonb_array_length(coalesce(p->'short', '[]')) > 0)))
       -- One row at least, so the total comes back with an empty page too.
       SELECT (SELECT count(*)::int FROM matching) AS total, page.item
         FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT item FROM matching ORDER BY n OFFSET $4 LIMIT $5) page ON true`,
      [runId, filter.enterpriseId ?? null, filter.shortOnly ?? false, window.skip, window.take],
    );
    return { items: rows.flatMap((r) => (r.item ? [r.item] : [])), total: rows[0]?.total ?? 0 };
  }

  /** One page of the units that differ between two runs, per enterprise, maker and product, and how many differ in all. */
  async diff(afterRunId: string, beforeRunId: string, window: PageWindow): Promise<PageSlice<RunDiffRow>> {
    const rows: { enterprise_id: string; supplier_id: string; product_code: string; before: string; after: string; total: string }[] = await this.dataSource.query(
      `SELECT enterprise_id, supplier_id, product_code, count(*) OVER () AS total,
              coalesce(sum(units) FILTER (WHERE run_id = $2), 0) AS before,
              coalesce(sum(units) FILTER (WHERE run_id = $1), 0) AS after
         FROM allocation_lines WHERE run_id IN ($1, $2)
        GROUP BY enterprise_id, supplier_id, product_code
       HAVING coalesce(sum(units) FILTER (WHERE run_id = $2), 0) <> coalesce(sum(units) FILTER (WHERE run_id = $1), 0)
        ORDER BY enterprise_id, product_code, supplier_id
        LIMIT $3 OFFSET $4`,
      [afterRunId, beforeRunId, window.take, window.skip],
    );
    const items = rows.map((r) => ({ enterpriseId: r.enterprise_id, supplierId: r.supplier_id, productCode: r.product_code, before: Number(r.before), after: Number(r.after), change: Number(r.after) - Number(r.before) }));
    // The window function counts before LIMIT; a page past the end has no row to carry it.
    return { items, total: rows.length ? Number(rows[0].total) : await this.diffCount(afterRunId, beforeRunId) };
  }

  private async diffCount(afterRunId: string, beforeRunId: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM allocation_lines WHERE run_id IN ($1, $2)
         GROUP BY enterprise_id, supplier_id, product_code
        HAVING coalesce(sum(units) FILTER (WHERE run_id = $2), 0) <> coalesce(sum(units) FILTER (WHERE run_id = $1), 0)) d`,
      [afterRunId, beforeRunId],
    );
    return n;
  }

  /**
   * Each (enterprise, maker) appointment of two runs side by side: kept (same slip), changed (new
   * slip), cancelled or new, with its slip, code, slot, status and units in each run. Counts cover
   * every pair; the window pages the pairs that are not kept, by enterprise then maker.
   */
  async appointmentChanges(afterRunId: string, beforeRunId: string, window: PageWindow): Promise<PageSlice<AppointmentChange> & { counts: ChangeCounts }> {
    type Row = { counts: Partial<ChangeCounts> | null; enterprise_id: string | null; supplier_id: string; before: AppointmentState | null; after: AppointmentState | null; change: AppointmentChange['change'] };
    const rows: Row[] = await this.dataSource.query(
      `WITH units AS (
         SELECT run_id, enterprise_id, supplier_id, jsonb_object_agg(product_code, units) AS units
           FROM (SELECT run_id, enterprise_id, supplier_id, product_code, sum(units)::int AS units FROM allocation_lines
                  WHERE run_id IN ($1, $2) GROUP BY 1, 2, 3, 4) l GROUP BY 1, 2, 3),
       appts AS (
         SELECT a.run_id, a.enterprise_id, a.supplier_id,
                jsonb_build_object('slipId', a.slip_id, 'pickupCode', a.pickup_code, 'slotStart', a.slot_start, 'slotEnd', a.slot_end,
                                   'status', a.status, 'units', coalesce(u.units, '{}'::jsonb)) AS state, a.slip_id
           FROM pickup_appointments a
           LEFT JOIN units u ON u.run_id = a.run_id AND u.enterprise_id = a.enterprise_id AND u.supplier_id = a.supplier_id
          WHERE a.run_id IN ($1, $2)),
       pairs AS (
         SELECT coalesce(n.enterprise_id, o.enterprise_id) AS enterprise_id, coalesce(n.supplier_id, o.supplier_id) AS supplier_id,
                o.state AS before, n.state AS after,
                CASE WHEN o.slip_id IS NULL THEN 'new' WHEN n.slip_id IS NULL THEN 'cancelled' WHEN o.slip_id = n.slip_id THEN 'kept' ELSE 'changed' END AS change
           FROM (SELECT * FROM appts WHERE run_id = $1) n
           FULL JOIN (SELECT * FROM appts WHERE run_id = $2) o ON o.enterprise_id = n.enterprise_id AND o.supplier_id = n.supplier_id),
       counts AS (SELECT jsonb_object_agg(change, n) AS counts FROM (SELECT change, count(*)::int AS n FROM pairs GROUP BY change) c)
       -- One row at least, so the counts come back with an empty page too.
       SELECT c.counts, p.* FROM counts c
         LEFT JOIN LATERAL (SELECT * FROM pairs WHERE change <> 'kept' ORDER BY enterprise_id, supplier_id OFFSET $3 LIMIT $4) p ON true`,
      [afterRunId, beforeRunId, window.skip, window.take],
    );
    const counts: ChangeCounts = { kept: 0, changed: 0, cancelled: 0, new: 0, ...(rows[0]?.counts ?? {}) };
    const items = rows.flatMap((r) => (r.enterprise_id === null ? [] : [{ enterpriseId: r.enterprise_id, supplierId: r.supplier_id, before: r.before, after: r.after, change: r.change }]));
    return { items, total: counts.changed + counts.cancelled + counts.new, counts };
  }
}
