import { Injectable, Logger } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { addDays, Clock, DomainError, OrganizationKind, OverrideKind, RunStatus, RunTrigger, zoneToday } from '#domain';
import { AllocationLine, AllocationRun, createRun, enqueueAfterPublish, Organization, Product, JobCatalogue, publishRun, RunOverride, STANDING_ORDER, toStandingOverride, touchRun, transitionRun, Zone, type RunCorrection } from '#store';
import { fitOverrides, type Problem } from '#matching';
import { AuditService } from '../common/audit.service.js';
import { AccessPolicy } from '../common/auth/access-policy.js';
import type { Principal } from '../common/auth/principal.js';
import { pageWindow, type Page } from '../common/pagination.js';
import type { CreateOverrideDto } from './dto/override.dto.js';
import type { LinesQuery, RerunDto } from './dto/start-run.dto.js';

const RUN_DATE_WINDOW_DAYS = 7;

export interface RunDiffRow {
  enterpriseId: string;
  supplierId: string;
  productCode: string;
  before: number;
  after: number;
  change: number;
}

interface AppointmentState {
  slipId: string;
  pickupCode: string;
  slotStart: string | null;
  slotEnd: string | null;
  status: string;
  units: Record<string, number>;
}

interface ChangeRow {
  enterprise_id: string;
  supplier_id: string;
  before: AppointmentState | null;
  after: AppointmentState | null;
  change: 'kept' | 'changed' | 'cancelled' | 'new';
}

export interface AppointmentChanges {
  runId: string;
  againstRunId: string;
  counts: { kept: number; changed: number; cancelled: number; new: number };
  items: { change: 'changed' | 'cancelled' | 'new'; enterpriseId: string; supplierId: string; before: AppointmentState | null; after: AppointmentState | null }[];
}

/** Coordinators' work on allocation runs: start, read, compare, override, re-run, publish. */
@Injectable()
export class RunsService {
  private readonly logger = new Logger('RunsService');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly access: AccessPolicy,
    private readonly clock: Clock,
    private readonly jobs: JobCatalogue,
  ) {}

  async list(actor: Principal, zoneId: string, serviceDate?: string): Promise<AllocationRun[]> {
    this.access.assertCanManageZone(actor, zoneId);
    return this.dataSource.getRepository(AllocationRun).find({
      where: { zoneId, ...(serviceDate ? { serviceDate } : {}) },
      select: LIST_COLUMNS,
      order: { serviceDate: 'DESC', sequence: 'DESC' },
      take: 200,
    });
  }

  /** A run of the caller's zone, with snapshot and explanations; 404 for another zone's. */
  async get(actor: Principal, runId: string): Promise<AllocationRun> {
    const run = await this.dataSource.getRepository(AllocationRun).findOneBy({ id: runId });
    if (!run) throw DomainError.notFound('Run', 'RUN_NOT_FOUND');
    this.access.assertCanManageZone(actor, run.zoneId);
    return run;
  }

  async start(actor: Principal, zoneId: string, serviceDate: string): Promise<AllocationRun> {
    this.access.assertCanManageZone(actor, zoneId);
    const zone = await this.dataSource.getRepository(Zone).findOneBy({ id: zoneId });
    if (!zone) throw DomainError.notFound('Zone', 'ZONE_NOT_FOUND');
    const today = zoneToday(this.clock.now(), zone.timeZone);
    if (serviceDate < addDays(today, -RUN_DATE_WINDOW_DAYS) || serviceDate > addDays(today, RUN_DATE_WINDOW_DAYS)) {
      throw DomainError.rule('SERVICE_DATE_OUT_OF_RANGE', 'serviceDate', `Runs can be started for dates within ${RUN_DATE_WINDOW_DAYS} days of today (${today})`);
    }
    return this.createAndEnqueue(actor, { zoneId, serviceDate, trigger: RunTrigger.Manual, parentRunId: null }, 'run.start');
  }

  /**
   * A new run of the same date, planned with the overrides standing then; its draft supersedes
   * older drafts. On a published date it is a correction (`request.mode`). The run re-run is
   * touched (its version bumped) in the same transaction, with its ETag in the WHERE clause: of
   * two re-runs (or a re-run and a publish) sent with one ETag, exactly one gets through.
   */
  async rerun(actor: Principal, runId: string, expectedVersion: number, request: RerunDto = {}): Promise<AllocationRun> {
    const run = await this.get(actor, runId);
    const correction: RunCorrection = {
      mode: request.mode ?? 'minimal',
      named: { supplierIds: [...new Set(request.supplierIds ?? [])], enterpriseIds: [...new Set(request.enterpriseIds ?? [])] },
    };
    return this.createAndEnqueue(
      actor,
      { zoneId: run.zoneId, serviceDate: run.serviceDate, trigger: RunTrigger.Rerun, parentRunId: run.id, correction },
      'run.rerun',
      (m) =>
        transitionRun(m, run.id, {
          from: [RunStatus.Draft, RunStatus.Published, RunStatus.Failed],
          expectedVersion,
          conflict: {
            code: 'RUN_NOT_RERUNNABLE',
            message: (status) =>
              status === RunStatus.Superseded ? 'A newer run of this date exists; re-run that one' : `This run is ${status}; re-run it when it is a draft, published or failed`,
          },
        }),
    );
  }

  async publish(actor: Principal, runId: string, expectedVersion: number): Promise<AllocationRun> {
    const run = await this.get(actor, runId);
    const zone = await this.dataSource.getRepository(Zone).findOneByOrFail({ id: run.zoneId });
    const now = this.clock.now();
    const outcome = await this.dataSource.transaction(async (m) => {
      const result = await publishRun(m, zone, runId, actor.userId, now, expectedVersion);
      await this.audit.record(m, actor, {
        action: 'run.publish',
        entityType: 'allocation_run',
        entityId: runId,
        zoneId: run.zoneId,
        after: { status: RunStatus.Published, supersededRunId: result.supersededRunId },
      });
      return result;
    });
    await enqueueAfterPublish(this.jobs, outcome, now);
    return this.get(actor, runId);
  }

  /**
   * A standing instruction for the run's (zone, date), made on any run of the date that has been
   * computed. It is checked against that run's input snapshot together with the overrides already
   * standing: one that could not be applied in full, or that would cut one already standing, is
   * refused (422, nothing stored). Later runs of the date apply it as far as their inputs allow.
   */
  async addOverride(actor: Principal, runId: string, expectedVersion: number, dto: CreateOverrideDto): Promise<RunOverride> {
    const run = await this.get(actor, runId);
    return this.dataSource.transaction(async (m) => {
      await this.assertOverrideTargets(m, run.zoneId, dto);
      const override = m.create(RunOverride, {
        zoneId: run.zoneId,
        serviceDate: run.serviceDate,
        runId,
        kind: dto.kind,
        enterpriseId: dto.enterpriseId,
        supplierId: dto.kind === OverrideKind.SetQuantity ? null : dto.supplierId!,
        productCode: dto.kind === OverrideKind.Exclude ? null : dto.productCode!,
        units: dto.kind === OverrideKind.Exclude ? null : dto.units!,
        reason: dto.reason,
        createdBy: actor.userId,
        createdAt: this.clock.now(),
      });
      await touchRun(m, runId, expectedVersion);
      // Overrides of one date are checked one at a time, whichever of its runs they are made on.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`overrides:${run.zoneId}:${run.serviceDate}`]);
      await this.assertOverrideFits(m, run, override);
      await m.insert(RunOverride, override);
      await this.audit.record(m, actor, { action: `run.override.${dto.kind}`, entityType: 'run_override', entityId: override.id, zoneId: run.zoneId, after: override });
      return override;
    });
  }

  /** Withdraws a standing override of the run's date, whatever state the run is in. */
  async withdrawOverride(actor: Principal, runId: string, overrideId: string, expectedVersion: number, reason: string): Promise<RunOverride> {
    const run = await this.get(actor, runId);
    return this.dataSource.transaction(async (m) => {
      await touchRun(m, runId, expectedVersion);
      const override = await m.findOneBy(RunOverride, { id: overrideId, zoneId: run.zoneId, serviceDate: run.serviceDate, withdrawnAt: IsNull() });
      if (!override) throw DomainError.notFound('Override', 'OVERRIDE_NOT_FOUND');
      const before = { ...override };
      override.withdrawnAt = this.clock.now();
      await m.save(override);
      await this.audit.record(m, actor, { action: 'run.override.withdraw', entityType: 'run_override', entityId: override.id, zoneId: run.zoneId, before, after: { ...override, reason } });
      return override;
    });
  }

  async overrides(actor: Principal, runId: string): Promise<RunOverride[]> {
    const run = await this.get(actor, runId);
    return this.dataSource.getRepository(RunOverride).find({ where: { zoneId: run.zoneId, serviceDate: run.serviceDate }, order: STANDING_ORDER });
  }

  async lines(actor: Principal, runId: string, q: LinesQuery): Promise<Page<AllocationLine>> {
    await this.get(actor, runId);
    const { page, pageSize, skip } = pageWindow(q);
    const where = { runId, ...(q.enterpriseId ? { enterpriseId: q.enterpriseId } : {}), ...(q.supplierId ? { supplierId: q.supplierId } : {}) };
    const [items, total] = await this.dataSource.getRepository(AllocationLine).findAndCount({ where, order: { id: 'ASC' }, skip, take: pageSize });
    return { items, page, pageSize, total };
  }

  /** Who gains or loses what, from whom, between two runs of the same date (units per enterprise, supplier and product). */
  async diff(actor: Principal, runId: string, againstId: string): Promise<RunDiffRow[]> {
    const after = await this.get(actor, runId);
    const before = await this.get(actor, againstId);
    if (before.zoneId !== after.zoneId || before.serviceDate !== after.serviceDate) {
      throw DomainError.rule('RUNS_NOT_COMPARABLE', 'against', 'Both runs must be of the same zone and service date');
    }
    const rows: { enterprise_id: string; supplier_id: string; product_code: string; before: string; after: string }[] = await this.dataSource.query(
      `SELECT enterprise_id, supplier_id, product_code,
              coalesce(sum(units) FILTER (WHERE run_id = $2), 0) AS before,
              coalesce(sum(units) FILTER (WHERE run_id = $1), 0) AS after
         FROM allocation_lines WHERE run_id IN ($1, $2)
        GROUP BY enterprise_id, supplier_id, product_code
       HAVING coalesce(sum(units) FILTER (WHERE run_id = $2), 0) <> coalesce(sum(units) FILTER (WHERE run_id = $1), 0)
        ORDER BY enterprise_id, product_code, supplier_id`,
      [after.id, before.id],
    );
    return rows.map((r) => ({ enterpriseId: r.enterprise_id, supplierId: r.supplier_id, productCode: r.product_code, before: Number(r.before), after: Number(r.after), change: Number(r.after) - Number(r.before) }));
  }

  /**
   * Appointment by appointment, what a run changes against another run of its date (by default the
   * published one): kept (same slip and code), changed (same enterprise and maker, new slip),
   * cancelled or new. Counts cover all; items list all but the kept.
   */
  async changes(actor: Principal, runId: string, againstId?: string): Promise<AppointmentChanges> {
    const after = await this.get(actor, runId);
    const before = againstId
      ? await this.get(actor, againstId)
      : await this.dataSource.getRepository(AllocationRun).findOneBy({ zoneId: after.zoneId, serviceDate: after.serviceDate, status: RunStatus.Published });
    if (!before) throw new DomainError('not_found', 'SCHEDULE_NOT_PUBLISHED', `Nothing is published for ${after.serviceDate} to compare with; name a run in ?against=`);
    if (before.zoneId !== after.zoneId || before.serviceDate !== after.serviceDate) {
      throw DomainError.rule('RUNS_NOT_COMPARABLE', 'against', 'Both runs must be of the same zone and service date');
    }
    const rows: ChangeRow[] = await this.dataSource.query(
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
          WHERE a.run_id IN ($1, $2))
       SELECT coalesce(n.enterprise_id, o.enterprise_id) AS enterprise_id, coalesce(n.supplier_id, o.supplier_id) AS supplier_id,
              o.state AS before, n.state AS after,
              CASE WHEN o.slip_id IS NULL THEN 'new' WHEN n.slip_id IS NULL THEN 'cancelled' WHEN o.slip_id = n.slip_id THEN 'kept' ELSE 'changed' END AS change
         FROM (SELECT * FROM appts WHERE run_id = $1) n
         FULL JOIN (SELECT * FROM appts WHERE run_id = $2) o ON o.enterprise_id = n.enterprise_id AND o.supplier_id = n.supplier_id
        ORDER BY 1, 2`,
      [after.id, before.id],
    );
    const counts = { kept: 0, changed: 0, cancelled: 0, new: 0 };
    for (const r of rows) counts[r.change]++;
    return {
      runId: after.id,
      againstRunId: before.id,
      counts,
      items: rows
        .filter((r) => r.change !== 'kept')
        .map((r) => ({ change: r.change as Exclude<ChangeRow['change'], 'kept'>, enterpriseId: r.enterprise_id, supplierId: r.supplier_id, before: r.before, after: r.after })),
    };
  }

  private async createAndEnqueue(
    actor: Principal,
    input: { zoneId: string; serviceDate: string; trigger: RunTrigger; parentRunId: string | null; correction?: RunCorrection },
    action: string,
    guard?: (m: EntityManager) => Promise<unknown>,
  ): Promise<AllocationRun> {
    const run = await this.dataSource.transaction(async (m) => {
      await guard?.(m);
      const created = await createRun(m, { ...input, startedBy: actor.userId, now: this.clock.now() });
      await this.audit.record(m, actor, { action, entityType: 'allocation_run', entityId: created.id, zoneId: input.zoneId, after: { ...input, sequence: created.sequence } });
      return created;
    });
    try {
      await this.jobs.enqueue('run', { runId: run.id });
    } catch (err) {
      // The run is recorded as queued; the worker re-queues pending runs when it (re)starts.
      this.logger.error(`run ${run.id} recorded but not enqueued: ${err instanceof Error ? err.message : String(err)}`);
    }
    return run;
  }

  private async assertOverrideTargets(m: EntityManager, zoneId: string, dto: CreateOverrideDto): Promise<void> {
    const isOrg = (id: string, kind: OrganizationKind) => m.existsBy(Organization, { id, zoneId, kind });
    if (!(await isOrg(dto.enterpriseId, OrganizationKind.Enterprise))) throw DomainError.rule('UNKNOWN_ENTERPRISE', 'enterpriseId', 'No enterprise with this id in the zone');
    if (dto.supplierId && dto.kind !== OverrideKind.SetQuantity && !(await isOrg(dto.supplierId, OrganizationKind.Supplier))) {
      throw DomainError.rule('UNKNOWN_SUPPLIER', 'supplierId', 'No supplier with this id in the zone');
    }
    if (dto.productCode && dto.kind !== OverrideKind.Exclude && !(await m.existsBy(Product, { zoneId, code: dto.productCode }))) {
      throw DomainError.rule('UNKNOWN_PRODUCT', 'productCode', `Product ${dto.productCode} is not in this zone’s catalogue`);
    }
  }

  /** Refuses an override that the run's inputs cannot honour in full, or that would cut one already standing. */
  private async assertOverrideFits(m: EntityManager, run: AllocationRun, override: RunOverride): Promise<void> {
    const inputs = run.inputSnapshot as Problem | null;
    if (!inputs) {
      throw new DomainError('conflict', 'RUN_NOT_COMPUTED', `Overrides are checked against a computed run’s inputs; this run is ${run.status} without them. Make it on a draft or published run of the date.`);
    }
    const standing = (await m.find(RunOverride, { where: { zoneId: run.zoneId, serviceDate: run.serviceDate, withdrawnAt: IsNull() }, order: STANDING_ORDER })).map(toStandingOverride);
    const before = new Set(fitOverrides(inputs, standing).cuts.map((c) => c.id));
    const cuts = fitOverrides(inputs, [...standing, toStandingOverride(override)]).cuts.filter((c) => !before.has(c.id));
    if (!cuts.length) return;
    const fields = cuts.map((c) =>
      c.id === override.id ? { field: c.field, reason: c.message } : { field: 'kind', reason: `it would cut the standing ${c.kind} override ${c.id}: ${c.message}` },
    );
    throw new DomainError('unprocessable', cuts[0].id === override.id ? cuts[0].code : 'OVERRIDE_CONFLICT', `This override cannot stand against the run’s inputs: ${fields.map((f) => f.reason).join('; ')}`, fields);
  }
}

/** Listing leaves out the heavy snapshot and explanations. */
const LIST_COLUMNS = {
  id: true, zoneId: true, serviceDate: true, sequence: true, status: true, trigger: true, startedBy: true, parentRunId: true, version: true, correction: true,
  figures: true, failureReason: true, attempts: true, queuedAt: true, startedAt: true, finishedAt: true, solveMs: true, publishedAt: true, publishedBy: true,
} as const;
