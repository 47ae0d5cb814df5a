import { DomainError } from '../errors.js';
import { addDays, reportCutoff, zoneInstant, zoneToday, type ServiceDate } from '../zone-time.js';
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

/*
 * The window is checked on every report, and luxon's zone arithmetic costs tens of microseconds a
 * call: a zone's current day (with its bounds, so a clock that moves either way is answered right)
 * and the cutoff instants are remembered. Both are functions of their inputs only.
 */
const zoneDays = new Map<string, { date: ServiceDate; last: ServiceDate; from: number; to: number }>();
const cutoffs = new Map<string, Date>();
const MAX_REMEMBERED_CUTOFFS = 10_000;

/** Today in the zone and the last date it takes reports for. */
function reportingDays(now: Date, timeZone: string): { date: ServiceDate; last: ServiceDate } {
  const t = now.getTime();
  const known = zoneDays.get(timeZone);
  if (known && t >= known.from && t < known.to) return known;
  const date = zoneToday(now, timeZone);
  const day = { date, last: addDays(date, MAX_DAYS_AHEAD), from: zoneInstant(date, '00:00', timeZone).getTime(), to: zoneInstant(addDays(date, 1), '00:00', timeZone).getTime() };
  zoneDays.set(timeZone, day);
  return day;
}

function cutoffOf(serviceDate: ServiceDate, zone: ReportingZone): Date {
  const key = `${serviceDate} ${zone.cutoffTime} ${zone.timeZone}`;
  let cutoff = cutoffs.get(key);
  if (!cutoff) {
    if (cutoffs.size >= MAX_REMEMBERED_CUTOFFS) cutoffs.clear();
    cutoff = reportCutoff(serviceDate, zone.cutoffTime, zone.timeZone);
    cutoffs.set(key, cutoff);
  }
  return cutoff;
}

/**
 * A report for D may be posted from today to 7 days ahead (zone-local), and before the zone's
 * cutoff on D−1. After the cutoff only staff may post; their report is marked late.
 */
export function checkReportingWindow(now: Date, zone: ReportingZone, serviceDate: ServiceDate, kind: ReportKind, byStaff: boolean): { late: boolean } {
  const { date: today, last } = reportingDays(now, zone.timeZone);
  if (serviceDate < today) {
    throw DomainError.rule('SERVICE_DATE_IN_PAST', 'serviceDate', `Service date ${serviceDate} is before today (${today} in ${zone.timeZone})`, { serviceDate, today, timeZone: zone.timeZone });
  }
  if (serviceDate > last) {
    throw DomainError.rule('SERVICE_DATE_TOO_FAR', 'serviceDate', `Service date ${serviceDate} is more than ${MAX_DAYS_AHEAD} days ahead (last: ${last})`, { serviceDate, maxDays: MAX_DAYS_AHEAD, last });
  }
  if (now < cutoffOf(serviceDate, zone)) return { late: false };
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
