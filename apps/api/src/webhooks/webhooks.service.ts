import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppConfig, checkWebhookUrl, egressPolicy, resolveWebhookTarget, WebhookStore, type EgressPolicy, type WebhookDelivery } from '#store';
import type { Principal } from '../common/auth/principal.js';
import { readPage, type Page, type PageQuery } from '../common/pagination.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import type { WebhookView } from './webhook.views.js';

/** An organization's webhook: where signed run notifications go, and the log of what was sent. */
@Injectable()
export class WebhooksService {
  private readonly egress: EgressPolicy;

  constructor(
    private readonly store: WebhookStore,
    private readonly organizations: OrganizationsService,
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
    await this.store.setEndpoint(actor, org, url, secret);
    return { url, secret };
  }

  async deliveries(actor: Principal, organizationId: string, q: PageQuery): Promise<Page<WebhookDelivery>> {
    const org = await this.organizations.get(actor, organizationId);
    return readPage(q, (window) => this.store.deliveries(org.id, window));
  }
}
