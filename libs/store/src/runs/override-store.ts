import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { DomainError, OrganizationKind, type Actor } from '#domain';
import { recordAudit } from '../audit/audit-log.js';
import { Organization } from '../entities/organization.entity.js';
import { Product } from '../entities/product.entity.js';
import { RunOverride } from '../entities/run-override.entity.js';
import type { PageSlice, PageWindow } from '../database/page-window.js';
import { touchRun } from './run-lifecycle.js';

/** Overrides stand in the order they were made: an older one keeps what a newer one would contest. */
export const STANDING_ORDER = { position: 'ASC' } as const;

/** The run an override is made on or withdrawn from, at the version the coordinator read. */
export interface OverrideTarget {
  runId: string;
  zoneId: string;
  serviceDate: string;
  expectedVersion: number;
}

/**
 * Coordinators' standing overrides of a (zone, date). Each change bumps the run's version (its
 * ETag) in the same transaction, and writes its audit entry there too.
 */
@Injectable()
export class OverrideStore {
  constructor(private readonly dataSource: DataSource) {}

  /** One page of the date's overrides, withdrawn ones included, in standing order. */
  async forDate(zoneId: string, serviceDate: string, window: PageWindow): Promise<PageSlice<RunOverride>> {
    const [items, total] = await this.dataSource.getRepository(RunOverride).findAndCount({ where: { zoneId, serviceDate }, order: STANDING_ORDER, skip: window.skip, take: window.take });
    return { items, total };
  }

  /** Which of an override's targets are not in the zone (organizations and products are never deleted). */
  async missingTargets(zoneId: string, t: { enterpriseId: string; supplierId?: string; productCode?: string }): Promise<('enterprise' | 'supplier' | 'product')[]> {
    const m = this.dataSource.manager;
    const missing: ('enterprise' | 'supplier' | 'product')[] = [];
    if (!(await m.existsBy(Organization, { id: t.enterpriseId, zoneId, kind: OrganizationKind.Enterprise }))) missing.push('enterprise');
    if (t.supplierId && !(await m.existsBy(Organization, { id: t.supplierId, zoneId, kind: OrganizationKind.Supplier }))) missing.push('supplier');
    if (t.productCode && !(await m.existsBy(Product, { zoneId, code: t.productCode }))) missing.push('product');
    return missing;
  }

  /**
   * Adds an override. Overrides of one date are checked one at a time, whichever of its runs they
   * are made on: under that lock `check` sees the overrides standing and throws to refuse the new one.
   */
  add(actor: Actor, target: OverrideTarget, override: RunOverride, check: (standing: RunOverride[]) => void): Promise<RunOverride> {
    return this.dataSource.transaction(async (m) => {
      await touchRun(m, target.runId, target.expectedVersion);
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`overrides:${target.zoneId}:${target.serviceDate}`]);
      check(await m.find(RunOverride, { where: { zoneId: target.zoneId, serviceDate: target.serviceDate, withdrawnAt: IsNull() }, order: STANDING_ORDER }));
      await m.insert(RunOverride, override);
      await recordAudit(m, actor, { action: `run.override.${override.kind}`, entityType: 'run_override', entityId: override.id, zoneId: target.zoneId, after: override });
      return override;
    });
  }

  /** Withdraws a standing override of the date (404 OVERRIDE_NOT_FOUND when none has that id: the run's version is left as it was). */
  withdraw(actor: Actor, target: OverrideTarget, overrideId: string, reason: string, now: Date): Promise<RunOverride> {
    return this.dataSource.transaction(async (m) => {
      await touchRun(m, target.runId, target.expectedVersion);
      const override = await m.findOneBy(RunOverride, { id: overrideId, zoneId: target.zoneId, serviceDate: target.serviceDate, withdrawnAt: IsNull() });
      if (!override) throw DomainError.notFound('Override', 'OVERRIDE_NOT_FOUND');
      const before = { ...override };
      override.withdrawnAt = now;
      await m.save(override);
      await recordAudit(m, actor, { action: 'run.override.withdraw', entityType: 'run_override', entityId: override.id, zoneId: target.zoneId, before, after: { ...override, reason } });
      return override;
    });
  }
}
