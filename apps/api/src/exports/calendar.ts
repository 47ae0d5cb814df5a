import { DateTime } from 'luxon';

/** One pickup as a calendar event: the slot in the zone's time (a whole day when no slot was free). */
export interface CalendarPickup {
  /** The slip id: stable across corrections that leave the pickup unchanged, so the event is updated, not duplicated. */
  slipId: string;
  serviceDate: string;
  slotStart: Date | null;
  slotEnd: Date | null;
  supplierName: string;
  /** The maker's pickup site. */
  address: string;
  pickupCode: string;
  lines: { nameZh: string; units: number; unit: string; packs: number }[];
  /** When the schedule holding it was published (the event's DTSTAMP). */
  publishedAt: Date;
}

/** RFC 5545 text: backslash, semicolon, comma and newlines escaped. */
const text = (s: string) => s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');

/** Lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  for (const ch of line) {
    if (Buffer.byteLength(current + ch) > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
    }
    current += ch;
  }
  out.push(current);
  return out.join('\r\n ');
}

const utc = (d: Date) => DateTime.fromJSDate(d, { zone: 'utc' }).toFormat("yyyyMMdd'T'HHmmss'Z'");

/**
 * The zone as a VTIMEZONE of one fixed offset (its offset at `at`). Exact for zones without
 * daylight saving, such as Asia/Shanghai; a DST zone would need its rules, which no zone here has.
 */
function vtimezone(timeZone: string, at: Date): string[] {
  const offset = DateTime.fromJSDate(at, { zone: timeZone }).toFormat('ZZZ');
  return ['BEGIN:VTIMEZONE', `TZID:${timeZone}`, 'BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, 'END:STANDARD', 'END:VTIMEZONE'];
}

/** An enterprise's pickups as an iCalendar (one VEVENT per appointment, UID = slip id). */
export function renderCalendar(calendarName: string, timeZone: string, pickups: readonly CalendarPickup[], now: Date): string {
  const local = (d: Date) => DateTime.fromJSDate(d, { zone: timeZone }).toFormat("yyyyMMdd'T'HHmmss");
  const events = pickups.flatMap((p) => {
    const goods = p.lines.map((l) => `${l.nameZh} ${l.units} ${l.unit}（${l.packs} 包）`).join('；');
    const when =
      p.slotStart && p.slotEnd
        ? [`DTSTART;TZID=${timeZone}:${local(p.slotStart)}`, `DTEND;TZID=${timeZone}:${local(p.slotEnd)}`]
        : [`DTSTART;VALUE=DATE:${p.serviceDate.replaceAll('-', '')}`];
    return [
      'BEGIN:VEVENT',
      `UID:${p.slipId}@ppe-matching`,
      `DTSTAMP:${utc(p.publishedAt)}`,
      ...when,
      `SUMMARY:${text(`领取防护物资 Pickup: ${p.supplierName}`)}`,
      `LOCATION:${text(p.address)}`,
      `DESCRIPTION:${text(`取货码 Pickup code: ${p.pickupCode}\n${goods}`)}`,
      'END:VEVENT',
    ];
  });
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//ppe-matching//pickups//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(calendarName)}`,
    `X-WR-TIMEZONE:${timeZone}`,
    ...vtimezone(timeZone, pickups.find((p) => p.slotStart)?.slotStart ?? now),
    ...events,
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}
