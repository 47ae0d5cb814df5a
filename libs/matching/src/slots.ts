import { haversineM } from './geo.js';
import type { Model } from './model.js';
import type { UnslottedPickup } from './types.js';

/** What slot assignment reads of the model (sent to a helper thread: arrays and numbers). */
export type SlotModel = Pick<Model, 'nS' | 'sLat' | 'sLng' | 'tier' | 'prefStart' | 'prefEnd' | 'windows' | 'supplierSlotMinutes' | 'travelSpeedKmh' | 'pickupBufferMinutes'>;

export interface Pickup {
  readonly e: number;
  readonly s: number;
  readonly distM: number;
}

/** One pickup per enterprise–supplier pair of `lines`, which are sorted by enterprise, then supplier. */
export function pickupsOf(lines: readonly Pickup[]): Pickup[] {
  const pickups: Pickup[] = [];
  for (const l of lines) {
    const last = pickups[pickups.length - 1];
    if (!last || last.e !== l.e || last.s !== l.s) pickups.push({ e: l.e, s: l.s, distM: l.distM });
  }
  return pickups;
}

export interface SlotAssignment {
  readonly e: number;
  readonly s: number;
  readonly startMinute: number;
  readonly endMinute: number;
}

/** What a correction adds to slot assignment (see correction.ts); `allocate` passes none. */
export interface SlotOptions {
  /**
   * Appointments already made and kept (a published plan's frozen or confirmed pickups): each
   * holds one vehicle in every slot of its supplier it overlaps, and the new pickups of its
   * enterprise keep the travel gap to it. Not part of the result.
   */
  readonly fixed?: readonly SlotAssignment[];
  /** Per pickup (key `e * nS + s`), the start minute of the slot it had before: tried first. */
  readonly preferredStart?: ReadonlyMap<number, number>;
}

export interface SlotResult {
  readonly appointments: SlotAssignment[];
  readonly unslotted: { e: number; s: number; reason: UnslottedPickup['reason'] }[];
}

/** Enterprises with more pickups than this keep the nearest-first order only (7! orders is the most tried). */
const MAX_REORDERED_PICKUPS = 7;

/** Every order of `xs` but the given one, in lexicographic order of positions (deterministic). */
function* permutations(xs: readonly number[]): Generator<number[]> {
  const idx = xs.map((_, j) => j);
  for (;;) {
    // Next permutation of the positions; stop after the last.
    let j = idx.length - 2;
    while (j >= 0 && idx[j] >= idx[j + 1]) j--;
    if (j < 0) return;
    let k = idx.length - 1;
    while (idx[k] <= idx[j]) k--;
    [idx[j], idx[k]] = [idx[k], idx[j]];
    idx.splice(j + 1, idx.length - j - 1, ...idx.slice(j + 1).reverse());
    yield idx.map((p) => xs[p]);
  }
}

/**
 * Stage 7 (R6): one slot per enterprise–supplier pickup. Each supplier window is cut into slots of
 * the supplier's own `slotMinutes` (else the zone's; the last slot of a window may be shorter),
 * each taking `vehicles` pickups at once. Enterprises are served in tier order (then id), so
 * higher tiers get earlier slots; an enterprise's pickups go
 * nearest supplier first, each into the earliest free slot (inside its preferred window when one
 * fits) that keeps `travel + pickupBufferMinutes` minutes away from its other pickups, where travel
 * is the supplier-to-supplier distance at `travelSpeedKmh`. Greedy, deterministic; when that
 * order leaves one of its pickups without a slot, the other orders of its pickups are tried (up
 * to 7 pickups). A pickup with no compatible slot is reported, never dropped silently.
 * `options.fixed` appointments (a correction's kept ones) take their vehicles first and count in
 * their enterprise's travel gaps; `options.preferredStart` is tried before anything else.
 *
 * @example const { appointments, unslotted } = assignSlots(model, pickups);
 */
export function assignSlots(m: SlotModel, pickups: readonly Pickup[], options: SlotOptions = {}): SlotResult {
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
  const fixedOf = new Map<number, SlotAssignment[]>();
  for (const f of options.fixed ?? []) {
    const st = slotStart[f.s];
    for (let k = 0; k < st.length; k++) if (st[k] < f.endMinute && slotEnd[f.s][k] > f.startMinute) slotLeft[f.s][k]--;
    const list = fixedOf.get(f.e);
    if (list) list.push(f);
    else fixedOf.set(f.e, [f]);
  }
  // Per supplier, its first slot with a vehicle left: slots only ever fill, so no free slot lies before it.
  const firstFree = slotLeft.map((left) => {
    let k = 0;
    while (k < left.length && left[k] <= 0) k++;
    return k;
  });
  const preferredStart = options.preferredStart;
  const sorted = [...pickups].sort((a, b) => m.tier[a.e] - m.tier[b.e] || a.e - b.e || a.distM - b.distM || a.s - b.s);
  const appointments: SlotAssignment[] = [];
  const unslotted: SlotResult['unslotted'] = [];
  const travelMinutes = (s1: number, s2: number) =>
    Math.ceil((haversineM(m.sLat[s1], m.sLng[s1], m.sLat[s2], m.sLng[s2]) / 1000 / m.travelSpeedKmh) * 60) + m.pickupBufferMinutes;

  /**
   * Places one enterprise's pickups in the given order, each in the earliest free slot (inside its
   * preferred window when one fits) that keeps the travel gap to the pickups placed before it.
   * Reads slot capacity without taking it: an enterprise has one pickup per supplier.
   */
  const place = (e: number, order: readonly number[]) => {
    const mine: SlotAssignment[] = [];
    const slotOf: number[] = [];
    const missing: SlotResult['unslotted'] = [];
    const kept = fixedOf.get(e);
    for (const s of order) {
      const starts = slotStart[s];
      if (starts.length === 0) {
        missing.push({ e, s, reason: 'no_windows' });
        continue;
      }
      const fits = (k: number) => {
        if (slotLeft[s][k] <= 0) return false;
        for (const o of mine) {
          const gap = travelMinutes(s, o.s);
          if (!(slotEnd[s][k] + gap <= o.startMinute || o.endMinute + gap <= starts[k])) return false;
        }
        for (const o of kept ?? []) {
          const gap = travelMinutes(s, o.s);
          if (!(slotEnd[s][k] + gap <= o.startMinute || o.endMinute + gap <= starts[k])) return false;
        }
        return true;
      };
      let chosen = -1;
      const before = preferredStart?.get(e * m.nS + s);
      if (before !== undefined) {
        for (let k = 0; k < starts.length && chosen < 0; k++) if (starts[k] === before && fits(k)) chosen = k;
      }
      if (m.prefStart[e] >= 0 && chosen < 0) {
        for (let k = firstFree[s]; k < starts.length && chosen < 0; k++) {
          if (starts[k] >= m.prefStart[e] && slotEnd[s][k] <= m.prefEnd[e] && fits(k)) chosen = k;
        }
      }
      for (let k = firstFree[s]; k < starts.length && chosen < 0; k++) if (fits(k)) chosen = k;
      if (chosen < 0) missing.push({ e, s, reason: 'no_free_slot' });
      else {
        mine.push({ e, s, startMinute: starts[chosen], endMinute: slotEnd[s][chosen] });
        slotOf.push(chosen);
      }
    }
    return { mine, slotOf, missing };
  };

  let i = 0;
  while (i < sorted.length) {
    const e = sorted[i].e;
    const order: number[] = [];
    for (; i < sorted.length && sorted[i].e === e; i++) order.push(sorted[i].s);
    // Nearest supplier first; when that leaves a pickup without a slot, other orders of the same
    // pickups are tried (the first that places the most wins), since an early pickup placed
    // greedily can block the travel gap a later one needs.
    let best = place(e, order);
    if (best.missing.some((x) => x.reason === 'no_free_slot') && order.length <= MAX_REORDERED_PICKUPS) {
      for (const alt of permutations(order)) {
        const tried = place(e, alt);
        if (tried.missing.length < best.missing.length) best = tried;
        if (best.missing.every((x) => x.reason !== 'no_free_slot')) break;
      }
    }
    best.mine.forEach((a, j) => {
      const left = slotLeft[a.s];
      left[best.slotOf[j]]--;
      while (firstFree[a.s] < left.length && left[firstFree[a.s]] <= 0) firstFree[a.s]++;
      appointments.push(a);
    });
    unslotted.push(...best.missing.sort((a, b) => a.s - b.s));
  }
  return { appointments, unslotted };
}
