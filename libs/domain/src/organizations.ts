import { DomainError } from './errors.js';
import { OrganizationKind } from './enums.js';

/** A supplier's daily pickup window at its gate, in the zone's local time. */
export interface PickupWindow {
  /** Local time HH:MM */
  start: string;
  /** Local time HH:MM, after start */
  end: string;
}

/** Slot length of a supplier registered without one. */
export const DEFAULT_SLOT_MINUTES = 30;
/** Vehicles a supplier loads at once when it did not say. */
export const DEFAULT_VEHICLES_PER_SLOT = 2;

/** Minutes since midnight of a local time HH:MM. */
export const clockMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Windows must each start before they end, hold at least one slot, and not overlap. Returns them sorted. */
export function checkPickupWindows(windows: readonly PickupWindow[], slotMinutes: number): PickupWindow[] {
  const sorted = [...windows].sort((a, b) => clockMinutes(a.start) - clockMinutes(b.start));
  sorted.forEach((w, i) => {
    if (clockMinutes(w.end) - clockMinutes(w.start) < slotMinutes) {
      throw DomainError.rule('PICKUP_WINDOW_INVALID', `pickupWindows[${i}]`, `Window ${w.start}–${w.end} must end after it starts and hold at least one ${slotMinutes}-minute slot`);
    }
    if (i > 0 && clockMinutes(w.start) < clockMinutes(sorted[i - 1].end)) {
      throw DomainError.rule('PICKUP_WINDOW_INVALID', `pickupWindows[${i}]`, `Window ${w.start}–${w.end} overlaps ${sorted[i - 1].start}–${sorted[i - 1].end}`);
    }
  });
  return sorted.map((w) => ({ start: w.start, end: w.end }));
}

/** The one answer for an organization out of reach or missing: the same 404, so ids cannot be probed. */
export function organizationNotFound(kind?: OrganizationKind): DomainError {
  const what = kind === OrganizationKind.Supplier ? 'Supplier' : kind === OrganizationKind.Enterprise ? 'Enterprise' : 'Organization';
  return DomainError.notFound(what, 'ORGANIZATION_NOT_FOUND');
}
