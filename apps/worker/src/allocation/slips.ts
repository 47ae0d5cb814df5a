import { randomUUID } from 'node:crypto';
import { PickupStatus } from '#domain';
import type { IssuedAppointment, RunCorrection } from '#store';
import { newPickupCode } from './pickup-code.js';
import type { PublishedPlan } from './run-snapshot.js';

/** One pickup of the new run as the matcher planned it (slot null: no free slot). */
export interface PlannedPickup {
  enterpriseId: string;
  supplierId: string;
  slotStart: Date | null;
  slotEnd: Date | null;
}

const pairOf = (a: { enterpriseId: string; supplierId: string }) => `${a.enterpriseId}|${a.supplierId}`;
const sameInstant = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : a.getTime() === b.getTime());

function sameUnits(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a).filter((k) => a[k] > 0);
  return keys.length === Object.keys(b).filter((k) => b[k] > 0).length && keys.every((k) => a[k] === b[k]);
}

/**
 * Gives each planned pickup its slip: an appointment that the published plan holds unchanged
 * (same enterprise, supplier, slot and units per product) keeps its slip id, code and gate status,
 * so a printed slip stays valid and a confirmed pickup stays confirmed; any other gets a new slip
 * and a code never used for the date. Counts kept, changed, cancelled and new appointments against
 * the published plan (all new when there is none).
 */
export function issueSlips(
  planned: readonly PlannedPickup[],
  lines: readonly { enterpriseId: string; supplierId: string; productCode: string; units: number }[],
  published: PublishedPlan | null,
): { appointments: IssuedAppointment[]; changes: NonNullable<RunCorrection['changes']> } {
  const units = new Map<string, Record<string, number>>();
  for (const l of lines) {
    const byProduct = units.get(pairOf(l)) ?? {};
    byProduct[l.productCode] = (byProduct[l.productCode] ?? 0) + l.units;
    units.set(pairOf(l), byProduct);
  }
  const before = new Map((published?.appointments ?? []).map((a) => [pairOf(a), a]));
  // Codes of the date's published plan are never handed out again, kept or not.
  const taken = new Set((published?.appointments ?? []).map((a) => a.pickupCode));
  const changes = { kept: 0, changed: 0, cancelled: 0, new: 0 };
  const seen = new Set<string>();
  const appointments: IssuedAppointment[] = [];
  for (const p of planned) {
    const pair = pairOf(p);
    if (seen.has(pair)) continue;
    seen.add(pair);
    const old = before.get(pair);
    if (old && sameInstant(old.slotStart, p.slotStart) && sameInstant(old.slotEnd, p.slotEnd) && sameUnits(old.units, units.get(pair) ?? {})) {
      changes.kept++;
      appointments.push({ ...p, slipId: old.slipId, pickupCode: old.pickupCode, status: old.status, confirmedAt: old.confirmedAt, confirmedBy: old.confirmedBy });
      continue;
    }
    if (old) changes.changed++;
    else changes.new++;
    appointments.push({ ...p, slipId: randomUUID(), pickupCode: newPickupCode(taken), status: PickupStatus.Scheduled, confirmedAt: null, confirmedBy: null });
  }
  for (const pair of before.keys()) if (!seen.has(pair)) changes.cancelled++;
  return { appointments, changes };
}
