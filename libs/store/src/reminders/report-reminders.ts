import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Organization } from '../entities/organization.entity.js';
import { WebhookDelivery } from '../entities/webhook-delivery.entity.js';

/**
 * Writes a `report.reminder` webhook delivery for every organization of the zone that has a
 * webhook and has not reported for `serviceDate` (enterprises: demand; makers: capacity). Once
 * per organization and date, however often the reminder job is delivered. Returns the new
 * deliveries' ids, to enqueue after the transaction commits.
 */
@Injectable()
export class ReportReminders {
  constructor(private readonly dataSource: DataSource) {}

  write(zoneId: string, serviceDate: string, cutoffAt: Date, now: Date): Promise<string[]> {
    return this.dataSource.transaction(async (m) => {
      // One reminder pass per zone and date at a time: a second delivery of the job waits, then finds them written.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`reminder:${zoneId}:${serviceDate}`]);
      const silent: { id: string; kind: string }[] = await m.query(
        `SELECT o.id, o.kind FROM organizations o
          WHERE o.zone_id = $1 AND o.webhook_url IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM demand_reports d WHERE o.kind = 'enterprise' AND d.zone_id = $1 AND d.service_date = $2 AND d.enterprise_id = o.id)
            AND NOT EXISTS (SELECT 1 FROM capacity_reports c WHERE o.kind = 'supplier' AND c.zone_id = $1 AND c.service_date = $2 AND c.supplier_id = o.id)
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries w WHERE w.organization_id = o.id AND w.event = 'report.reminder' AND w.payload->>'serviceDate' = $2::text)`,
        [zoneId, serviceDate],
      );
      if (!silent.length) return [];
      const orgs = await m.findBy(Organization, silent.map((o) => ({ id: o.id })));
      const deliveries = orgs.map((o) =>
        m.create(WebhookDelivery, {
          organizationId: o.id,
          event: 'report.reminder',
          url: o.webhookUrl!,
          payload: {
            event: 'report.reminder',
            zoneId,
            serviceDate,
            organizationId: o.id,
            report: o.kind === 'enterprise' ? 'demand' : 'capacity',
            cutoffAt: cutoffAt.toISOString(),
            message: `请在 ${cutoffAt.toISOString()} 截止前上报 ${serviceDate} 的${o.kind === 'enterprise' ? '需求' : '产能'} (report for ${serviceDate} before the cutoff)`,
          },
          createdAt: now,
        }),
      );
      await m.insert(WebhookDelivery, deliveries);
      return deliveries.map((d) => d.id);
    });
  }
}
