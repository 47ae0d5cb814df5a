import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeliveryStatus, type Actor } from '#domain';
import { recordAudit } from '../audit/audit-log.js';
import { Organization } from '../entities/organization.entity.js';
import { WebhookDelivery } from '../entities/webhook-delivery.entity.js';
import type { PageSlice, PageWindow } from '../database/page-window.js';

/** An organization's webhook endpoint and the log of deliveries to it (the worker writes the log). */
@Injectable()
export class WebhookStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Points the organization's webhook at `url` with a new signing secret, audited (the URL, never the secret). */
  async setEndpoint(actor: Actor, org: Pick<Organization, 'id' | 'zoneId' | 'webhookUrl'>, url: string, secret: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.update(Organization, { id: org.id }, { webhookUrl: url, webhookSecret: secret });
      await recordAudit(m, actor, { action: 'organization.webhook', entityType: 'organization', entityId: org.id, zoneId: org.zoneId, before: { webhookUrl: org.webhookUrl }, after: { webhookUrl: url } });
    });
  }

  /** A delivery to attempt (null when it is gone or already delivered) and its organization's signing secret. */
  async pendingDelivery(deliveryId: string): Promise<{ delivery: WebhookDelivery; secret: string | null } | null> {
    const delivery = await this.dataSource.getRepository(WebhookDelivery).findOneBy({ id: deliveryId });
    if (!delivery || delivery.status === DeliveryStatus.Delivered) return null;
    const org = await this.dataSource
      .getRepository(Organization)
      .createQueryBuilder('o')
      .addSelect('o.webhookSecret')
      .where('o.id = :id', { id: delivery.organizationId })
      .getOne();
    return { delivery, secret: org?.webhookSecret ?? null };
  }

  /** Records an attempt's outcome on the delivery. */
  async recordAttempt(deliveryId: string, outcome: Partial<Pick<WebhookDelivery, 'attempts' | 'lastStatusCode' | 'lastError' | 'status' | 'deliveredAt'>>): Promise<void> {
    await this.dataSource.getRepository(WebhookDelivery).update({ id: deliveryId }, outcome);
  }

  /** One page of the organization's deliveries, newest first. */
  async deliveries(organizationId: string, window: PageWindow): Promise<PageSlice<WebhookDelivery>> {
    const [items, total] = await this.dataSource
      .getRepository(WebhookDelivery)
      .findAndCount({ where: { organizationId }, order: { createdAt: 'DESC', id: 'DESC' }, skip: window.skip, take: window.take });
    return { items, total };
  }
}
