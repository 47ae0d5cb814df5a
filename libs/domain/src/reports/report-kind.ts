import { OrganizationKind } from '../enums.js';

export type ReportKindName = 'demand' | 'capacity';

/**
 * What tells a demand report from a capacity report where the rules are otherwise the same
 * (versions, the reporting window, the catalogue): who posts it, and the names it goes by in
 * error codes and the audit log.
 */
export interface ReportKind<K extends ReportKindName = ReportKindName> {
  name: K;
  /** Enterprises post demand; suppliers post capacity. */
  organizationKind: OrganizationKind;
  /** The 409 a member gets after the zone's cutoff. */
  afterCutoffCode: `${Uppercase<K>}_AFTER_CUTOFF`;
  /** Audit entity type of one report; its actions are `<entityType>.post` and `<entityType>.import`. */
  entityType: `${K}_report`;
}

export const REPORT_KINDS: { readonly [K in ReportKindName]: ReportKind<K> } = {
  demand: { name: 'demand', organizationKind: OrganizationKind.Enterprise, afterCutoffCode: 'DEMAND_AFTER_CUTOFF', entityType: 'demand_report' },
  capacity: { name: 'capacity', organizationKind: OrganizationKind.Supplier, afterCutoffCode: 'CAPACITY_AFTER_CUTOFF', entityType: 'capacity_report' },
};
