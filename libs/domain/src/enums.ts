export enum Role {
  Admin = 'admin',
  Coordinator = 'coordinator',
  Enterprise = 'enterprise',
  Supplier = 'supplier',
}

export enum OrganizationKind {
  Enterprise = 'enterprise',
  Supplier = 'supplier',
}

/**
 * Priority categories from the zone's resumption policy (防控必需、城市运行必需、生活保障必需、规上、其他).
 * Coordinators map each to a tier; lower tier numbers are served first.
 */
export const PRIORITY_CATEGORIES = [
  'epidemic_prevention',
  'medical',
  'key_supply',
  'city_operations',
  'daily_life',
  'above_scale',
  'other',
] as const;
export type PriorityCategory = (typeof PRIORITY_CATEGORIES)[number];

/** Chinese labels of the priority categories, shown beside the code in exports. */
export const PRIORITY_CATEGORY_ZH: Readonly<Record<PriorityCategory, string>> = {
  epidemic_prevention: '防控必需',
  medical: '医疗卫生',
  key_supply: '重点保供',
  city_operations: '城市运行必需',
  daily_life: '生活保障必需',
  above_scale: '规上企业',
  other: '其他',
};

export const DEFAULT_TIER_MAPPING: Readonly<Record<PriorityCategory, number>> = {
  epidemic_prevention: 1,
  medical: 1,
  key_supply: 1,
  city_operations: 2,
  daily_life: 2,
  above_scale: 3,
  other: 4,
};

export const MAX_TIER = 9;

export enum RunStatus {
  Queued = 'queued',
  Running = 'running',
  Draft = 'draft',
  Published = 'published',
  Superseded = 'superseded',
  Failed = 'failed',
}

export enum RunTrigger {
  Schedule = 'schedule',
  Manual = 'manual',
  Rerun = 'rerun',
}

export enum PickupStatus {
  Scheduled = 'scheduled',
  Confirmed = 'confirmed',
  NoShow = 'no_show',
}

/**
 * What a zone's job came to in a province night: written, already_done (another worker had
 * written it), invalid (the matcher refused the input), failed, or finished_before (the run was
 * computed before the night started).
 */
export const ZONE_OUTCOMES = ['written', 'already_done', 'invalid', 'failed', 'finished_before'] as const;
export type ZoneOutcome = (typeof ZONE_OUTCOMES)[number];

export enum ProvinceNightStatus {
  /** Zone runs are queued or running. */
  Running = 'running',
  /** Every zone's job finished (written, invalid or failed) and the summary is recorded. */
  Done = 'done',
}

export enum OverrideKind {
  Pin = 'pin',
  Exclude = 'exclude',
  SetQuantity = 'set_quantity',
}

export enum DeliveryStatus {
  Pending = 'pending',
  Delivered = 'delivered',
  Failed = 'failed',
}
