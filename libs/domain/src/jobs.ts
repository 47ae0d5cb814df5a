/**
 * The job catalogue's pure half: queue names and, per queue, one typed map from job name to
 * payload, so the API and tools (producers) and the worker (consumer) cannot drift apart. The
 * store's JobCatalogue adds the queues, options and job ids; processors dispatch through it.
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

export interface WebhookJobs {
  deliver: { deliveryId: string };
}

export interface ProvinceJobs {
  /**
   * Starts a province's night: one scheduled run per zone (shared with the zone's own nightly job)
   * and one BullMQ flow whose children are the zones' 'run' jobs on the allocation queue and whose
   * parent is 'province-summary'. Without a date (the province's scheduler), today in the
   * province's time zone.
   */
  'province-night': { provinceId: string; serviceDate?: string };
  /** The flow's parent: runs once every zone's job has finished, and records the summary. */
  'province-summary': { nightId: string };
}

export interface MaintenanceJobs {
  /** Creates the report tables' monthly partitions ahead of the dates reports can be posted for. */
  'report-partitions': Record<string, never>;
}

/** The whole catalogue: queue → job name → payload. */
export interface QueueJobs {
  allocation: AllocationJobs;
  webhooks: WebhookJobs;
  province: ProvinceJobs;
  maintenance: MaintenanceJobs;
}

export type QueueName = keyof QueueJobs;
/** The job names of one queue. */
export type JobNameOf<Q extends QueueName> = keyof QueueJobs[Q] & string;
/** Every job name; each belongs to exactly one queue (JOB_QUEUE). */
export type JobName = { [Q in QueueName]: JobNameOf<Q> }[QueueName];
/** The queue a job name belongs to. */
export type QueueOf<N extends JobName> = { [Q in QueueName]: N extends JobNameOf<Q> ? Q : never }[QueueName];
/** The payload a job name carries. */
export type JobPayload<N extends JobName> = QueueJobs[QueueOf<N>][N & keyof QueueJobs[QueueOf<N>]];
/** Any job of the catalogue, as a union discriminated by name. */
export type AnyJob = { [N in JobName]: { name: N; data: JobPayload<N> } }[JobName];

/** Queue of every job name: the compiler checks each name is listed once, with its own queue. */
export const JOB_QUEUE: { readonly [N in JobName]: QueueOf<N> } = {
  run: 'allocation',
  nightly: 'allocation',
  'auto-publish': 'allocation',
  'report-reminder': 'allocation',
  'no-shows': 'allocation',
  deliver: 'webhooks',
  'province-night': 'province',
  'province-summary': 'province',
  'report-partitions': 'maintenance',
};

export const reportPartitionsSchedulerId = 'report-partitions';

/** One job per province and date however often it is started, while the job is kept. */
export const provinceNightJobId = (provinceId: string, serviceDate: string) => `province-night-${provinceId}-${serviceDate}`;

export const provinceSummaryJobId = (nightId: string) => `province-summary-${nightId}`;

export const nightlySchedulerId = (zoneId: string) => `nightly-${zoneId}`;

export const autoPublishSchedulerId = (zoneId: string) => `autopublish-${zoneId}`;

export const reminderSchedulerId = (zoneId: string) => `reminder-${zoneId}`;

export const provinceNightSchedulerId = (provinceId: string) => `province-night-${provinceId}`;

/** '01:30' → '30 1 * * *' */
export function dailyCron(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number);
  return `${m} ${h} * * *`;
}
