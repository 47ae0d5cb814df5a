/**
 * Public surface of the allocation library (`#matching`). Pure: no framework, I/O, clock or
 * randomness (`seeded` is a deterministic generator for synthetic instances, never used by
 * `allocate`); the same problem gives the same result. Products may be solved side by side on
 * helper threads (side-by-side.ts, `setHelperThreads`), which changes the time, never the result. See
 * libs/matching/README.md for the policy and a worked example.
 */
export { allocate, DEFAULT_OPTIONS } from './allocate.js';
export { setHelperThreads } from './side-by-side.js';
export { correct } from './correction.js';
export type {
  AppointmentChange,
  ChangeKind,
  ConfirmedPickup,
  Correction,
  CorrectionCounts,
  CorrectionMode,
  CorrectionOutcome,
  PickupState,
  PublishedLine,
  PublishedPlan,
} from './correction.js';
export type { AllocateStats } from './allocate.js';
export { validate, DEFAULT_SETTINGS } from './validate.js';
export { haversineM } from './geo.js';
export { seeded } from './seeded-random.js';
export { jain } from './figures.js';
export { fitOverrides, OVERRIDE_CUT_CODES } from './override-fit.js';
export { REASON_CODES, type ReasonCode } from './reasons.js';
export type { FittedOverrides, OverrideCut, StandingOverride } from './override-fit.js';
export type * from './types.js';
