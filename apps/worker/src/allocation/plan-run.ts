import { DateTime } from 'luxon';
import { PickupStatus } from '#domain';
import { type RunCorrection } from '#store';
import { allocate, correct, type AllocateOptions, type Appointment, type ConfirmedPickup, type Problem, type Result, type Supplier, type UnslottedPickup } from '#matching';
import type { PublishedPlan, RunInputs } from './run-snapshot.js';

export interface RunPlan {
  result: Result;
  /** For a correction: what was re-planned and why (the writer adds the base run and the changes). */
  correction?: Partial<RunCorrection> & { notes?: string[] };
}

/** Why the correction had to move something nobody named: kept with the run. */
const noteOf = (r: { code: string; message: string }) => `${r.code}: ${r.message}`;

/**
 * Plans a run: the whole date before its first publish; after it, a correction of the published
 * plan that keeps faith with what was handed out. Confirmed pickups are facts in either mode. A
 * minimal correction re-plans only the appointments that what changed since the publish touches:
 * makers whose capacity or windows changed, enterprises whose report or standing overrides
 * changed, and whoever the coordinator named; every other appointment stays as printed.
 */
export function planRun(inputs: RunInputs, requested: RunCorrection | null, zoneTimeZone: string, serviceDate: string, options: AllocateOptions): RunPlan {
  const { published } = inputs;
  if (!published) return { result: allocate(inputs.problem, options) };
  const mode = requested?.mode ?? 'minimal';
  const confirmed = confirmedPickups(published);
  const problem = withConfirmedCapacity(inputs.problem, confirmed);
  const changed = changedSince(published.problem, problem);
  const touched = {
    suppliers: [...new Set([...changed.suppliers, ...(requested?.named.supplierIds ?? [])])],
    enterprises: [...new Set([...changed.enterprises, ...(requested?.named.enterpriseIds ?? [])])],
  };
  const outcome = correct(problem, { published: toMatcherPlan(published, zoneTimeZone, serviceDate), confirmed, touched, mode }, options);
  return {
    result: outcome.result,
    correction: {
      mode,
      // A full re-plan touches everyone: the counts say enough.
      ...(mode === 'minimal' ? { touched: { supplierIds: [...outcome.replanned.suppliers], enterpriseIds: [...outcome.replanned.enterprises] } } : {}),
      notes: outcome.notes.map(noteOf),
    },
  };
}

/** Units handed out at the gate, per enterprise, maker and product: the published lines of confirmed pickups. */
function confirmedPickups(published: PublishedPlan): ConfirmedPickup[] {
  return published.appointments
    .filter((a) => a.status === PickupStatus.Confirmed)
    .flatMap((a) => Object.entries(a.units).map(([productCode, units]) => ({ enterpriseId: a.enterpriseId, supplierId: a.supplierId, productCode, units })))
    .filter((c) => c.units > 0);
}

/**
 * What was handed out is gone from the shelf whatever the maker posts later: a capacity posted
 * below what its gate already confirmed counts as exactly what was confirmed.
 */
function withConfirmedCapacity(problem: Problem, confirmed: readonly ConfirmedPickup[]): Problem {
  const handedOut = new Map<string, number>();
  for (const c of confirmed) handedOut.set(`${c.supplierId}|${c.productCode}`, (handedOut.get(`${c.supplierId}|${c.productCode}`) ?? 0) + c.units);
  if (!handedOut.size) return problem;
  return {
    ...problem,
    suppliers: problem.suppliers.map((s): Supplier => {
      const capacity = { ...s.capacity };
      for (const [key, units] of handedOut) {
        const [supplierId, productCode] = key.split('|');
        if (supplierId === s.id && (capacity[productCode] ?? 0) < units) capacity[productCode] = units;
      }
      return { ...s, capacity };
    }),
  };
}

/** JSON with object keys sorted: the published snapshot comes back from jsonb, which reorders keys. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

/** Makers and enterprises whose inputs differ from those the published plan was computed on. */
function changedSince(before: Problem, now: Problem): { suppliers: string[]; enterprises: string[] } {
  const suppliersBefore = new Map(before.suppliers.map((s) => [s.id, s]));
  const enterprisesBefore = new Map(before.enterprises.map((e) => [e.id, e]));
  const suppliers = now.suppliers.filter((s) => {
    const b = suppliersBefore.get(s.id);
    return !b || !same(b.capacity, s.capacity) || !same(b.windows, s.windows) || b.slotMinutes !== s.slotMinutes;
  });
  // A maker that withdrew its report loses every appointment: its enterprises are re-planned.
  const goneSuppliers = before.suppliers.filter((s) => !now.suppliers.some((n) => n.id === s.id)).map((s) => s.id);
  const overridesOf = (p: Problem, id: string) => {
    const o = p.overrides ?? {};
    return [o.pins?.filter((x) => x.enterpriseId === id), o.excludes?.filter((x) => x.enterpriseId === id), o.setQuantities?.filter((x) => x.enterpriseId === id)];
  };
  const enterprises = now.enterprises.filter((e) => {
    const b = enterprisesBefore.get(e.id);
    return !b || !same(b.need, e.need) || b.tier !== e.tier || !same(b.location, e.location) || !same(overridesOf(before, e.id), overridesOf(now, e.id));
  });
  return { suppliers: [...suppliers.map((s) => s.id), ...goneSuppliers], enterprises: enterprises.map((e) => e.id) };
}

/** The published plan in the matcher's terms: slots as minutes of the zone's service day. */
function toMatcherPlan(published: PublishedPlan, timeZone: string, serviceDate: string) {
  const dayStart = DateTime.fromISO(serviceDate, { zone: timeZone }).startOf('day').toMillis();
  const minute = (at: Date) => Math.round((at.getTime() - dayStart) / 60_000);
  const appointments: Appointment[] = [];
  const unslotted: UnslottedPickup[] = [];
  for (const a of published.appointments) {
    if (a.slotStart && a.slotEnd) appointments.push({ enterpriseId: a.enterpriseId, supplierId: a.supplierId, startMinute: minute(a.slotStart), endMinute: minute(a.slotEnd) });
    else unslotted.push({ enterpriseId: a.enterpriseId, supplierId: a.supplierId, reason: 'no_free_slot' });
  }
  return { lines: published.lines, appointments, unslotted, explanations: published.explanations };
}
