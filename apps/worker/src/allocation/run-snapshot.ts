import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { addDays, PickupStatus } from '#domain';
import { Product, ReportLedger, RunOverride, STANDING_ORDER, toStandingOverride, type Zone } from '#store';
import { fitOverrides, type Enterprise as MatchEnterprise, type Explanation, type OverrideCut, type Problem, type Supplier as MatchSupplier } from '#matching';

/** Carried deficit looks back this many days, halving each day back (documented in README). */
export const DEFICIT_DAYS = 7;
export const DEFICIT_DECAY = 0.5;
/** Slot length of a supplier registered without one. */
const DEFAULT_SLOT_MINUTES = 30;
/** Tier for a category the zone's mapping does not name: served last. */
const UNMAPPED_TIER = 99;

/** Sort memory for the snapshot's transaction: a city's latest reports (~15,000 rows with their lines) sort in ~10 MB. */
export const SNAPSHOT_WORK_MEM = '64MB';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Everything one run reads, at one point in time. */
export interface RunInputs {
  problem: Problem;
  /** Overrides that could not stand in full against today's inputs. */
  overrideCuts: readonly OverrideCut[];
  /** The date's published schedule, which a run of the date corrects; null before the first publish. */
  published: PublishedPlan | null;
}

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

export interface PublishedPlan {
  runId: string;
  /** The matcher's input the published run was computed from. */
  problem: Problem;
  appointments: PublishedAppointment[];
  lines: { enterpriseId: string; supplierId: string; productCode: string; units: number; packs: number; distanceM: number }[];
  /** Its explanations, kept for the enterprises a correction does not re-plan. */
  explanations: Explanation[];
}

/** The published run of (zone, date) with its appointments and lines, or null. */
async function readPublishedPlan(m: EntityManager, zoneId: string, serviceDate: string): Promise<PublishedPlan | null> {
  const [run]: { id: string; input_snapshot: Problem; explanations: { explanations?: Explanation[] } | null }[] = await m.query(
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
    problem: run.input_snapshot,
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
 * Reads everything a run for (zone, date) depends on and turns it into the matcher's Problem:
 * the latest demand and capacity versions, the catalogue, tiers, carried deficits and the
 * coordinator overrides. The Problem is stored with the run, so the run can be replayed.
 */
@Injectable()
export class RunSnapshotReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: ReportLedger,
  ) {}

  /**
   * The Problem, with the overrides standing now fitted to its inputs, and the overrides that had
   * to be cut (an input changed after they were accepted) for the run's explanation.
   */
  async read(zone: Zone, serviceDate: string): Promise<RunInputs> {
    // One transaction, so reports, deficits and overrides are one point in time (a late report
    // posted while the run reads is in all of it or none), with room to sort the reports in memory.
    const { products, enterprises, suppliers, deficits, credits, overrides, published } = await this.dataSource.transaction('REPEATABLE READ', async (m) => {
      await m.query(`SET LOCAL work_mem = '${SNAPSHOT_WORK_MEM}'`);
      return {
        products: await m.getRepository(Product).find({ where: { zoneId: zone.id }, order: { code: 'ASC' } }),
        enterprises: await this.ledger.latestInZone('demand', zone.id, serviceDate, m),
        suppliers: await this.ledger.latestInZone('capacity', zone.id, serviceDate, m),
        deficits: await this.deficits(m, zone.id, serviceDate),
        credits: await this.roundingCredits(m, zone.id, serviceDate),
        overrides: await m.getRepository(RunOverride).find({ where: { zoneId: zone.id, serviceDate, withdrawnAt: IsNull() }, order: STANDING_ORDER }),
        published: await readPublishedPlan(m, zone.id, serviceDate),
      };
    });
    const inputs = {
      products: products.map((p) => ({ code: p.code, packSize: p.packSize })),
      enterprises: enterprises.map(
        (e): MatchEnterprise => ({
          id: e.id,
          location: { lat: Number(e.latitude), lng: Number(e.longitude) },
          tier: (e.priorityCategory && zone.tierMapping[e.priorityCategory]) || UNMAPPED_TIER,
          need: Object.fromEntries(e.lines.filter((l) => l.need > 0).map((l) => [l.productCode, l.need])),
          ...(deficits.has(e.id) ? { deficit: deficits.get(e.id) } : {}),
          ...(credits.has(e.id) ? { roundingCredit: credits.get(e.id) } : {}),
        }),
      ),
      suppliers: suppliers.map(
        (s): MatchSupplier => ({
          id: s.id,
          location: { lat: Number(s.latitude), lng: Number(s.longitude) },
          windows: (s.pickupWindows ?? []).map((w) => ({ startMinute: minutes(w.start), endMinute: minutes(w.end), vehicles: s.vehiclesPerSlot ?? 1 })),
          slotMinutes: s.slotMinutes ?? DEFAULT_SLOT_MINUTES,
          capacity: Object.fromEntries(s.lines.map((l) => [l.productCode, l.quantity])),
        }),
      ),
      settings: {
        maxPickupDistanceKm: zone.maxPickupDistanceKm,
        maxSuppliersPerEnterprise: zone.maxSuppliersPerEnterprise,
        slotMinutes: DEFAULT_SLOT_MINUTES,
      },
    };
    const fitted = fitOverrides(inputs, overrides.map(toStandingOverride));
    return { problem: { ...inputs, overrides: fitted.overrides }, overrideCuts: fitted.cuts, published };
  }

  /**
   * What rounding to whole packs owes each enterprise (or it owes), as the previous day's published
   * run left it: the matcher carries it from day to day so that a small need gets a whole pack
   * every few days rather than none ever. Read from that run's explanations.
   */
  private async roundingCredits(m: EntityManager, zoneId: string, serviceDate: string): Promise<Map<string, Record<string, number>>> {
    const rows: { enterprise_id: string; product_code: string; credit: number }[] = await m.query(
      `SELECT e->>'enterpriseId' AS enterprise_id, p->>'productCode' AS product_code, (p->>'roundingCredit')::float8 AS credit
         FROM allocation_runs r,
              jsonb_array_elements(r.explanations->'explanations') e,
              jsonb_array_elements(e->'products') p
        WHERE r.zone_id = $1 AND r.service_date = $2::date - 1 AND r.status = 'published'
          AND coalesce((p->>'roundingCredit')::float8, 0) <> 0`,
      [zoneId, serviceDate],
    );
    const out = new Map<string, Record<string, number>>();
    for (const r of rows) out.set(r.enterprise_id, { ...(out.get(r.enterprise_id) ?? {}), [r.product_code]: Number(r.credit) });
    return out;
  }

  /**
   * Units each enterprise was short in the published runs of the previous days, each day back
   * counting half the one after: Σ unmet(D−k) × 0.5^(k−1), k = 1…7. Only shortage counts (a
   * no-show is not unmet need); the matcher bounds how much a deficit can raise a claim.
   */
  private async deficits(m: EntityManager, zoneId: string, serviceDate: string): Promise<Map<string, Record<string, number>>> {
    const rows: { enterprise_id: string; product_code: string; deficit: string }[] = await m.query(
      `SELECT u.enterprise_id, u.product_code,
              round(sum(u.units * power($4::float8, (($3::date - r.service_date) - 1))))::bigint AS deficit
         FROM unmet_needs u JOIN allocation_runs r ON r.id = u.run_id
        WHERE r.zone_id = $1 AND r.status = 'published' AND r.service_date >= $2::date AND r.service_date < $3::date
        GROUP BY u.enterprise_id, u.product_code`,
      [zoneId, addDays(serviceDate, -DEFICIT_DAYS), serviceDate, DEFICIT_DECAY],
    );
    const out = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const d = Number(r.deficit);
      if (d <= 0) continue;
      const byProduct = out.get(r.enterprise_id) ?? {};
      byProduct[r.product_code] = d;
      out.set(r.enterprise_id, byProduct);
    }
    return out;
  }
}
