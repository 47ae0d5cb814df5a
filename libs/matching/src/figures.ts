import type { Model } from './model.js';
import type { AllocationLine, Figures, ProductFigures } from './types.js';

/** Rounds for output so floats print the same everywhere and stay readable. */
export const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
export const round3 = (x: number): number => Math.round(x * 1e3) / 1e3;

/** One allocation line in index form (units are whole packs × pack size). */
export interface LineIx {
  readonly e: number;
  readonly s: number;
  readonly p: number;
  readonly packs: number;
  readonly distM: number;
}

/** Lines as the result states them: ids, and units as well as packs. */
export function toAllocationLines(m: Model, lines: readonly LineIx[]): AllocationLine[] {
  return lines.map((l) => ({
    enterpriseId: m.enterpriseIds[l.e],
    supplierId: m.supplierIds[l.s],
    productCode: m.productCodes[l.p],
    units: l.packs * m.packSize[l.p],
    packs: l.packs,
    distanceM: l.distM,
  }));
}

/**
 * Jain's fairness index (Σx)² / (n Σx²) over fill ratios: 1 when all are equal, 1/n when one
 * enterprise gets everything. Defined as 1 for an empty set or when every ratio is 0 (all equal).
 *
 * @example jain([0.5, 0.5]) // 1
 */
export function jain(xs: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i];
    s2 += xs[i] * xs[i];
  }
  return s2 === 0 ? 1 : (s * s) / (xs.length * s2);
}

/**
 * Run figures. `allocatedUnits[e * nP + p]` is what each enterprise received of each product;
 * `pickups` the enterprise–supplier pairs with their distance.
 *
 * @example const f = computeFigures(model, lines, allocatedUnits, pickups);
 */
export function computeFigures(
  m: Model,
  lines: readonly LineIx[],
  allocatedUnits: Float64Array,
  pickups: readonly { e: number; s: number; distM: number }[],
): Figures {
  const { nE, nP } = m;
  const byProduct: ProductFigures[] = [];
  const allRatios: number[] = [];
  // Tiers as dense indices (ascending tier), so the per-tier sums are array entries, not map entries.
  const tiers = [...new Set(m.tier)].sort((a, b) => a - b);
  const tierIx = new Map(tiers.map((t, i) => [t, i]));
  const ixOf = Int32Array.from(m.tier, (t) => tierIx.get(t)!);
  const nT = tiers.length;
  const minAll = new Float64Array(nT).fill(1);
  const seenAll = new Uint8Array(nT);
  let demandAll = 0;
  let supplyAll = 0;
  let allocAll = 0;
  let unmetAll = 0;
  let surplusAll = 0;
  let unitKmAll = 0;
  let packKm = 0;
  let splitsAll = 0;
  const linesByP: LineIx[][] = Array.from({ length: nP }, () => []);
  for (const l of lines) linesByP[l.p].push(l);
  for (let p = 0; p < nP; p++) {
    const pack = m.packSize[p];
    let demand = 0;
    let supply = 0;
    let allocated = 0;
    let unmet = 0;
    let surplus = 0;
    const tierDemand = new Float64Array(nT);
    const tierAlloc = new Float64Array(nT);
    const tierMin = new Float64Array(nT).fill(1);
    const ratios: number[] = [];
    for (let s = 0; s < m.nS; s++) supply += m.capacity[s * nP + p];
    for (let e = 0; e < nE; e++) {
      const need = m.need[e * nP + p];
      const got = allocatedUnits[e * nP + p];
      allocated += got;
      unmet += Math.max(0, need - got);
      surplus += Math.max(0, got - need);
      if (need <= 0) continue;
      const t = ixOf[e];
      demand += need;
      const r = Math.min(1, got / need);
      ratios.push(r);
      allRatios.push(r);
      seenAll[t] = 1;
      tierDemand[t] += need;
      tierAlloc[t] += Math.min(got, need);
      tierMin[t] = Math.min(tierMin[t], r);
      minAll[t] = Math.min(minAll[t], r);
    }
    let unitKm = 0;
    const suppliersOf = new Map<number, number>();
    for (const l of linesByP[p]) {
      unitKm += (l.packs * pack * l.distM) / 1000;
      packKm += (l.packs * l.distM) / 1000;
      suppliersOf.set(l.e, (suppliersOf.get(l.e) ?? 0) + 1);
    }
    let splits = 0;
    for (const c of suppliersOf.values()) if (c > 1) splits++;
    // A tier is listed when someone in it needs the product (every need counted is positive).
    const present = tiers.flatMap((t, i) => (tierDemand[i] > 0 ? [[t, i]] : []));
    byProduct.push({
      productCode: m.productCodes[p],
      demand,
      supply,
      allocated,
      unmet,
      surplus,
      fillRatioByTier: Object.fromEntries(present.map(([t, i]) => [String(t), round6(tierAlloc[i] / tierDemand[i])])),
      minFillRatioByTier: Object.fromEntries(present.map(([t, i]) => [String(t), round6(tierMin[i])])),
      jainIndex: round6(jain(ratios)),
      unitKm: round3(unitKm),
      splits,
    });
    demandAll += demand;
    supplyAll += supply;
    allocAll += allocated;
    unmetAll += unmet;
    surplusAll += surplus;
    unitKmAll += unitKm;
    splitsAll += splits;
  }
  const perE = new Map<number, number>();
  let tripKm = 0;
  for (const pk of pickups) {
    perE.set(pk.e, (perE.get(pk.e) ?? 0) + 1);
    tripKm += pk.distM / 1000;
  }
  let maxPickups = 0;
  let over = 0;
  for (const c of perE.values()) {
    maxPickups = Math.max(maxPickups, c);
    if (c > m.maxSuppliersPerEnterprise) over++;
  }
  return {
    demand: demandAll,
    supply: supplyAll,
    allocated: allocAll,
    unmet: unmetAll,
    surplus: surplusAll,
    fillRatio: round6(demandAll === 0 ? 1 : (demandAll - unmetAll) / demandAll),
    byProduct,
    minFillRatioByTier: Object.fromEntries(tiers.flatMap((t, i) => (seenAll[i] ? [[String(t), round6(minAll[i])]] : []))),
    jainIndex: round6(jain(allRatios)),
    unitKm: round3(unitKmAll),
    packKm: round3(packKm),
    trips: pickups.length,
    tripKm: round3(tripKm),
    pickupsPerEnterprise: { mean: round6(perE.size === 0 ? 0 : pickups.length / perE.size), max: maxPickups },
    splits: splitsAll,
    overSupplierLimit: over,
  };
}
