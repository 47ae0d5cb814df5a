import { Injectable } from '@nestjs/common';
import { DEFAULT_SLOT_MINUTES, toStandingOverride } from '#domain';
import { RunInputsStore, type PublishedRunRows, type Zone } from '#store';
import { fitOverrides, type Enterprise as MatchEnterprise, type Explanation, type OverrideCut, type Problem, type Supplier as MatchSupplier } from '#matching';

/** Carried deficit looks back this many days, halving each day back (documented in README). */
export const DEFICIT_DAYS = 7;
export const DEFICIT_DECAY = 0.5;
/** Tier for a category the zone's mapping does not name: served last. */
const UNMAPPED_TIER = 99;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Everything one run reads, at one point in time. */
export interface RunInputs {
  problem: Problem;
  /** Overrides that could not stand in full against today's inputs. */
  overrideCuts: readonly OverrideCut[];
  /** The date's published schedule, which a run of the date corrects; null before the first publish. */
  published: PublishedPlan | null;
}

/** The date's published run, which a run of the date corrects, with its matcher input and explanations. */
export interface PublishedPlan extends Omit<PublishedRunRows, 'inputSnapshot' | 'explanations'> {
  /** The matcher's input the published run was computed from. */
  problem: Problem;
  /** Its explanations, kept for the enterprises a correction does not re-plan. */
  explanations: Explanation[];
}

/**
 * Reads everything a run for (zone, date) depends on and turns it into the matcher's Problem:
 * the latest demand and capacity versions, the catalogue, tiers, carried deficits and the
 * coordinator overrides. The Problem is stored with the run, so the run can be replayed.
 */
@Injectable()
export class RunSnapshotReader {
  constructor(private readonly store: RunInputsStore) {}

  /**
   * The Problem, with the overrides standing now fitted to its inputs, and the overrides that had
   * to be cut (an input changed after they were accepted) for the run's explanation.
   */
  async read(zone: Zone, serviceDate: string): Promise<RunInputs> {
    const rows = await this.store.read(zone.id, serviceDate, { days: DEFICIT_DAYS, decay: DEFICIT_DECAY });
    const { products, demand: enterprises, capacity: suppliers, deficits, roundingCredits: credits, overrides } = rows;
    const published: PublishedPlan | null = rows.published && {
      ...rows.published,
      problem: rows.published.inputSnapshot as Problem,
      explanations: rows.published.explanations as Explanation[],
    };
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
}
