import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { addDays, type PickupStatus } from '#domain';
import { Product } from '../entities/product.entity.js';
import { RunOverride } from '../entities/run-override.entity.js';
import { ReportLedger, type LatestCapacity, type LatestDemand } from '../reports/report-ledger.js';
import { STANDING_ORDER } from './override-store.js';

/** Sort memory for the snapshot's transaction: a city's latest reports (~15,000 rows with their lines) sort in ~10 MB. */
export const SNAPSHOT_WORK_MEM = '64MB';

/** A published appointment as a correction reads it: who, where, when, what, and what happened at the gate. */
export interface PublishedAppointment {
  slipId: string;
  pickupCode: string;
  enterpriseId: string;
  supplierId: string;
  slotStart: Date | null;
  slotEnd: Date | null;
  status: PickupStatus;
  confirmedAt: Date | null;
  confirmedBy: string | null;
  /** Units per product of the pair's lines. */
  units: Record<string, number>;
}

/** The date's published run as stored: its input snapshot and explanations are the matcher's, kept as JSON. */
export interface PublishedRunRows {
  runId: string;
  inputSnapshot: unknown;
  explanations: unknown[];
  appointments: PublishedAppointment[];
  lines: { enterpriseId: string; supplierId: string; productCode: string; units: number; packs: number; distanceM: number }[];
}

/** Per enterprise, per product: a number (a carried deficit in units, or a rounding credit). */
export type PerEnterprise = Map<string, Record<string, number>>;

/** Everything a run of (zone, date) reads, as stored, at one point in time. */
export interface RunInputRows {
  products: Product[];
  demand: LatestDemand[];
  capacity: LatestCapacity[];
  deficits: PerEnterprise;
  roundingCredits: PerEnterprise;
  overrides: RunOverride[];
  published: PublishedRunRows | null;
}

/** How far back carried deficits look, and how much each day back counts less. */
export interface DeficitPolicy {
  days: number;
  decay: number;
}

/**
 * Reads what a run for (zone, date) depends on, in one REPEATABLE READ transaction so that reports,
 * deficits and overrides are one point in time (a late report posted while the run reads is in
 * all of it or none). The worker turns these rows into the matcher's problem.
 */
@Injectable()
export class RunInputsStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: ReportLedger,
  ) {}

  read(zoneId: string, serviceDate: string, deficitPolicy: DeficitPolicy): Promise<RunInputRows> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      await m.query(`SET LOCAL work_mem = '${SNAPSHOT_WORK_MEM}'`);
      return {
        products: await m.getRepository(Product).find({ where: { zoneId }, order: { code: 'ASC' } }),
        demand: await this.ledger.latestInZone('demand', zoneId, serviceDate, m),
        capacity: await this.ledger.latestInZone('capacity', zoneId, serviceDate, m),
        deficits: await deficits(m, zoneId, serviceDate, deficitPolicy),
        roundingCredits: await roundingCredits(m, zoneId, serviceDate),
        overrides: await m.getRepository(RunOverride).find({ where: { zoneId, serviceDate, withdrawnAt: IsNull() }, order: STANDING_ORDER }),
        published: await publishedRun(m, zoneId, serviceDate),
      };
    });
  }
}

/** The published run of (zone, date) with its appointments and lines, or null. */
async function publishedRun(m: EntityManager, zoneId: string, serviceDate: string): Promise<PublishedRunRows | null> {
  const [run]: { id: string; input_snapshot: unknown; explanations: { explanations?: unknown[] } | null }[] = await m.query(
    `SELECT id, input_snapshot, explanations FROM allocation_runs WHERE zone_id = $1 AND service_date = $2 AND status = 'published'`,
    [zoneId, serviceDate],
  );
  if (!run) return null;
  const lines: { enterprise_id: string; supplier_id: string; product_code: string; units: number; packs: number; distance_m: number }[] = await m.query(
    'SELECT enterprise_id, supplier_id, product_code, units, packs, distance_m FROM allocation_lines WHERE run_id = $1 ORDER BY id',
    [run.id],
  );
  const unitsByPair = new Map<string, Record<string, number>>();
  for (const l of lines) {
    const key = `${l.enterprise_id}|${l.supplier_id}`;
    const units = unitsByPair.get(key) ?? {};
    units[l.product_code] = (units[l.product_code] ?? 0) + l.units;
    unitsByPair.set(key, units);
  }
  const appointments: { slip_id: string; pickup_code: string; enterprise_id: string; supplier_id: string; slot_start: Date | null; slot_end: Date | null; status: PickupStatus; confirmed_at: Date | null; confirmed_by: string | null }[] =
    await m.query('SELECT slip_id, pickup_code, enterprise_id, supplier_id, slot_start, slot_end, status, confirmed_at, confirmed_by FROM pickup_appointments WHERE run_id = $1 ORDER BY id', [run.id]);
  return {
    runId: run.id,
    inputSnapshot: run.input_snapshot,
    explanations: run.explanations?.explanations ?? [],
    appointments: appointments.map((a) => ({
      slipId: a.slip_id,
      pickupCode: a.pickup_code,
      enterpriseId: a.enterprise_id,
      supplierId: a.supplier_id,
      slotStart: a.slot_start,
      slotEnd: a.slot_end,
      status: a.status,
      confirmedAt: a.confirmed_at,
      confirmedBy: a.confirmed_by,
      units: unitsByPair.get(`${a.enterprise_id}|${a.supplier_id}`) ?? {},
    })),
    lines: lines.map((l) => ({ enterpriseId: l.enterprise_id, supplierId: l.supplier_id, productCode: l.product_code, units: l.units, packs: l.packs, distanceM: l.distance_m })),
  };
}

/**
 * What rounding to whole packs owes each enterprise (or it owes), as the previous day's published
 * run left it in its explanations: the matcher carries it from day to day so that a small need
 * gets a whole pack every few days rather than none ever.
 */
async function roundingCredits(m: EntityManager, zoneId: string, serviceDate: string): Promise<PerEnterprise> {
  const rows: { enterprise_id: string; product_code: string; credit: number }[] = await m.query(
    `SELECT e->>'enterpriseId' AS enterprise_id, p->>'productCode' AS product_code, (p->>'roundingCredit')::float8 AS credit
       FROM allocation_runs r,
            jsonb_array_elements(r.explanations->'explanations') e,
            jsonb_array_elements(e->'products') p
      WHERE r.zone_id = $1 AND r.service_date = $2::date - 1 AND r.status = 'published'
        AND coalesce((p->>'roundingCredit')::float8, 0) <> 0`,
    [zoneId, serviceDate],
  );
  const out: PerEnterprise = new Map();
  for (const r of rows) out.set(r.enterprise_id, { ...(out.get(r.enterprise_id) ?? {}), [r.product_code]: Number(r.credit) });
  return out;
}

/**
 * Units each enterprise was short in the published runs of the previous days, each day back
 * counting `decay` times the one after: Σ unmet(D−k) × decay^(k−1), k = 1…days. Only shortage
 * counts (a no-show is not unmet need).
 */
async function deficits(m: EntityManager, zoneId: string, serviceDate: string, policy: DeficitPolicy): Promise<PerEnterprise> {
  const rows: { enterprise_id: string; product_code: string; deficit: string }[] = await m.query(
    `SELECT u.enterprise_id, u.product_code,
            round(sum(u.units * power($4::float8, (($3::date - r.service_date) - 1))))::bigint AS deficit
       FROM unmet_needs u JOIN allocation_runs r ON r.id = u.run_id
      WHERE r.zone_id = $1 AND r.status = 'published' AND r.service_date >= $2::date AND r.service_date < $3::date
      GROUP BY u.enterprise_id, u.product_code`,
    [zoneId, addDays(serviceDate, -policy.days), serviceDate, policy.decay],
  );
  const out: PerEnterprise = new Map();
  for (const r of rows) {
    const d = Number(r.deficit);
    if (d <= 0) continue;
    out.set(r.enterprise_id, { ...(out.get(r.enterprise_id) ?? {}), [r.product_code]: d });
  }
  return out;
}
