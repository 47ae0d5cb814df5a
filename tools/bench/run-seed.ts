/**
 * Seeds zones for the run benchmark directly in PostgreSQL, in bulk (one INSERT … SELECT FROM
 * unnest per table and chunk), with rows shaped exactly as the API writes them: demand lines
 * `[{productId, productCode, statedQuantity, stockOnHand, need}]` with need = ceil(headcount × norm)
 * − stock, capacity lines `[{productId, productCode, quantity}]`, valid and unique GB 32100-2015
 * credit codes, one coordinator per zone as the submitter. Seeded PRNG: the same zones every run.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { DEFAULT_TIER_MAPPING, withCheckChar } from '#domain';
import { seeded } from '#matching';
import { SPECS } from './match.bench.js';
import { clusteredArea, type ClusteredArea, type SyntheticSize } from './synthetic-area.js';

/** The four products of the city bench (as libs/matching's bench), with the zone's norms. */
export const BENCH_PRODUCTS = [
  { code: 'MASK-MED', nameZh: '一次性医用口罩', nameEn: 'Disposable medical mask', unit: 'piece', packSize: 50, norm: 2, capFactor: 1.5, supplyRatio: 0.7 },
  { code: 'GLOVES', nameZh: '一次性手套', nameEn: 'Disposable gloves', unit: 'pair', packSize: 100, norm: 1, capFactor: 1.5, supplyRatio: 0.9 },
  { code: 'SANITIZER-500', nameZh: '免洗洗手液 500ml', nameEn: 'Hand sanitizer 500 ml', unit: 'bottle', packSize: 12, norm: 0.2, capFactor: 1.5, supplyRatio: 0.8 },
  { code: 'DISINFECT-5L', nameZh: '84 消毒液 5L', nameEn: 'Chlorine disinfectant 5 L', unit: 'can', packSize: 4, norm: 0.05, capFactor: 2, supplyRatio: 1.1 },
] as const;

/** Priority categories in the shares of a resumed city, mapped to tiers by DEFAULT_TIER_MAPPING. */
const CATEGORIES: [string, number][] = [
  ['epidemic_prevention', 0.02],
  ['medical', 0.015],
  ['key_supply', 0.015],
  ['city_operations', 0.07],
  ['daily_life', 0.08],
  ['above_scale', 0.3],
  ['other', 0.5],
];

/** A zone's size and map (industrial parks around its own origin). */
export interface ZoneSpec extends SyntheticSize, ClusteredArea {
  name: string;
  /** Share of enterprises that posted a second version (the latest counts). */
  repostShare: number;
}

/** A city of the size the service is built for: the city of bench:match (15,000 enterprises, 600,000 workers, 200 suppliers). */
export function citySpec(seed = SPECS.city.seed): ZoneSpec {
  return { ...SPECS.city, name: 'Bench city', seed, origin: { lat: 31.8, lng: 119.9 }, repostShare: 0.1 };
}

/** One of a province's zones: 10,000 enterprises and 100 suppliers, each zone on its own patch of map. */
export function provinceZoneSpec(index: number, enterprises = 10_000): ZoneSpec {
  return {
    name: `Bench province zone ${String(index + 1).padStart(2, '0')}`,
    seed: 20200210 + index,
    enterprises,
    workers: enterprises * 40,
    suppliers: Math.max(10, Math.round(enterprises / 100)),
    clusters: 6,
    widthKm: 50,
    heightKm: 40,
    clusterSigmaKm: 6,
    maxPickupDistanceKm: 20,
    origin: { lat: 30.8 + Math.floor(index / 5) * 0.6, lng: 118.5 + (index % 5) * 0.7 },
    repostShare: 0.1,
  };
}

export interface SeededZone {
  zoneId: string;
  name: string;
  enterprises: number;
  suppliers: number;
  demandRows: number;
  capacityRows: number;
}

/** Inserts `columns` (one array per column) with one INSERT … SELECT FROM unnest per chunk of rows. */
async function bulkInsert(client: pg.Client, table: string, columns: [name: string, type: string, values: unknown[]][], chunk = 5000): Promise<void> {
  const total = columns[0][2].length;
  const names = columns.map(([n]) => n).join(', ');
  const params = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  for (let i = 0; i < total; i += chunk) {
    await client.query(
      `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${params})`,
      columns.map(([, , values]) => values.slice(i, i + chunk)),
    );
  }
}

let serial = 0;
/** '91' (company) + '320400' (Changzhou) + a 9-digit serial, with its check character: unique in the bench database. */
const creditCode = () => withCheckChar(`91320400${String(++serial).padStart(9, '0')}`);

/** Seeds one zone: zone, coordinator, products, enterprises and suppliers, and their reports for `serviceDate`. */
export async function seedZone(client: pg.Client, spec: ZoneSpec, serviceDate: string, submittedAt: Date): Promise<SeededZone> {
  const rnd = seeded(spec.seed);
  const { place, headcounts } = clusteredArea(rnd, spec);

  const zoneId = randomUUID();
  const coordinatorId = randomUUID();
  await client.query(
    `INSERT INTO zones (id, name, time_zone, max_pickup_distance_km, max_suppliers_per_enterprise, tier_mapping) VALUES ($1, $2, 'Asia/Shanghai', $3, 3, $4)`,
    [zoneId, spec.name, spec.maxPickupDistanceKm, JSON.stringify(DEFAULT_TIER_MAPPING)],
  );
  await client.query(`INSERT INTO users (id, name, role, zone_id) VALUES ($1, 'bench coordinator', 'coordinator', $2)`, [coordinatorId, zoneId]);
  const productIds = BENCH_PRODUCTS.map(() => randomUUID());
  await bulkInsert(client, 'products', [
    ['id', 'uuid', productIds],
    ['zone_id', 'uuid', BENCH_PRODUCTS.map(() => zoneId)],
    ['code', 'text', BENCH_PRODUCTS.map((p) => p.code)],
    ['name_zh', 'text', BENCH_PRODUCTS.map((p) => p.nameZh)],
    ['name_en', 'text', BENCH_PRODUCTS.map((p) => p.nameEn)],
    ['unit', 'text', BENCH_PRODUCTS.map((p) => p.unit)],
    ['pack_size', 'int', BENCH_PRODUCTS.map((p) => p.packSize)],
    ['norm_per_worker', 'numeric', BENCH_PRODUCTS.map((p) => p.norm)],
    ['cap_factor', 'numeric', BENCH_PRODUCTS.map((p) => p.capFactor)],
  ]);

  // Enterprises: heavy-tailed headcounts scaled to the zone's workers.
  const heads = headcounts(spec.enterprises, spec.workers);
  const e = { id: [] as string[], code: [] as string[], name: [] as string[], lat: [] as number[], lng: [] as number[], registered: [] as number[], category: [] as string[], aboveScale: [] as boolean[] };
  const demand = BENCH_PRODUCTS.map(() => 0);
  const d = { id: [] as string[], enterprise: [] as string[], version: [] as number[], headcount: [] as number[], lines: [] as string[] };
  heads.forEach((headcount, i) => {
    const id = randomUUID();
    const { lat, lng } = place();
    let u = rnd();
    const category = CATEGORIES.find(([, share]) => (u -= share) < 0)?.[0] ?? 'other';
    e.id.push(id);
    e.code.push(creditCode());
    e.name.push(`${spec.name} 企业 ${i + 1}`);
    e.lat.push(lat);
    e.lng.push(lng);
    e.registered.push(headcount + Math.floor(rnd() * headcount * 0.3) + 1);
    e.category.push(category);
    e.aboveScale.push(category === 'above_scale');
    const versions = rnd() < spec.repostShare ? 2 : 1;
    for (let version = 1; version <= versions; version++) {
      const h = version === versions ? headcount : Math.max(1, Math.round(headcount * 0.9));
      const lines = BENCH_PRODUCTS.flatMap((p, k) => {
        if (k > 0 && rnd() < 0.3) return []; // not everyone needs every product
        const stockOnHand = rnd() < 0.2 ? Math.floor(rnd() * h * p.norm * 0.5) : 0;
        const need = Math.max(0, Math.ceil(h * p.norm - 1e-9) - stockOnHand);
        if (version === versions) demand[k] += need;
        return [{ productId: productIds[k], productCode: p.code, statedQuantity: null, stockOnHand, need }];
      });
      d.id.push(randomUUID());
      d.enterprise.push(id);
      d.version.push(version);
      d.headcount.push(h);
      d.lines.push(JSON.stringify(lines));
    }
  });
  const n = e.id.length;
  const fill = <T>(v: T) => Array.from({ length: n }, () => v);
  await bulkInsert(client, 'organizations', [
    ['id', 'uuid', e.id],
    ['zone_id', 'uuid', fill(zoneId)],
    ['kind', 'organization_kind', fill('enterprise')],
    ['name', 'text', e.name],
    ['credit_code', 'text', e.code],
    ['address', 'text', e.name.map((x) => `${x} 地址`)],
    ['latitude', 'numeric', e.lat],
    ['longitude', 'numeric', e.lng],
    ['contact_name', 'text', fill('王芳')],
    ['contact_phone', 'text', fill('+86 519 8888 6666')],
    ['registered_employees', 'int', e.registered],
    ['priority_category', 'text', e.category],
    ['above_scale', 'bool', e.aboveScale],
  ]);
  const dn = d.id.length;
  await bulkInsert(client, 'demand_reports', [
    ['id', 'uuid', d.id],
    ['zone_id', 'uuid', Array.from({ length: dn }, () => zoneId)],
    ['enterprise_id', 'uuid', d.enterprise],
    ['service_date', 'date', Array.from({ length: dn }, () => serviceDate)],
    ['version', 'int', d.version],
    ['headcount', 'int', d.headcount],
    ['lines', 'jsonb', d.lines],
    ['submitted_by', 'uuid', Array.from({ length: dn }, () => coordinatorId)],
    ['submitted_at', 'timestamptz', Array.from({ length: dn }, () => submittedAt.toISOString())],
  ]);

  // Suppliers: capacity in proportion to a weight, masks short, vehicles for about two pickups per enterprise.
  const weights = Array.from({ length: spec.suppliers }, () => 0.3 + rnd());
  const wSum = weights.reduce((a, b) => a + b, 0);
  const pickupsPerSupplier = (spec.enterprises * 2) / spec.suppliers;
  const s = { id: [] as string[], code: [] as string[], name: [] as string[], lat: [] as number[], lng: [] as number[], vehicles: [] as number[], lines: [] as string[] };
  weights.forEach((w, i) => {
    const { lat, lng } = place();
    s.id.push(randomUUID());
    s.code.push(creditCode());
    s.name.push(`${spec.name} 防护用品厂 ${i + 1}`);
    s.lat.push(lat);
    s.lng.push(lng);
    // Windows 08:00–12:00 and 13:00–18:00 in 30-minute slots: 18 slots.
    s.vehicles.push(Math.max(2, Math.ceil((pickupsPerSupplier * w) / (wSum / spec.suppliers) / 18)));
    const lines = BENCH_PRODUCTS.flatMap((p, k) => {
      if (k > 0 && rnd() < 0.4) return [];
      return [{ productId: productIds[k], productCode: p.code, quantity: Math.round(((demand[k] * p.supplyRatio * w) / wSum) * (k === 0 ? 1 : 1.6)) }];
    });
    s.lines.push(JSON.stringify(lines));
  });
  const sn = s.id.length;
  const sfill = <T>(v: T) => Array.from({ length: sn }, () => v);
  await bulkInsert(client, 'organizations', [
    ['id', 'uuid', s.id],
    ['zone_id', 'uuid', sfill(zoneId)],
    ['kind', 'organization_kind', sfill('supplier')],
    ['name', 'text', s.name],
    ['credit_code', 'text', s.code],
    ['address', 'text', s.name.map((x) => `${x} 地址`)],
    ['latitude', 'numeric', s.lat],
    ['longitude', 'numeric', s.lng],
    ['contact_name', 'text', sfill('李强')],
    ['contact_phone', 'text', sfill('0519-8666-1234')],
    ['pickup_site_address', 'text', s.name.map((x) => `${x} 门口`)],
    ['pickup_windows', 'jsonb', sfill(JSON.stringify([{ start: '08:00', end: '12:00' }, { start: '13:00', end: '18:00' }]))],
    ['slot_minutes', 'int', sfill(30)],
    ['vehicles_per_slot', 'int', s.vehicles],
  ]);
  await bulkInsert(client, 'capacity_reports', [
    ['zone_id', 'uuid', sfill(zoneId)],
    ['supplier_id', 'uuid', s.id],
    ['service_date', 'date', sfill(serviceDate)],
    ['version', 'int', sfill(1)],
    ['lines', 'jsonb', s.lines],
    ['submitted_by', 'uuid', sfill(coordinatorId)],
    ['submitted_at', 'timestamptz', sfill(submittedAt.toISOString())],
  ]);
  return { zoneId, name: spec.name, enterprises: n, suppliers: sn, demandRows: dn, capacityRows: sn };
}
