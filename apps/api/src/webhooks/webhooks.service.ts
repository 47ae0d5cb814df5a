import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig, checkWebhookUrl, egressPolicy, Organization, resolveWebhookTarget, WebhookDelivery, type EgressPolicy } from '#store';
import { AuditService } from '../common/audit.service.js';
import type { Principal } from '../common/auth/principal.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { WebhookView } from './webhook.views.js';

/** An organization's webhook: where signed run notifications go, and the log of what was sent. */
@Injectable()
export class WebhooksService {
  private readonly egress: EgressPolicy;

  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly audit: AuditService,
    config: AppConfig,
  ) {
    this.egress = egressPolicy(config);
  }

  /**
   * Sets the URL and issues a new signing secret (shown once). The URL must be https (unless http is
   * configured) and resolve only to public addresses; the worker checks again when it connects.
   */
  async setWebhook(actor: Principal, organizationId: string, url: string): Promise<WebhookView> {
    const org = await this.organizations.get(actor, organizationId);
    await resolveWebhookTarget(checkWebhookUrl(url, this.egress), this.egress);
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    await this.dataSource.transaction(async (m) => {
      await m.update(Organization, { id: org.id }, { webhookUrl: url, webhookSecret: secret });
      await this.audit.record(m, actor, { action: 'organization.webhook', entityType: 'organization', entityId: org.id, zoneId: org.zoneId, before: { webhookUrl: org.webhookUrl }, after: { webhookUrl: url } });
    });
    return { url, secret };
  }

  async deliveries(actor: Principal, organizationId: string): Promise<WebhookDelivery[]> {
    const org = await this.organizations.get(actor, organizationId);
    return this.dataSource.getRepository(WebhookDelivery).find({ where: { organizationId: org.id }, order: { createdAt: 'DESC' }, take: 100 });
  }
}
