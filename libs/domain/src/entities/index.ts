import { ApiCredential } from './api-credential.entity.js';
import { AuditEntry } from './audit-entry.entity.js';
import { CapacityReport } from './capacity-report.entity.js';
import { DemandReport } from './demand-report.entity.js';
import { Organization } from './organization.entity.js';
import { Product } from './product.entity.js';
import { User } from './user.entity.js';
import { Zone } from './zone.entity.js';

export { ApiCredential, AuditEntry, CapacityReport, DemandReport, Organization, Product, User, Zone };
export type { PickupWindow } from './organization.entity.js';
export type { DemandLine } from './demand-report.entity.js';
export type { CapacityLine } from './capacity-report.entity.js';

export const ENTITIES = [Zone, Product, Organization, User, ApiCredential, DemandReport, CapacityReport, AuditEntry];
