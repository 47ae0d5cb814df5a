// The domain: pure rules and types shared by the apps and the store. No framework, database,
// queue or network import belongs here (dependency-cruiser enforces it).
export * from './enums.js';
export type { Actor } from './actor.js';
export * from './errors.js';
export * from './problems.js';
export * from './credit-code.js';
export * from './zone-time.js';
export * from './organizations.js';
export * from './pickups.js';
export * from './jobs.js';
export { toStandingOverride, type OverrideRecord, type StandingOverride } from './overrides.js';
export { Clock, SystemClock, FixedClock } from './clock.js';
export * from './webhook-signature.js';
export * from './reports/index.js';
