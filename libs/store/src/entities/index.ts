import { ApiCredential } from './api-credential.entity.js';
import { AuditEntry } from './audit-entry.entity.js';
import { CapacityReport } from './capacity-report.entity.js';
import { DemandReport } from './demand-report.entity.js';
import { Organization } from './organization.entity.js';
import { Product } from './product.entity.js';
import { User } from './user.entity.js';
import { Zone } from './zone.entity.js';
import { AllocationRun } from './allocation-run.entity.js';
import { AllocationLine } from './allocation-line.entity.js';
import { UnmetNeed } from './unmet-need.entity.js';
import { PickupAppointment } from './pickup-appointment.entity.js';
import { RunOverride } from './run-override.entity.js';
import { WebhookDelivery } from './webhook-delivery.entity.js';
import { Province, ProvinceZone } from './province.entity.js';
import { ProvinceNight } from './province-night.entity.js';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { InviteLink } from './invite-link.entity.js';
import { WebSession } from './web-session.entity.js';
import { ShareLink } from './share-link.entity.js';

export { ApiCredential, AuditEntry, CapacityReport, DemandReport, Organization, Product, User, Zone };
export { AllocationRun, AllocationLine, UnmetNeed, PickupAppointment, RunOverride, WebhookDelivery, IdempotencyKey };
export { Province, ProvinceZone, ProvinceNight };
export { InviteLink, WebSession, ShareLink };
export type { ShareLinkKind } from './share-link.entity.js';
export type { ProvinceTotals, ProvinceZoneResult } from './province-night.entity.js';
export type { RunCorrection, RunTimings } from './allocation-run.entity.js';
export type { PickupWindow } from './organization.entity.js';
export type { DemandLine } from './demand-report.entity.js';
export type { CapacityLine } from './capacity-report.entity.js';

export const ENTITIES = [
  Zone,
  Product,
  Organization,
  User,
  ApiCredential,
  DemandReport,
  CapacityReport,
  AuditEntry,
  AllocationRun,
  AllocationLine,
  UnmetNeed,
  PickupAppointment,
  RunOverride,
  WebhookDelivery,
  Province,
  ProvinceZone,
  ProvinceNight,
  IdempotencyKey,
  InviteLink,
  WebSession,
  ShareLink,
];
