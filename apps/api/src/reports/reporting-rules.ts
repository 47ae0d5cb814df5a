import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { addDays, Clock, DomainError, reportCutoff, zoneToday } from '#domain';
import { nextInSeries, type Product, type Zone } from '#store';
import { ZoneSettingsCache } from '../common/zone-settings.cache.js';

import { isStaff, type Principal } from '../common/auth/principal.js';

export const MAX_DAYS_AHEAD = 7;

/** Rules demand and capacity reports share: the reporting window, the cutoff, the catalogue. */
@Injectable()
export class ReportingRules {
  constructor(
    private readonly clock: Clock,
    private readonly zoneSettings: ZoneSettingsCache,
  ) {}

  /** The zone's settings (cached for a few seconds: read on every report). */
  zone(zoneId: string): Promise<Zone> {
    return this.zoneSettings.zone(zoneId);
  }

  /**
   * A report for D may be posted from today to 7 days ahead (zone-local), and before the zone's
   * cutoff on D−1. After the cutoff only staff may post; their report is marked late.
   */
  checkWindow(actor: Principal, zone: Zone, serviceDate: string, cutoffCode: string): { late: boolean } {
    const now = this.clock.now();
    const today = zoneToday(now, zone.timeZone);
    if (serviceDate < today) {
      throw DomainError.rule('SERVICE_DATE_IN_PAST', 'serviceDate', `Service date ${serviceDate} is before today (${today} in ${zone.timeZone})`);
    }
    const last = addDays(today, MAX_DAYS_AHEAD);
    if (serviceDate > last) {
      throw DomainError.rule('SERVICE_DATE_TOO_FAR', 'serviceDate', `Service date ${serviceDate} is more than ${MAX_DAYS_AHEAD} days ahead (last: ${last})`);
    }
    const cutoff = reportCutoff(serviceDate, zone.cutoffTime, zone.timeZone);
    if (now < cutoff) return { late: false };
    if (isStaff(actor)) return { late: true };
    throw new DomainError(
      'conflict',
      cutoffCode,
      `Reports for ${serviceDate} closed at ${addDays(serviceDate, -1)} ${zone.cutoffTime} (${zone.timeZone}); ask a coordinator to post it`,
      [{ field: 'serviceDate', reason: 'after the reporting cutoff' }],
    );
  }

  /** Resolves each line's product code in the zone's catalogue; duplicates and unknown codes are refused. */
  async resolveProducts(zoneId: string, codes: readonly string[]): Promise<Product[]> {
    const catalogue = await this.zoneSettings.catalogue(zoneId);
    const seen = new Set<string>();
    return codes.map((code, i) => {
      if (seen.has(code)) throw DomainError.rule('DUPLICATE_PRODUCT', `lines[${i}].productCode`, `Product ${code} appears more than once`);
      seen.add(code);
      const product = catalogue.get(code);
      if (!product) throw DomainError.rule('UNKNOWN_PRODUCT', `lines[${i}].productCode`, `Product ${code} is not in this zone’s catalogue`);
      return product;
    });
  }

  /** The next version number for (organization, date); concurrent reposts never share one. */
  nextVersion(m: EntityManager, table: 'demand_reports' | 'capacity_reports', orgColumn: string, orgId: string, serviceDate: string): Promise<number> {
    return nextInSeries(m, `${table}:${orgId}:${serviceDate}`, `SELECT max(version) FROM ${table} WHERE ${orgColumn} = $1 AND service_date = $2`, [orgId, serviceDate]);
  }

  range(zone: Zone, from?: string, to?: string): { from: string; to: string } {
    const today = zoneToday(this.clock.now(), zone.timeZone);
    const range = { from: from ?? addDays(today, -MAX_DAYS_AHEAD), to: to ?? addDays(today, MAX_DAYS_AHEAD) };
    if (range.to < range.from || range.to > addDays(range.from, 62)) {
      throw DomainError.rule('DATE_RANGE_INVALID', 'to', 'to must be on or after from, and at most 62 days after it');
    }
    return range;
  }
}
