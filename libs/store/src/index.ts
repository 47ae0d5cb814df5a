// The persistence and infrastructure library: entities, the data source, connection settings, the
// queues, and one owner per persistent concept (the run lifecycle, ...). Apps reach PostgreSQL,
// Redis and BullMQ through what this file exports.
export * from './entities/index.js';
export { dataSourceOptions } from './database/data-source-options.js';
export { SnakeNamingStrategy } from './database/snake-naming.strategy.js';
export { guardCheckedOutClients, poolGuardProvider } from './database/pool-guard.js';
export { nextInSeries } from './database/numbering.js';
export { AppConfig, ConfigError, loadConfig } from './config/app-config.js';
export { probeDependencies } from './config/dependency-probe.js';
export { redisConnection, type RedisConnection, type RedisRole } from './jobs/redis-connection.js';
export { JOB_SPECS, JobCatalogue, jobOptions, openJobCatalogue, type OpenCatalogue, type RunJobCheck } from './jobs/job-catalogue.js';
export { dispatchJob, type JobHandlers } from './jobs/job-dispatch.js';
export { JOB_FLOWS, ProvinceNightFlow } from './jobs/province-night-flow.js';
export { RunMetrics, type LatestFinishedRun, type LatestPublishedRun } from './observability/run-metrics.js';
export { claimRun, completeRun, createRun, failRun, findOrCreateScheduledRun, markPublished, RUN_TRANSITIONS, staleEtag, touchRun, transitionRun } from './runs/run-lifecycle.js';
export { STANDING_ORDER, toStandingOverride } from './runs/standing-overrides.js';
export { publishRun, type PublishOutcome } from './runs/publish-run.js';
export { enqueueAfterPublish } from './runs/after-publish.js';
export * from './webhooks/egress.js';
export * from './logging/log-context.js';
export * from './logging/json-logger.js';
export { recordAudit, type AuditRecord } from './audit/audit-log.js';
export { LATEST_IN_ZONE_SQL, ReportLedger, type LatestCapacity, type LatestDemand, type ReportBatch, type ReportContent, type ReportEntry, type ReportingStatus, type ReportTypes, type StoredReport } from './reports/report-ledger.js';
export { ProvinceStore, type NewProvince, type NightRunRow, type ProvinceWithZones } from './provinces/province-store.js';
export { ZoneStore } from './zones/zone-store.js';
export { CatalogueStore } from './catalogue/catalogue-store.js';
export { OrganizationStore, type OrganizationFilter } from './organizations/organization-store.js';
export { AccountStore, type Credential, type CredentialFilter, type IssuedCredential, type NewCredential, type NewHolder } from './accounts/account-store.js';
export { AuditTrail, type AuditFilter } from './audit/audit-trail.js';
export { IdempotencyStore, type Claim } from './idempotency/idempotency-store.js';
export { WebhookStore } from './webhooks/webhook-store.js';
export { ScheduleStore, type ConfirmedPickup, type Pickups, type ScheduleLine } from './schedules/schedule-store.js';
export { ExportStore, type EnterpriseIdentity, type ScheduleExportRow } from './exports/export-store.js';
export { SessionStore, type InviteRow, type SessionPrincipal, type SessionRow, type UserScope } from './sessions/session-store.js';
export { ConsoleReads, type CompactLine, type OrgPoint, type ProductExplanationRow } from './console/console-reads.js';
export { RunProgressReader, type RunJobProgress } from './console/run-progress.js';
