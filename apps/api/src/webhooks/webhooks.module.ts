import { Module } from '@nestjs/common';
import { WebhookStore } from '#store';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Webhook registration (with the egress rules) and the delivery log; the worker delivers. */
@Module({ imports: [OrganizationsModule], controllers: [WebhooksController], providers: [WebhooksService, WebhookStore] })
export class WebhooksModule {}
