import type { EntityManager } from 'typeorm';
import { DomainError } from '../errors.js';
import { AllocationRun, RunStatus } from '../entities/allocation-run.entity.js';
import { Organization } from '../entities/organization.entity.js';
import { WebhookDelivery } from '../entities/webhook-delivery.entity.js';
import { zoneInstant } from '../zone-time.js';
import type { Zone } from '../entities/zone.entity.js';

export interface PublishOutcome {
  run: AllocationRun;
  supersededRunId: string | null;
  /** Webhook deliveries written in the transaction; enqueue them after it commits. */
  deliveryIds: string[];
  /** When each supplier's last pickup window closes: enqueue its no-show sweep then. */
  noShowSweeps: { supplierId: string; at: Date }[];
}

/**
 * Publishes a draft: the one published run of its date. A previously published run of the date is
 * superseded (a correction), and every organization whose schedule exists in either run and has a
 * webhook gets a delivery. Must run inside a transaction; `expectedVersion` guards lost updates.
 */
export async function publishRun(
  m: EntityManager,
  zone: Zone,
  runId: string,
  publishedBy: string | null,
  now: Date,
  expectedVersion?: number,
): Promise<PublishOutcome> {
  const run = await m.findOne(AllocationRun, { where: { id: runId }, lock: { mode: 'pessimistic_write' } });
  if (!run) throw DomainError.notFound('Run', 'RUN_NOT_FOUND');
  if (expectedVersion !== undefined && run.version !== expectedVersion) {
    throw new DomainError('precondition_failed', 'STALE_ETAG', `The run changed since you read it (version ${run.version}); reload and retry`);
  }
  if (run.status !== RunStatus.Draft) throw new DomainError('conflict', 'RUN_NOT_DRAFT', `Only a draft can be published; this run is ${run.status}`);

  const previous = await m.findOne(AllocationRun, {
    where: { zoneId: run.zoneId, serviceDate: run.serviceDate, status: RunStatus.Published },
    lock: { mode: 'pessimistic_write' },
  });
  if (previous) await m.update(AllocationRun, { id: previous.id }, { status: RunStatus.Superseded, version: previous.version + 1 });
  await m.update(AllocationRun, { id: run.id }, { status: RunStatus.Published, publishedAt: now, publishedBy, version: run.version + 1 });
  Object.assign(run, { status: RunStatus.Published, publishedAt: now, publishedBy, version: run.version + 1 });

  const affected: { org_id: string }[] = await m.query(
    `SELECT DISTINCT org_id FROM (
        SELECT enterprise_id AS org_id FROM pickup_appointments WHERE run_id = ANY($1)
        UNION SELECT supplier_id FROM pickup_appointments WHERE run_id = ANY($1)) a`,
    [[run.id, ...(previous ? [previous.id] : [])]],
  );
  const orgs = affected.length
    ? await m
        .createQueryBuilder(Organization, 'o')
        .addSelect('o.webhookSecret')
        .where('o.id IN (:...ids) AND o.webhookUrl IS NOT NULL', { ids: affected.map((a) => a.org_id) })
        .getMany()
    : [];
  const deliveries = orgs.map((o) =>
    m.create(WebhookDelivery, {
      organizationId: o.id,
      event: previous ? 'schedule.corrected' : 'schedule.published',
      url: o.webhookUrl!,
      payload: { event: previous ? 'schedule.corrected' : 'schedule.published', zoneId: run.zoneId, serviceDate: run.serviceDate, runId: run.id, supersededRunId: previous?.id ?? null, organizationId: o.id },
      createdAt: now,
    }),
  );
  if (deliveries.length) await m.insert(WebhookDelivery, deliveries);

  const suppliers: { supplier_id: string; windows: { end: string }[] | null }[] = await m.query(
    `SELECT DISTINCT a.supplier_id, o.pickup_windows AS windows
       FROM pickup_appointments a JOIN organizations o ON o.id = a.supplier_id WHERE a.run_id = $1`,
    [run.id],
  );
  const noShowSweeps = suppliers.map((s) => {
    const lastEnd = (s.windows ?? []).map((w) => w.end).sort().at(-1) ?? '23:59';
    return { supplierId: s.supplier_id, at: zoneInstant(run.serviceDate, lastEnd, zone.timeZone) };
  });
  return { run, supersededRunId: previous?.id ?? null, deliveryIds: deliveries.map((d) => d.id), noShowSweeps };
}
