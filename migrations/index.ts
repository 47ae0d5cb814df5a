import { Initial1795432860607 } from './1795432860607-Initial.js';
import { AllocationRuns1795433607409 } from './1795433607409-AllocationRuns.js';
import { IdempotencyKeys1795434753766 } from './1795434753766-IdempotencyKeys.js';
import { ProvinceNightsAndRunTimings1795434800000 } from './1795434800000-ProvinceNightsAndRunTimings.js';
import { PartitionReports1795434900000 } from './1795434900000-PartitionReports.js';
import { DayOfService1795435000000 } from './1795435000000-DayOfService.js';
import { Hardening1795435100000 } from './1795435100000-Hardening.js';
import { ProvinceRunTime1795435300000 } from './1795435300000-ProvinceRunTime.js';
import { WebSessions1795435600000 } from './1795435600000-WebSessions.js';
import { ReportLedger1795435500000 } from './1795435500000-ReportLedger.js';
import { ShareLinks1795435700000 } from './1795435700000-ShareLinks.js';

// Every migration, in order. Listed explicitly (not globbed) so the ESM build and Jest load the same set.
export const MIGRATIONS: Function[] = [Initial1795432860607, AllocationRuns1795433607409, IdempotencyKeys1795434753766, ProvinceNightsAndRunTimings1795434800000, PartitionReports1795434900000, DayOfService1795435000000, Hardening1795435100000, ProvinceRunTime1795435300000, WebSessions1795435600000, ReportLedger1795435500000, ShareLinks1795435700000];
