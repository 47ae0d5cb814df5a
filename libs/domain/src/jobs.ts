/**
 * Queue names and one typed map from job name to payload, so the API (producer) and the worker
 * (consumer) cannot drift apart.
 */
export const QUEUES = {
  allocation: 'allocation',
  webhooks: 'webhooks',
  province: 'province',
  maintenance: 'maintenance',
} as const;

export interface AllocationJobs {
  /** Compute one allocation run and write it as a draft. */
  run: { runId: string };
  /** The zone's nightly run: creates the run for today's service date (zone-local) and computes it. */
  nightly: { zoneId: string };
  /** Publish the latest draft for today if nobody has. */
  'auto-publish': { zoneId: string };
  /** At the zone's reminder time on D−1: remind organizations that have not reported for D. */
  'report-reminder': { zoneId: string };
  /** After a supplier's last window, mark its unconfirmed pickups of a published run as no-shows. */
  'no-shows': { runId: string; supplierId: string };
}
export type AllocationJobName = keyof AllocationJobs;

export interface WebhookJobs {
  deliver: { deliveryId: string };
}

export interface ProvinceJobs {
  /**
   * Starts a province's night: one scheduled run per zone (shared with the zone's own nightly job)
   * and one BullMQ flow whose children are the zones' 'run' jobs on the allocation queue and whose
   * parent is 'province-summary'. Without a date, today in the province's time zone.
   */
  'province-night': { provinceId: string; serviceDate?: string };
  /** The flow's parent: runs once every zone's job has finished, and records the summary. */
  'province-summary': { nightId: string };
}

export interface MaintenanceJobs {
  /** Creates the report tables' monthly partitions ahead of the dates reports can be posted for. */
  'report-partitions': Record<string, never>;
}

export const reportPartitionsSchedulerId = 'report-partitions';

/** One job per province and date however often it is started, while the job is kept. */
export const provinceNightJobId = (provinceId: string, serviceDate: string) => `province-night-${provinceId}-${serviceDate}`;

export const nightlySchedulerId = (zoneId: string) => `nightly-${zoneId}`;

export const autoPublishSchedulerId = (zoneId: string) => `autopublish-${zoneId}`;

export const reminderSchedulerId = (zoneId: string) => `reminder-${zoneId}`;

/** '01:30' → '30 1 * * *' */
export function dailyCron(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number);
  return `${m} ${h} * * *`;
}
