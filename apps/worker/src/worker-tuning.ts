/**
 * Worker timings read once at start (BullMQ takes them in the @Processor decorators, before any
 * Nest provider exists). Defaults suit production; the fault tests shorten them.
 */
function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

/** How long a job's lock lasts without renewal: a worker that dies loses its job after this. */
export const JOB_LOCK_MS = intFromEnv('JOB_LOCK_MS', 60_000, 1_000, 3_600_000);
/** How often each worker looks for jobs whose lock lapsed (stalled) and hands them out again. */
export const STALLED_INTERVAL_MS = intFromEnv('JOB_STALLED_INTERVAL_MS', 30_000, 500, 3_600_000);
/**
 * Helper threads a solve may use besides the worker's own (libs/matching `setHelperThreads`);
 * unset: one less than the cores, at most 3. With several worker processes on one machine, about
 * cores ÷ processes − 1 keeps them from crowding each other's cores.
 */
export const MATCHING_HELPER_THREADS = process.env.MATCHING_HELPER_THREADS ? intFromEnv('MATCHING_HELPER_THREADS', 0, 0, 64) : undefined;
/**
 * Test-only fault injection: pause this long inside the write transaction after the first line,
 * so a test can kill the process mid-write. Unset in production.
 */
export const FAULT_PAUSE_MID_WRITE_MS = intFromEnv('FAULT_PAUSE_MID_WRITE_MS', 0, 0, 3_600_000);
