/**
 * Corrections of a published plan on the day of service (issue 12, "minimal disruption").
 *
 * A published plan is already printed on slips and partly handed out. When an input changes (a
 * maker loses half its capacity at 07:00, the coordinator names an enterprise to re-plan), a
 * correction keeps faith with what happened and changes as few schedules as the change needs:
 *
 * - confirmed pickups are facts: their units are taken off the supplier's capacity and off the
 *   enterprise's need before anything else, and they stay in the plan exactly as handed out;
 * - `'minimal'` (default): every published appointment that is not at a touched supplier and not
 *   of a touched enterprise is frozen (same slot, same lines); only the enterprises that lose an
 *   appointment (or are named) are re-planned, by `allocate`'s policy, over what the frozen and
 *   confirmed pickups leave;
 * - `'full'`: everything but the confirmed pickups is planned again.
 *
 * Either way the outcome says, per enterprise–supplier pair, whether its appointment is kept,
 * changed, cancelled or new, with counts, so the coordinator sees what each choice changes.
 */
import { allocate, DEFAULT_OPTIONS } from './allocate.js';
import { claimUnits } from './fair-share.js';
import { computeFigures, round6, toAllocationLines, type LineIx } from './figures.js';
import { haversineM } from './geo.js';
import { compareIds, type Model } from './model.js';
import { assignSlots, pickupsOf, type Pickup, type SlotAssignment } from './slots.js';
import type {
  AllocateOptions,
  Appointment,
  Enterprise,
  Explanation,
  MinuteWindow,
  PinOverride,
  Problem,
  ProductExplanation,
  Reason,
  Result,
  Supplier,
  UnslottedPickup,
  Unmet,
  ZoneSettings,
} from './types.js';
import { validate } from './validate.js';
import type { ReasonCode } from './reasons.js';

/** `'minimal'`: re-plan only what the change touches. `'full'`: re-plan everything but confirmed pickups. */
export type CorrectionMode = 'minimal' | 'full';

/** One line of the published plan (an `AllocationLine` will do; packs and distance are not read). */
export interface PublishedLine {
  readonly enterpriseId: string;
  readonly supplierId: string;
  readonly productCode: string;
  readonly units: number;
}

/** The plan as published: what `allocate` (or an earlier correction) returned for the day. */
export interface PublishedPlan {
  readonly lines: readonly PublishedLine[];
  readonly appointments: readonly Appointment[];
  /** Published pickups without a slot; a frozen one stays without one (reason kept). */
  readonly unslotted?: readonly UnslottedPickup[];
  /** Published explanations: carried over for the enterprises that are not re-planned. */
  readonly explanations?: readonly Explanation[];
}

/**
 * Units of one product already handed out by a supplier to an enterprise (its pickup code was
 * confirmed by the maker). A fact: never planned again, never served twice. Whole packs; the
 * pair must have a published appointment; one entry per enterprise, supplier and product.
 */
export interface ConfirmedPickup {
  readonly enterpriseId: string;
  readonly supplierId: string;
  readonly productCode: string;
  readonly units: number;
}

/** What a correction starts from and what it may change. */
export interface Correction {
  readonly published: PublishedPlan;
  readonly confirmed?: readonly ConfirmedPickup[];
  /**
   * Makers whose published appointments are re-planned (the one whose capacity changed) and
   * enterprises re-planned as a whole (named by the coordinator). Ids not in the problem are
   * ignored. Some are found without being named, see `CorrectionOutcome.notes`.
   */
  readonly touched?: { readonly suppliers?: readonly string[]; readonly enterprises?: readonly string[] };
  /** Default `'minimal'`. */
  readonly mode?: CorrectionMode;
}

export type ChangeKind = 'kept' | 'changed' | 'cancelled' | 'new';

/** One side of an appointment's change: its slot (absent when it has none) and units per product. */
export interface PickupState {
  readonly slot?: MinuteWindow;
  readonly units: Readonly<Record<string, number>>;
}

/**
 * The change of one enterprise–supplier pickup against the published plan: `kept` (same slot and
 * same units of every product: a printed slip stays valid), `changed`, `cancelled` (no units any
 * more) or `new` (no units before).
 */
export interface AppointmentChange {
  readonly enterpriseId: string;
  readonly supplierId: string;
  readonly change: ChangeKind;
  /** A confirmed pickup (always `kept`, or `changed` when less than published was handed out). */
  readonly confirmed: boolean;
  readonly before?: PickupState;
  readonly after?: PickupState;
}

export interface CorrectionCounts {
  readonly kept: number;
  readonly changed: number;
  readonly cancelled: number;
  readonly new: number;
  /** Enterprises with at least one pickup not kept (schedules to send again). */
  readonly enterprisesChanged: number;
  /** Enterprises of the problem whose every pickup is kept (including those with none). */
  readonly enterprisesUnchanged: number;
  /** Suppliers with at least one pickup not kept. */
  readonly suppliersChanged: number;
}

export interface CorrectionOutcome {
  readonly mode: CorrectionMode;
  /**
   * The corrected plan for the whole day, in `allocate`'s shape and order: lines, appointments,
   * unslotted, unmet and figures over every enterprise. Explanations: the re-planned enterprises'
   * (confirmed units counted in `allocated` and `fairShare`), and the published ones of the others
   * when `published.explanations` was given.
   */
  readonly result: Result;
  /** One entry per pair with units or an appointment in either plan, sorted by enterprise then supplier id. */
  readonly changes: readonly AppointmentChange[];
  readonly counts: CorrectionCounts;
  /** Suppliers whose published appointments were re-planned (named or found) and the enterprises re-planned. */
  readonly replanned: { readonly suppliers: readonly string[]; readonly enterprises: readonly string[] };
  /** Why something was re-planned without being named, or a pin that could not be kept. */
  readonly notes: readonly Reason[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPosInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isMinute = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 1440;

/** A published pickup (enterprise–supplier pair), by ids; indices -1 when the id left the problem. */
interface PubPair {
  readonly eId: string;
  readonly sId: string;
  readonly e: number;
  readonly s: number;
  /** Units per product code, as published. */
  readonly units: Map<string, number>;
  slot?: MinuteWindow;
  unslotted?: UnslottedPickup['reason'];
  /** Every id (enterprise, supplier, products) is in the problem. */
  known: boolean;
  confirmed: boolean;
}

interface Parsed {
  pairs: Map<string, PubPair>;
  /** The pairs whose enterprise and supplier are in the problem, by `e * nS + s`. */
  pairAt: Map<number, PubPair>;
  /** [(e * nS + s) * nP + p] confirmed units, sparse. */
  confirmedLines: Map<number, number>;
  confirmedPairs: Set<number>;
  /** [e * nP + p] and [s * nP + p] confirmed units. */
  confirmedE: Float64Array;
  confirmedS: Float64Array;
}

const pairKey = (eId: string, sId: string) => `${eId}\n${sId}`;

function invalidOutcome(mode: CorrectionMode, reasons: Reason[]): CorrectionOutcome {
  return {
    mode,
    // allocate's own 'invalid' result (nothing allocated, empty figures), with these reasons.
    result: { ...allocate(null), reasons },
    changes: [],
    counts: { kept: 0, changed: 0, cancelled: 0, new: 0, enterprisesChanged: 0, enterprisesUnchanged: 0, suppliersChanged: 0 },
    replanned: { suppliers: [], enterprises: [] },
    notes: [],
  };
}

/** Checks the correction against the validated problem and indexes the published plan. */
function parse(m: Model, input: unknown, eIndex: Map<string, number>, sIndex: Map<string, number>, pIndex: Map<string, number>): Parsed | Reason[] {
  const reasons: Reason[] = [];
  const bad = (code: ReasonCode, path: string, message: string) => {
    if (reasons.length < 100) reasons.push({ code, message, path });
  };
  if (!isObj(input)) return [{ code: 'INVALID_CORRECTION', message: 'correction must be an object', path: '$correction' }];
  const { nS, nP } = m;
  if (input.mode !== undefined && input.mode !== 'minimal' && input.mode !== 'full') bad('INVALID_CORRECTION', '$correction.mode', "mode must be 'minimal' or 'full'");
  const pub = input.published;
  if (!isObj(pub) || !Array.isArray(pub.lines) || !Array.isArray(pub.appointments)) {
    bad('INVALID_CORRECTION', '$correction.published', 'published needs lines and appointments arrays');
    return reasons;
  }
  const touched = input.touched;
  if (touched !== undefined) {
    const ok = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!isObj(touched) || !ok(touched.suppliers) || !ok(touched.enterprises)) bad('INVALID_CORRECTION', '$correction.touched', 'touched needs arrays of supplier and enterprise ids');
  }
  const isIds = (o: unknown): o is Obj & { enterpriseId: string; supplierId: string } =>
    isObj(o) && typeof o.enterpriseId === 'string' && typeof o.supplierId === 'string';

  const pairs = new Map<string, PubPair>();
  const pairOf = (eId: string, sId: string): PubPair => {
    const k = pairKey(eId, sId);
    let pair = pairs.get(k);
    if (!pair) {
      const e = eIndex.get(eId) ?? -1;
      const s = sIndex.get(sId) ?? -1;
      pair = { eId, sId, e, s, units: new Map(), known: e >= 0 && s >= 0, confirmed: false };
      pairs.set(k, pair);
    }
    return pair;
  };
  (pub.lines as unknown[]).forEach((l, i) => {
    const path = `$correction.published.lines[${i}]`;
    if (!isIds(l) || typeof l.productCode !== 'string' || !isPosInt(l.units)) return bad('INVALID_PUBLISHED_LINE', path, 'line needs enterpriseId, supplierId, productCode and positive integer units');
    const p = pIndex.get(l.productCode);
    if (p !== undefined && l.units % m.packSize[p] !== 0) return bad('INVALID_PUBLISHED_LINE', `${path}.units`, `${l.units} units is not a whole number of packs of ${m.packSize[p]}`);
    const pair = pairOf(l.enterpriseId, l.supplierId);
    if (pair.units.has(l.productCode)) return bad('DUPLICATE_PUBLISHED_LINE', path, `two published lines for ${l.enterpriseId} at ${l.supplierId} of ${l.productCode}`);
    pair.units.set(l.productCode, l.units);
    if (p === undefined) pair.known = false;
  });
  (pub.appointments as unknown[]).forEach((a, i) => {
    const path = `$correction.published.appointments[${i}]`;
    if (!isIds(a) || !isMinute(a.startMinute) || !isMinute(a.endMinute) || a.startMinute >= a.endMinute) {
      return bad('INVALID_PUBLISHED_APPOINTMENT', path, 'appointment needs enterpriseId, supplierId and integer minutes startMinute < endMinute');
    }
    const pair = pairOf(a.enterpriseId, a.supplierId);
    if (pair.slot) return bad('DUPLICATE_PUBLISHED_APPOINTMENT', path, `two published appointments of ${a.enterpriseId} at ${a.supplierId}`);
    pair.slot = { startMinute: a.startMinute, endMinute: a.endMinute };
  });
  if (pub.unslotted !== undefined) {
    if (!Array.isArray(pub.unslotted)) bad('INVALID_CORRECTION', '$correction.published.unslotted', 'unslotted must be an array');
    else (pub.unslotted as unknown[]).forEach((u, i) => {
      if (!isIds(u) || (u.reason !== 'no_windows' && u.reason !== 'no_free_slot')) return bad('INVALID_CORRECTION', `$correction.published.unslotted[${i}]`, 'unslotted needs enterpriseId, supplierId and a reason');
      const pair = pairs.get(pairKey(u.enterpriseId, u.supplierId));
      if (pair) pair.unslotted = u.reason;
    });
  }
  if (pub.explanations !== undefined && !Array.isArray(pub.explanations)) bad('INVALID_CORRECTION', '$correction.published.explanations', 'explanations must be an array');

  const confirmedLines = new Map<number, number>();
  const confirmedPairs = new Set<number>();
  const confirmedE = new Float64Array(m.nE * nP);
  const confirmedS = new Float64Array(nS * nP);
  const confirmed = input.confirmed;
  if (confirmed !== undefined && !Array.isArray(confirmed)) bad('INVALID_CORRECTION', '$correction.confirmed', 'confirmed must be an array');
  else (confirmed ?? []).forEach((c: unknown, i: number) => {
    const path = `$correction.confirmed[${i}]`;
    if (!isIds(c) || typeof c.productCode !== 'string' || !isPosInt(c.units)) return bad('INVALID_CONFIRMED', path, 'confirmed pickup needs enterpriseId, supplierId, productCode and positive integer units');
    const e = eIndex.get(c.enterpriseId);
    const s = sIndex.get(c.supplierId);
    const p = pIndex.get(c.productCode);
    if (e === undefined) return bad('UNKNOWN_ENTERPRISE', `${path}.enterpriseId`, `unknown enterprise ${c.enterpriseId}`);
    if (s === undefined) return bad('UNKNOWN_SUPPLIER', `${path}.supplierId`, `unknown supplier ${c.supplierId}`);
    if (p === undefined) return bad('UNKNOWN_PRODUCT', `${path}.productCode`, `unknown product ${c.productCode}`);
    if (c.units % m.packSize[p] !== 0) return bad('CONFIRMED_NOT_WHOLE_PACKS', `${path}.units`, `${c.units} units is not a whole number of packs of ${m.packSize[p]}`);
    const pair = pairs.get(pairKey(c.enterpriseId, c.supplierId));
    if (!pair?.slot) return bad('CONFIRMED_NOT_PUBLISHED', path, `${c.enterpriseId} has no published appointment at ${c.supplierId}`);
    const k = (e * nS + s) * nP + p;
    if (confirmedLines.has(k)) return bad('DUPLICATE_CONFIRMED', path, `${c.enterpriseId} at ${c.supplierId} of ${c.productCode} is confirmed twice`);
    confirmedLines.set(k, c.units);
    confirmedPairs.add(e * nS + s);
    confirmedE[e * nP + p] += c.units;
    confirmedS[s * nP + p] += c.units;
    pair.confirmed = true;
  });
  for (let s = 0; s < nS; s++) {
    for (let p = 0; p < nP; p++) {
      if (confirmedS[s * nP + p] > m.capacity[s * nP + p]) {
        bad('CONFIRMED_ABOVE_CAPACITY', '$correction.confirmed', `${confirmedS[s * nP + p]} ${m.productCodes[p]} confirmed at supplier ${m.supplierIds[s]} exceed its capacity of ${m.capacity[s * nP + p]}`);
      }
    }
  }
  if (reasons.length > 0) return reasons;
  const pairAt = new Map<number, PubPair>();
  for (const q of pairs.values()) if (q.e >= 0 && q.s >= 0) pairAt.set(q.e * nS + q.s, q);
  return { pairs, pairAt, confirmedLines, confirmedPairs, confirmedE, confirmedS };
}

/** Slots of each supplier's current windows: start → [end, vehicles] (as slots.ts cuts them). */
function slotGrid(m: Model, s: number): Map<number, [number, number]> {
  const grid = new Map<number, [number, number]>();
  const len = m.supplierSlotMinutes[s];
  for (const w of m.windows[s]) {
    for (let t = w.startMinute; t < w.endMinute; t += len) {
      const end = Math.min(t + len, w.endMinute);
      const old = grid.get(t);
      if (old && old[0] === end) old[1] += w.vehicles;
      else if (!old) grid.set(t, [end, w.vehicles]);
    }
  }
  return grid;
}

/**
 * Corrects a published plan after an input changed (see the module comment and the README,
 * "Corrections"). `problem` is the day's problem as it stands now (new capacities, overrides
 * standing now); `correction.published` the plan as published. Confirmed pickups are honoured in
 * both modes; in `'minimal'` mode only the pickups at `touched.suppliers`, of
 * `touched.enterprises`, and those found invalid now (see `notes`) are re-planned.
 *
 * Never exceeds a capacity of `problem`; a confirmed pickup is in the result exactly once, as
 * handed out. Pure and deterministic like `allocate`. Expected mistakes give
 * `result.status: 'invalid'` with reasons (paths into the correction start with `$correction`).
 *
 * @example
 * const out = correct(problemAt0700, { published: { lines, appointments }, confirmed, touched: { suppliers: ['S-MASK-NORTH'] } });
 * console.log(out.counts); // { kept: 14901, changed: 61, cancelled: 7, new: 12, ... }
 */
export function correct(problem: unknown, correction: Correction, options: AllocateOptions = {}): CorrectionOutcome {
  const mode: CorrectionMode = isObj(correction) && correction.mode === 'full' ? 'full' : 'minimal';
  const opt = { ...DEFAULT_OPTIONS, ...options };
  const v = validate(problem);
  if (!v.ok) return invalidOutcome(mode, v.reasons);
  const m = v.model;
  const { nE, nS, nP } = m;
  const eIndex = new Map(m.enterpriseIds.map((id, i) => [id, i]));
  const sIndex = new Map(m.supplierIds.map((id, i) => [id, i]));
  const pIndex = new Map(m.productCodes.map((c, i) => [c, i]));
  const parsed = parse(m, correction, eIndex, sIndex, pIndex);
  if (Array.isArray(parsed)) return invalidOutcome(mode, parsed);
  const { pairs, pairAt, confirmedLines, confirmedPairs, confirmedE, confirmedS } = parsed;
  const notes: Reason[] = [];
  const note = (code: ReasonCode, message: string) => {
    if (notes.length < 1000) notes.push({ code, message });
  };
  const allowance = (e: number, p: number) => {
    const need = m.need[e * nP + p];
    return opt.needRounding === 'down' ? need : Math.ceil(need / m.packSize[p]) * m.packSize[p];
  };

  // Which published pickups stay as they are (frozen) and which enterprises are planned again.
  const touchedS = new Set<number>();
  const touchedE = new Set<number>();
  const replanE = new Set<number>();
  const frozen: PubPair[] = [];
  if (mode === 'full') {
    for (let e = 0; e < nE; e++) replanE.add(e);
  } else {
    for (const id of correction.touched?.suppliers ?? []) if (sIndex.has(id)) touchedS.add(sIndex.get(id)!);
    for (const id of correction.touched?.enterprises ?? []) if (eIndex.has(id)) touchedE.add(eIndex.get(id)!);
    // Candidates: known, unconfirmed, with units, not at a named supplier.
    const candidates = [...pairs.values()].filter((q) => q.known && !q.confirmed && q.units.size > 0 && !touchedS.has(q.s));
    const held = Float64Array.from(confirmedE);
    for (const q of candidates) {
      if (m.excluded.has(q.e * nS + q.s) && !touchedE.has(q.e)) {
        touchedE.add(q.e);
        note('PAIR_EXCLUDED', `enterprise ${q.eId} is now excluded from supplier ${q.sId}: re-planned`);
      }
      for (const [code, u] of q.units) held[q.e * nP + pIndex.get(code)!] += u;
    }
    for (let e = 0; e < nE; e++) {
      for (let p = 0; p < nP; p++) {
        if (held[e * nP + p] > allowance(e, p) && !touchedE.has(e)) {
          touchedE.add(e);
          note('ABOVE_NEED', `enterprise ${m.enterpriseIds[e]} holds ${held[e * nP + p]} ${m.productCodes[p]} in the plan, more than its need of ${m.need[e * nP + p]}: re-planned`);
        }
      }
    }
    // Suppliers whose frozen pickups no longer fit: capacity below them, or their slot gone or overbooked.
    const usage = Float64Array.from(confirmedS);
    const bySupplier = new Map<number, PubPair[]>();
    for (const q of candidates) {
      if (touchedE.has(q.e)) continue;
      for (const [code, u] of q.units) usage[q.s * nP + pIndex.get(code)!] += u;
      const list = bySupplier.get(q.s);
      if (list) list.push(q);
      else bySupplier.set(q.s, [q]);
    }
    for (let s = 0; s < nS; s++) {
      for (let p = 0; p < nP && !touchedS.has(s); p++) {
        if (usage[s * nP + p] > m.capacity[s * nP + p]) {
          touchedS.add(s);
          note('CAPACITY_BELOW_PLAN', `supplier ${m.supplierIds[s]} has ${m.capacity[s * nP + p]} ${m.productCodes[p]}, the plan takes ${usage[s * nP + p]} there: its pickups are re-planned`);
        }
      }
    }
    const confirmedAt = new Map<number, PubPair[]>();
    for (const q of pairs.values()) {
      if (!q.confirmed) continue;
      const list = confirmedAt.get(q.s);
      if (list) list.push(q);
      else confirmedAt.set(q.s, [q]);
    }
    for (const [s, list] of bySupplier) {
      if (touchedS.has(s)) continue;
      const grid = slotGrid(m, s);
      const taken = new Map<number, number>();
      let bad = false;
      for (const q of [...list, ...(confirmedAt.get(s) ?? [])]) {
        if (!q.slot) continue;
        const slot = grid.get(q.slot.startMinute);
        if (!q.confirmed && (!slot || slot[0] !== q.slot.endMinute)) bad = true;
        const n = (taken.get(q.slot.startMinute) ?? 0) + 1;
        taken.set(q.slot.startMinute, n);
        if (slot && n > slot[1]) bad = true;
      }
      if (bad) {
        touchedS.add(s);
        note('SLOTS_CHANGED', `supplier ${m.supplierIds[s]}'s windows no longer hold its published slots: its pickups are re-planned`);
      }
    }
    for (const q of pairs.values()) {
      if (q.confirmed || q.units.size === 0) continue;
      if (q.known && !touchedS.has(q.s) && !touchedE.has(q.e)) frozen.push(q);
      else if (q.e >= 0) replanE.add(q.e);
    }
    for (const e of touchedE) replanE.add(e);
    // A pickup handed out short of what was published: the rest of that need is planned again elsewhere.
    for (const q of pairs.values()) {
      if (!q.confirmed || replanE.has(q.e)) continue;
      for (const [code, u] of q.units) {
        const p = pIndex.get(code);
        if (p !== undefined && (confirmedLines.get((q.e * nS + q.s) * nP + p) ?? 0) < u && m.need[q.e * nP + p] > confirmedE[q.e * nP + p]) {
          replanE.add(q.e);
          note('CONFIRMED_SHORT', `enterprise ${q.eId} collected less ${code} at ${q.sId} than published: re-planned`);
          break;
        }
      }
    }
    // A pin the frozen and confirmed pickups do not give (one made after publishing) re-plans its enterprise.
    const frozenKeys = new Set(frozen.map((q) => q.e * nS + q.s));
    for (const pin of m.pins) {
      const k = (pin.e * nS + pin.s) * nP + pin.p;
      const q = frozenKeys.has(pin.e * nS + pin.s) ? pairAt.get(pin.e * nS + pin.s) : undefined;
      if ((q?.units.get(m.productCodes[pin.p]) ?? 0) + (confirmedLines.get(k) ?? 0) < pin.units && !replanE.has(pin.e)) {
        replanE.add(pin.e);
        note('PIN_NOT_MET', `pin of ${pin.units} ${m.productCodes[pin.p]} for ${m.enterpriseIds[pin.e]} at ${m.supplierIds[pin.s]} is not in the plan: re-planned`);
      }
    }
  }
  const frozenPair = new Set(frozen.map((q) => q.e * nS + q.s));

  // The reduced problem: the re-planned enterprises over what frozen and confirmed pickups leave.
  // Their own frozen pickups come in as pins (kept, counted in their share and supplier limit).
  const left = new Float64Array(nS * nP);
  for (let k = 0; k < nS * nP; k++) left[k] = m.capacity[k] - confirmedS[k];
  const pins = new Map<number, { units: number; fixed: number }>();
  for (const q of frozen) {
    for (const [code, u] of q.units) {
      const p = pIndex.get(code)!;
      if (replanE.has(q.e)) pins.set((q.e * nS + q.s) * nP + p, { units: u, fixed: u });
      else left[q.s * nP + p] -= u;
    }
  }
  for (const pin of m.pins) {
    if (!replanE.has(pin.e)) continue;
    const k = (pin.e * nS + pin.s) * nP + pin.p;
    if (confirmedPairs.has(pin.e * nS + pin.s)) {
      if (pin.units > (confirmedLines.get(k) ?? 0)) note('PIN_AFTER_PICKUP', `pin of ${pin.units} ${m.productCodes[pin.p]} for ${m.enterpriseIds[pin.e]} at ${m.supplierIds[pin.s]}: ${confirmedLines.get(k) ?? 0} were handed out, the pickup is done`);
      continue;
    }
    const old = pins.get(k);
    pins.set(k, { units: Math.max(pin.units, old?.units ?? 0), fixed: old?.fixed ?? 0 });
  }
  // Pins above what is left (capacity lowered below a pin) are cut to whole packs that fit.
  const pinnedAt = new Float64Array(nS * nP);
  const pinKeys = [...pins.keys()].sort((a, b) => a - b);
  for (const k of pinKeys) pinnedAt[(k % (nS * nP))] += pins.get(k)!.units;
  for (let i = pinKeys.length - 1; i >= 0; i--) {
    const k = pinKeys[i];
    const sp = k % (nS * nP);
    const over = pinnedAt[sp] - left[sp];
    if (over <= 0) continue;
    const pin = pins.get(k)!;
    const pack = m.packSize[sp % nP];
    const cut = Math.min(pin.units - pin.fixed, Math.ceil(over / pack) * pack);
    if (cut <= 0) continue;
    pin.units -= cut;
    pinnedAt[sp] -= cut;
    const e = Math.floor(k / (nS * nP));
    note('PIN_CUT', `pin for ${m.enterpriseIds[e]} at ${m.supplierIds[Math.floor(sp / nP)]} of ${m.productCodes[sp % nP]} cut by ${cut} units to what the supplier has left`);
  }
  const pinnedE = new Float64Array(nE * nP);
  for (const [k, pin] of pins) pinnedE[Math.floor(k / (nS * nP)) * nP + (k % nP)] += pin.units;

  const replanned = [...replanE].sort((a, b) => a - b);
  const credit = m.credit;
  const enterprises: Enterprise[] = replanned.map((e) => {
    const need: Record<string, number> = {};
    const deficit: Record<string, number> = {};
    const roundingCredit: Record<string, number> = {};
    for (let p = 0; p < nP; p++) {
      const k = e * nP + p;
      const n = Math.max(m.need[k] - confirmedE[k], pinnedE[k], 0);
      if (n > 0) need[m.productCodes[p]] = n;
      if (m.deficit[k] > 0) deficit[m.productCodes[p]] = m.deficit[k];
      if (credit[k] !== 0) roundingCredit[m.productCodes[p]] = credit[k];
    }
    return {
      id: m.enterpriseIds[e],
      location: { lat: m.eLat[e], lng: m.eLng[e] },
      tier: m.tier[e],
      need,
      deficit,
      roundingCredit,
      ...(m.prefStart[e] >= 0 ? { preferredWindow: { startMinute: m.prefStart[e], endMinute: m.prefEnd[e] } } : {}),
    };
  });
  const suppliers: Supplier[] = m.supplierIds.map((id, s) => {
    const capacity: Record<string, number> = {};
    for (let p = 0; p < nP; p++) if (left[s * nP + p] > 0) capacity[m.productCodes[p]] = left[s * nP + p];
    return { id, location: { lat: m.sLat[s], lng: m.sLng[s] }, windows: m.windows[s], capacity, slotMinutes: m.supplierSlotMinutes[s] };
  });
  const reducedPins: PinOverride[] = [];
  for (const k of pinKeys) {
    const units = pins.get(k)!.units;
    if (units <= 0) continue;
    const e = Math.floor(k / (nS * nP));
    const sp = k % (nS * nP);
    reducedPins.push({ enterpriseId: m.enterpriseIds[e], supplierId: m.supplierIds[Math.floor(sp / nP)], productCode: m.productCodes[sp % nP], units });
  }
  // Exclusions standing now, and every confirmed pair: that pickup is done, nothing more is added to it.
  const excludes: { enterpriseId: string; supplierId: string }[] = [];
  for (const e of replanned) for (const s of m.excludedBy.get(e) ?? []) excludes.push({ enterpriseId: m.enterpriseIds[e], supplierId: m.supplierIds[s] });
  for (const es of confirmedPairs) {
    const s = es % nS;
    const e = (es - s) / nS;
    if (replanE.has(e) && !m.excluded.has(es)) excludes.push({ enterpriseId: m.enterpriseIds[e], supplierId: m.supplierIds[s] });
  }
  const reduced: Problem = {
    products: m.productCodes.map((code, p) => ({ code, packSize: m.packSize[p] })),
    enterprises,
    suppliers,
    settings: (problem as Problem).settings as ZoneSettings,
    overrides: { pins: reducedPins, excludes },
  };
  const sub = allocate(reduced, options);
  if (sub.status === 'invalid') return invalidOutcome(mode, [...sub.reasons]);

  // The corrected lines: confirmed, frozen (of enterprises not re-planned) and the re-planned ones.
  const distM = (e: number, s: number) => Math.round(haversineM(m.eLat[e], m.eLng[e], m.sLat[s], m.sLng[s]));
  const lines: LineIx[] = [];
  for (const [k, units] of confirmedLines) {
    const p = k % nP;
    const es = (k - p) / nP;
    const s = es % nS;
    const e = (es - s) / nS;
    lines.push({ e, s, p, packs: units / m.packSize[p], distM: distM(e, s) });
  }
  for (const q of frozen) {
    if (replanE.has(q.e)) continue;
    const d = distM(q.e, q.s);
    for (const [code, u] of q.units) {
      const p = pIndex.get(code)!;
      lines.push({ e: q.e, s: q.s, p, packs: u / m.packSize[p], distM: d });
    }
  }
  for (const l of sub.lines) {
    lines.push({ e: eIndex.get(l.enterpriseId)!, s: sIndex.get(l.supplierId)!, p: pIndex.get(l.productCode)!, packs: l.packs, distM: l.distanceM });
  }
  lines.sort((a, b) => a.e - b.e || a.s - b.s || a.p - b.p);
  const allocatedUnits = new Float64Array(nE * nP);
  for (const l of lines) allocatedUnits[l.e * nP + l.p] += l.packs * m.packSize[l.p];

  // Slots: confirmed and frozen pickups keep theirs (and hold them); the others are slotted around
  // them, each trying its published slot first.
  const pickups = pickupsOf(lines);
  const fixed: SlotAssignment[] = [];
  const carried: { e: number; s: number; reason: UnslottedPickup['reason'] }[] = [];
  const toSlot: Pickup[] = [];
  const preferredStart = new Map<number, number>();
  for (const pk of pickups) {
    const key = pk.e * nS + pk.s;
    const q = frozenPair.has(key) || confirmedPairs.has(key) ? pairAt.get(key) : undefined;
    if (q?.slot) fixed.push({ e: pk.e, s: pk.s, startMinute: q.slot.startMinute, endMinute: q.slot.endMinute });
    else if (q) carried.push({ e: pk.e, s: pk.s, reason: q.unslotted ?? 'no_free_slot' });
    else {
      toSlot.push(pk);
      const before = pairAt.get(key)?.slot;
      if (before) preferredStart.set(key, before.startMinute);
    }
  }
  const slots = assignSlots(m, toSlot, { fixed, preferredStart });
  const appointments = [...fixed, ...slots.appointments].sort((a, b) => a.e - b.e || a.s - b.s);
  const unslotted = [...carried, ...slots.unslotted].sort((a, b) => a.e - b.e || a.s - b.s);
  const pinnedPairs = new Set(m.pins.map((pin) => pin.e * nS + pin.s));
  const reasons: Reason[] = [];
  // In slotting order (tier, then enterprise), as allocate reports them.
  for (const u of [...unslotted].sort((a, b) => m.tier[a.e] - m.tier[b.e] || a.e - b.e || a.s - b.s)) {
    if (pinnedPairs.has(u.e * nS + u.s)) {
      reasons.push({
        code: 'PINNED_PICKUP_UNSLOTTED',
        message: `pinned pickup of enterprise ${m.enterpriseIds[u.e]} at supplier ${m.supplierIds[u.s]} has no slot (${u.reason})`,
      });
    }
  }
  const unmet: Unmet[] = [];
  for (let e = 0; e < nE; e++) {
    for (let p = 0; p < nP; p++) {
      const short = m.need[e * nP + p] - allocatedUnits[e * nP + p];
      if (short > 0) unmet.push({ enterpriseId: m.enterpriseIds[e], productCode: m.productCodes[p], units: short });
    }
  }

  const result: Result = {
    status: reasons.length > 0 ? 'infeasible' : 'ok',
    reasons,
    lines: toAllocationLines(m, lines),
    appointments: appointments.map((a) => ({ enterpriseId: m.enterpriseIds[a.e], supplierId: m.supplierIds[a.s], startMinute: a.startMinute, endMinute: a.endMinute })),
    unslotted: unslotted.map((u) => ({ enterpriseId: m.enterpriseIds[u.e], supplierId: m.supplierIds[u.s], reason: u.reason })),
    unmet,
    explanations: explanations(m, eIndex, replanE, sub.explanations, correction.published.explanations, allocatedUnits, confirmedE, opt.deficitCap),
    figures: computeFigures(m, lines, allocatedUnits, pickups),
  };
  const diff = changes(m, pairs, lines, appointments, confirmedPairs);
  return {
    mode,
    result,
    ...diff,
    replanned: { suppliers: [...touchedS].sort((a, b) => a - b).map((s) => m.supplierIds[s]), enterprises: replanned.map((e) => m.enterpriseIds[e]) },
    notes,
  };
}

/**
 * Explanations of the re-planned enterprises from the reduced run, in terms of the whole day
 * (confirmed units added to allocated and fair share; requested, need and claim as reported), and
 * the published ones of the others.
 */
function explanations(
  m: Model,
  eIndex: ReadonlyMap<string, number>,
  replanE: ReadonlySet<number>,
  fromRun: readonly Explanation[],
  published: readonly Explanation[] | undefined,
  allocatedUnits: Float64Array,
  confirmedE: Float64Array,
  deficitCap: number,
): Explanation[] {
  const { nP } = m;
  const run = new Map(fromRun.map((x) => [x.enterpriseId, x]));
  const out: Explanation[] = [];
  for (const e of replanE) {
    const id = m.enterpriseIds[e];
    const ex = run.get(id);
    const products: ProductExplanation[] = [];
    for (let p = 0; p < nP; p++) {
      const k = e * nP + p;
      const need = m.need[k];
      const requested = m.requested[k];
      if (need <= 0 && requested <= 0) continue;
      const code = m.productCodes[p];
      const r = ex?.products.find((x) => x.productCode === code);
      const got = allocatedUnits[k];
      const short = got >= need ? [] : (r?.short ?? []).filter((x) => x !== 'capped_by_override');
      const fairShare = (r?.fairShare ?? 0) + confirmedE[k];
      const pack = m.packSize[p];
      products.push({
        productCode: code,
        requested,
        need,
        claim: round6(claimUnits(need, m.deficit[k], deficitCap)),
        fairShare: round6(fairShare),
        allocated: got,
        // The reduced run's (confirmed units add to both share and allocation); as explain.ts when it has none.
        roundingCredit: r?.roundingCredit ?? round6(Math.max(-pack, Math.min(pack, m.credit[k] + fairShare - got))),
        fillRatio: round6(need === 0 ? 1 : got / need),
        short: need < requested ? ['capped_by_override', ...short] : short,
      });
    }
    if (products.length === 0) continue;
    out.push({ enterpriseId: id, tier: m.tier[e], products, ...(ex?.overSupplierLimit ? { overSupplierLimit: ex.overSupplierLimit } : {}) });
  }
  for (const x of published ?? []) {
    const e = eIndex.get(x.enterpriseId);
    if (e !== undefined && !replanE.has(e)) out.push(x);
  }
  return out.sort((a, b) => compareIds(a.enterpriseId, b.enterpriseId));
}

/** The diff against the published plan, per enterprise–supplier pair, and its counts. */
function changes(
  m: Model,
  pairs: ReadonlyMap<string, PubPair>,
  lines: readonly LineIx[],
  appointments: readonly SlotAssignment[],
  confirmedPairs: ReadonlySet<number>,
) {
  const { nS } = m;
  // Published pairs by index (both ids in the problem), sorted; the others can only be cancelled.
  const pub: { key: number; q: PubPair }[] = [];
  const gone: PubPair[] = [];
  for (const q of pairs.values()) {
    if (q.units.size === 0 && !q.slot) continue;
    if (q.e >= 0 && q.s >= 0) pub.push({ key: q.e * nS + q.s, q });
    else gone.push(q);
  }
  pub.sort((a, b) => a.key - b.key);
  const list: AppointmentChange[] = [];
  const counts = { kept: 0, changed: 0, cancelled: 0, new: 0 };
  const changedE = new Set<string>();
  const changedS = new Set<string>();
  const push = (eId: string, sId: string, confirmed: boolean, b: PubPair | undefined, afterUnits: Record<string, number> | undefined, slot: MinuteWindow | undefined) => {
    let beforeUnits: Record<string, number> | undefined;
    if (b && b.units.size > 0) {
      beforeUnits = {};
      for (const [code, u] of b.units.size > 1 ? [...b.units].sort((x, y) => compareIds(x[0], y[0])) : b.units) beforeUnits[code] = u;
    }
    let change: ChangeKind;
    if (!afterUnits) change = 'cancelled';
    else if (!beforeUnits) change = 'new';
    else {
      const sameSlot = b?.slot?.startMinute === slot?.startMinute && b?.slot?.endMinute === slot?.endMinute;
      let same = sameSlot;
      let n = 0;
      for (const code in beforeUnits) {
        n++;
        if (beforeUnits[code] !== afterUnits[code]) same = false;
      }
      if (n !== Object.keys(afterUnits).length) same = false;
      change = same ? 'kept' : 'changed';
    }
    counts[change]++;
    if (change !== 'kept') {
      changedE.add(eId);
      changedS.add(sId);
    }
    const item: { -readonly [K in keyof AppointmentChange]: AppointmentChange[K] } = { enterpriseId: eId, supplierId: sId, change, confirmed };
    if (b && (beforeUnits || b.slot)) item.before = b.slot ? { slot: b.slot, units: beforeUnits ?? {} } : { units: beforeUnits ?? {} };
    if (afterUnits) item.after = slot ? { slot, units: afterUnits } : { units: afterUnits };
    list.push(item);
  };
  // Merge three sequences sorted by e * nS + s: published pairs, corrected lines, corrected slots.
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < pub.length || j < lines.length) {
    const lineKey = j < lines.length ? lines[j].e * nS + lines[j].s : Infinity;
    const key = Math.min(i < pub.length ? pub[i].key : Infinity, lineKey);
    const b = i < pub.length && pub[i].key === key ? pub[i++].q : undefined;
    let units: Record<string, number> | undefined;
    for (; j < lines.length && lines[j].e * nS + lines[j].s === key; j++) {
      const l = lines[j];
      (units ??= {})[m.productCodes[l.p]] = l.packs * m.packSize[l.p];
    }
    while (k < appointments.length && appointments[k].e * nS + appointments[k].s < key) k++;
    const a = k < appointments.length && appointments[k].e * nS + appointments[k].s === key ? appointments[k] : undefined;
    const s = key % nS;
    const e = (key - s) / nS;
    push(m.enterpriseIds[e], m.supplierIds[s], confirmedPairs.has(key), b, units, a ? { startMinute: a.startMinute, endMinute: a.endMinute } : undefined);
  }
  for (const q of gone) push(q.eId, q.sId, false, q, undefined, undefined);
  if (gone.length > 0) list.sort((x, y) => compareIds(x.enterpriseId, y.enterpriseId) || compareIds(x.supplierId, y.supplierId));
  let unchanged = 0;
  for (const id of m.enterpriseIds) if (!changedE.has(id)) unchanged++;
  return {
    changes: list,
    counts: { ...counts, enterprisesChanged: changedE.size, enterprisesUnchanged: unchanged, suppliersChanged: changedS.size },
  };
}
