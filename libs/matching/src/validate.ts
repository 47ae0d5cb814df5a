import { compareIds, type Model } from './model.js';
import type { Problem, Reason } from './types.js';
import type { ReasonCode } from './reasons.js';

/** Defaults of the optional zone settings. */
export const DEFAULT_SETTINGS = {
  slotMinutes: 30,
  travelSpeedKmh: 30,
  pickupBufferMinutes: 10,
} as const;

export type ValidateOutcome = { ok: true; model: Model } | { ok: false; reasons: Reason[] };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonNegInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isPosInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** Largest pack size and tier: both are stored as 32-bit signed integers (model and database). */
export const INT32_MAX = 2 ** 31 - 1;
const isPosInt32 = (v: unknown): v is number => isPosInt(v) && v <= INT32_MAX;

/**
 * Checks a problem (possibly untrusted JSON) and builds the canonical index-based model.
 * Expected mistakes come back as reasons with a JSON path, never as exceptions.
 *
 * @example
 * const v = validate(JSON.parse(text));
 * if (!v.ok) console.error(v.reasons.map((r) => `${r.path}: ${r.message}`).join('\n'));
 */
export function validate(input: unknown): ValidateOutcome {
  const reasons: Reason[] = [];
  const bad = (code: ReasonCode, path: string, message: string) => {
    if (reasons.length < 100) reasons.push({ code, message, path });
  };
  if (!isObj(input)) return { ok: false, reasons: [{ code: 'NOT_AN_OBJECT', message: 'problem must be a JSON object', path: '$' }] };
  const problem = input as unknown as Problem;
  for (const key of ['products', 'enterprises', 'suppliers']) {
    if (!Array.isArray(input[key])) bad('MISSING_FIELD', `$.${key}`, `${key} must be an array`);
  }
  if (!isObj(input.settings)) bad('MISSING_FIELD', '$.settings', 'settings must be an object');
  if (reasons.length > 0) return { ok: false, reasons };

  // Products.
  const productIndex = new Map<string, number>();
  const products = [...problem.products].map((p, i) => ({ p, i }));
  for (const { p, i } of products) {
    const path = `$.products[${i}]`;
    if (!isObj(p) || typeof p.code !== 'string' || p.code === '') bad('INVALID_PRODUCT', path, 'product needs a non-empty code');
    else if (!isPosInt32(p.packSize)) bad('INVALID_PACK_SIZE', `${path}.packSize`, `packSize must be an integer in 1..${INT32_MAX}`);
    else if (productIndex.has(p.code)) bad('DUPLICATE_PRODUCT', `${path}.code`, `duplicate product code ${p.code}`);
    else productIndex.set(p.code, -1);
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const productCodes = [...productIndex.keys()].sort(compareIds);
  productCodes.forEach((c, k) => productIndex.set(c, k));
  const nP = productCodes.length;
  const packSize = new Int32Array(nP);
  for (const { p } of products) packSize[productIndex.get(p.code)!] = p.packSize;

  const validLocation = (v: unknown) => isObj(v) && isFiniteNum(v.lat) && isFiniteNum(v.lng) && Math.abs(v.lat) <= 90 && Math.abs(v.lng) <= 180;
  const LOCATION_RULE = 'location needs lat in [-90, 90] and lng in [-180, 180]';
  // Paths are built only for a fault (a zone has hundreds of thousands of good fields): a field of
  // list[i] is given as its parts.
  const pathOf = (list: string, i: number, field: string) => `$.${list}[${i}].${field}`;
  const checkWindow = (v: unknown, list: string, i: number, field: string): boolean => {
    if (!isObj(v) || !isNonNegInt(v.startMinute) || !isNonNegInt(v.endMinute) || v.startMinute >= v.endMinute || v.endMinute > 1440) {
      bad('INVALID_WINDOW', pathOf(list, i, field), 'window needs integer minutes 0 <= startMinute < endMinute <= 1440');
      return false;
    }
    return true;
  };
  const UNITS_RULE = 'units must be a non-negative integer';
  const checkQuantities = (v: unknown, list: string, i: number, field: string, valid: (q: unknown) => boolean, rule = UNITS_RULE) => {
    if (v === undefined) return;
    if (!isObj(v)) return bad('INVALID_QUANTITIES', pathOf(list, i, field), 'must be an object of product code → units');
    for (const code of Object.keys(v)) {
      if (!productIndex.has(code)) bad('UNKNOWN_PRODUCT', `${pathOf(list, i, field)}.${code}`, `unknown product code ${code}`);
      else if (!valid(v[code])) bad('INVALID_QUANTITY', `${pathOf(list, i, field)}.${code}`, rule);
    }
  };
  const isNonNegNum = (q: unknown) => isFiniteNum(q) && q >= 0;

  // Enterprises and suppliers: check (a repeated id is named where it repeats), then sort by id.
  const byIdE = orderById(problem.enterprises);
  problem.enterprises.forEach((e, i) => {
    const E = 'enterprises';
    if (!isObj(e) || typeof e.id !== 'string' || e.id === '') return bad('INVALID_ENTERPRISE', `$.${E}[${i}]`, 'enterprise needs a non-empty id');
    if (byIdE.repeated[i]) bad('DUPLICATE_ENTERPRISE', pathOf(E, i, 'id'), `duplicate enterprise id ${e.id}`);
    if (!validLocation(e.location)) bad('INVALID_LOCATION', pathOf(E, i, 'location'), LOCATION_RULE);
    if (!isPosInt32(e.tier)) bad('INVALID_TIER', pathOf(E, i, 'tier'), `tier must be an integer in 1..${INT32_MAX}`);
    if (!isObj(e.need)) bad('INVALID_QUANTITIES', pathOf(E, i, 'need'), 'need must be an object of product code → units');
    else checkQuantities(e.need, E, i, 'need', isNonNegInt);
    checkQuantities(e.deficit, E, i, 'deficit', isNonNegNum);
    // Rounding credits: any finite number of units (negative when ahead); used clamped to ±1 pack.
    checkQuantities(e.roundingCredit, E, i, 'roundingCredit', isFiniteNum, 'rounding credit must be a finite number of units');
    if (e.preferredWindow !== undefined) checkWindow(e.preferredWindow, E, i, 'preferredWindow');
  });
  const byIdS = orderById(problem.suppliers);
  problem.suppliers.forEach((s, i) => {
    const S = 'suppliers';
    if (!isObj(s) || typeof s.id !== 'string' || s.id === '') return bad('INVALID_SUPPLIER', `$.${S}[${i}]`, 'supplier needs a non-empty id');
    if (byIdS.repeated[i]) bad('DUPLICATE_SUPPLIER', pathOf(S, i, 'id'), `duplicate supplier id ${s.id}`);
    if (!validLocation(s.location)) bad('INVALID_LOCATION', pathOf(S, i, 'location'), LOCATION_RULE);
    if (!isObj(s.capacity)) bad('INVALID_QUANTITIES', pathOf(S, i, 'capacity'), 'capacity must be an object of product code → units');
    else checkQuantities(s.capacity, S, i, 'capacity', isNonNegInt);
    if (s.slotMinutes !== undefined && !(isPosInt(s.slotMinutes) && s.slotMinutes <= 1440)) bad('INVALID_SLOT_MINUTES', pathOf(S, i, 'slotMinutes'), 'slotMinutes must be an integer in 1..1440');
    if (!Array.isArray(s.windows)) bad('INVALID_WINDOW', pathOf(S, i, 'windows'), 'windows must be an array');
    else s.windows.forEach((w, k) => {
      if (checkWindow(w, S, i, `windows[${k}]`) && !isPosInt(w.vehicles)) bad('INVALID_VEHICLES', pathOf(S, i, `windows[${k}].vehicles`), 'vehicles must be a positive integer');
    });
  });
  const st = problem.settings as unknown as Obj;
  if (!(isFiniteNum(st.maxPickupDistanceKm) && st.maxPickupDistanceKm > 0)) bad('INVALID_SETTING', '$.settings.maxPickupDistanceKm', 'maxPickupDistanceKm must be a positive number');
  if (!isPosInt(st.maxSuppliersPerEnterprise)) bad('INVALID_SETTING', '$.settings.maxSuppliersPerEnterprise', 'maxSuppliersPerEnterprise must be a positive integer');
  if (st.slotMinutes !== undefined && !(isPosInt(st.slotMinutes) && st.slotMinutes <= 1440)) bad('INVALID_SETTING', '$.settings.slotMinutes', 'slotMinutes must be an integer in 1..1440');
  if (st.travelSpeedKmh !== undefined && !(isFiniteNum(st.travelSpeedKmh) && st.travelSpeedKmh > 0)) bad('INVALID_SETTING', '$.settings.travelSpeedKmh', 'travelSpeedKmh must be a positive number');
  if (st.pickupBufferMinutes !== undefined && !isNonNegInt(st.pickupBufferMinutes)) bad('INVALID_SETTING', '$.settings.pickupBufferMinutes', 'pickupBufferMinutes must be a non-negative integer');
  if (problem.overrides !== undefined && !isObj(problem.overrides)) bad('INVALID_OVERRIDES', '$.overrides', 'overrides must be an object');
  if (reasons.length > 0) return { ok: false, reasons };

  const ents = Array.from(byIdE.order, (i) => problem.enterprises[i]);
  const sups = Array.from(byIdS.order, (i) => problem.suppliers[i]);
  const nE = ents.length;
  const nS = sups.length;
  const enterpriseIds = ents.map((e) => e.id);
  const supplierIds = sups.map((s) => s.id);

  const eLat = new Float64Array(nE);
  const eLng = new Float64Array(nE);
  const tier = new Int32Array(nE);
  const need = new Float64Array(nE * nP);
  const requested = new Float64Array(nE * nP);
  const deficit = new Float64Array(nE * nP);
  const credit = new Float64Array(nE * nP);
  const prefStart = new Int32Array(nE).fill(-1);
  const prefEnd = new Int32Array(nE).fill(-1);
  ents.forEach((e, i) => {
    eLat[i] = e.location.lat;
    eLng[i] = e.location.lng;
    tier[i] = e.tier;
    // Object.keys and a lookup: the same keys in the same order as Object.entries, no pair arrays.
    const needQ = e.need;
    for (const code of Object.keys(needQ)) requested[i * nP + productIndex.get(code)!] = needQ[code];
    const deficitQ = e.deficit;
    if (deficitQ) for (const code of Object.keys(deficitQ)) deficit[i * nP + productIndex.get(code)!] = deficitQ[code];
    const creditQ = e.roundingCredit;
    if (creditQ) {
      for (const code of Object.keys(creditQ)) {
        const q = creditQ[code];
        const p = productIndex.get(code)!;
        credit[i * nP + p] = Math.max(-packSize[p], Math.min(packSize[p], q));
      }
    }
    if (e.preferredWindow) {
      prefStart[i] = e.preferredWindow.startMinute;
      prefEnd[i] = e.preferredWindow.endMinute;
    }
  });
  need.set(requested);
  const sLat = new Float64Array(nS);
  const sLng = new Float64Array(nS);
  const capacity = new Float64Array(nS * nP);
  const windows = sups.map((s, i) => {
    sLat[i] = s.location.lat;
    sLng[i] = s.location.lng;
    const capQ = s.capacity;
    for (const code of Object.keys(capQ)) capacity[i * nP + productIndex.get(code)!] = capQ[code];
    return [...s.windows]
      .map((w) => ({ startMinute: w.startMinute, endMinute: w.endMinute, vehicles: w.vehicles }))
      .sort((a, b) => a.startMinute - b.startMinute || a.endMinute - b.endMinute || a.vehicles - b.vehicles);
  });

  // Overrides.
  const ov = (problem.overrides ?? {}) as Obj;
  const list = (key: string): Obj[] => {
    const v = ov[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      bad('INVALID_OVERRIDES', `$.overrides.${key}`, `${key} must be an array`);
      return [];
    }
    return v as Obj[];
  };
  // Id → index maps, built only when an override needs them (most runs have none).
  let eIndex: Map<string, number> | undefined;
  let sIndex: Map<string, number> | undefined;
  const ref = (o: Obj, path: string, withSupplier: boolean, withProduct: boolean) => {
    eIndex ??= new Map(enterpriseIds.map((id, i) => [id, i]));
    sIndex ??= new Map(supplierIds.map((id, i) => [id, i]));
    const e = typeof o.enterpriseId === 'string' ? eIndex.get(o.enterpriseId) : undefined;
    const s = withSupplier && typeof o.supplierId === 'string' ? sIndex.get(o.supplierId) : undefined;
    const p = withProduct && typeof o.productCode === 'string' ? productIndex.get(o.productCode) : undefined;
    if (e === undefined) bad('UNKNOWN_ENTERPRISE', `${path}.enterpriseId`, `unknown enterprise ${String(o.enterpriseId)}`);
    if (withSupplier && s === undefined) bad('UNKNOWN_SUPPLIER', `${path}.supplierId`, `unknown supplier ${String(o.supplierId)}`);
    if (withProduct && p === undefined) bad('UNKNOWN_PRODUCT', `${path}.productCode`, `unknown product ${String(o.productCode)}`);
    return { e: e ?? -1, s: s ?? -1, p: p ?? -1 };
  };

  const excluded = new Set<number>();
  list('excludes').forEach((o, i) => {
    const path = `$.overrides.excludes[${i}]`;
    if (!isObj(o)) return bad('INVALID_OVERRIDES', path, 'exclude must be an object');
    const { e, s } = ref(o, path, true, false);
    if (e >= 0 && s >= 0) excluded.add(e * nS + s);
  });
  const setSeen = new Set<number>();
  list('setQuantities').forEach((o, i) => {
    const path = `$.overrides.setQuantities[${i}]`;
    if (!isObj(o)) return bad('INVALID_OVERRIDES', path, 'setQuantity must be an object');
    const { e, p } = ref(o, path, false, true);
    if (!isNonNegInt(o.units)) return bad('INVALID_QUANTITY', `${path}.units`, 'units must be a non-negative integer');
    if (e < 0 || p < 0) return;
    if (setSeen.has(e * nP + p)) return bad('DUPLICATE_OVERRIDE', path, 'two setQuantity overrides for the same enterprise and product');
    setSeen.add(e * nP + p);
    need[e * nP + p] = o.units;
  });
  const pins: { e: number; s: number; p: number; units: number }[] = [];
  list('pins').forEach((o, i) => {
    const path = `$.overrides.pins[${i}]`;
    if (!isObj(o)) return bad('INVALID_OVERRIDES', path, 'pin must be an object');
    const { e, s, p } = ref(o, path, true, true);
    if (!isPosInt(o.units)) return bad('INVALID_QUANTITY', `${path}.units`, 'pin units must be a positive integer');
    if (e < 0 || s < 0 || p < 0) return;
    if (o.units % packSize[p] !== 0) return bad('PIN_NOT_WHOLE_PACKS', `${path}.units`, `pin of ${o.units} units is not a whole number of packs of ${packSize[p]}`);
    if (excluded.has(e * nS + s)) return bad('PIN_EXCLUDED_CONFLICT', path, `supplier ${sups[s].id} is both pinned and excluded for enterprise ${ents[e].id}`);
    pins.push({ e, s, p, units: o.units });
  });
  if (reasons.length > 0) return { ok: false, reasons };

  // Pins must fit the supplier's capacity and the enterprise's need.
  pins.sort((a, b) => a.e - b.e || a.s - b.s || a.p - b.p);
  const pinnedAtS = new Map<number, number>();
  const pinnedAtE = new Map<number, number>();
  const merged: typeof pins = [];
  for (const pin of pins) {
    const last = merged[merged.length - 1];
    if (last && last.e === pin.e && last.s === pin.s && last.p === pin.p) last.units += pin.units;
    else merged.push({ ...pin });
    pinnedAtS.set(pin.s * nP + pin.p, (pinnedAtS.get(pin.s * nP + pin.p) ?? 0) + pin.units);
    pinnedAtE.set(pin.e * nP + pin.p, (pinnedAtE.get(pin.e * nP + pin.p) ?? 0) + pin.units);
  }
  for (const [k, units] of [...pinnedAtS].sort((a, b) => a[0] - b[0])) {
    const s = Math.floor(k / nP);
    const p = k % nP;
    if (units > capacity[k]) bad('PIN_ABOVE_CAPACITY', '$.overrides.pins', `pins of ${units} ${productCodes[p]} at supplier ${sups[s].id} exceed its capacity of ${capacity[k]}`);
  }
  for (const [k, units] of [...pinnedAtE].sort((a, b) => a[0] - b[0])) {
    const e = Math.floor(k / nP);
    const p = k % nP;
    if (units > need[k]) bad('PIN_ABOVE_NEED', '$.overrides.pins', `pins of ${units} ${productCodes[p]} for enterprise ${ents[e].id} exceed its need of ${need[k]}; raise the need with setQuantity`);
  }
  if (reasons.length > 0) return { ok: false, reasons };

  const excludedBy = new Map<number, number[]>();
  for (const k of [...excluded].sort((a, b) => a - b)) {
    const e = Math.floor(k / nS);
    const arr = excludedBy.get(e) ?? [];
    arr.push(k % nS);
    excludedBy.set(e, arr);
  }

  const settings = problem.settings;
  return {
    ok: true,
    model: {
      productCodes,
      packSize,
      nE,
      nS,
      nP,
      enterpriseIds,
      eLat,
      eLng,
      tier,
      need,
      requested,
      deficit,
      credit,
      prefStart,
      prefEnd,
      supplierIds,
      sLat,
      sLng,
      capacity,
      windows,
      maxDistanceM: settings.maxPickupDistanceKm * 1000,
      maxSuppliersPerEnterprise: settings.maxSuppliersPerEnterprise,
      slotMinutes: settings.slotMinutes ?? DEFAULT_SETTINGS.slotMinutes,
      supplierSlotMinutes: Int32Array.from(sups, (s) => s.slotMinutes ?? settings.slotMinutes ?? DEFAULT_SETTINGS.slotMinutes),
      travelSpeedKmh: settings.travelSpeedKmh ?? DEFAULT_SETTINGS.travelSpeedKmh,
      pickupBufferMinutes: settings.pickupBufferMinutes ?? DEFAULT_SETTINGS.pickupBufferMinutes,
      pins: merged,
      excluded,
      excludedBy,
    },
  };
}

/**
 * The positions of `items` in order of id (code-unit order), and a flag on each position whose id
 * an earlier position already has. Items without a non-empty string id are left out. Input
 * already in id order (the usual case) costs one pass; any other order, one sort of positions, with
 * no hashing of a zone's hundred thousand ids.
 */
function orderById(items: readonly unknown[]): { order: Int32Array; repeated: Uint8Array } {
  const n = items.length;
  const ids: string[] = [];
  const positions: number[] = [];
  let ordered = true;
  for (let i = 0; i < n; i++) {
    const it = items[i];
    if (!isObj(it) || typeof it.id !== 'string' || it.id === '') continue;
    if (ids.length > 0 && !(ids[ids.length - 1] < it.id)) ordered = false;
    ids.push(it.id);
    positions.push(i);
  }
  const repeated = new Uint8Array(n);
  const order = Int32Array.from(positions);
  if (ordered) return { order, repeated };
  const rank = Int32Array.from(ids, (_, r) => r);
  // Equal ids keep input order, so the first of a run is the first use.
  rank.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : a - b));
  for (let r = 0; r < rank.length; r++) {
    order[r] = positions[rank[r]];
    if (r > 0 && ids[rank[r]] === ids[rank[r - 1]]) repeated[order[r]] = 1;
  }
  return { order, repeated };
}
