import { Injectable, Logger } from '@nestjs/common';
import { addDays, Clock, DomainError, OverrideKind, RunStatus, RunTrigger, toStandingOverride, zoneToday } from '#domain';
import { AllocationLine, AllocationRun, enqueueAfterPublish, JobCatalogue, OverrideStore, RunOverride, RunStore, type AppointmentState, type ChangeCounts, type NewRun, type RunCorrection, type RunDiffRow, type Transition } from '#store';
import { fitOverrides, type Problem } from '#matching';
import { AccessPolicy } from '../common/auth/access-policy.js';
import type { Principal } from '../common/auth/principal.js';
import { pageWindow, readPage, type Page, type PageQuery } from '../common/pagination.js';
import type { CreateOverrideDto } from './dto/override.dto.js';
import type { ChangesQuery, DiffQuery, ExplanationsQuery, LinesQuery, ListRunsQuery, RerunDto } from './dto/start-run.dto.js';

const RUN_DATE_WINDOW_DAYS = 7;

export type { RunDiffRow };

export interface AppointmentChanges extends Page<{ change: 'changed' | 'cancelled' | 'new'; enterpriseId: string; supplierId: string; before: AppointmentState | null; after: AppointmentState | null }> {
  runId: string;
  againstRunId: string;
  counts: ChangeCounts;
}

/** Coordinators' work on allocation runs: start, read, compare, override, re-run, publish. */
@Injectable()
export class RunsService {
  private readonly logger = new Logger('RunsService');

  constructor(
    private readonly runs: RunStore,
    private readonly overrideStore: OverrideStore,
    private readonly access: AccessPolicy,
    private readonly clock: Clock,
    private readonly jobs: JobCatalogue,
  ) {}

  async list(actor: Principal, zoneId: string, q: ListRunsQuery): Promise<Page<AllocationRun>> {
    this.access.assertCanManageZone(actor, zoneId);
    return readPage(q, (window) => this.runs.list(zoneId, q.serviceDate, window));
  }

  /** A run of the caller's zone, with snapshot and explanations; 404 for another zone's. */
  async get(actor: Principal, runId: string, options: { withInput?: boolean } = {}): Promise<AllocationRun> {
    const run = await this.runs.find(runId, options);
    if (!run) throw DomainError.notFound('Run', 'RUN_NOT_FOUND');
    this.access.assertCanManageZone(actor, run.zoneId);
    return run;
  }

  async start(actor: Principal, zoneId: string, serviceDate: string): Promise<AllocationRun> {
    this.access.assertCanManageZone(actor, zoneId);
    const zone = await this.runs.zone(zoneId);
    if (!zone) throw DomainError.notFound('Zone', 'ZONE_NOT_FOUND');
    const today = zoneToday(this.clock.now(), zone.timeZone);
    if (serviceDate < addDays(today, -RUN_DATE_WINDOW_DAYS) || serviceDate > addDays(today, RUN_DATE_WINDOW_DAYS)) {
      throw DomainError.rule('SERVICE_DATE_OUT_OF_RANGE', 'serviceDate', `Runs can be started for dates within ${RUN_DATE_WINDOW_DAYS} days of today (${today})`, { days: RUN_DATE_WINDOW_DAYS, today });
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
      {
        runId: run.id,
        transition: {
          from: [RunStatus.Draft, RunStatus.Published, RunStatus.Failed],
          expectedVersion,
          conflict: {
            code: 'RUN_NOT_RERUNNABLE',
            message: (status) =>
              status === RunStatus.Superseded ? 'A newer run of this date exists; re-run that one' : `This run is ${status}; re-run it when it is a draft, published or failed`,
          },
        },
      },
    );
  }

  async publish(actor: Principal, runId: string, expectedVersion: number): Promise<AllocationRun> {
    const run = await this.get(actor, runId);
    const zone = (await this.runs.zone(run.zoneId))!;
    const now = this.clock.now();
    const outcome = await this.runs.publish(actor, zone, runId, now, expectedVersion);
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
    await this.assertOverrideTargets(run.zoneId, dto);
    const override = Object.assign(new RunOverride(), {
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
    return this.overrideStore.add(actor, this.overrideTarget(run, expectedVersion), override, (standing) => this.assertOverrideFits(run, standing, override));
  }

  /** Withdraws a standing override of the run's date, whatever state the run is in. */
  withdrawOverride(actor: Principal, runId: string, overrideId: string, expectedVersion: number, reason: string): Promise<RunOverride> {
    return this.get(actor, runId).then((run) => this.overrideStore.withdraw(actor, this.overrideTarget(run, expectedVersion), overrideId, reason, this.clock.now()));
  }

  async overrides(actor: Principal, runId: string, q: PageQuery): Promise<Page<RunOverride>> {
    const run = await this.get(actor, runId);
    return readPage(q, (window) => this.overrideStore.forDate(run.zoneId, run.serviceDate, window));
  }

  async lines(actor: Principal, runId: string, q: LinesQuery): Promise<Page<AllocationLine>> {
    await this.get(actor, runId);
    const { page, pageSize, skip } = pageWindow(q);
    const [items, total] = await this.runs.lines(runId, { enterpriseId: q.enterpriseId, supplierId: q.supplierId }, { skip, take: pageSize });
    return { items, page, pageSize, total };
  }

  /** Who gains or loses what, from whom, between two runs of the same date (units per enterprise, supplier and product). */
  /** One page of a run's per-enterprise explanations (tier, fair share, why short). */
  async explanations(actor: Principal, runId: string, q: ExplanationsQuery): Promise<Page<object>> {
    const run = await this.get(actor, runId);
    return readPage(q, (window) => this.runs.explanations(run.id, { enterpriseId: q.enterpriseId, shortOnly: q.shortOnly }, window));
  }

  async diff(actor: Principal, runId: string, q: DiffQuery): Promise<Page<RunDiffRow>> {
    const after = await this.get(actor, runId);
    const before = await this.get(actor, q.against);
    if (before.zoneId !== after.zoneId || before.serviceDate !== after.serviceDate) {
      throw DomainError.rule('RUNS_NOT_COMPARABLE', 'against', 'Both runs must be of the same zone and service date');
    }
    return readPage(q, (window) => this.runs.diff(after.id, before.id, window));
  }

  /**
   * Appointment by appointment, what a run changes against another run of its date (by default the
   * published one): kept (same slip and code), changed (same enterprise and maker, new slip),
   * cancelled or new. Counts cover all; the items, a page of all but the kept.
   */
  async changes(actor: Principal, runId: string, q: ChangesQuery): Promise<AppointmentChanges> {
    const againstId = q.against;
    const after = await this.get(actor, runId);
    const before = againstId
      ? await this.get(actor, againstId)
      : await this.runs.findPublished(after.zoneId, after.serviceDate);
    if (!before) throw new DomainError('not_found', 'SCHEDULE_NOT_PUBLISHED', `Nothing is published for ${after.serviceDate} to compare with; name a run in ?against=`, [], { serviceDate: after.serviceDate });
    if (before.zoneId !== after.zoneId || before.serviceDate !== after.serviceDate) {
      throw DomainError.rule('RUNS_NOT_COMPARABLE', 'against', 'Both runs must be of the same zone and service date');
    }
    const { page, pageSize, skip } = pageWindow(q);
    const { items, total, counts } = await this.runs.appointmentChanges(after.id, before.id, { skip, take: pageSize });
    return {
      runId: after.id,
      againstRunId: before.id,
      counts,
      items: items.map((r) => ({ change: r.change as Exclude<typeof r.change, 'kept'>, enterpriseId: r.enterpriseId, supplierId: r.supplierId, before: r.before, after: r.after })),
      page,
      pageSize,
      total,
    };
  }

  private async createAndEnqueue(
    actor: Principal,
    input: NewRun,
    action: string,
    guard?: { runId: string; transition: Transition },
  ): Promise<AllocationRun> {
    const run = await this.runs.create(actor, input, action, this.clock.now(), guard);
    try {
      await this.jobs.enqueue('run', { runId: run.id });
    } catch (err) {
      // The run is recorded as queued; the worker re-queues pending runs when it (re)starts.
      this.logger.error(`run ${run.id} recorded but not enqueued: ${err instanceof Error ? err.message : String(err)}`);
    }
    return run;
  }

  private async assertOverrideTargets(zoneId: string, dto: CreateOverrideDto): Promise<void> {
    const missing = await this.overrideStore.missingTargets(zoneId, {
      enterpriseId: dto.enterpriseId,
      supplierId: dto.kind !== OverrideKind.SetQuantity ? dto.supplierId : undefined,
      productCode: dto.kind !== OverrideKind.Exclude ? dto.productCode : undefined,
    });
    if (missing.includes('enterprise')) throw DomainError.rule('UNKNOWN_ENTERPRISE', 'enterpriseId', 'No enterprise with this id in the zone');
    if (missing.includes('supplier')) throw DomainError.rule('UNKNOWN_SUPPLIER', 'supplierId', 'No supplier with this id in the zone');
    if (missing.includes('product')) throw DomainError.rule('UNKNOWN_PRODUCT', 'productCode', `Product ${dto.productCode} is not in this zone’s catalogue`, { productCode: dto.productCode ?? '' });
  }

  private overrideTarget(run: AllocationRun, expectedVersion: number) {
    return { runId: run.id, zoneId: run.zoneId, serviceDate: run.serviceDate, expectedVersion };
  }

  /** Refuses an override that the run's inputs cannot honour in full, or that would cut one already standing. */
  private assertOverrideFits(run: AllocationRun, standingOverrides: RunOverride[], override: RunOverride): void {
    const inputs = run.inputSnapshot as Problem | null;
    if (!inputs) {
      throw new DomainError('conflict', 'RUN_NOT_COMPUTED', `Overrides are checked against a computed run’s inputs; this run is ${run.status} without them. Make it on a draft or published run of the date.`);
    }
    const standing = standingOverrides.map(toStandingOverride);
    const before = new Set(fitOverrides(inputs, standing).cuts.map((c) => c.id));
    const cuts = fitOverrides(inputs, [...standing, toStandingOverride(override)]).cuts.filter((c) => !before.has(c.id));
    if (!cuts.length) return;
    const fields = cuts.map((c) =>
      c.id === override.id ? { field: c.field, reason: c.message } : { field: 'kind', reason: `it would cut the standing ${c.kind} override ${c.id}: ${c.message}` },
    );
    throw new DomainError('unprocessable', cuts[0].id === override.id ? cuts[0].code : 'OVERRIDE_CONFLICT', `This override cannot stand against the run’s inputs: ${fields.map((f) => f.reason).join('; ')}`, fields);
  }
}

