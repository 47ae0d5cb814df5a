// Property tests run on one fixed seed so that CI is deterministic: a counterexample found by a
// random seed is kept as a named test instead (see whole-packs.spec.ts). To explore, run the unit
// tests with another seed: FC_SEED=<n> npm test.
import fc from 'fast-check';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20260302) });
