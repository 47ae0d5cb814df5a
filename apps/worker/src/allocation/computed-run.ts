import { DateTime } from 'luxon';
import type { AllocationRun, ComputedRun, RunCorrection, Zone } from '#store';
import type { Result } from '#matching';
import type { RunInputs } from './run-snapshot.js';
import { issueSlips } from './slips.js';

/** A run of a published date that nobody asked a mode for (the nightly run, a new start): a minimal correction. */
const DEFAULT_CORRECTION: RunCorrection = { mode: 'minimal', named: { supplierIds: [], enterpriseIds: [] } };

/**
 * The matcher's result as the rows the store writes: lines, unmet needs, and appointments with
 * their slot instants and slips (kept from the published plan where a pickup is unchanged).
 */
export function toComputedRun(
  zone: Zone,
  run: AllocationRun,
  inputs: RunInputs,
  result: Result,
  extra: { policy: object; solveMs: number; now: Date; correction?: Partial<RunCorrection> },
): ComputedRun {
  // Slot instants are exact durations after local midnight, as luxon's plus({ minutes }) computes them.
  const dayStartMs = DateTime.fromISO(run.serviceDate, { zone: zone.timeZone }).startOf('day').toMillis();
  const at = (minute: number) => new Date(dayStartMs + minute * 60_000);
  const planned = [
    ...result.appointments.map((a) => ({ enterpriseId: a.enterpriseId, supplierId: a.supplierId, slotStart: at(a.startMinute) as Date | null, slotEnd: at(a.endMinute) as Date | null })),
    // A pickup without a free slot still gets a code; its slot is left for the coordinator to arrange.
    ...result.unslotted.map((u) => ({ enterpriseId: u.enterpriseId, supplierId: u.supplierId, slotStart: null, slotEnd: null })),
  ];
  const { appointments, changes } = issueSlips(planned, result.lines, inputs.published);
  return {
    lines: result.lines,
    unmet: result.unmet,
    appointments,
    inputSnapshot: inputs.problem,
    policy: extra.policy,
    figures: result.figures,
    explanations: { explanations: result.explanations, unslotted: result.unslotted, reasons: result.reasons, overrideCuts: inputs.overrideCuts },
    correction: inputs.published
      ? { ...(run.correction ?? DEFAULT_CORRECTION), ...extra.correction, basedOnRunId: inputs.published.runId, changes }
      : undefined,
    finishedAt: extra.now,
    solveMs: extra.solveMs,
  };
}
