import { DateTime, IANAZone } from 'luxon';

/** A zone-local calendar date as YYYY-MM-DD. */
export type ServiceDate = string;

export function isValidTimeZone(tz: string): boolean {
  return IANAZone.isValidZone(tz);
}

/** Today's date in the zone, e.g. zoneToday(now, 'Asia/Shanghai') → '2026-02-24'. */
export function zoneToday(now: Date, timeZone: string): ServiceDate {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;
}

export function addDays(date: ServiceDate, days: number): ServiceDate {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** The instant of local time `hhmm` on `date` in the zone (DST gaps resolve forward, as luxon does). */
export function zoneInstant(date: ServiceDate, hhmm: string, timeZone: string): Date {
  return DateTime.fromISO(`${date}T${hhmm}`, { zone: timeZone }).toJSDate();
}

/** Reports for service date D close at the zone's cutoff time on D−1, zone-local. */
export function reportCutoff(serviceDate: ServiceDate, cutoffTime: string, timeZone: string): Date {
  return zoneInstant(addDays(serviceDate, -1), cutoffTime, timeZone);
}

/** A real calendar date in YYYY-MM-DD form (rejects 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}
