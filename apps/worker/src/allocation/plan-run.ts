import type { RunCorrection } from '#domain';
import { allocate, type AllocateOptions, type Result } from '#matching';
import type { RunInputs } from './run-snapshot.js';

export interface RunPlan {
  result: Result;
  /** For a correction: who was re-planned (the writer adds the base run and the changes). */
  correction?: Partial<RunCorrection>;
}

/** Plans a run: the whole date before the first publish; a correction of the published plan after it. */
export function planRun(inputs: RunInputs, _requested: RunCorrection | null, options: AllocateOptions): RunPlan {
  return { result: allocate(inputs.problem, options) };
}
