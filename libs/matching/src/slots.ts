import { haversineM } from './geo.js';
import type { Model } from './model.js';
import type { UnslottedPickup } from './types.js';

export interface Pickup {
  readonly e: number;
  readonly s: number;
  readonly distM: number;
}

export interface SlotAssignment {
  readonly e: number;
  readonly s: number;
  readonly startMinute: number;
  readonly endMinute: number;
}

export interface SlotResult {
  readonly appointments: SlotAssignment[];
  readonly unslotted: { e: number; s: number; reason: UnslottedPickup['reason'] }[];
}

/**
 * Stage 6: one slot per enterprise–supplier pickup. Each supplier window is cut into slots of
 * the supplier's own `slotMinutes` (else the zone's; the last slot of a window may be shorter),
 * each taking `vehicles` pickups at once. Enterprises are served in tier order (then id), so
 * higher tiers get earlier slots; an enterprise's pickups go
 * nearest supplier first, each into the earliest free slot (inside its preferred window when one
 * fits) that keeps `travel + pickupBufferMinutes` minutes away from its other pickups, where travel
 * is the supplier-to-supplier distance at `travelSpeedKmh`. Greedy, deterministic; a pickup with no
 * compatible slot is reported, never dropped silently.
 *
 * @example const { appointments, unslotted } = assignSlots(model, pickups);
 */
export function assignSlots(m: Model, pickups: readonly Pickup[]): SlotResult {
  const slotStart: number[][] = [];
  const slotEnd: number[][] = [];
  const slotLeft: number[][] = [];
  for (let s = 0; s < m.nS; s++) {
    const st: number[] = [];
    const en: number[] = [];
    const left: number[] = [];
    const len = m.supplierSlotMinutes[s];
    for (const w of m.windows[s]) {
      for (let t = w.startMinute; t < w.endMinute; t += len) {
        st.push(t);
        en.push(Math.min(t + len, w.endMinute));
        left.push(w.vehicles);
      }
    }
    // Overlapping windows would give duplicate slots; order by start for "earliest first".
    const order = st.map((_, i) => i).sort((a, b) => st[a] - st[b] || en[a] - en[b]);
    slotStart.push(order.map((i) => st[i]));
    slotEnd.push(order.map((i) => en[i]));
    slotLeft.push(order.map((i) => left[i]));
  }
  const sorted = [...pickups].sort((a, b) => m.tier[a.e] - m.tier[b.e] || a.e - b.e || a.distM - b.distM || a.s - b.s);
  const appointments: SlotAssignment[] = [];
  const unslotted: SlotResult['unslotted'] = [];
  const travelMinutes = (s1: number, s2: number) =>
    Math.ceil((haversineM(m.sLat[s1], m.sLng[s1], m.sLat[s2], m.sLng[s2]) / 1000 / m.travelSpeedKmh) * 60) + m.pickupBufferMinutes;

  let i = 0;
  while (i < sorted.length) {
    const e = sorted[i].e;
    const mine: SlotAssignment[] = [];
    for (; i < sorted.length && sorted[i].e === e; i++) {
      const s = sorted[i].s;
      const starts = slotStart[s];
      if (starts.length === 0) {
        unslotted.push({ e, s, reason: 'no_windows' });
        continue;
      }
      const fits = (k: number) => {
        if (slotLeft[s][k] <= 0) return false;
        for (const o of mine) {
          const gap = travelMinutes(s, o.s);
          if (!(slotEnd[s][k] + gap <= o.startMinute || o.endMinute + gap <= starts[k])) return false;
        }
        return true;
      };
      let chosen = -1;
      if (m.prefStart[e] >= 0) {
        for (let k = 0; k < starts.length && chosen < 0; k++) {
          if (starts[k] >= m.prefStart[e] && slotEnd[s][k] <= m.prefEnd[e] && fits(k)) chosen = k;
        }
      }
      for (let k = 0; k < starts.length && chosen < 0; k++) if (fits(k)) chosen = k;
      if (chosen < 0) {
        unslotted.push({ e, s, reason: 'no_free_slot' });
        continue;
      }
      slotLeft[s][chosen]--;
      const a = { e, s, startMinute: starts[chosen], endMinute: slotEnd[s][chosen] };
      mine.push(a);
      appointments.push(a);
    }
  }
  return { appointments, unslotted };
}
