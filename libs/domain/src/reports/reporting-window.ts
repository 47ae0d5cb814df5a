import { DomainError } from '../errors.js';
import { addDays, reportCutoff, zoneToday, type ServiceDate } from '../zone-time.js';
import type { ReportKind } from './report-kind.js';

/** Reports are taken from today to this many days ahead (zone-local). */
export const MAX_DAYS_AHEAD = 7;
/** The longest range of service dates one history read covers. */
export const MAX_RANGE_DAYS = 62;

/** What the window reads of a zone. */
export interface ReportingZone {
  timeZone: string;
  /** HH:MM on the day before the service date, zone-local. */
  cutoffTime: string;
}

/**
 * A report for D may be posted from today to 7 days ahead (zone-local), and before the zone's
 * cutoff on D−1. After the cutoff only staff may post; their report is marked late.
 */
export function checkReportingWindow(now: Date, zone: ReportingZone, serviceDate: ServiceDate, kind: ReportKind, byStaff: boolean): { late: boolean } {
  const today = zoneToday(now, zone.timeZone);
  if (serviceDate < today) {
    throw DomainError.rule('SERVICE_DATE_IN_PAST', 'serviceDate', `Service date ${serviceDate} is before today (${today} in ${zone.timeZone})`, { serviceDate, today, timeZone: zone.timeZone });
  }
  const last = addDays(today, MAX_DAYS_AHEAD);
  if (serviceDate > last) {
    throw DomainError.rule('SERVICE_DATE_TOO_FAR', 'serviceDate', `Service date ${serviceDate} is more than ${MAX_DAYS_AHEAD} days ahead (last: ${last})`, { serviceDate, maxDays: MAX_DAYS_AHEAD, last });
  }
  if (now < reportCutoff(serviceDate, zone.cutoffTime, zone.timeZone)) return { late: false };
  if (byStaff) return { late: true };
  throw new DomainError(
    'conflict',
    kind.afterCutoffCode,
    `Reports for ${serviceDate} closed at ${addDays(serviceDate, -1)} ${zone.cutoffTime} (${zone.timeZone}); ask a coordinator to post it`,
    [{ field: 'serviceDate', reason: 'after the reporting cutoff' }],
    { serviceDate, cutoffDate: addDays(serviceDate, -1), cutoffTime: zone.cutoffTime, timeZone: zone.timeZone },
  );
}

/** The service dates a history read covers: as asked, by default a week either side of today. */
export function reportRange(now: Date, zone: Pick<ReportingZone, 'timeZone'>, from?: ServiceDate, to?: ServiceDate): { from: ServiceDate; to: ServiceDate } {
  const today = zoneToday(now, zone.timeZone);
  const range = { from: from ?? addDays(today, -MAX_DAYS_AHEAD), to: to ?? addDays(today, MAX_DAYS_AHEAD) };
  if (range.to < range.from || range.to > addDays(range.from, MAX_RANGE_DAYS)) {
    throw DomainError.rule('DATE_RANGE_INVALID', 'to', `to must be on or after from, and at most ${MAX_RANGE_DAYS} days after it`, { maxDays: MAX_RANGE_DAYS });
  }
  return range;
}
