import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import {
  addDays,
  AllocationLine,
  AllocationRun,
  Clock,
  createRun,
  DomainError,
  enqueueAfterPublish,
  Organization,
  OrganizationKind,
  OverrideKind,
  Product,
  publishRun,
  QUEUES,
  RUN_JOB_OPTIONS,
  RunOverride,
  RunStatus,
  RunTrigger,
  Zone,
  zoneToday,
} from '#domain';
import { AuditService } from '../common/audit.service.js';
import { AccessPolicy } from '../common/auth/access-policy.js';
import type { Principal } from '../common/auth/principal.js';
import { pageWindow, type Page } from '../common/pagination.js';
import type { CreateOverrideDto } from './dto/override.dto.js';
import type { LinesQuery } from './dto/start-run.dto.js';

const RUN_DATE_WINDOW_DAYS = 7;

export interface RunDiffRow {
  enterpriseId: string;
  supplierId: string;
  productCode: string;
  before: number;
  after: number;
  change: number;
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
    @InjectQueue(QUEUES.allocation) private readonly allocationQueue: Queue,
    @InjectQueue(QUEUES.webhooks) private readonly webhookQueue: Queue,
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

  /** A new run of the same date that keeps every active override; its draft supersedes older drafts. */
  async rerun(actor: Principal, runId: string, expectedVersion: number): Promise<AllocationRun> {
    const run = await this.get(actor, runId);
    assertVersion(run, expectedVersion);
    if (run.status === RunStatus.Queued || run.status === RunStatus.Running) {
      throw new DomainError('conflict', 'RUN_IN_PROGRESS', 'This run is still being computed; re-run when it is a draft');
    }
    if (run.status === RunStatus.Superseded) throw new DomainError('conflict', 'RUN_SUPERSEDED', 'A newer run of this date exists; re-run that one');
    return this.createAndEnqueue(actor, { zoneId: run.zoneId, serviceDate: run.serviceDate, trigger: RunTrigger.Rerun, parentRunId: run.id }, 'run.rerun');
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
    await enqueueAfterPublish(this.allocationQueue, this.webhookQueue, outcome, now);
    return this.get(actor, runId);
  }

  async addOverride(actor: Principal, runId: string, expectedVersion: number, dto: CreateOverrideDto): Promise<RunOverride> {
    const run = await this.get(actor, runId);
    return this.dataSource.transaction(async (m) => {
      const locked = await this.lockDraft(m, runId, expectedVersion);
      await this.assertOverrideTargets(m, locked.zoneId, dto);
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
      await m.insert(RunOverride, override);
      await m.update(AllocationRun, { id: runId }, { version: locked.version + 1 });
      await this.audit.record(m, actor, { action: `run.override.${dto.kind}`, entityType: 'run_override', entityId: override.id, zoneId: run.zoneId, after: override });
      return override;
    });
  }

  async withdrawOverride(actor: Principal, runId: string, overrideId: string, expectedVersion: number, reason: string): Promise<RunOverride> {
    const run = await this.get(actor, runId);
    return this.dataSource.transaction(async (m) => {
      const locked = await this.lockDraft(m, runId, expectedVersion);
      const override = await m.findOneBy(RunOverride, { id: overrideId, zoneId: run.zoneId, serviceDate: run.serviceDate, withdrawnAt: IsNull() });
      if (!override) throw DomainError.notFound('Override', 'OVERRIDE_NOT_FOUND');
      const before = { ...override };
      override.withdrawnAt = this.clock.now();
      await m.save(override);
      await m.update(AllocationRun, { id: runId }, { version: locked.version + 1 });
      await this.audit.record(m, actor, { action: 'run.override.withdraw', entityType: 'run_override', entityId: override.id, zoneId: run.zoneId, before, after: { ...override, reason } });
      return override;
    });
  }

  async overrides(actor: Principal, runId: string): Promise<RunOverride[]> {
    const run = await this.get(actor, runId);
    return this.dataSource.getRepository(RunOverride).find({ where: { zoneId: run.zoneId, serviceDate: run.serviceDate }, order: { createdAt: 'ASC' } });
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

  private async createAndEnqueue(
    actor: Principal,
    input: { zoneId: string; serviceDate: string; trigger: RunTrigger; parentRunId: string | null },
    action: string,
  ): Promise<AllocationRun> {
    const run = await this.dataSource.transaction(async (m) => {
      const created = await createRun(m, { ...input, startedBy: actor.userId, now: this.clock.now() });
      await this.audit.record(m, actor, { action, entityType: 'allocation_run', entityId: created.id, zoneId: input.zoneId, after: { ...input, sequence: created.sequence } });
      return created;
    });
    try {
      await this.allocationQueue.add('run', { runId: run.id }, { ...RUN_JOB_OPTIONS, jobId: run.id });
    } catch (err) {
      // The run is recorded as queued; the worker re-queues pending runs when it (re)starts.
      this.logger.error(`run ${run.id} recorded but not enqueued: ${err instanceof Error ? err.message : String(err)}`);
    }
    return run;
  }

  private async lockDraft(m: EntityManager, runId: string, expectedVersion: number): Promise<AllocationRun> {
    const run = await m.findOne(AllocationRun, { where: { id: runId }, lock: { mode: 'pessimistic_write' } });
    if (!run) throw DomainError.notFound('Run', 'RUN_NOT_FOUND');
    assertVersion(run, expectedVersion);
    if (run.status !== RunStatus.Draft) {
      throw new DomainError('conflict', 'RUN_NOT_DRAFT', `Overrides are made on a draft; this run is ${run.status}. A published run is corrected by a re-run.`);
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
}

function assertVersion(run: AllocationRun, expected: number): void {
  if (run.version !== expected) {
    throw new DomainError('precondition_failed', 'STALE_ETAG', `The run changed since you read it (now version ${run.version}); reload and retry`);
  }
}

/** Listing leaves out the heavy snapshot and explanations. */
const LIST_COLUMNS = {
  id: true, zoneId: true, serviceDate: true, sequence: true, status: true, trigger: true, startedBy: true, parentRunId: true, version: true,
  figures: true, failureReason: true, attempts: true, queuedAt: true, startedAt: true, finishedAt: true, solveMs: true, publishedAt: true, publishedBy: true,
} as const;
