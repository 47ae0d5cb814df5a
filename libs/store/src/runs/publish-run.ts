import type { EntityManager } from 'typeorm';
import { DomainError } from '#domain';
import type { AllocationRun } from '../entities/allocation-run.entity.js';
import { markPublished } from './run-lifecycle.js';
import { Organization } from '../entities/organization.entity.js';
import { WebhookDelivery } from '../entities/webhook-delivery.entity.js';
import { zoneInstant } from '#domain';
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
 * superseded (a correction). A correction must have been computed on that very run: pickups
 * confirmed there since are carried into the correction's unchanged appointments, and one that
 * the correction changed or cancelled stops the publish (re-run it). Organizations whose schedule
 * is new or changed (or, on a first publish, every organization in it) with a webhook get a
 * delivery. Must run inside a transaction; `expectedVersion` is the caller's If-Match.
 */
export async function publishRun(
  m: EntityManager,
  zone: Zone,
  runId: string,
  publishedBy: string | null,
  now: Date,
  expectedVersion?: number,
): Promise<PublishOutcome> {
  const { run, previous } = await markPublished(m, runId, publishedBy, now, expectedVersion);
  if (previous) await carryPickupsInto(m, run, previous);

  const affected: { org_id: string }[] = previous
    ? await m.query(
        `WITH changed AS (
           SELECT enterprise_id, supplier_id FROM pickup_appointments n WHERE n.run_id = $1
              AND NOT EXISTS (SELECT 1 FROM pickup_appointments o WHERE o.run_id = $2 AND o.slip_id = n.slip_id)
           UNION ALL
           SELECT enterprise_id, supplier_id FROM pickup_appointments o WHERE o.run_id = $2
              AND NOT EXISTS (SELECT 1 FROM pickup_appointments n WHERE n.run_id = $1 AND n.slip_id = o.slip_id))
         SELECT enterprise_id AS org_id FROM changed UNION SELECT supplier_id FROM changed`,
        [run.id, previous.id],
      )
    : await m.query(`SELECT enterprise_id AS org_id FROM pickup_appointments WHERE run_id = $1 UNION SELECT supplier_id FROM pickup_appointments WHERE run_id = $1`, [run.id]);
  const orgs = affected.length
    ? await m
        .createQueryBuilder(Organization, 'o')
        .addSelect('o.webhookSecret')
        .where('o.id IN (:...ids) AND o.webhookUrl IS NOT NULL', { ids: affected.map((a) => a.org_id) })
        .getMany()
    : [];
  const event = previous ? 'schedule.corrected' : 'schedule.published';
  const deliveries = orgs.map((o) =>
    m.create(WebhookDelivery, {
      organizationId: o.id,
      event,
      url: o.webhookUrl!,
      payload: { event, zoneId: run.zoneId, serviceDate: run.serviceDate, runId: run.id, supersededRunId: previous?.id ?? null, organizationId: o.id },
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

/**
 * What happened at the gates of the published run while its correction was computed: a pickup
 * confirmed (or marked a no-show) on an appointment the correction kept is carried over; one on
 * an appointment it changed or cancelled means the correction no longer fits what was handed out.
 */
async function carryPickupsInto(m: EntityManager, run: AllocationRun, previous: AllocationRun): Promise<void> {
  if (run.correction?.basedOnRunId !== previous.id) {
    throw new DomainError('conflict', 'RUN_OUTDATED', `This draft was computed before run ${previous.id} was published; re-run it so that it corrects the published schedule`);
  }
  await m.query(
    `UPDATE pickup_appointments n SET status = o.status, confirmed_at = o.confirmed_at, confirmed_by = o.confirmed_by
       FROM pickup_appointments o
      WHERE n.run_id = $1 AND o.run_id = $2 AND o.slip_id = n.slip_id AND o.status <> 'scheduled' AND n.status = 'scheduled'`,
    [run.id, previous.id],
  );
  const [lost] = await m.query(
    `SELECT count(*)::int AS n FROM pickup_appointments o
      WHERE o.run_id = $2 AND o.status = 'confirmed'
        AND NOT EXISTS (SELECT 1 FROM pickup_appointments n WHERE n.run_id = $1 AND n.slip_id = o.slip_id)`,
    [run.id, previous.id],
  );
  if (lost.n > 0) {
    throw new DomainError('conflict', 'PICKUPS_CONFIRMED_SINCE', `${lost.n} pickup(s) were confirmed after this correction was computed and it changes them; re-run it`, [], { count: lost.n });
  }
}
