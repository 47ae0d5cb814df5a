import { DomainError } from '#domain';
import { type PickupWindow } from '#store';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Windows must each start before they end, hold at least one slot, and not overlap. Returns them sorted. */
export function checkPickupWindows(windows: readonly PickupWindow[], slotMinutes: number): PickupWindow[] {
  const sorted = [...windows].sort((a, b) => minutes(a.start) - minutes(b.start));
  sorted.forEach((w, i) => {
    if (minutes(w.end) - minutes(w.start) < slotMinutes) {
      throw DomainError.rule('PICKUP_WINDOW_INVALID', `pickupWindows[${i}]`, `Window ${w.start}–${w.end} must end after it starts and hold at least one ${slotMinutes}-minute slot`);
    }
    if (i > 0 && minutes(w.start) < minutes(sorted[i - 1].end)) {
      throw DomainError.rule('PICKUP_WINDOW_INVALID', `pickupWindows[${i}]`, `Window ${w.start}–${w.end} overlaps ${sorted[i - 1].start}–${sorted[i - 1].end}`);
    }
  });
  return sorted.map((w) => ({ start: w.start, end: w.end }));
}
